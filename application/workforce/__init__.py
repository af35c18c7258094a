"""Workforce: commands on employees, and the CMR spreadsheet import."""

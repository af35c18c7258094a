"""Workforce: employees, contracts, follow-up categories and exposures."""

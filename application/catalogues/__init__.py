"""Catalogues: the shipped data files and the service's edits."""

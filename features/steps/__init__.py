"""Shared support of the Gherkin specs: the words of the service, turned into domain values."""

"""Documents of the billing context: the Factur-X invoice (PDF/A-3b with its CII XML)."""

"""GraphQL of the workforce: employees, contracts, determinants, exposures."""

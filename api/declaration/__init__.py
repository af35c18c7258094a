"""GraphQL of the annual declaration."""

"""GraphQL of the catalogues."""

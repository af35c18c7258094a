"""GraphQL of accounts: sign-in, users, the access log."""

"""GraphQL of members: company data, branches, contacts, users and roles."""

"""GraphQL and files of the risk assessment (DUERP) tool."""

"""The GraphQL API served by Litestar."""

"""The `registre` command line."""

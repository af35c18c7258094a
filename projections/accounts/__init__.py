"""Read models of accounts."""

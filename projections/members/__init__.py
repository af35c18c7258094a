"""Read models of members."""

"""Read models of the annual declaration."""

"""The annual declaration: its steps, confirmation and reopening."""

"""Members: commands on the member's record."""

"""The annual declaration: campaigns, declarations and contributions."""

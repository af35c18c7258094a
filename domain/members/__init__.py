"""Members: the companies that adhere to the service, their branches and users."""

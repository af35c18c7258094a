"""Accounts: who may sign in, with which roles and rights."""

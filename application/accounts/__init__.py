"""Accounts: sign-in, sessions, users and their mails."""

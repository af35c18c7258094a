"""The id of an account opened in a test: drawn at random, so found by its e-mail."""

from typing import Protocol
from uuid import UUID

from domain.accounts.account import Account
from domain.contact_details import Email


class FindsAccounts(Protocol):
    def find_account(self, email: Email) -> Account | None: ...


def account_id(app: FindsAccounts, email: str) -> UUID:
    """The id of the account of `email`, which must exist."""
    account = app.find_account(Email(email))
    assert account is not None, "no account for this e-mail"
    return account.id

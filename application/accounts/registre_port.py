"""What the sign-in services need of the application: its accounts and members, the command
path and the clock — not the whole `Registre`, which composes this context (no cycle)."""

from typing import Protocol, TypeVar
from uuid import UUID

from application.commands import Command
from application.requests import Request
from domain.accounts.account import Account
from domain.calendar import Clock
from domain.contact_details import Email
from domain.members.member import Member
from storage.settings import StoreSettings

R = TypeVar("R")


class AccessRegistre(Protocol):
    clock: Clock
    settings: StoreSettings

    def account(self, account_id: UUID) -> Account: ...

    def find_account(self, email: Email) -> Account | None: ...

    def member(self, member_id: UUID) -> Member: ...

    def handle(self, request: Request, command: Command[R]) -> R: ...

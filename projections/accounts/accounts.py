"""ACCOUNTS read model: who may sign in, and for which members, with which roles.

`accounts` holds one row per account: who the person is, what kind of account it is, whether
the password sent by the service must still be changed, and when they last signed in.
`member_users` holds one row per user of a member, with the member's code and legal name kept
up to date from the member's own events, so the list of a person's companies needs no other
read model. Both are built from the Account and Member aggregates folded event by event
(`projections.aggregates`) and written field by field, so what is not listed here — the
password hash above all — never reaches the read side.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.accounts.access import AccountKind, MemberUser
from domain.accounts.account import Account, account_id_of
from domain.contact_details import Email
from domain.errors import InvalidValue
from domain.members.member import Member
from domain.search import search_key
from projections.aggregates import AggregateFolder
from projections.model import Envelope, Queries, ReadModel
from projections.rows import struct_of
from projections.store import Row, Tx
from projections.timeline import instant

ACCOUNT_COLUMNS = (
    "account_id",
    "email",
    "last_name",
    "first_name",
    "function",
    "mobile",
    "kind",
    "password_change_required",
    "last_login_at",
    "opened_at",
)
USER_COLUMNS = (
    "member_id",
    "member_code",
    "legal_name",
    "account_id",
    "roles",
    "third_party_declarant",
    "notifications",
)
_MEMBER_USERS_EVENTS = frozenset(
    {
        "AdministrativeInformationChanged",
        "FirstAdministratorRegistered",
        "UserAdded",
        "UserRolesChanged",
        "UserRemoved",
        "NotificationsChosen",
    }
)
"""The Member events that change the rows of its users (its code never changes)."""


class AccountHolder(msgspec.Struct, frozen=True, kw_only=True):
    """The person an account is for."""

    account_id: UUID
    email: str
    last_name: str
    first_name: str
    function: str
    mobile: str | None


class AccountView(AccountHolder, frozen=True, kw_only=True):
    """An account as the portal shows it (never its password, nor the password's hash)."""

    kind: AccountKind
    password_change_required: bool
    last_login_at: datetime | None
    opened_at: datetime


class Membership(msgspec.Struct, frozen=True, kw_only=True):
    """A member an account is a user of, with the account's roles there."""

    member_id: UUID
    member_code: str
    legal_name: str
    roles: list[str]
    third_party_declarant: bool


class MemberUserView(AccountHolder, frozen=True, kw_only=True):
    """A user of one member: the person, and their roles and notifications for that member."""

    roles: list[str]
    third_party_declarant: bool
    notifications: list[str]


_ENCODER = msgspec.json.Encoder()
_NAMES = msgspec.json.Decoder(list[str])


class Accounts(ReadModel):
    name = "accounts"
    tables = ("accounts", "member_users")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.accounts = AggregateFolder(self.source)
        self.members = AggregateFolder(self.source)

    def create(self, tx: Tx) -> None:
        bigint = self.store.bigint
        accounts, users = self.table("accounts"), self.table("member_users")
        tx.execute(
            f"CREATE TABLE {accounts} (account_id TEXT PRIMARY KEY, email TEXT NOT NULL,"
            " last_name TEXT NOT NULL, first_name TEXT NOT NULL, function TEXT NOT NULL,"
            " mobile TEXT, kind TEXT NOT NULL, password_change_required INTEGER NOT NULL,"
            f" last_login_at {bigint}, opened_at {bigint} NOT NULL)"
        )
        tx.execute(
            f"CREATE TABLE {users} (member_id TEXT NOT NULL, member_code TEXT NOT NULL,"
            " legal_name TEXT NOT NULL, account_id TEXT NOT NULL, roles TEXT NOT NULL,"
            " third_party_declarant INTEGER NOT NULL, notifications TEXT NOT NULL,"
            " PRIMARY KEY (member_id, account_id))"
        )
        tx.execute(f"CREATE INDEX {users}_account ON {users} (account_id, member_code)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        accounts: dict[UUID, Account] = {}
        last_logins: dict[UUID, int] = {}
        members: dict[UUID, Member] = {}
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, Account.Event):
                account: Account = self.accounts.apply(event)
                accounts[account.id] = account
                if envelope.event_name == "LoggedIn":
                    last_logins[account.id] = envelope.recorded_at
            elif isinstance(event, Member.Event):
                member: Member = self.members.apply(event)  # every event: the cache stays warm
                if envelope.event_name in _MEMBER_USERS_EVENTS:
                    members[member.id] = member
        tx.executemany(
            self._upsert_account,
            [_account_row(a, last_logins.get(a.id)) for a in accounts.values()],
        )
        users = self.table("member_users")
        tx.executemany(f"DELETE FROM {users} WHERE member_id = ?", [(str(m),) for m in members])
        tx.insert_rows(
            users,
            USER_COLUMNS,
            [_user_row(member, user) for member in members.values() for user in member.users],
        )

    @property
    def _upsert_account(self) -> str:
        accounts = self.table("accounts")
        return (
            f"INSERT INTO {accounts} ({', '.join(ACCOUNT_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(ACCOUNT_COLUMNS))})"
            " ON CONFLICT (account_id) DO UPDATE SET email = excluded.email,"
            " last_name = excluded.last_name, first_name = excluded.first_name,"
            " function = excluded.function, mobile = excluded.mobile, kind = excluded.kind,"
            " password_change_required = excluded.password_change_required,"
            f" last_login_at = COALESCE(excluded.last_login_at, {accounts}.last_login_at)"
        )


def _account_row(account: Account, last_login_at: int | None) -> Row:
    return (
        str(account.id),
        str(account.email),
        account.last_name,
        account.first_name,
        account.function,
        None if account.mobile is None else str(account.mobile),
        account.kind.value,
        int(account.must_change_password),
        last_login_at,
        instant(account.created_on),
    )


def _user_row(member: Member, user: MemberUser) -> Row:
    return (
        str(member.id),
        member.member_code,
        member.legal_name,
        str(user.account_id),
        _names(role.value for role in user.roles),
        int(user.third_party_declarant),
        _names(notification.value for notification in user.notifications),
    )


def _names(values: Iterable[str]) -> str:
    """A set of enum values as a sorted JSON list: the same text for the same set, always."""
    return _ENCODER.encode(sorted(values)).decode()


class AccountQueries(Queries):
    name = "accounts"

    def account(self, account_id: UUID) -> AccountView | None:
        rows = self.store.read(
            f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM {self.table('accounts')}"
            " WHERE account_id = ?",
            (str(account_id),),
        )
        return struct_of(AccountView, rows[0]) if rows else None

    def account_by_email(self, email: str) -> AccountView | None:
        """The account of a login e-mail, whatever its case (None when it is not an e-mail)."""
        try:
            address = Email(email)
        except InvalidValue:
            return None
        return self.account(account_id_of(address))

    def memberships(self, account_id: UUID) -> list[Membership]:
        """The members this account is a user of, by member code."""
        rows = self.store.read(
            "SELECT member_id, member_code, legal_name, roles, third_party_declarant"
            f" FROM {self.table('member_users')} WHERE account_id = ? ORDER BY member_code",
            (str(account_id),),
        )
        return [struct_of(Membership, row, roles=_NAMES.decode) for row in rows]

    def users_of(self, member_id: UUID) -> list[MemberUserView]:
        """The member's users, by last name then first name (accents and case ignored)."""
        rows = self.store.read(
            "SELECT a.account_id, a.email, a.last_name, a.first_name, a.function, a.mobile,"
            " u.roles, u.third_party_declarant, u.notifications"
            f" FROM {self.table('member_users')} u"
            f" JOIN {self.table('accounts')} a ON a.account_id = u.account_id"
            " WHERE u.member_id = ?",
            (str(member_id),),
        )
        views = [
            struct_of(MemberUserView, row, roles=_NAMES.decode, notifications=_NAMES.decode)
            for row in rows
        ]
        return sorted(views, key=_by_name)


def _by_name(user: MemberUserView) -> tuple[str, ...]:
    return (
        search_key(user.last_name),
        search_key(user.first_name),
        user.last_name,
        user.first_name,
        str(user.account_id),
    )

"""ACCOUNTS read model: who may sign in, and for which members, with which roles.

`accounts` holds one row per account: who the person is — e-mail, names, function, mobile,
sealed under the account's identity key (`projections.personal`), with the blind-index token
of the e-mail that finds it —, what kind of account it is, whether the password sent by the
service must still be changed, and when they last signed in.
`member_users` holds one row per user of a member, with the member's code and legal name kept
up to date from the member's own events, so the list of a person's companies needs no other
read model. Both are built from the Account and Member aggregates folded event by event
(`projections.aggregates`) and written field by field, so what is not listed here — the
password hash above all — never reaches the read side. An erased account has no row (its
identity reads as None from the erasure on, and in a rebuild from the start): it is gone from
its members' lists of users too; destroying its key alone already makes the identity in every
generation unreadable. Accounts are found by e-mail on the write side through the claims of
their addresses (`application.accounts.claims`); here through the token (`account_by_email`).
An account whose events were written before they were sealed has no identity key: its row keeps
no identity, and shows empty names.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.accounts.access import AccountKind, MemberUser
from domain.accounts.account import Account
from domain.contact_details import Email
from domain.members.member import Member
from domain.search import search_key
from projections.aggregates import shared_folder
from projections.model import Envelope, Queries, ReadModel, is_erasure
from projections.personal import PersonKey, open_sealed, seal_of
from projections.rows import struct_of
from projections.store import Row, Tx
from projections.timeline import instant

IDENTITY_PURPOSE = "account identity"
EMAIL_PURPOSE = "account e-mail"
ACCOUNT_COLUMNS = (
    "account_id",
    "identity",
    "email_token",
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


class SealedHolder(msgspec.Struct, frozen=True, array_like=True):
    """What the accounts table keeps of the person, sealed."""

    email: str
    last_name: str
    first_name: str
    function: str
    mobile: str | None


UNSEALED = SealedHolder("", "", "", "", None)
"""The person of an account without an identity key (opened before accounts were sealed)."""
_HOLDER_ENCODER = msgspec.json.Encoder()
_HOLDER_DECODER = msgspec.json.Decoder(SealedHolder)


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
    reads = (Account.Event, Member.Event)
    tables = ("accounts", "member_users")
    revision = 2  # identities sealed, e-mails found by blind index

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.accounts = shared_folder(self.source, Account)
        self.members = shared_folder(self.source, Member)

    def create(self, tx: Tx) -> None:
        bigint = self.store.bigint
        accounts, users = self.table("accounts"), self.table("member_users")
        tx.execute(
            f"CREATE TABLE {accounts} (account_id TEXT PRIMARY KEY, identity TEXT,"
            " email_token TEXT NOT NULL, kind TEXT NOT NULL,"
            " password_change_required INTEGER NOT NULL,"
            f" last_login_at {bigint}, opened_at {bigint} NOT NULL)"
        )
        tx.execute(f"CREATE INDEX {accounts}_email ON {accounts} (email_token)")
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
                if is_erasure(envelope):
                    seal_of(self.store).forget(envelope.aggregate_id)
                account: Account = self.accounts.apply(event)
                accounts[account.id] = account
                if envelope.event_name == "LoggedIn":
                    last_logins[account.id] = envelope.recorded_at
            elif isinstance(event, Member.Event):
                member: Member = self.members.apply(event)  # every event: the cache stays warm
                if envelope.event_name in _MEMBER_USERS_EVENTS:
                    members[member.id] = member
        kept = [a for a in accounts.values() if a.email is not None]
        seal = seal_of(self.store)
        keys = seal.keys(tx.execute, [a.id for a in kept])
        tx.executemany(
            self._upsert_account,
            [
                _account_row(
                    a,
                    keys.get(a.id),
                    seal.token(EMAIL_PURPOSE, str(a.email)),
                    last_logins.get(a.id),
                )
                for a in kept
            ],
        )
        tx.executemany(
            f"DELETE FROM {self.table('accounts')} WHERE account_id = ?",
            [(str(a.id),) for a in accounts.values() if a.email is None],
        )
        users = self.table("member_users")
        tx.executemany(f"DELETE FROM {users} WHERE member_id = ?", [(str(m),) for m in members])
        tx.insert_rows(
            users,
            USER_COLUMNS,
            [_user_row(member, user) for member in members.values() for user in member.users],
        )

    def erase(self, tx: Tx, erased: Envelope) -> None:
        tx.execute(
            f"DELETE FROM {self.table('accounts')} WHERE account_id = ?",
            (str(erased.aggregate_id),),
        )

    @property
    def _upsert_account(self) -> str:
        accounts = self.table("accounts")
        return (
            f"INSERT INTO {accounts} ({', '.join(ACCOUNT_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(ACCOUNT_COLUMNS))})"
            " ON CONFLICT (account_id) DO UPDATE SET identity = excluded.identity,"
            " email_token = excluded.email_token, kind = excluded.kind,"
            " password_change_required = excluded.password_change_required,"
            f" last_login_at = COALESCE(excluded.last_login_at, {accounts}.last_login_at)"
        )


def _account_row(
    account: Account, key: PersonKey | None, email_token: str, last_login_at: int | None
) -> Row:
    return (
        str(account.id),
        _sealed(account, key),
        email_token,
        account.kind.value,
        int(account.must_change_password),
        last_login_at,
        instant(account.created_on),
    )


def _sealed(account: Account, key: PersonKey | None) -> str | None:
    """The person sealed under the account's identity key; None without a key."""
    if key is None:
        return None
    holder = SealedHolder(
        str(account.email),
        account.last_name or "",
        account.first_name or "",
        account.function or "",
        None if account.mobile is None else str(account.mobile),
    )
    return key.seal(IDENTITY_PURPOSE, _HOLDER_ENCODER.encode(holder))


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
        return self._account("account_id", str(account_id))

    def account_by_email(self, email: Email) -> AccountView | None:
        """The account signing in with this address (case, accents and spacing ignored), found
        by the address's token: the table holds no address in clear."""
        token = seal_of(self.store).token(EMAIL_PURPOSE, str(email))
        return self._account("email_token", token)

    def _account(self, column: str, value: str) -> AccountView | None:
        rows = self.store.read(
            f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM {self.table('accounts')} WHERE {column} = ?",
            (value,),
        )
        if not rows:
            return None
        account_id, identity, _token, *rest = rows[0]
        (holder,) = self._holders({UUID(account_id): identity}).values()
        return struct_of(AccountView, (account_id, *msgspec.structs.astuple(holder), *rest))

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
            "SELECT a.account_id, a.identity, u.roles, u.third_party_declarant, u.notifications"
            f" FROM {self.table('member_users')} u"
            f" JOIN {self.table('accounts')} a ON a.account_id = u.account_id"
            " WHERE u.member_id = ?",
            (str(member_id),),
        )
        holders = self._holders({UUID(row[0]): row[1] for row in rows})
        views = [
            struct_of(
                MemberUserView,
                (row[0], *msgspec.structs.astuple(holders[UUID(row[0])]), *row[2:]),
                roles=_NAMES.decode,
                notifications=_NAMES.decode,
            )
            for row in rows
        ]
        return sorted(views, key=_by_name)

    def _holders(self, sealed: dict[UUID, str | None]) -> dict[UUID, SealedHolder]:
        """The persons of these accounts, their keys in one look-up."""
        opened = open_sealed(self.store, self.store.read, IDENTITY_PURPOSE, sealed)
        return {
            account_id: UNSEALED if plain is None else _HOLDER_DECODER.decode(plain)
            for account_id, plain in opened.items()
        }


def _by_name(user: MemberUserView) -> tuple[str, ...]:
    return (
        search_key(user.last_name),
        search_key(user.first_name),
        user.last_name,
        user.first_name,
        str(user.account_id),
    )

"""Plain tables of access control: sessions, one-time secrets, failure counters and the access
log, in a store of their own (their own connections, on the events' database), not the read
models': the application writes them, and a read model never sees them.

These are not history: a session is revoked, a code used, a counter reset — in place. What must
be history (accounts opened, roles, passwords changed, sign-ins and sign-outs) is in the event
log. Secrets are stored only as keyed hashes (`Secrets`), never as typed or sent.
"""

import enum
import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from domain.accounts.throttling import Failures, ThrottlePolicy
from storage.settings import StoreSettings
from storage.sql import Row, SqlStore, Tx, from_instant, instant


class Secrets:
    """Keyed hashes of secrets (HMAC-SHA256 under a key derived from the master key): a copy of
    the tables alone gives no way to test guesses offline; comparisons take constant time."""

    def __init__(self, master_key: bytes):
        self._key = hmac.digest(master_key, b"access secrets", "sha256")

    def digest(self, secret: str) -> str:
        return hmac.new(self._key, secret.encode(), hashlib.sha256).hexdigest()

    def matches(self, stored_digest: str, candidate: str) -> bool:
        return hmac.compare_digest(stored_digest, self.digest(candidate))


class CodePurpose(enum.Enum):
    LOGIN = "LOGIN"
    PASSWORD_RESET = "PASSWORD_RESET"  # noqa: S105 (a purpose, not a password)


class AccessEvent(enum.Enum):
    """What the access log records (the events of the log are for changes; these are reads,
    refusals and attempts on no account)."""

    HEALTH_DATA_READ = "HEALTH_DATA_READ"
    ACCESS_DENIED = "ACCESS_DENIED"
    UNKNOWN_ACCOUNT_LOGIN = "UNKNOWN_ACCOUNT_LOGIN"


@dataclass(frozen=True, slots=True)
class Session:
    token_digest: str
    account_id: UUID
    member_id: UUID | None
    expires_at: datetime
    password_change_required: bool


class AccessLogEntry(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: str
    at: datetime
    event: AccessEvent
    account_id: UUID | None
    member_id: UUID | None
    operation: str
    subjects: list[str]
    """Whose data was read (employee ids), or what was refused."""


_TABLES = (
    """CREATE TABLE IF NOT EXISTS access_sessions (
        token_digest TEXT PRIMARY KEY, account_id TEXT NOT NULL, member_id TEXT,
        created_at {bigint} NOT NULL, expires_at {bigint} NOT NULL,
        password_change_required INTEGER NOT NULL, revoked_at {bigint})""",
    "CREATE INDEX IF NOT EXISTS access_sessions_account ON access_sessions (account_id)",
    """CREATE TABLE IF NOT EXISTS access_codes (
        account_id TEXT NOT NULL, purpose TEXT NOT NULL, code_digest TEXT NOT NULL,
        expires_at {bigint} NOT NULL, PRIMARY KEY (account_id, purpose))""",
    """CREATE TABLE IF NOT EXISTS access_failures (
        throttle_key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at {bigint} NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS access_log (
        entry_id TEXT PRIMARY KEY, at {bigint} NOT NULL, event TEXT NOT NULL, account_id TEXT,
        member_id TEXT, operation TEXT NOT NULL, subjects TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS access_log_at ON access_log (at, entry_id)",
    "CREATE INDEX IF NOT EXISTS access_log_member ON access_log (member_id, at)",
)


def _uuid(value: str | None) -> UUID | None:
    return None if value is None else UUID(value)


def _text(value: UUID | None) -> str | None:
    return None if value is None else str(value)


POOL_SIZE = 4
"""Connections of the sign-in tables' own (each request reads a session, a sign-in writes)."""


class AccessStore:
    def __init__(self, store: SqlStore):
        self._store = store

    @classmethod
    def open(cls, settings: StoreSettings) -> "AccessStore":
        """Connections of its own on the events' database, its tables created if missing."""
        access_store = cls(SqlStore.open(settings, pool_size=POOL_SIZE))
        try:
            access_store.create_tables()
        except BaseException:
            access_store.close()
            raise
        return access_store

    def close(self) -> None:
        self._store.close()

    @property
    def sql(self) -> SqlStore:
        """Its connections, shared by the mail outbox and the reactions' positions, which are
        written in the same transactions as these tables."""
        return self._store

    def create_tables(self) -> None:
        with self._store.transaction() as tx:
            tx.set_up_alone()
            for statement in _TABLES:
                tx.execute(statement.format(bigint=self._store.bigint))

    # Sessions --------------------------------------------------------------------------------

    def open_session(self, session: Session, now: datetime) -> None:
        with self._store.transaction() as tx:
            tx.execute(
                "INSERT INTO access_sessions (token_digest, account_id, member_id, created_at,"
                " expires_at, password_change_required) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    session.token_digest,
                    str(session.account_id),
                    _text(session.member_id),
                    instant(now),
                    instant(session.expires_at),
                    int(session.password_change_required),
                ),
            )

    def live_session(self, token_digest: str, now: datetime) -> Session | None:
        rows = self._store.read(
            "SELECT token_digest, account_id, member_id, expires_at, password_change_required"
            " FROM access_sessions WHERE token_digest = ? AND revoked_at IS NULL"
            " AND expires_at > ?",
            (token_digest, instant(now)),
        )
        if not rows:
            return None
        digest, account_id, member_id, expires_at, change_required = rows[0]
        return Session(
            digest,
            UUID(account_id),
            _uuid(member_id),
            from_instant(expires_at),
            bool(change_required),
        )

    def switch_member(self, token_digest: str, member_id: UUID) -> None:
        with self._store.transaction() as tx:
            tx.execute(
                "UPDATE access_sessions SET member_id = ? WHERE token_digest = ?",
                (str(member_id), token_digest),
            )

    def revoke_session(self, token_digest: str, now: datetime) -> None:
        with self._store.transaction() as tx:
            tx.execute(
                "UPDATE access_sessions SET revoked_at = ? WHERE token_digest = ?"
                " AND revoked_at IS NULL",
                (instant(now), token_digest),
            )

    def revoke_sessions_of(self, account_id: UUID, now: datetime) -> None:
        with self._store.transaction() as tx:
            tx.execute(
                "UPDATE access_sessions SET revoked_at = ? WHERE account_id = ?"
                " AND revoked_at IS NULL",
                (instant(now), str(account_id)),
            )

    # One-time codes and reset links ------------------------------------------------------------

    def keep_code(
        self,
        account_id: UUID,
        purpose: CodePurpose,
        code_digest: str,
        expires_at: datetime,
        mail: Callable[[Tx], None],
    ) -> None:
        """One live code per account and purpose: a new one replaces the last. `mail` writes
        the mail that carries it in the same transaction (the outbox is in this store): a code
        kept is a code mailed, even if the process dies right after."""
        with self._store.transaction() as tx:
            mail(tx)
            tx.execute(
                "DELETE FROM access_codes WHERE account_id = ? AND purpose = ?",
                (str(account_id), purpose.value),
            )
            tx.execute(
                "INSERT INTO access_codes (account_id, purpose, code_digest, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (str(account_id), purpose.value, code_digest, instant(expires_at)),
            )

    def take_code(
        self, account_id: UUID, purpose: CodePurpose, now: datetime
    ) -> tuple[str, bool] | None:
        """The account's code digest and whether it is still valid, or None; a valid code is
        left in place (the caller consumes it once it matched)."""
        rows = self._store.read(
            "SELECT code_digest, expires_at FROM access_codes WHERE account_id = ? AND purpose = ?",
            (str(account_id), purpose.value),
        )
        if not rows:
            return None
        digest, expires_at = rows[0]
        return digest, expires_at > instant(now)

    def consume_code(self, account_id: UUID, purpose: CodePurpose, code_digest: str) -> bool:
        """Single use: only one of two concurrent sign-ins with the same code gets it."""
        with self._store.transaction() as tx:
            rows = tx.execute(
                "DELETE FROM access_codes WHERE account_id = ? AND purpose = ?"
                " AND code_digest = ? RETURNING account_id",
                (str(account_id), purpose.value, code_digest),
            )
        return bool(rows)

    # Failure counters ----------------------------------------------------------------------------
    # An attempt is counted as a failure before its secret is checked, in the transaction that
    # checks the counters (its rows locked): simultaneous attempts cannot all read one count and
    # all go ahead. A success gives back what it was counted (`release`).

    def failures(self, keys: Sequence[str]) -> dict[str, Failures]:
        return _failures(self._store.read, keys)

    def claim(
        self,
        counted: Mapping[str, ThrottlePolicy],
        checked: Mapping[str, ThrottlePolicy],
        now: datetime,
    ) -> dict[str, int]:
        """In one step: `TooManyAttempts` (nothing written) when a key's policy says to wait,
        else one more failure on each key of `counted`. The counts after, by key."""
        with self._store.transaction() as tx:
            found = {key: _locked(tx, key) for key in sorted(counted)}
            found.update(_failures(tx.execute, list(checked)))
            for key, policy in {**counted, **checked}.items():
                policy.check(found.get(key), now)
            counts = {}
            for key, policy in counted.items():
                after = policy.after_failure(found.get(key), now)
                tx.execute(
                    "UPDATE access_failures SET failures = ?, last_at = ? WHERE throttle_key = ?",
                    (after.count, instant(after.last_at), key),
                )
                counts[key] = after.count
        return counts

    def release(self, counts: Mapping[str, int]) -> None:
        """Takes back failures counted by `claim`; a counter back to zero is dropped."""
        keys = sorted(counts)
        with self._store.transaction() as tx:
            for key in keys:
                tx.execute(
                    "UPDATE access_failures SET failures = failures - ? WHERE throttle_key = ?",
                    (counts[key], key),
                )
            tx.execute(
                "DELETE FROM access_failures WHERE failures <= 0"  # noqa: S608
                f" AND throttle_key IN ({', '.join('?' * len(keys))})",
                keys,
            )

    # Access log ------------------------------------------------------------------------------

    def log(
        self,
        event: AccessEvent,
        *,
        at: datetime,
        account_id: UUID | None,
        member_id: UUID | None,
        operation: str,
        subjects: Sequence[str] = (),
    ) -> None:
        with self._store.transaction() as tx:
            tx.execute(
                "INSERT INTO access_log (entry_id, at, event, account_id, member_id, operation,"
                " subjects) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    uuid4().hex,
                    instant(at),
                    event.value,
                    _text(account_id),
                    _text(member_id),
                    operation,
                    msgspec.json.encode(sorted(subjects)).decode(),
                ),
            )

    def log_entries(
        self,
        *,
        event: AccessEvent | None,
        member_id: UUID | None,
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[AccessLogEntry]:
        """The newest entries first, from `before` (exclusive) when given."""
        conditions: list[str] = []
        params: list[Any] = []
        if event is not None:
            conditions.append("event = ?")
            params.append(event.value)
        if member_id is not None:
            conditions.append("member_id = ?")
            params.append(str(member_id))
        if before is not None:
            conditions.append("(at < ? OR (at = ? AND entry_id < ?))")
            params += [instant(before[0]), instant(before[0]), before[1]]
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._store.read(
            "SELECT entry_id, at, event, account_id, member_id, operation, subjects"  # noqa: S608
            f" FROM access_log{where} ORDER BY at DESC, entry_id DESC LIMIT ?",
            (*params, limit),
        )
        return [_entry(row) for row in rows]


def _failures(
    read: Callable[[str, Sequence[Any]], list[Row]], keys: Sequence[str]
) -> dict[str, Failures]:
    if not keys:
        return {}
    rows = read(
        "SELECT throttle_key, failures, last_at FROM access_failures"  # noqa: S608
        f" WHERE throttle_key IN ({', '.join('?' * len(keys))})",
        tuple(keys),
    )
    return {key: Failures(count, from_instant(last_at)) for key, count, last_at in rows}


def _locked(tx: Tx, key: str) -> Failures | None:
    """A key's failures, its row locked until the transaction ends (made if there is none: an
    upsert locks on both stores, where `SELECT … FOR UPDATE` is PostgreSQL's only)."""
    [(count, last_at)] = tx.execute(
        "INSERT INTO access_failures (throttle_key, failures, last_at) VALUES (?, 0, 0)"
        " ON CONFLICT (throttle_key) DO UPDATE SET failures = access_failures.failures"
        " RETURNING failures, last_at",
        (key,),
    )
    return Failures(count, from_instant(last_at)) if count else None


def _entry(row: Row) -> AccessLogEntry:
    entry_id, at, event, account_id, member_id, operation, subjects = row
    return AccessLogEntry(
        entry_id=entry_id,
        at=from_instant(at),
        event=AccessEvent(event),
        account_id=_uuid(account_id),
        member_id=_uuid(member_id),
        operation=operation,
        subjects=msgspec.json.decode(subjects),
    )

"""SQL tables beside the events: connections to the same SQLite file or PostgreSQL schema.

Two stores use it, each with connections of its own: the read models' (`projections.store`)
and the sign-in tables' (`application.accounts.access_store`). SQL is written once, with `?`
placeholders and portable types (INTEGER, TEXT); dates are stored as day ordinals and instants
as UTC microseconds (`instant`), so comparisons are plain integer comparisons on both stores.
"""

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import psycopg
from psycopg_pool import ConnectionPool

from storage.settings import StoreSettings

Row = tuple[Any, ...]
SET_UP_ALONE = "SELECT pg_advisory_xact_lock(90457502208852)"  # the key: "REGIST" in ASCII
"""One PostgreSQL transaction at a time sets up tables (`Tx.set_up_alone`)."""
SQLITE_BUSY_TIMEOUT_MS = 10_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def instant(moment: datetime) -> int:
    """An aware datetime as UTC microseconds since 1970, as the tables store instants."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def from_instant(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


class Tx(ABC):
    """One transaction (or one read) on the tables."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction that an exception undoes alone (then re-raised)."""

    def set_up_alone(self) -> None:
        """Keep the other processes setting up tables waiting until this transaction ends: two
        creating the same tables at once fail or deadlock (PostgreSQL; SQLite's transactions
        take the write lock when they begin)."""
        return

    def lock(self, table: str) -> None:
        """Keep other writers of `table` waiting until this transaction ends (SQLite's
        transactions already do: they take the write lock when they begin)."""
        return

    def share_rows(self, table: str, condition: str, params: Sequence[Any]) -> None:
        """Keep the rows of `table` that meet `condition` from being changed by others until
        this transaction ends, while others may share them too (SQLite's transactions already
        keep every other writer waiting)."""
        return

    def plan_each_time(self) -> None:
        """Plan this transaction's statements for their parameters and the tables as they
        are now, instead of the plan a prepared statement may keep (PostgreSQL's "generic"
        plan, chosen after five runs: on a read model's tables just created, empty, it is a
        sequential scan, kept while they fill)."""
        return

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Append rows to a table (the fastest way each store has)."""
        marks = ", ".join("?" * len(columns))
        # The table and column names are the caller's own; every value goes through "?".
        insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        self.executemany(insert, rows)


class SqlStore(ABC):
    bigint = "INTEGER"
    master_key: bytes | None = None
    """The store's master key, when opened from its settings: the read side seals identities
    under each person's key and computes blind-index tokens with it (`projections.personal`)."""

    @staticmethod
    def open(settings: StoreSettings, *, pool_size: int = 10) -> "SqlStore":
        master_key = settings.master_key()
        store: SqlStore
        if settings.is_postgres:
            store = PostgresSqlStore(settings.url, pool_size=pool_size)
        else:
            store = SQLiteSqlStore(settings.eventsourcing_env()["SQLITE_DBNAME"])
        store.master_key = master_key
        return store

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Tx]: ...

    @abstractmethod
    def close(self) -> None: ...

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.transaction() as tx:
            return tx.execute(sql, params)

    def among(self, column: str, ids: Sequence[Any], array: str = "") -> tuple[str, list[Any]]:
        """The condition « `column` is one of `ids` » (as text) and its parameters: marks on
        SQLite; one array on PostgreSQL (a statement prepared once, whatever the count; `array`
        casts it, as `::uuid[]`)."""
        return f"{column} IN ({', '.join('?' * len(ids))})", [str(i) for i in ids]


class _SQLiteTx(Tx):
    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._connection.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._connection.executemany(sql, rows)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        self._connection.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK TO part")
            self._connection.execute("RELEASE part")
            raise
        self._connection.execute("RELEASE part")


class SQLiteSqlStore(SqlStore):
    """One connection per thread on the SQLite file, in WAL mode (readers never wait)."""

    def __init__(self, path: str):
        self._path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            self._local.connection = connection
            with self._lock:
                self._opened.append(connection)
        return connection

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield _SQLiteTx(connection)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._connection().execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()


@cache
def _to_pyformat(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class _PostgresTx(Tx):
    def __init__(self, cursor: psycopg.Cursor[Row]):
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self._cursor.execute(_to_pyformat(sql), params, prepare=True)
        return self._cursor.fetchall() if self._cursor.description else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cursor.executemany(_to_pyformat(sql), rows)

    def set_up_alone(self) -> None:
        self._cursor.execute(SET_UP_ALONE)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self._cursor.connection.transaction():
            yield

    def lock(self, table: str) -> None:
        self._cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")

    def share_rows(self, table: str, condition: str, params: Sequence[Any]) -> None:
        self.execute(f"SELECT 1 FROM {table} WHERE {condition} FOR SHARE", params)  # noqa: S608

    def plan_each_time(self) -> None:
        self._cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        if rows:
            with self._cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


class PostgresSqlStore(SqlStore):
    """A psycopg pool whose connections use the events' schema."""

    bigint = "BIGINT"

    def __init__(self, url: str, *, pool_size: int):
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.schema = query.get("schema", "public")
        conninfo = urlunsplit(parts._replace(query=""))
        self._pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            kwargs={"options": f"-c search_path={self.schema}", "autocommit": True},
            open=True,
        )

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with (
            self._pool.connection() as connection,
            connection.transaction(),
            connection.cursor() as cursor,
        ):
            yield _PostgresTx(cursor)

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._pool.connection() as connection, connection.cursor() as cursor:
            cursor.execute(_to_pyformat(sql), [_without_nul(p) for p in params], prepare=True)
            return cursor.fetchall()

    def among(self, column: str, ids: Sequence[Any], array: str = "") -> tuple[str, list[Any]]:
        return f"{column} = ANY(?{array})", [[str(i) for i in ids]]

    @contextmanager
    def listen(self, channel: str) -> Iterator[psycopg.Connection[Row]]:
        """A dedicated connection listening to a NOTIFY channel (the event log's)."""
        with self._pool.connection() as connection:
            connection.execute(f'LISTEN "{channel}"')
            try:
                yield connection
            finally:
                connection.execute(f'UNLISTEN "{channel}"')

    def close(self) -> None:
        self._pool.close()


def _without_nul(param: Any) -> Any:
    """A read's text with NUL, which PostgreSQL's text cannot hold (a search, a filter typed by
    someone), as a noncharacter no stored text holds either: it still matches nothing."""
    return param.replace("\x00", "\uffff") if isinstance(param, str) else param

"""Where the keys of data subjects are kept: the `subject_keys` table, and the
`master_key_check` table beside it, on SQLite and on PostgreSQL.

Each variant of `SubjectKeys` (`storage.keys`) reads and writes these tables in the store's own
transactions; the recorders write a new key with the events it sealed, and delete a destroyed
one with the events that record why (`SQLITE_INSERT_KEY`, `SQLITE_DELETE_KEY`,
`postgres_keys_table`).
"""

from typing import Any
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from domain.personal_data import DataCategory
from storage.keys import CATEGORIES, Rewrap, SubjectKeys
from storage.master_key import require_check
from storage.sql import SET_UP_ALONE

SQLITE_DELETE_KEY = "DELETE FROM subject_keys WHERE subject_id = ? AND category = ?"
SQLITE_INSERT_KEY = "INSERT INTO subject_keys (subject_id, category, wrapped_key) VALUES (?, ?, ?)"


class SQLiteSubjectKeys(SubjectKeys):
    def __init__(self, datastore: Any, master_key: bytes, cache_seconds: float):
        super().__init__(master_key, cache_seconds)
        self._datastore = datastore

    def _create_tables(self) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS subject_keys ("
                " subject_id TEXT NOT NULL, category TEXT NOT NULL, wrapped_key BLOB NOT NULL,"
                " created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                " PRIMARY KEY (subject_id, category))"
            )
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS master_key_check ("
                " id INTEGER PRIMARY KEY CHECK (id = 1), check_value BLOB NOT NULL,"
                " changed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )

    def _select_check(self) -> bytes | None:
        with self._datastore.transaction(commit=False) as cursor:
            return _sqlite_check(cursor)

    def _insert_check(self, check: bytes) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "INSERT OR IGNORE INTO master_key_check (id, check_value) VALUES (1, ?)", (check,)
            )

    def _select_any(self) -> tuple[UUID, DataCategory, bytes] | None:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT subject_id, category, wrapped_key FROM subject_keys LIMIT 1")
            return next(iter(_sqlite_keys(cursor.fetchall())), None)

    def _rewrap_all(self, rewrap: Rewrap, check: bytes) -> int:
        with self._datastore.transaction(commit=True) as cursor:
            # A write first, so that the transaction holds the database's write lock throughout.
            cursor.execute("UPDATE master_key_check SET check_value = check_value")
            require_check(self._master, _sqlite_check(cursor))
            cursor.execute("SELECT subject_id, category, wrapped_key FROM subject_keys")
            rows = _sqlite_keys(cursor.fetchall())
            cursor.executemany(
                "UPDATE subject_keys SET wrapped_key = ? WHERE subject_id = ? AND category = ?",
                [(wrapped, str(s), c.value) for wrapped, s, c in rewrap(rows)],
            )
            cursor.execute(
                "UPDATE master_key_check SET check_value = ?, changed_at = CURRENT_TIMESTAMP",
                (check,),
            )
        return len(rows)

    def _select(self, subject: UUID, category: DataCategory) -> bytes | None:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                "SELECT wrapped_key FROM subject_keys WHERE subject_id = ? AND category = ?",
                (str(subject), category.value),
            )
            row = cursor.fetchone()
        return None if row is None else bytes(row[0])

    def _select_many(self, subjects: list[UUID]) -> list[tuple[UUID, DataCategory, bytes]]:
        marks = ", ".join("?" * len(subjects))
        query = f"SELECT subject_id, category, wrapped_key FROM subject_keys WHERE subject_id IN ({marks})"  # noqa: E501, S608 - placeholders only
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(query, [str(s) for s in subjects])
            return _sqlite_keys(cursor.fetchall())


def _sqlite_check(cursor: Any) -> bytes | None:
    cursor.execute("SELECT check_value FROM master_key_check WHERE id = 1")
    row = cursor.fetchone()
    return None if row is None else bytes(row[0])


def _sqlite_keys(rows: list[Any]) -> list[tuple[UUID, DataCategory, bytes]]:
    return [(UUID(r[0]), CATEGORIES[r[1]], bytes(r[2])) for r in rows]


def postgres_keys_table(schema: str) -> SQL:
    return SQL("{0}.subject_keys").format(Identifier(schema))  # type: ignore[return-value]


class PostgresSubjectKeys(SubjectKeys):
    def __init__(self, datastore: Any, master_key: bytes, cache_seconds: float):
        super().__init__(master_key, cache_seconds)
        self._datastore = datastore
        self._table = postgres_keys_table(datastore.schema)
        self._check_table = SQL("{0}.master_key_check").format(Identifier(datastore.schema))

    def _create_tables(self) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(SET_UP_ALONE)
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {0} ("
                    " subject_id uuid NOT NULL, category text NOT NULL, wrapped_key bytea NOT NULL,"
                    " created_at timestamptz NOT NULL DEFAULT now(),"
                    " PRIMARY KEY (subject_id, category))"
                ).format(self._table)
            )
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {0} ("
                    " id smallint PRIMARY KEY CHECK (id = 1), check_value bytea NOT NULL,"
                    " changed_at timestamptz NOT NULL DEFAULT now())"
                ).format(self._check_table)
            )

    def _select_check(self) -> bytes | None:
        with self._datastore.cursor() as cursor:
            return self._check_in(cursor)

    def _check_in(self, cursor: Any) -> bytes | None:
        cursor.execute(SQL("SELECT check_value FROM {0} WHERE id = 1").format(self._check_table))
        row = cursor.fetchone()
        return None if row is None else bytes(row["check_value"])

    def _insert_check(self, check: bytes) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "INSERT INTO {0} (id, check_value) VALUES (1, %s) ON CONFLICT (id) DO NOTHING"
                ).format(self._check_table),
                (check,),
            )

    def _select_any(self) -> tuple[UUID, DataCategory, bytes] | None:
        with self._datastore.cursor() as cursor:
            cursor.execute(
                SQL("SELECT subject_id, category, wrapped_key FROM {0} LIMIT 1").format(self._table)
            )
            return next(iter(_postgres_keys(cursor.fetchall())), None)

    def _rewrap_all(self, rewrap: Rewrap, check: bytes) -> int:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("LOCK TABLE {0}, {1} IN EXCLUSIVE MODE").format(self._table, self._check_table)
            )
            require_check(self._master, self._check_in(cursor))
            cursor.execute(
                SQL("SELECT subject_id, category, wrapped_key FROM {0}").format(self._table)
            )
            rows = _postgres_keys(cursor.fetchall())
            cursor.executemany(
                SQL(
                    "UPDATE {0} SET wrapped_key = %s WHERE subject_id = %s AND category = %s"
                ).format(self._table),
                [(wrapped, s, c.value) for wrapped, s, c in rewrap(rows)],
            )
            cursor.execute(
                SQL("UPDATE {0} SET check_value = %s, changed_at = now()").format(
                    self._check_table
                ),
                (check,),
            )
        return len(rows)

    def _select(self, subject: UUID, category: DataCategory) -> bytes | None:
        with self._datastore.cursor() as cursor:
            cursor.execute(
                SQL("SELECT wrapped_key FROM {0} WHERE subject_id = %s AND category = %s").format(
                    self._table
                ),
                (subject, category.value),
                prepare=True,
            )
            row = cursor.fetchone()
        return None if row is None else bytes(row["wrapped_key"])

    def _select_many(self, subjects: list[UUID]) -> list[tuple[UUID, DataCategory, bytes]]:
        with (
            self._datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(
                SQL(
                    "SELECT subject_id, category, wrapped_key FROM {0}"
                    " WHERE subject_id = ANY(%s::uuid[])"
                ).format(self._table),
                (subjects,),
            )
            return [(s, CATEGORIES[c], bytes(w)) for s, c, w in cursor.fetchall()]


def _postgres_keys(rows: list[Any]) -> list[tuple[UUID, DataCategory, bytes]]:
    return [(r["subject_id"], CATEGORIES[r["category"]], bytes(r["wrapped_key"])) for r in rows]

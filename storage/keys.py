"""Per-person encryption keys, held apart from the events (crypto-shredding).

Each (person, category of data) has its own AES-256 key, stored wrapped by the master key in
the `subject_keys` table. Destroying a row makes every field sealed with that key unreadable,
in every event and snapshot, for ever.
"""

import os
from abc import ABC, abstractmethod
from threading import Lock
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg.sql import SQL, Identifier

from domain.personal_data import DataCategory

NONCE_BYTES = 12
KEY_BITS = 256


class Sealer:
    """Encrypts and decrypts one field with AES-GCM, bound to its subject and field name."""

    def __init__(self, key: bytes):
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)


def new_master_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BITS)


class SubjectKeys(ABC):
    """The keys of data subjects, created on first use, cached, and destroyable."""

    def __init__(self, master_key: bytes):
        self._master = Sealer(master_key)
        self._cache: dict[tuple[UUID, DataCategory], Sealer | None] = {}
        self._lock = Lock()

    def sealer(self, subject: UUID, category: DataCategory, *, create: bool) -> Sealer | None:
        """The subject's sealer for that category; None when the key was destroyed or never made."""
        cache_key = (subject, category)
        with self._lock:
            cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        wrapped = self._select(subject, category)
        if wrapped is None and create:
            self._insert_if_absent(subject, category, self._wrap(subject, category))
            wrapped = self._select(subject, category)
        if wrapped is None:
            return None
        sealer = Sealer(self._master.open(wrapped, _context(subject, category)))
        with self._lock:
            self._cache[cache_key] = sealer
        return sealer

    def destroy(self, subject: UUID, category: DataCategory) -> None:
        self._delete(subject, category)
        with self._lock:
            self._cache.pop((subject, category), None)

    def _wrap(self, subject: UUID, category: DataCategory) -> bytes:
        return self._master.seal(
            AESGCM.generate_key(bit_length=KEY_BITS), _context(subject, category)
        )

    @abstractmethod
    def create_table(self) -> None: ...

    @abstractmethod
    def _select(self, subject: UUID, category: DataCategory) -> bytes | None: ...

    @abstractmethod
    def _insert_if_absent(self, subject: UUID, category: DataCategory, wrapped: bytes) -> None: ...

    @abstractmethod
    def _delete(self, subject: UUID, category: DataCategory) -> None: ...


def _context(subject: UUID, category: DataCategory) -> bytes:
    return f"{subject}:{category.value}".encode()


class SQLiteSubjectKeys(SubjectKeys):
    def __init__(self, datastore: Any, master_key: bytes):
        super().__init__(master_key)
        self._datastore = datastore

    def create_table(self) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS subject_keys ("
                " subject_id TEXT NOT NULL, category TEXT NOT NULL, wrapped_key BLOB NOT NULL,"
                " created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                " PRIMARY KEY (subject_id, category))"
            )

    def _select(self, subject: UUID, category: DataCategory) -> bytes | None:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                "SELECT wrapped_key FROM subject_keys WHERE subject_id = ? AND category = ?",
                (str(subject), category.value),
            )
            row = cursor.fetchone()
        return None if row is None else bytes(row[0])

    def _insert_if_absent(self, subject: UUID, category: DataCategory, wrapped: bytes) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "INSERT OR IGNORE INTO subject_keys (subject_id, category, wrapped_key)"
                " VALUES (?, ?, ?)",
                (str(subject), category.value, wrapped),
            )

    def _delete(self, subject: UUID, category: DataCategory) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "DELETE FROM subject_keys WHERE subject_id = ? AND category = ?",
                (str(subject), category.value),
            )


class PostgresSubjectKeys(SubjectKeys):
    def __init__(self, datastore: Any, master_key: bytes):
        super().__init__(master_key)
        self._datastore = datastore
        self._table = SQL("{0}.subject_keys").format(Identifier(datastore.schema))

    def create_table(self) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {0} ("
                    " subject_id uuid NOT NULL, category text NOT NULL, wrapped_key bytea NOT NULL,"
                    " created_at timestamptz NOT NULL DEFAULT now(),"
                    " PRIMARY KEY (subject_id, category))"
                ).format(self._table)
            )

    def _select(self, subject: UUID, category: DataCategory) -> bytes | None:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                SQL("SELECT wrapped_key FROM {0} WHERE subject_id = %s AND category = %s").format(
                    self._table
                ),
                (subject, category.value),
            )
            row = cursor.fetchone()
        return None if row is None else bytes(row["wrapped_key"])

    def _insert_if_absent(self, subject: UUID, category: DataCategory, wrapped: bytes) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "INSERT INTO {0} (subject_id, category, wrapped_key)"
                    " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
                ).format(self._table),
                (subject, category.value, wrapped),
            )

    def _delete(self, subject: UUID, category: DataCategory) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("DELETE FROM {0} WHERE subject_id = %s AND category = %s").format(self._table),
                (subject, category.value),
            )

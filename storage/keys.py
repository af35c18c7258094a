"""Per-person encryption keys, held apart from the events (crypto-shredding).

Each (person, category of data) has its own AES-256 key, stored wrapped by the master key in
the `subject_keys` table. Destroying a row makes every field sealed with that key unreadable,
in every event and snapshot, for ever.

A new key is written in the same transaction as the first events sealed with it: the mapper
makes it, and the recorder stores it with the events (`take_new_keys`). If that transaction
fails, the key is forgotten, so no event can ever be sealed with a key that was not stored.
"""

import os
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg.sql import SQL, Identifier

from domain.personal_data import DataCategory

DEFAULT_CACHE_SECONDS = 30.0
"""How long a process keeps a person's key in memory: after an erasure by another process, the
identity stays readable here for at most that long."""
CACHED_KEYS = 100_000
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


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key made for a subject, to be stored with the events it sealed."""

    subject: UUID
    category: DataCategory
    wrapped: bytes


class SubjectKeys(ABC):
    """The keys of data subjects: made on first use, cached, destroyable."""

    def __init__(self, master_key: bytes, cache_seconds: float = DEFAULT_CACHE_SECONDS):
        self._master = Sealer(master_key)
        self._cache_seconds = cache_seconds
        self._cache: OrderedDict[tuple[UUID, DataCategory], tuple[Sealer, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._unsaved = threading.local()

    def sealer(
        self, subject: UUID, category: DataCategory, *, create: bool, is_new: bool = False
    ) -> Sealer | None:
        """The subject's sealer for that category; None when the key was destroyed or never made.

        `is_new` says the subject has no key yet (its first event), which saves a look-up.
        """
        with self._lock:
            cached = self._cache.get((subject, category))
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        wrapped = None if is_new else self._select(subject, category)
        if wrapped is None:
            if not create:
                return None
            wrapped = self._new_key(subject, category)
        return self._remember(subject, category, wrapped)

    def prefetch(self, subjects: Iterable[UUID]) -> None:
        """Load the keys of many subjects in one look-up (a read model's batch of events)."""
        wanted = list(dict.fromkeys(subjects))
        if wanted:
            for subject, category, wrapped in self._select_many(wanted):
                self._remember(subject, category, wrapped)

    def _remember(self, subject: UUID, category: DataCategory, wrapped: bytes) -> Sealer:
        sealer = Sealer(self._master.open(wrapped, _context(subject, category)))
        with self._lock:
            self._cache[(subject, category)] = (sealer, time.monotonic() + self._cache_seconds)
            self._cache.move_to_end((subject, category))
            while len(self._cache) > CACHED_KEYS:
                self._cache.popitem(last=False)
        return sealer

    def take_new_keys(self) -> list[NewKey]:
        """The keys this thread made since its last write, for the recorder to store."""
        keys: list[NewKey] = getattr(self._unsaved, "keys", [])
        self._unsaved.keys = []
        return keys

    def forget(self, keys: list[NewKey]) -> None:
        """The write that carried these keys failed: they were never stored."""
        with self._lock:
            for key in keys:
                self._cache.pop((key.subject, key.category), None)

    def destroy(self, subject: UUID, category: DataCategory) -> None:
        self._delete(subject, category)
        with self._lock:
            self._cache.pop((subject, category), None)

    def _new_key(self, subject: UUID, category: DataCategory) -> bytes:
        wrapped = self._master.seal(
            AESGCM.generate_key(bit_length=KEY_BITS), _context(subject, category)
        )
        if not hasattr(self._unsaved, "keys"):
            self._unsaved.keys = []
        self._unsaved.keys.append(NewKey(subject, category, wrapped))
        return wrapped

    @abstractmethod
    def create_table(self) -> None: ...

    @abstractmethod
    def _select(self, subject: UUID, category: DataCategory) -> bytes | None: ...

    @abstractmethod
    def _select_many(self, subjects: list[UUID]) -> list[tuple[UUID, DataCategory, bytes]]: ...

    @abstractmethod
    def _delete(self, subject: UUID, category: DataCategory) -> None: ...


def _context(subject: UUID, category: DataCategory) -> bytes:
    return f"{subject}:{category.value}".encode()


SQLITE_INSERT_KEY = "INSERT INTO subject_keys (subject_id, category, wrapped_key) VALUES (?, ?, ?)"


class SQLiteSubjectKeys(SubjectKeys):
    def __init__(self, datastore: Any, master_key: bytes, cache_seconds: float):
        super().__init__(master_key, cache_seconds)
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

    def _select_many(self, subjects: list[UUID]) -> list[tuple[UUID, DataCategory, bytes]]:
        marks = ", ".join("?" * len(subjects))
        query = f"SELECT subject_id, category, wrapped_key FROM subject_keys WHERE subject_id IN ({marks})"  # noqa: E501, S608 - placeholders only
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(query, [str(s) for s in subjects])
            rows = cursor.fetchall()
        return [(UUID(r[0]), DataCategory(r[1]), bytes(r[2])) for r in rows]

    def _delete(self, subject: UUID, category: DataCategory) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "DELETE FROM subject_keys WHERE subject_id = ? AND category = ?",
                (str(subject), category.value),
            )


def postgres_keys_table(schema: str) -> SQL:
    return SQL("{0}.subject_keys").format(Identifier(schema))  # type: ignore[return-value]


class PostgresSubjectKeys(SubjectKeys):
    def __init__(self, datastore: Any, master_key: bytes, cache_seconds: float):
        super().__init__(master_key, cache_seconds)
        self._datastore = datastore
        self._table = postgres_keys_table(datastore.schema)

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
        with self._datastore.cursor() as cursor:
            cursor.execute(
                SQL(
                    "SELECT subject_id, category, wrapped_key FROM {0}"
                    " WHERE subject_id = ANY(%s::uuid[])"
                ).format(self._table),
                (subjects,),
            )
            rows = cursor.fetchall()
        return [
            (r["subject_id"], DataCategory(r["category"]), bytes(r["wrapped_key"])) for r in rows
        ]

    def _delete(self, subject: UUID, category: DataCategory) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("DELETE FROM {0} WHERE subject_id = %s AND category = %s").format(self._table),
                (subject, category.value),
            )

"""Per-person encryption keys, held apart from the events (crypto-shredding).

Each (person, category of data) has its own AES-256 key, stored wrapped by the master key in
the `subject_keys` table. Destroying a row makes every field sealed with that key unreadable,
in every event and snapshot, for ever.

A new key is written in the same transaction as the first events sealed with it: the mapper
makes it, and the recorder stores it with the events (`take_new_keys`). If that transaction
fails, the key is forgotten, so no event can ever be sealed with a key that was not stored.
A key is destroyed the same way, in the transaction of the events that record why (an erasure,
the end of a retention: `take_destroyed_keys`): a write that fails destroys nothing, so a
command that lost a race is decided again with the data still readable, and no reader ever sees
the erasure recorded while the key still opens the data.

The store keeps a check value of its master key in the `master_key_check` table
(`storage.master_key`): a process started with another master key is refused. The two tables,
on SQLite and on PostgreSQL, are `storage.key_tables`.
"""

import os
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.personal_data import DataCategory
from storage.master_key import WrongMasterKey, check_value, opens, require_check, wrap_again

DEFAULT_CACHE_SECONDS = 30.0
"""How long a process keeps a person's key in memory: after an erasure by another process, the
identity stays readable here for at most that long."""
CACHED_KEYS = 100_000
NONCE_BYTES = 12
KEY_BITS = 256
CATEGORIES = {category.value: category for category in DataCategory}
"""A category by its stored value (a look-up: calling the enum costs more, once per field)."""


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


Rewrap = Callable[[list[tuple[UUID, DataCategory, bytes]]], list[tuple[bytes, UUID, DataCategory]]]


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key made for a subject, to be stored with the events it sealed."""

    subject: UUID
    category: DataCategory
    wrapped: bytes


@dataclass(frozen=True, slots=True)
class DestroyedKey:
    """A key to be destroyed with the write that records why."""

    subject: UUID
    category: DataCategory


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
        return self._remember([(subject, category, wrapped)])[0]

    def prefetch(self, subjects: Iterable[UUID]) -> None:
        """Load the keys of many subjects in one look-up (a read model's batch of events)."""
        wanted = list(dict.fromkeys(subjects))
        if wanted:
            self._remember(self._select_many(wanted))

    def _remember(self, keys: list[tuple[UUID, DataCategory, bytes]]) -> list[Sealer]:
        sealers = [Sealer(self._master.open(w, _context(s, c))) for s, c, w in keys]
        expires = time.monotonic() + self._cache_seconds
        with self._lock:
            for (subject, category, _), sealer in zip(keys, sealers, strict=True):
                self._cache[(subject, category)] = (sealer, expires)
                self._cache.move_to_end((subject, category))
            while len(self._cache) > CACHED_KEYS:
                self._cache.popitem(last=False)
        return sealers

    def create_table(self) -> None:
        """Creates the key tables if need be, then checks the master key against the store's
        check value (recorded now on a new store): `WrongMasterKey` if it is not the store's."""
        self._create_tables()
        check = self._select_check()
        if check is None:
            sample = self._select_any()
            if sample is not None and not opens(self._master, sample[2], _context(*sample[:2])):
                raise WrongMasterKey()  # a store made before check values, and another key
            self._insert_check(check_value(self._master))
            check = self._select_check()
        require_check(self._master, check)

    def rotate_master(self, new_master_key: bytes) -> int:
        """Wraps every person's key, and the check value, under `new_master_key`, in one
        transaction; returns how many keys were wrapped again. The other processes of the store
        must be stopped: they would go on wrapping new keys under the old master key."""
        old, new = self._master, Sealer(new_master_key)

        def rewrap(
            rows: list[tuple[UUID, DataCategory, bytes]],
        ) -> list[tuple[bytes, UUID, DataCategory]]:
            wrapped = wrap_again(old, new, [(w, _context(s, c)) for s, c, w in rows])
            return [(w, s, c) for w, (s, c, _) in zip(wrapped, rows, strict=True)]

        count = self._rewrap_all(rewrap, check_value(new))
        with self._lock:
            self._master = new
            self._cache.clear()
        return count

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
        """Destroys the key with this thread's next write: the command's own, whose events
        record the erasure."""
        if not hasattr(self._unsaved, "destroyed"):
            self._unsaved.destroyed = []
        self._unsaved.destroyed.append(DestroyedKey(subject, category))

    def take_destroyed_keys(self) -> list[DestroyedKey]:
        """The keys this thread destroyed since its last write, for the recorder to delete."""
        keys: list[DestroyedKey] = getattr(self._unsaved, "destroyed", [])
        self._unsaved.destroyed = []
        return keys

    def destroyed(self, keys: list[DestroyedKey]) -> None:
        """The write that carried these keys deleted them: no longer kept in memory either."""
        with self._lock:
            for key in keys:
                self._cache.pop((key.subject, key.category), None)

    def _new_key(self, subject: UUID, category: DataCategory) -> bytes:
        wrapped = self._master.seal(
            AESGCM.generate_key(bit_length=KEY_BITS), _context(subject, category)
        )
        if not hasattr(self._unsaved, "keys"):
            self._unsaved.keys = []
        self._unsaved.keys.append(NewKey(subject, category, wrapped))
        return wrapped

    @abstractmethod
    def _create_tables(self) -> None: ...

    @abstractmethod
    def _select_check(self) -> bytes | None: ...

    @abstractmethod
    def _insert_check(self, check: bytes) -> None:
        """Records the check value, unless another process recorded one first."""

    @abstractmethod
    def _select_any(self) -> tuple[UUID, DataCategory, bytes] | None: ...

    @abstractmethod
    def _rewrap_all(self, rewrap: Rewrap, check: bytes) -> int:
        """In one transaction that locks the keys: checks the stored check value against the
        current master key, replaces every wrapped key by `rewrap`'s, and the check value."""

    @abstractmethod
    def _select(self, subject: UUID, category: DataCategory) -> bytes | None: ...

    @abstractmethod
    def _select_many(self, subjects: list[UUID]) -> list[tuple[UUID, DataCategory, bytes]]: ...


_CATEGORY_TAGS = {category: f":{category.value}".encode() for category in DataCategory}


def _context(subject: UUID, category: DataCategory) -> bytes:
    return str(subject).encode() + _CATEGORY_TAGS[category]


def unwrap_key(master: Sealer, subject: UUID, category: DataCategory, wrapped: bytes) -> bytes:
    """A person's key as `subject_keys` holds it wrapped, opened with the master key's sealer
    (for the read side, which reads the table with its own connections)."""
    return master.open(wrapped, _context(subject, category))

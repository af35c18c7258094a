"""Identities in the read tables: sealed under each person's identity key, found by blind index.

No read table holds a name, a birth date or a NIR in clear. A read model seals what it keeps of
a person's identity with that person's own identity key — the key that seals the identity in
the events (`storage.keys`), read from `subject_keys` in the read model's own transaction and
unwrapped with the master key — and queries open it again, the keys of a page in one look-up.
Destroying the key (`eraseIdentity`, the end of a retention) makes every copy unreadable at
once: every generation, every frozen copy, every backup, whatever a read model wiped or not.

Sealing is deterministic (the nonce is derived from the key, the context and the value, as in
SIV): the same identity gives the same bytes, so a rebuild gives the same tables, and a frozen
copy composed twice from the same facts has the same hash. It only tells that two sealed values
of the same person and purpose are equal.

Names are searched through a keyed blind index (`storage.blind_index`): the tokens of each word
of the names and of its first 3, 4, … letters, bound to the member (the same name in two
members gives unrelated tokens). What it leaks to someone who reads the tables without the
master key: which employees of a member share a name or the start of one, and how many words and
letters their names have (the number of tokens) — not the names. Tokens are derived from the
master key: after `registre keys rotate-master`, rebuild the workforce read model.
"""

import base64
import hashlib
import hmac
import threading
import time
from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.personal_data import DataCategory
from domain.search import MAX_SEARCH, MAX_SEARCH_WORDS, search_key
from domain.workforce.employment import Identity
from storage.blind_index import BlindIndex
from storage.index_secret import INDEX_SUBJECT, opened_index_secret
from storage.keys import CACHED_KEYS, DEFAULT_CACHE_SECONDS, NONCE_BYTES, Sealer, unwrap_key
from storage.sql import PostgresSqlStore, Row, SqlStore

PREFIX_LETTERS = 3
"""The shortest start of a name word that finds it ("dup" finds "Dupont")."""
KEYS_PER_QUERY = 500
NAME_PURPOSE = "employee name"

Read = Callable[[str, Sequence[Any]], list[Row]]
"""`tx.execute` inside a transaction, or `store.read`."""
Among = Callable[..., tuple[str, list[Any]]]
"""A store's `among`: the condition « column is one of ids » in its dialect."""


class PersonKey:
    """One person's identity key, sealing read-table values bound to the person and a purpose."""

    def __init__(self, subject: UUID, key: bytes):
        self._context_prefix = f"{subject}:read:".encode()
        self._key = key
        self._aead = AESGCM(key)

    def seal(self, purpose: str, plaintext: bytes) -> str:
        context = self._context(purpose)
        nonce = hmac.digest(self._key, context + b"\x00" + plaintext, hashlib.sha256)
        nonce = nonce[:NONCE_BYTES]
        return base64.b64encode(nonce + self._aead.encrypt(nonce, plaintext, context)).decode()

    def open(self, purpose: str, sealed: str) -> bytes | None:
        """The value, or None if it was not sealed by this key for this person and purpose."""
        raw = base64.b64decode(sealed)
        try:
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._context(purpose))
        except InvalidTag:
            return None

    def _context(self, purpose: str) -> bytes:
        return self._context_prefix + purpose.encode()


class IdentitySeal:
    """The read side's access to identity keys and to the blind index. Keys are kept in memory
    for `DEFAULT_CACHE_SECONDS`, as the application keeps them (`storage.keys`); an erasure the
    read models apply forgets the key at once (`forget`)."""

    def __init__(self, master_key: bytes, index_secret: bytes, among: Among):
        self._master = Sealer(master_key)
        self._index = BlindIndex(index_secret)
        self._among = among
        self._cache: OrderedDict[UUID, tuple[PersonKey, float]] = OrderedDict()
        self._lock = threading.Lock()

    def keys(self, read: Read, subjects: Iterable[UUID]) -> dict[UUID, PersonKey]:
        """The identity keys of `subjects` that still exist (one query per 500 subjects not
        in memory)."""
        found: dict[UUID, PersonKey] = {}
        missing: list[UUID] = []
        now = time.monotonic()
        with self._lock:
            for subject in dict.fromkeys(subjects):
                cached = self._cache.get(subject)
                if cached is not None and cached[1] > now:
                    found[subject] = cached[0]
                else:
                    missing.append(subject)
        for start in range(0, len(missing), KEYS_PER_QUERY):
            chunk = missing[start : start + KEYS_PER_QUERY]
            condition, ids = self._among("subject_id", chunk, "::uuid[]")
            rows = read(
                "SELECT subject_id, wrapped_key FROM subject_keys"
                f" WHERE category = ? AND {condition}",
                [DataCategory.IDENTITY.value, *ids],
            )
            for subject_id, wrapped in rows:
                subject = subject_id if isinstance(subject_id, UUID) else UUID(subject_id)
                key = unwrap_key(self._master, subject, DataCategory.IDENTITY, bytes(wrapped))
                found[subject] = PersonKey(subject, key)
                self._remember(subject, found[subject], now)
        return found

    def forget(self, subject: UUID) -> None:
        """The subject's key was destroyed (an erasure the read side applies)."""
        with self._lock:
            self._cache.pop(subject, None)

    def _remember(self, subject: UUID, key: PersonKey, now: float) -> None:
        with self._lock:
            self._cache[subject] = (key, now + DEFAULT_CACHE_SECONDS)
            self._cache.move_to_end(subject)
            while len(self._cache) > CACHED_KEYS:
                self._cache.popitem(last=False)

    def name_tokens(self, scope: UUID, names: Iterable[str | None]) -> set[str]:
        """The tokens under which a person of `scope` (a member) is found by name."""
        purpose = f"{NAME_PURPOSE}:{scope}"
        return {
            token
            for word in set(search_key(" ".join(n for n in names if n)).split())
            for token in self._index.prefix_tokens(purpose, word, PREFIX_LETTERS)
        }

    def token(self, purpose: str, value: str) -> str:
        """The token of a whole value (an e-mail address), found only by the same value."""
        return self._index.token(purpose, value)

    def search_tokens(self, scope: UUID, search: str | None) -> list[str]:
        """One token per word searched (every one must be found); a word shorter than
        `PREFIX_LETTERS` letters only finds a whole word of the names."""
        words = search_key((search or "")[:MAX_SEARCH]).split()[:MAX_SEARCH_WORDS]
        return [self._index.token(f"{NAME_PURPOSE}:{scope}", word) for word in dict.fromkeys(words)]


def seal_of(store: SqlStore) -> IdentitySeal:
    """The identity seal of a read store (made once per store, from its master key)."""
    made: IdentitySeal | None = getattr(store, "_identity_seal", None)
    if made is None:
        if store.master_key is None:
            raise LookupError("the read store was not opened from the store's settings")
        postgres = isinstance(store, PostgresSqlStore)
        made = IdentitySeal(store.master_key, _index_secret(store, postgres), store.among)
        store._identity_seal = made  # type: ignore[attr-defined]
    return made


def _index_secret(store: SqlStore, postgres: bool) -> bytes:
    """The blind index's secret, as the application keeps it (`storage.index_secret`): drawn
    once, wrapped like a person's key, so tokens outlive a rotation of the master key."""
    assert store.master_key is not None
    subject = f"CAST(? AS {'uuid' if postgres else 'TEXT'})"
    rows = store.read(
        f"SELECT wrapped_key FROM subject_keys WHERE subject_id = {subject} AND category = ?",
        [str(INDEX_SUBJECT), DataCategory.IDENTITY.value],
    )
    if not rows:
        raise LookupError("the application has not opened this store yet: no blind index secret")
    return opened_index_secret(store.master_key, bytes(rows[0][0]))


# What the read tables keep of an employee's identity ----------------------------------------

IDENTITY_PURPOSE = "identity"


class SealedIdentity(msgspec.Struct, frozen=True, array_like=True):
    """What a read table keeps of an employee's identity, sealed: never the NIR."""

    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None
    sex: str | None

    def sort_key(self) -> str:
        """Lists are ordered by the name shown (usage name, else birth name) then first name."""
        shown = (self.usage_name or self.birth_name, self.first_name)
        return search_key(" ".join(n for n in shown if n))


ERASED = SealedIdentity(None, None, None, None, None)
_IDENTITY_ENCODER = msgspec.json.Encoder()
_IDENTITY_DECODER = msgspec.json.Decoder(SealedIdentity)


def seal_identity(key: PersonKey | None, identity: Identity | None) -> str | None:
    """The identity sealed under the person's key; None when erased (no identity, no key)."""
    if identity is None:
        return None
    kept = SealedIdentity(
        identity.birth_name,
        identity.usage_name,
        identity.first_name,
        identity.birth_date,
        identity.sex.value,
    )
    return seal_kept(key, kept)


def seal_kept(key: PersonKey | None, kept: SealedIdentity) -> str | None:
    if key is None or kept == ERASED:
        return None
    return key.seal(IDENTITY_PURPOSE, _IDENTITY_ENCODER.encode(kept))


def open_identities(
    store: SqlStore, read: Read, sealed: dict[UUID, str | None]
) -> dict[UUID, SealedIdentity]:
    """The identities of `sealed` (employee id → sealed text), their keys in one look-up; an
    erased one (no text, or no key) is `ERASED`."""
    opened = open_sealed(store, read, IDENTITY_PURPOSE, sealed)
    return {
        employee_id: ERASED if plain is None else _IDENTITY_DECODER.decode(plain)
        for employee_id, plain in opened.items()
    }


def open_sealed(
    store: SqlStore, read: Read, purpose: str, sealed: dict[UUID, str | None]
) -> dict[UUID, bytes | None]:
    """What `sealed` (person id → text sealed under that person's identity key for `purpose`)
    holds, the keys in one look-up; None where erased (no text, or no key)."""
    keys = seal_of(store).keys(read, [i for i, text in sealed.items() if text is not None])
    opened: dict[UUID, bytes | None] = {}
    for subject, text in sealed.items():
        key = keys.get(subject)
        opened[subject] = None if key is None or text is None else key.open(purpose, text)
    return opened


ORDERS_KEPT = 64
"""Members whose order of names a process keeps."""
PEOPLE_KEPT = 200_000
"""Employees whose opened identity a process keeps, all orders together (the most recently
read member's order is kept whatever its size)."""

Opened = tuple[str | None, SealedIdentity]
"""An identity as a read table seals it, and opened."""


@dataclass(frozen=True, slots=True)
class NameOrder:
    """A member's employees in the order of their names: (name's key, employee id), sorted,
    the key of each id, and each identity as it was opened."""

    ordered: list[tuple[str, str]]
    keys: dict[str, str]
    opened: dict[str, Opened]
    _positions: dict[str, int] = field(default_factory=dict, compare=False)
    """Each id's place in `ordered`, made by the first search of this order (`among`)."""

    @classmethod
    def of(cls, opened: dict[str, Opened]) -> "NameOrder":
        keys = {employee_id: identity.sort_key() for employee_id, (_, identity) in opened.items()}
        return cls(sorted((key, i) for i, key in keys.items()), keys, opened)

    def changed(self, opened: dict[str, Opened]) -> "NameOrder":
        """This order with the identities of some employees changed or added."""
        ordered = list(self.ordered)
        keys = {employee_id: identity.sort_key() for employee_id, (_, identity) in opened.items()}
        for employee_id, key in keys.items():
            former = self.keys.get(employee_id)
            if former is not None:
                del ordered[bisect_left(ordered, (former, employee_id))]
            insort(ordered, (key, employee_id))
        return NameOrder(ordered, self.keys | keys, self.opened | opened)

    def among(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """The entries of `ids` (those the order has), in order."""
        if len(self._positions) != len(self.ordered):
            self._positions.update({i: place for place, (_, i) in enumerate(self.ordered)})
        positions = self._positions
        return [self.ordered[p] for p in sorted(positions[i] for i in ids if i in positions)]

    def unchanged(self, sealed: dict[str, str | None]) -> dict[str, SealedIdentity]:
        """Of `sealed` (employee id → sealed identity), the identities opened with the order
        that are sealed the same still."""
        found: dict[str, SealedIdentity] = {}
        for employee_id, text in sealed.items():
            kept = self.opened.get(employee_id)
            if kept is not None and kept[0] == text:
                found[employee_id] = kept[1]
        return found


class NameOrders:
    """Per member, the order of its employees' names, their identities unsealed once, then kept
    while no identity of the member changed. The people table's `named_at` is the log position
    of the event that last named a row, so its greatest value for a member tells whether an
    identity changed (an index's last entry, not a count), and a change reads again only the
    rows named since."""

    def __init__(self) -> None:
        self._orders: OrderedDict[tuple[str, str], tuple[int | None, NameOrder]]
        self._orders = OrderedDict()
        self._lock = threading.Lock()

    def of(self, store: SqlStore, people: str, member_id: UUID) -> NameOrder:
        last = store.read(
            f"SELECT named_at FROM {people} WHERE member_id = ? ORDER BY named_at DESC LIMIT 1",
            (str(member_id),),
        )
        marker = int(last[0][0]) if last else None
        cache_key = (people, str(member_id))
        with self._lock:
            cached = self._orders.get(cache_key)
            if cached is not None and cached[0] == marker:
                self._orders.move_to_end(cache_key)
                return cached[1]
        if cached is not None and cached[0] is not None:
            order = cached[1].changed(self._opened(store, people, member_id, since=cached[0]))
        else:
            order = NameOrder.of(self._opened(store, people, member_id, since=None))
        with self._lock:
            self._orders[cache_key] = (marker, order)
            self._orders.move_to_end(cache_key)
            kept = sum(len(o.keys) for _, o in self._orders.values())
            while len(self._orders) > 1 and (len(self._orders) > ORDERS_KEPT or kept > PEOPLE_KEPT):
                kept -= len(self._orders.popitem(last=False)[1][1].keys)
        return order

    @staticmethod
    def _opened(
        store: SqlStore, people: str, member_id: UUID, since: int | None
    ) -> dict[str, Opened]:
        """The identities of the member's employees (named after `since`), opened."""
        later = "" if since is None else " AND named_at > ?"
        rows = store.read(
            f"SELECT employee_id, identity FROM {people} WHERE member_id = ?{later}",
            (str(member_id),) if since is None else (str(member_id), since),
        )
        sealed = {UUID(r[0]): r[1] for r in rows}
        identities = open_identities(store, store.read, sealed)
        return {str(i): (sealed[i], identity) for i, identity in identities.items()}

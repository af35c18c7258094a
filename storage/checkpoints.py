"""Signed checkpoints of the event log's hash chain (`storage.chain`).

A checkpoint is (position, rank and hash of the chain there, instant, public key, signature):
the service's Ed25519 key signs that the log held that chain up to that position at that
instant. An auditor who keeps one can later prove that the log was only appended to: a log
whose chain no longer passes through it was changed before that position.

The signing key is configured like the master key: REGISTRE_SIGNING_KEY (base64 of the 32 bytes
of an Ed25519 private key), or the file `signing.key` of the data folder — made on first use
with the embedded SQLite store, and by `registre audit signing-key` for any store. Without
either, on PostgreSQL, no checkpoint is made (the worker says so once).

Checkpoints are kept in `audit_checkpoints`, made every `EVERY_EVENTS` events or `EVERY_SECONDS`
by a `Checkpointer` that follows the log (in `registre project`), and on demand.
"""

import base64
import contextlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from domain.calendar import Clock
from storage.background import BackgroundWork
from storage.chain import ChainReader, Link
from storage.errors import ConfigurationError
from storage.master_key import decode_key, read_key_file, write_key_file
from storage.settings import StoreSettings
from storage.sql import SqlStore, from_instant, instant

log = logging.getLogger(__name__)

SIGNING_KEY_VARIABLE = "REGISTRE_SIGNING_KEY"
SIGNING_KEY_FILE = "signing.key"
EVERY_EVENTS = 1000
EVERY_SECONDS = 3600.0
MESSAGE_TAG = b"registre checkpoint v1\x00"
NO_SIGNING_KEY = (
    f"aucune clé de signature : donnez {SIGNING_KEY_VARIABLE} (base64 des 32 octets d'une clé"
    " Ed25519), ou créez le fichier signing.key du dossier de données avec « registre audit"
    " signing-key »"
)


def encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def decode(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    position: int
    link: Link
    at: datetime
    public_key: bytes
    signature: bytes

    @staticmethod
    def message(position: int, link: Link, at: datetime, public_key: bytes) -> bytes:
        return b"".join(
            (
                MESSAGE_TAG,
                position.to_bytes(8, "big"),
                link.seq.to_bytes(8, "big"),
                link.hash,
                instant(at).to_bytes(8, "big", signed=True),
                public_key,
            )
        )

    @classmethod
    def signed(
        cls, key: Ed25519PrivateKey, position: int, link: Link, at: datetime
    ) -> "Checkpoint":
        public = key.public_key().public_bytes_raw()
        signature = key.sign(cls.message(position, link, at, public))
        return cls(position, link, at, public, signature)

    def signature_holds(self) -> bool:
        message = self.message(self.position, self.link, self.at, self.public_key)
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(self.signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "seq": self.link.seq,
            "hash": self.link.hash.hex(),
            "at": self.at.isoformat(),
            "public_key": encode(self.public_key),
            "signature": encode(self.signature),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Checkpoint":
        return cls(
            position=int(data["position"]),
            link=Link(int(data["seq"]), bytes.fromhex(data["hash"])),
            at=datetime.fromisoformat(data["at"]),
            public_key=decode(data["public_key"]),
            signature=decode(data["signature"]),
        )


# The signing key -------------------------------------------------------------------------------


def signing_key_file(settings: StoreSettings) -> Path:
    return settings.data_dir / SIGNING_KEY_FILE


def signing_key(settings: StoreSettings, *, make: bool = True) -> Ed25519PrivateKey | None:
    """The configured signing key; with the embedded store, its file is made on first use
    (unless not to `make` it: a verification only reads)."""
    configured = os.environ.get(SIGNING_KEY_VARIABLE)
    if configured:
        return Ed25519PrivateKey.from_private_bytes(decode_key(SIGNING_KEY_VARIABLE, configured))
    key_file = signing_key_file(settings)
    if make and not settings.is_postgres:
        make_signing_key_file(settings)
    if not key_file.exists():
        return None
    return Ed25519PrivateKey.from_private_bytes(read_key_file(key_file))


def required_signing_key(settings: StoreSettings) -> Ed25519PrivateKey:
    key = signing_key(settings)
    if key is None:
        raise ConfigurationError(NO_SIGNING_KEY)
    return key


def make_signing_key_file(settings: StoreSettings) -> bool:
    """Writes a new key in the data folder's `signing.key` unless there is one; whether it did."""
    with contextlib.suppress(FileExistsError):
        write_key_file(signing_key_file(settings), Ed25519PrivateKey.generate().private_bytes_raw())
        return True
    return False


# The table -------------------------------------------------------------------------------------


class Checkpoints:
    """The checkpoints kept in the store, beside the events."""

    def __init__(self, store: SqlStore):
        self.store = store

    def create_table(self) -> None:
        with self.store.transaction() as tx:
            tx.set_up_alone()
            tx.execute(
                f"CREATE TABLE IF NOT EXISTS audit_checkpoints (position {self.store.bigint}"
                f" PRIMARY KEY, seq {self.store.bigint} NOT NULL, hash TEXT NOT NULL,"
                f" at_us {self.store.bigint} NOT NULL, public_key TEXT NOT NULL,"
                " signature TEXT NOT NULL)"
            )

    def add(self, checkpoint: Checkpoint) -> None:
        with self.store.transaction() as tx:
            tx.execute(
                "INSERT INTO audit_checkpoints VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (position) DO NOTHING",
                (
                    checkpoint.position,
                    checkpoint.link.seq,
                    checkpoint.link.hash.hex(),
                    instant(checkpoint.at),
                    encode(checkpoint.public_key),
                    encode(checkpoint.signature),
                ),
            )

    def up_to(self, position: int | None = None) -> list[Checkpoint]:
        rows = self.store.read(
            "SELECT position, seq, hash, at_us, public_key, signature FROM audit_checkpoints"
            " WHERE position <= ? ORDER BY position",
            ((1 << 62) if position is None else position,),
        )
        return [
            Checkpoint(
                int(position),
                Link(int(seq), bytes.fromhex(hash_)),
                from_instant(int(at)),
                decode(public),
                decode(signature),
            )
            for position, seq, hash_, at, public, signature in rows
        ]

    def last(self) -> Checkpoint | None:
        found = self.up_to()
        return found[-1] if found else None

    def make(self, reader: ChainReader, key: Ed25519PrivateKey, clock: Clock) -> Checkpoint | None:
        """Signs the chain where it ends now; None if the log is empty or not chained there."""
        end = reader.end()
        if end is None:
            return None
        position, link = end
        checkpoint = Checkpoint.signed(key, position, link, clock.now())
        self.add(checkpoint)
        return checkpoint


class Checkpointer(BackgroundWork):
    """Follows the log and signs a checkpoint every `every_events` events, or every
    `every_seconds` when fewer came."""

    thread_name = "checkpoints"
    work_name = "checkpoint"

    def __init__(
        self,
        checkpoints: Checkpoints,
        reader: ChainReader,
        key: Ed25519PrivateKey,
        clock: Clock,
        *,
        every_events: int = EVERY_EVENTS,
        every_seconds: float = EVERY_SECONDS,
    ):
        super().__init__()
        self.checkpoints = checkpoints
        self.reader = reader
        self.key = key
        self.clock = clock
        self.every_events = every_events
        self.every_seconds = every_seconds
        self._last: Checkpoint | None = None

    def step(self) -> bool:
        head = self.reader.head()
        last = self._last = self._last or self.checkpoints.last()
        if head == 0 or (last is not None and head <= last.position):
            return False
        if last is not None:
            due_by_time = (self.clock.now() - last.at).total_seconds() >= self.every_seconds
            if head - last.position < self.every_events and not due_by_time:
                return False
        made = self.checkpoints.make(self.reader, self.key, self.clock)
        if made is not None:
            self._last = made
            log.info("checkpoint signed at position %d", made.position)
        return False


def open_checkpointer(app: Any, store: SqlStore) -> Checkpointer | None:
    """The checkpointer of an application's log, its table made; None without a signing key."""
    key = signing_key(app.settings)
    if key is None:
        log.warning("no signing key configured: no checkpoint of the event log is made")
        return None
    checkpoints = Checkpoints(store)
    checkpoints.create_table()
    return Checkpointer(checkpoints, ChainReader(app.recorder), key, app.clock)

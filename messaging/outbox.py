"""The mail outbox: every mail is first a row, written in the transaction that decides it, then
delivered by whoever finds it due — exactly once from the row's point of view.

A row's key says why it exists (`<reaction>:<event position>`, or a sign-in's own key), and is
unique: the same reason never writes two mails. Delivery takes a lease on the row first, so two
senders (the API and a worker) never send it at once; a sender that dies holding the lease is
replaced when the lease ends. The one duplicate left is SMTP's: a crash after the server accepted
the mail and before the row is marked sent sends it again (at-least-once at worst).

Bodies may hold secrets (codes, reset links, issued passwords): a row keeps its mail sealed
(AES-GCM under a key derived from the master key) and drops it once sent. A row may be held:
written before the command whose event releases it (an issued password, whose event carries only
its hash); a held row never released is dropped after a day.
"""

import base64
import hmac
import logging
from datetime import datetime, timedelta

import msgspec

from domain.calendar import Clock
from messaging.mailer import Attachment, Mail, Mailer
from storage.keys import Sealer
from storage.sql import SqlStore, Tx, instant

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
"""Longer than any SMTP exchange (its timeout is seconds): a lease outlives its sender only if
that sender died."""
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
HELD_FOR = timedelta(days=1)
PURGE_EVERY = timedelta(hours=1)
DUE_BATCH = 50

_TABLE = """CREATE TABLE IF NOT EXISTS mail_outbox (
    mail_key TEXT PRIMARY KEY, sealed TEXT, held INTEGER NOT NULL,
    created_at {bigint} NOT NULL, due_at {bigint} NOT NULL, attempts INTEGER NOT NULL,
    sent_at {bigint})"""
_DUE_INDEX = "CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (sent_at, held, due_at)"


class _Sealed(msgspec.Struct, frozen=True):
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()
    """Absent from the rows written before mails had attachments."""


class MailOutbox:
    def __init__(self, store: SqlStore, mailer: Mailer, master_key: bytes, clock: Clock):
        self._store = store
        self._mailer = mailer
        self._sealer = Sealer(hmac.digest(master_key, b"mail outbox", "sha256"))
        self._clock = clock
        self._purged_at: datetime | None = None

    def create_table(self) -> None:
        with self._store.transaction() as tx:
            tx.set_up_alone()
            tx.execute(_TABLE.format(bigint=self._store.bigint))
            tx.execute(_DUE_INDEX)

    # Writing: inside the caller's transaction --------------------------------------------------

    def put(self, tx: Tx, key: str, mail: Mail, *, held: bool = False) -> None:
        """The mail to send for `key`; nothing if `key` already has one (sent or not)."""
        now = instant(self._clock.now())
        sealed = self._sealer.seal(
            msgspec.json.encode(_Sealed(mail.to, mail.subject, mail.body, mail.attachments)),
            key.encode(),
        )
        tx.execute(
            "INSERT INTO mail_outbox (mail_key, sealed, held, created_at, due_at, attempts)"
            " VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (mail_key) DO NOTHING",
            (key, base64.b64encode(sealed).decode(), int(held), now, now),
        )

    def release(self, tx: Tx, key: str) -> None:
        """A held mail becomes due (its command was committed)."""
        tx.execute("UPDATE mail_outbox SET held = 0 WHERE mail_key = ?", (key,))

    def hold(self, key: str, mail: Mail) -> None:
        with self._store.transaction() as tx:
            self.put(tx, key, mail, held=True)

    def drop_held(self, key: str) -> None:
        """The command a held mail waited for was refused: it will never be released."""
        with self._store.transaction() as tx:
            tx.execute("DELETE FROM mail_outbox WHERE mail_key = ? AND held = 1", (key,))

    def post(self, key: str, mail: Mail) -> None:
        """A mail decided by nothing else but the caller, in its own transaction."""
        with self._store.transaction() as tx:
            self.put(tx, key, mail)

    # Delivering: after the commit ---------------------------------------------------------------

    def deliver(self, key: str) -> bool:
        """Send this mail now if it is due and not sent (else False: sent, or another sender
        has it), or raise what the mailer raised (the row stays, to be retried)."""
        mail = self._claim(key)
        if mail is None:
            return False
        self._send(key, mail)
        return True

    def deliver_due(self) -> int:
        """Send every due mail (failures logged, retried later); the number sent."""
        self._drop_stale_held()
        now = instant(self._clock.now())
        rows = self._store.read(
            "SELECT mail_key FROM mail_outbox WHERE sent_at IS NULL AND held = 0 AND due_at <= ?"
            " ORDER BY created_at LIMIT ?",
            (now, DUE_BATCH),
        )
        sent = 0
        for (key,) in rows:
            try:
                sent += self.deliver(key)
            except Exception:
                log.exception("mail %s not delivered; retried later", key)
        return sent

    def _drop_stale_held(self) -> None:
        """Held mails whose command never came (refused after a crash, or a retry answered
        from the command log); looked for once an hour."""
        now = self._clock.now()
        if self._purged_at is not None and now - self._purged_at < PURGE_EVERY:
            return
        self._purged_at = now
        with self._store.transaction() as tx:
            tx.execute(
                "DELETE FROM mail_outbox WHERE held = 1 AND created_at < ?",
                (instant(now - HELD_FOR),),
            )

    def pending(self) -> int:
        """Mails not sent yet, held ones included."""
        [(count,)] = self._store.read("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL")
        return int(count)

    def _claim(self, key: str) -> Mail | None:
        now = self._clock.now()
        with self._store.transaction() as tx:
            rows = tx.execute(
                "UPDATE mail_outbox SET due_at = ?, attempts = attempts + 1 WHERE mail_key = ?"
                " AND sent_at IS NULL AND held = 0 AND due_at <= ? RETURNING sealed",
                (instant(now + LEASE), key, instant(now)),
            )
        if not rows:
            return None
        opened = self._sealer.open(base64.b64decode(rows[0][0]), key.encode())
        sealed = msgspec.json.decode(opened, type=_Sealed)
        return Mail(sealed.to, sealed.subject, sealed.body, sealed.attachments)

    def _send(self, key: str, mail: Mail) -> None:
        try:
            self._mailer.send(mail)
        except Exception:
            self._retry_later(key)
            raise
        with self._store.transaction() as tx:
            tx.execute(
                "UPDATE mail_outbox SET sent_at = ?, sealed = NULL WHERE mail_key = ?",
                (instant(self._clock.now()), key),
            )

    def _retry_later(self, key: str) -> None:
        with self._store.transaction() as tx:
            [(attempts,)] = tx.execute(
                "SELECT attempts FROM mail_outbox WHERE mail_key = ?", (key,)
            )
            wait = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)
            tx.execute(
                "UPDATE mail_outbox SET due_at = ? WHERE mail_key = ?",
                (instant(self._clock.now() + wait), key),
            )

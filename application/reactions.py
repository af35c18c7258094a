"""Side-effect processes: what happens because of an event, after its command committed.

A `Reaction` follows some event types of the log and, for each, writes what must happen (a mail
to send, later an invoice to issue…) into its own tables, in the `ReactionRunner`'s transaction
that also moves the reaction's position. Commands never send anything themselves, so a retried
request (answered from the command log, no new event) sends nothing twice, and a crash between a
commit and a send loses nothing: the runner, started again, finds the event past its position.

Exactly once rests on the key of each effect, `Reaction.key(position)`, unique where the effect
is written (the mail outbox's `mail_key`): two runners (the API's and a worker's) may read the
same event, only one effect is written. Positions only spare a restart from reading the log
again: a runner keeps how far it read in memory and writes it with the effects it writes (or
every `PERSIST_EVERY` events), so a mutation followed by nothing costs the log one read.
"""

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from application.requests import Request
from domain.errors import Conflict, DomainError
from messaging.outbox import MailOutbox
from storage.background import BackgroundWork
from storage.sql import SqlStore, Tx
from storage.transient import is_transient

if TYPE_CHECKING:
    from application.commands import Command
    from application.registre import Registre

log = logging.getLogger(__name__)

BATCH_SIZE = 500
PERSIST_EVERY = 10_000
DELIVER_SECONDS = 5.0
"""How often the background thread looks for mails due again (a retry after a failure)."""


class Reaction(ABC):
    """One side effect of some events. Subclasses name themselves (the name keys their position
    and their effects: never rename one), list the events they follow (aggregate class and
    event name, as the domain's `@event` names them), and write their effect with `react`, in
    the transaction given, keyed by `key(position)`."""

    name: ClassVar[str]
    follows: ClassVar[tuple[tuple[type[Aggregate], str], ...]]

    def __init__(self, app: "Registre", outbox: MailOutbox):
        self.app = app
        self.outbox = outbox

    @classmethod
    def event_classes(cls) -> tuple[type, ...]:
        return tuple(getattr(aggregate, event) for aggregate, event in cls.follows)

    def key(self, position: int) -> str:
        return f"{self.name}:{position}"

    def setup(self, tx: Tx) -> None:  # noqa: B027 (most reactions have no table of their own)
        """Make the reaction's own tables, if it has any (when its runner is set up)."""

    @abstractmethod
    def react(self, tx: Tx, position: int, event: Any) -> None: ...


class MailReaction(Reaction):
    """A reaction whose effect is a mail, put in the outbox with the reaction's key."""


class CommandReaction(Reaction):
    """A reaction whose effect is a command of the application (a confirmed declaration issues
    an invoice). The runner sends it before it records that the event was handled, with the
    reaction's key as request id: sent again after a crash, it is answered from the command
    log, never decided twice. A domain refusal (nothing to bill…) is logged by its code and
    passed."""

    @abstractmethod
    def command(self, event: Any) -> "Command[Any] | None":
        """The command the event calls for, if any."""

    def react(self, tx: Tx, position: int, event: Any) -> None:
        """Nothing in the runner's transaction: the command was sent before it (`send`)."""

    def send_all(self, events: Sequence[tuple[int, Any]]) -> None:
        """The commands of these events (position, event), in log order; a reaction may send
        one command for them all (then, if refused, one each)."""
        for position, event in events:
            self.send(position, event)

    def send(self, position: int, event: Any) -> None:
        command = self.command(event)
        if command is None:
            return
        self.sent(Request(self.key(position)), command, position)

    def sent(self, request: Request, command: "Command[Any]", position: int) -> bool:
        """Send `command`; whether it was carried out (a refusal is logged by its code)."""
        try:
            self.app.handle(request, command)
        except Conflict:
            raise
        except DomainError as refusal:
            log.info(
                "reaction %s: %s not carried out for event %d (%s)",
                self.name,
                command.command_name(),
                position,
                refusal.code,
            )
            return False
        return True


class Sender(Protocol):
    def deliver_due(self) -> int:
        """Carry out what reactions wrote and is due (send the mails); how many were."""


class ReactionRunner(BackgroundWork):
    thread_name = "reactions"
    work_name = "reaction batch"

    def __init__(
        self,
        app: "Registre",
        store: SqlStore,
        reactions: Sequence[Reaction],
        senders: Sequence[Sender] = (),
        *,
        batch_size: int = BATCH_SIZE,
    ):
        super().__init__()
        self.app = app
        self.store = store
        self.reactions = list(reactions)
        self.senders = list(senders)
        self.batch_size = batch_size
        self._read_up_to: dict[str, int] = {}
        self._persisted = 0
        self._lock = threading.Lock()
        self._delivered_at = 0.0

    def setup(self) -> None:
        """The positions table and the reactions' own tables; a reaction new to this store starts
        at the head of the log: it reacts to what happens from now on, not to the past."""
        head = self._head()
        with self.store.transaction() as tx:
            tx.set_up_alone()
            tx.execute(
                "CREATE TABLE IF NOT EXISTS reaction_positions (name TEXT PRIMARY KEY,"
                f" position {self.store.bigint} NOT NULL)"
            )
            for reaction in self.reactions:
                reaction.setup(tx)
                tx.execute(
                    "INSERT INTO reaction_positions VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                    (reaction.name, head),
                )
            self._read_up_to = self._stored(tx)
        self._persisted = min(self._read_up_to.values(), default=0)

    def positions(self) -> dict[str, int]:
        with self.store.transaction() as tx:
            return self._stored(tx)

    def _stored(self, tx: Tx) -> dict[str, int]:
        rows = tx.execute("SELECT name, position FROM reaction_positions")
        names = {r.name for r in self.reactions}
        return {name: int(position) for name, position in rows if name in names}

    # Reacting -------------------------------------------------------------------------------------

    def run_once(self, head: int | None = None) -> int:
        """React to the next events up to `head` (the log's end by default); how far it read."""
        with self._lock:
            if not self._read_up_to:
                raise RuntimeError("no reaction is set up: call setup() first")
            start = min(self._read_up_to.values())
            head = self._head() if head is None else head
            if head <= start:
                return 0
            topics = sorted({get_topic(c) for r in self.reactions for c in r.event_classes()})
            notifications = self.app.recorder.select_notifications(
                start=start + 1, stop=head, limit=self.batch_size, topics=topics
            )
            end = head if len(notifications) < self.batch_size else notifications[-1].id
            if notifications or end - self._persisted >= PERSIST_EVERY:
                self._react(notifications, end)
                self._persisted = end
            self._read_up_to = {name: max(p, end) for name, p in self._read_up_to.items()}
            return end - start

    def _head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def _react(self, notifications: Sequence[Any], end: int) -> None:
        events = [(n.id, n.topic, self._decoded(n)) for n in notifications]
        for reaction in self.reactions:
            if isinstance(reaction, CommandReaction):
                done = self._read_up_to[reaction.name]
                matched = [
                    (position, event)
                    for position, _, event in events
                    if position > done and isinstance(event, reaction.event_classes())
                ]
                if matched:
                    self._guarded_send(reaction, matched)
        with self.store.transaction() as tx:
            for reaction in self.reactions:
                done = self._read_up_to[reaction.name]
                for position, topic, event in events:
                    if position > done and isinstance(event, reaction.event_classes()):
                        self._guarded(tx, reaction, position, topic, event)
            self._advance(tx, end)

    def _decoded(self, notification: Any) -> object:
        try:
            return self.app.mapper.to_domain_event(notification)
        except Exception as error:
            if is_transient(error):
                raise
            log.error(
                "event %d cannot be decoded (%s): no reaction to it",
                notification.id,
                type(error).__name__,
            )
            return error

    def _guarded(self, tx: Tx, reaction: Reaction, position: int, topic: str, event: Any) -> None:
        """The reaction, in a savepoint: if the event is at fault, rolled back, logged and
        skipped (a bad event must not stop every later mail). The log names the error's type
        only: its text may quote personal data."""
        try:
            with tx.savepoint():
                reaction.react(tx, position, event)
        except Exception as error:
            if is_transient(error):
                raise
            log.error(
                "reaction %s skips event %d (%s): %s",
                reaction.name,
                position,
                topic,
                type(error).__name__,
            )

    def _guarded_send(self, reaction: "CommandReaction", events: list[tuple[int, Any]]) -> None:
        """The commands, outside the runner's transaction (a command takes the store's write
        lock itself); when they fail together, each event alone, and the one at fault is logged
        by its type and skipped."""
        try:
            reaction.send_all(events)
        except Exception as error:
            if is_transient(error) or isinstance(error, Conflict):
                raise  # the batch is tried again: a race lost is no fault of the event
            if len(events) > 1:
                for one in events:
                    self._guarded_send(reaction, [one])
                return
            log.error(
                "reaction %s skips event %d: %s", reaction.name, events[0][0], type(error).__name__
            )

    def _advance(self, tx: Tx, end: int) -> None:
        for reaction in self.reactions:
            tx.execute(
                "UPDATE reaction_positions SET position = ? WHERE name = ? AND position < ?",
                (end, reaction.name, end),
            )

    def deliver(self) -> None:
        for sender in self.senders:
            try:
                sender.deliver_due()
            except Exception:
                log.exception("side effects not carried out; retried later")

    def settle(self, head: int | None = None) -> None:
        """React now, in this thread, to every event up to `head`, then carry out what is due:
        what a mutation caused is done when its answer is sent (the background thread would do
        it anyway, a moment later)."""
        try:
            target = self._head() if head is None else head
            while min(self._read_up_to.values(), default=target) < target:
                self.run_once(target)
        except Exception:
            log.exception("reactions behind; the background runner goes on")
        self.deliver()

    # Running in the background (`start`, `stop`, `wake`) ---------------------------------------

    def step(self) -> bool:
        if self.run_once():
            self.deliver()
            return True
        if time.monotonic() - self._delivered_at >= DELIVER_SECONDS:
            self.deliver()
            self._delivered_at = time.monotonic()
        return False

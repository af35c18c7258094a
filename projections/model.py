"""What a read model is: tables of its own, built only from events, in batches."""

import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from eventsourcing.utils import resolve_topic

from domain.accounts.account import Account
from domain.workforce.employee import Employee
from projections.source import EventSource
from projections.store import ReadStore, Tx
from projections.timeline import instant


@dataclass(frozen=True, slots=True)
class Envelope:
    """A domain event with its place in the log and the instant it was recorded."""

    position: int
    event: Any

    @property
    def recorded_at(self) -> int:
        return instant(self.event.timestamp)

    @property
    def aggregate_id(self) -> Any:
        return self.event.originator_id

    @property
    def event_name(self) -> str:
        return type(self.event).__name__


class ReadModel(ABC):
    """One read model at one generation: its tables are named `<name>_g<generation>_<table>`.

    A rebuild makes the next generation from event zero while the current one keeps serving,
    then switches (`projections.runner`).
    """

    name: ClassVar[str]
    tables: ClassVar[Sequence[str]]
    weight: ClassVar[int] = 1
    """Its cost per event against the others' (measured by `scripts/bench_reads.py`): read
    models are shared out between the processes that run them by weight
    (`projections.workers`)."""
    reads: ClassVar[tuple[type, ...]] = (object,)
    """The classes of the events it applies (their subclasses too): it is handed those only,
    and the runner decodes no event that none of its read models reads. Every event unless
    said otherwise."""
    by_record: ClassVar[bool] = False
    """Whether the rows of each record (the aggregate an event belongs to, or the one
    `part_key` names) are made from that record's events alone, and its `erase` touches that
    record's rows only: such a read model can be rebuilt in parts, by record
    (`projections.parts`)."""
    revision: ClassVar[int] = 1
    """Raised whenever what the read model keeps changes (its tables, or what it writes in
    them): a store whose generation was built by another revision is rebuilt from event zero
    when the runner sets up, since the code of this revision cannot read its tables."""

    @classmethod
    def part_key(cls, topic: str, record_id: Any) -> Any:
        """The record whose part applies an event of this topic and record, read from the log's
        row before decoding it (`projections.parts`): the event's own record unless said
        otherwise."""
        return record_id

    def __init__(self, source: EventSource, store: ReadStore, generation: int):
        self.source = source
        self.store = store
        self.generation = generation
        self.prefix = table_prefix(self.name, generation)

    def table(self, base: str) -> str:
        return self.prefix + base

    @abstractmethod
    def create(self, tx: Tx) -> None:
        """Create the tables of this generation."""

    @abstractmethod
    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        """Apply a batch of events, in the caller's transaction."""

    def index(self, tx: Tx) -> None:
        """Create the indexes only the queries use (not `apply` nor `erase`). A rebuild creates
        them once its generation holds every event, before serving it: one index built over a
        full table costs far less than one kept up to date row by row. None by default."""
        return

    def erase(self, tx: Tx, erased: Envelope) -> None:
        """Forget the identity an erasure (`is_erasure`) erased, in this generation's tables,
        which no longer follow the log: the generation kept behind the active one, or one a
        rebuild left unfinished. Nothing to do for a read model that holds no identity."""
        return

    def drop(self, tx: Tx) -> None:
        for base in self.tables:
            tx.execute(f"DROP TABLE IF EXISTS {self.table(base)}")


def is_erasure(envelope: Envelope) -> bool:
    """An employee's identity erased (on request, or at the end of its retention), or an
    account's: every generation of every read model must forget it."""
    event, name = envelope.event, envelope.event_name
    if isinstance(event, Employee.Event):
        return name in {"IdentityErased", "RetentionEnded"}
    return name == "Erased" and isinstance(event, Account.Event)


@lru_cache(maxsize=4096)
def reads_topic(reads: tuple[type, ...], topic: str) -> bool:
    """Whether events of this topic are of the classes `reads` names; an event whose topic names
    no class is read by all (each reports it unreadable)."""
    try:
        event_class = resolve_topic(topic)
    except Exception:  # any topic naming nothing (empty, relative, no such module or name)
        return True
    return not isinstance(event_class, type) or issubclass(event_class, reads)


def table_prefix(name: str, generation: int) -> str:
    return f"{name}_g{generation}_"


class ActiveGenerations:
    """Which generation of each read model queries read; refreshed every second at most, so a
    switch made by a rebuild in another process is seen quickly without a look-up per query."""

    def __init__(self, store: ReadStore, refresh_seconds: float = 1.0):
        self._store = store
        self._refresh_seconds = refresh_seconds
        self._generations: dict[str, int] = {}
        self._read_at = -refresh_seconds

    def of(self, name: str) -> int:
        now = time.monotonic()
        if now - self._read_at >= self._refresh_seconds or name not in self._generations:
            rows = self._store.read("SELECT name, generation FROM projection_active")
            self._generations = {row[0]: row[1] for row in rows}
            self._read_at = now
        return self._generations[name]


class Queries:
    """Base of a read model's queries: names its tables at the active generation."""

    name: ClassVar[str]

    def __init__(self, store: ReadStore, generations: ActiveGenerations):
        self.store = store
        self.generations = generations

    def table(self, base: str) -> str:
        return table_prefix(self.name, self.generations.of(self.name)) + base

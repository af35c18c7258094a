"""Runs the read models: follows the event log and applies it in batches, exactly once.

Each read model's position is stored with its tables' changes in one transaction, and moves
only from the position this runner read (compare-and-set), so a crash between two batches loses
nothing and applies nothing twice, and two runners never apply the same batch. The event log's
order is guaranteed by the writers (`storage.postgres_recorder`), so following ids never skips one.

How a read model applies a batch, and skips an event it cannot apply without stopping the
others, is `projections.batches`.
"""

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Notification

from domain.calendar import SYSTEM_CLOCK, Clock
from projections import failures, generations, parts
from projections.batches import (
    ConcurrentRunner,
    Item,
    NotRead,
    Unreadable,
    apply_batch,
    guarded,
)
from projections.failures import ProjectionFailure
from projections.model import Envelope, ReadModel, is_erasure, reads_topic
from projections.parts import Part
from projections.source import EventSource
from projections.store import ReadStore, Tx
from projections.timeline import from_instant, instant
from storage import background
from storage.background import BackgroundWork
from storage.transient import is_transient

log = logging.getLogger(__name__)

BATCH_SIZE = 2_000
"""Events read and applied in one transaction: fewer round trips per event the larger, and
while following the log a batch holds only what came since the last (`docs/BENCHMARKS.md`,
« Issue 16, fourth session »)."""
POLL_SECONDS = background.POLL_SECONDS
"""How long a runner waits for news of the log when nothing wakes it."""


@dataclass(frozen=True, slots=True)
class ProjectionStatus:
    name: str
    generation: int
    position: int
    head: int
    lag_events: int
    lag_seconds: float
    failures: int
    """Events this read model skipped because it could not apply them."""


class ProjectionRunner(BackgroundWork):
    thread_name = "projections"
    work_name = "projection batch"

    def __init__(
        self,
        source: EventSource,
        store: ReadStore,
        models: Sequence[type[ReadModel]],
        *,
        batch_size: int = BATCH_SIZE,
        clock: Clock = SYSTEM_CLOCK,
    ):
        """`clock` measures the lag only (the rows take their instants from the events)."""
        super().__init__()
        self.source = source
        self.clock = clock
        self.store = store
        self.model_classes = {m.name: m for m in models}
        self.batch_size = batch_size
        self._instances: dict[str, ReadModel] = {}
        self._progress = threading.Condition()

    # Set-up and generations ------------------------------------------------------------------

    def setup(self) -> None:
        """Create the bookkeeping tables, and generation 1 of every new read model; replace the
        generation served of a read model whose revision changed (`projections.generations`)."""
        bigint = self.store.bigint
        with self.store.transaction() as tx:
            tx.set_up_alone()
            tx.execute(
                "CREATE TABLE IF NOT EXISTS projection_positions (name TEXT NOT NULL,"
                f" generation INTEGER NOT NULL, position {bigint} NOT NULL,"
                " PRIMARY KEY (name, generation))"
            )
            tx.execute(
                "CREATE TABLE IF NOT EXISTS projection_active"
                " (name TEXT PRIMARY KEY, generation INTEGER NOT NULL)"
            )
            generations.create_table(tx)
            failures.create_table(tx, self.store)
            parts.create_table(tx, self.store)
            tx.lock("projection_active")
            active: dict[str, int] = dict(
                tx.execute("SELECT name, generation FROM projection_active")
            )
            for name, model_class in self.model_classes.items():
                if name not in active:
                    generations.start(tx, model_class(self.source, self.store, 1))
                    tx.execute("INSERT INTO projection_active VALUES (?, 1)", (name,))
                elif generations.revision(tx, name, active[name]) != model_class.revision:
                    generations.replace_stale(tx, self.source, self.store, model_class)

    def active_generations(self) -> dict[str, int]:
        rows = self.store.read("SELECT name, generation FROM projection_active")
        return {name: generation for name, generation in rows if name in self.model_classes}

    def _active_positions(self) -> dict[str, tuple[int, int]]:
        """Each read model's active generation and that generation's position, in one read."""
        rows = self.store.read(
            "SELECT a.name, a.generation, p.position FROM projection_active a"
            " JOIN projection_positions p ON p.name = a.name AND p.generation = a.generation"
        )
        return {name: (gen, position) for name, gen, position in rows if name in self.model_classes}

    def _live_models(self) -> list[ReadModel]:
        models = []
        for name, generation in self.active_generations().items():
            instance = self._instances.get(name)
            if instance is None or instance.generation != generation:
                instance = self.model_classes[name](self.source, self.store, generation)
                self._instances[name] = instance
            models.append(instance)
        return models

    # Applying ----------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Apply the next batch to every live read model; the number of events read."""
        models = self._live_models()
        if not models:
            raise RuntimeError("no read model is set up: call setup() first")
        positions = self._positions(models)
        start = min(positions.values(), default=0)
        items = self.read_page(start, _reads_of(type(m) for m in models))
        if items:
            try:
                self._apply_all(models, positions, items, careful=False)
            except Exception as error:
                if is_transient(error) or isinstance(error, ConcurrentRunner):
                    raise
                self._apply_all(models, positions, items, careful=True)
        with self._progress:
            self._progress.notify_all()
        return len(items)

    def _apply_all(
        self,
        models: Sequence[ReadModel],
        positions: dict[str, int],
        items: Sequence[Item],
        *,
        careful: bool,
    ) -> None:
        """The batch, in one transaction, to the read models still before its events."""
        erasures = [e for e in items if isinstance(e, Envelope) and is_erasure(e)]
        with self.store.transaction() as tx:
            tx.plan_each_time()
            for model in models:
                done = positions[model.name]
                pending = (
                    items if done < items[0].position else [e for e in items if e.position > done]
                )
                apply_batch(tx, model, pending, done, careful=careful)
                self._erase_in_other_generations(
                    tx,
                    model,
                    [e for e in erasures if e.position > done and isinstance(e.event, model.reads)],
                )

    def _erase_in_other_generations(
        self, tx: Tx, model: ReadModel, erasures: Sequence[Envelope]
    ) -> None:
        """Erasures reach the generations that do not follow the log: the one kept behind the
        active one, one a rebuild left unfinished, and one being built that has not reached the
        erasure yet (it will apply it again itself)."""
        if not erasures:
            return
        others = tx.execute(
            "SELECT generation FROM projection_positions WHERE name = ? AND generation <> ?",
            (model.name, model.generation),
        )
        for (generation,) in others:
            other = self.model_classes[model.name](self.source, self.store, generation)
            for erased in erasures:
                # Locks that generation's position, as a rebuild's batch does first (a part's
                # batch shares it), so the two never write its tables at once; a rebuild past
                # the erasure applied it, and so did the part of that record if it passed it.
                behind = tx.execute(
                    "UPDATE projection_positions SET position = position WHERE name = ?"
                    " AND generation = ? AND position < ? RETURNING position",
                    (model.name, generation, erased.position),
                )
                if behind and not parts.passed(tx, other, erased):
                    guarded(tx, other, erased, other.erase)

    def read_page(
        self, after: int, reads: tuple[type, ...], part: Part | None = None
    ) -> list[Item]:
        """The batch after `after`, decoded where the read models `reads` name its classes
        (and the record is of `part`)."""
        notifications = self.source.select_notifications(after + 1, self.batch_size)
        held = self._held_by(part)
        read = [n for n in notifications if reads_topic(reads, n.topic) and held(n)]
        self.source.prefetch_keys(read)
        if len(read) < len(notifications):
            wanted = {n.id for n in read}
            return [self._item(n) if n.id in wanted else NotRead(n.id) for n in notifications]
        return [self._item(n) for n in notifications]

    def _held_by(self, part: Part | None) -> Callable[[Notification], bool]:
        """Whether a row of the log is of the part's records (all are without a part)."""
        if part is None:
            return lambda _: True
        key = self.model_classes[part.name].part_key
        return lambda n: part.holds(key(n.topic, n.originator_id))

    def _item(self, notification: Notification) -> Item:
        try:
            return Envelope(notification.id, self.source.decode(notification))
        except Exception as error:
            if is_transient(error):
                raise
            return Unreadable(notification.id, notification.topic, error)

    def _positions(self, models: Sequence[ReadModel]) -> dict[str, int]:
        rows = self.store.read("SELECT name, generation, position FROM projection_positions")
        known = {(name, generation): position for name, generation, position in rows}
        return {m.name: known[(m.name, m.generation)] for m in models}

    def catch_up(self) -> None:
        while self.run_once():
            pass

    # Running in the background (`start`, `stop`, `wake`) ----------------------------------------

    def step(self) -> bool:
        try:
            return self.run_once() > 0
        except ConcurrentRunner as busy:
            log.info("%s", busy)
            return False

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Wait until every live read model has applied the log up to `position`."""
        deadline = time.monotonic() + timeout
        self.wake()
        with self._progress:
            while self._slowest_position() < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._progress.wait(min(remaining, POLL_SECONDS))
        return True

    def _slowest_position(self) -> int:
        return int(min(position for _, position in self._active_positions().values()))

    # Status and rebuild ------------------------------------------------------------------------

    def status(self) -> list[ProjectionStatus]:
        head = self.source.max_notification_id()
        skipped = Counter(f.name for f in self.failures())
        return [
            ProjectionStatus(
                name,
                generation,
                position,
                head,
                head - position,
                self._lag_seconds(position),
                skipped[name],
            )
            for name, (generation, position) in sorted(self._active_positions().items())
        ]

    def failures(self) -> list[ProjectionFailure]:
        """The events the read models skipped, in the generations served or kept."""
        return [f for f in failures.listed(self.store) if f.name in self.model_classes]

    def _lag_seconds(self, position: int) -> float:
        pending = self.source.select_notifications(position + 1, 1)
        if not pending:
            return 0.0
        try:
            event: Any = self.source.decode(pending[0])
        except Exception as error:
            if is_transient(error):
                raise
            return 0.0  # unreadable, so of no known time: its next batch skips it
        recorded = instant(event.timestamp)
        return (self.clock.now() - from_instant(recorded)).total_seconds()

    def rebuild(self, name: str, progress: Callable[[int, int], None] | None = None) -> int:
        """Build the next generation of one read model from event zero, then switch to it.

        The current generation keeps serving (and following the log) until the switch, and is
        kept after it, for the queries still reading it, until the next rebuild. Shared out
        between processes by record: `projections.parts`.
        """
        return self.finish_rebuild(name, self.new_generation(name), 0, progress)

    def new_generation(self, name: str) -> int:
        """The next generation of a read model, empty, at position 0 (not served)."""
        with self.store.transaction() as tx:
            rows = tx.execute(
                "SELECT MAX(generation) FROM projection_positions WHERE name = ?", (name,)
            )
            generation = (rows[0][0] or 0) + 1
            model = self.model_classes[name](self.source, self.store, generation)
            generations.start(tx, model, indexed=False)
        return generation

    def finish_rebuild(
        self,
        name: str,
        generation: int,
        position: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """The generation, at `position`, brought to the end of the log, then served."""
        model_class = self.model_classes[name]
        model = model_class(self.source, self.store, generation)
        while True:
            head = self.source.max_notification_id()
            items = self.read_page(position, model_class.reads)
            with self.store.transaction() as tx:
                tx.plan_each_time()
                apply_batch(tx, model, items, position, careful=True)
                if len(items) < self.batch_size:
                    model.index(tx)
                    previous = self._switch(tx, name, generation)
                    break
            position = items[-1].position
            if progress is not None:
                progress(position, head)
        if progress is not None:
            progress(head, head)
        self._drop_generations(name, keep={previous, generation}, below=generation)
        return generation

    def _switch(self, tx: Tx, name: str, generation: int) -> int:
        """Serve `generation` from now on; the generation it replaces."""
        previous = tx.execute("SELECT generation FROM projection_active WHERE name = ?", (name,))
        tx.execute("UPDATE projection_active SET generation = ? WHERE name = ?", (generation, name))
        return int(previous[0][0])

    def _drop_generations(self, name: str, keep: set[int], below: int) -> None:
        """Drop the generations older than `below` but those in `keep`: older ones than the
        previous, and dead partial ones (newer than the one served then, never switched to, left
        by a rebuild that failed). A query reads the generation it found active at most a
        second before, so the one just replaced is kept, until the next rebuild."""
        with self.store.transaction() as tx:
            rows = tx.execute(
                "SELECT generation FROM projection_positions WHERE name = ? AND generation < ?",
                (name, below),
            )
            for (generation,) in rows:
                if generation in keep:
                    continue
                # The position first: a runner erasing in that generation locks it first too.
                tx.execute(
                    "DELETE FROM projection_positions WHERE name = ? AND generation = ?",
                    (name, generation),
                )
                self.model_classes[name](self.source, self.store, generation).drop(tx)
                parts.forget(tx, name, generation)
            failures.forget_before(tx, name, below)  # those of the replaced one: retried


def _reads_of(models: Iterable[type[ReadModel]]) -> tuple[type, ...]:
    """The classes of the events that some of these read models read."""
    return tuple(dict.fromkeys(cls for model in models for cls in model.reads))

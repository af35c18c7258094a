"""Runs the read models: follows the event log and applies it in batches, exactly once.

Each read model's position is stored with its tables' changes in one transaction, and moves
only from the position this runner read (compare-and-set), so a crash between two batches loses
nothing and applies nothing twice, and two runners never apply the same batch. The event log's
order is guaranteed by the writers (`storage.recorders`), so following ids never skips one.
"""

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from projections.model import Envelope, ReadModel
from projections.store import ReadStore, Tx
from projections.timeline import from_instant, instant

if TYPE_CHECKING:
    from application.registre import Registre

log = logging.getLogger(__name__)

BATCH_SIZE = 500
POLL_SECONDS = 0.25
RETRY_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class ProjectionStatus:
    name: str
    generation: int
    position: int
    head: int
    lag_events: int
    lag_seconds: float


class ProjectionRunner:
    def __init__(
        self,
        app: "Registre",
        store: ReadStore,
        models: Sequence[type[ReadModel]],
        *,
        batch_size: int = BATCH_SIZE,
    ):
        self.app = app
        self.store = store
        self.model_classes = {m.name: m for m in models}
        self.batch_size = batch_size
        self._instances: dict[str, ReadModel] = {}
        self._progress = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # Set-up and generations ------------------------------------------------------------------

    def setup(self) -> None:
        """Create the bookkeeping tables, and generation 1 of every new read model."""
        bigint = self.store.bigint
        with self.store.transaction() as tx:
            tx.execute(
                "CREATE TABLE IF NOT EXISTS projection_positions (name TEXT NOT NULL,"
                f" generation INTEGER NOT NULL, position {bigint} NOT NULL,"
                " PRIMARY KEY (name, generation))"
            )
            tx.execute(
                "CREATE TABLE IF NOT EXISTS projection_active"
                " (name TEXT PRIMARY KEY, generation INTEGER NOT NULL)"
            )
            active: dict[str, int] = dict(
                tx.execute("SELECT name, generation FROM projection_active")
            )
            for name, model_class in self.model_classes.items():
                if name not in active:
                    model_class(self.app, self.store, 1).create(tx)
                    tx.execute("INSERT INTO projection_positions VALUES (?, 1, 0)", (name,))
                    tx.execute("INSERT INTO projection_active VALUES (?, 1)", (name,))

    def active_generations(self) -> dict[str, int]:
        rows = self.store.read("SELECT name, generation FROM projection_active")
        return {name: generation for name, generation in rows if name in self.model_classes}

    def _live_models(self) -> list[ReadModel]:
        models = []
        for name, generation in self.active_generations().items():
            instance = self._instances.get(name)
            if instance is None or instance.generation != generation:
                instance = self.model_classes[name](self.app, self.store, generation)
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
        envelopes = self._read(start)
        if envelopes:
            with self.store.transaction() as tx:
                for model in models:
                    done = positions[model.name]
                    self._apply(tx, model, [e for e in envelopes if e.position > done], done)
        with self._progress:
            self._progress.notify_all()
        return len(envelopes)

    def _apply(self, tx: Tx, model: ReadModel, envelopes: list[Envelope], done: int) -> None:
        if not envelopes:
            return
        moved = tx.execute(
            "UPDATE projection_positions SET position = ? WHERE name = ? AND generation = ?"
            " AND position = ? RETURNING position",
            (envelopes[-1].position, model.name, model.generation, done),
        )
        if not moved:  # the row is locked first, so a second runner stops here, before any work
            raise ConcurrentRunner(model.name)
        model.apply(tx, envelopes)

    def _read(self, after: int) -> list[Envelope]:
        notifications = self.app.recorder.select_notifications(
            start=after + 1, limit=self.batch_size
        )
        self.app.subject_keys.prefetch(UUID(str(n.originator_id)) for n in notifications)
        to_event = self.app.mapper.to_domain_event
        return [Envelope(n.id, to_event(n)) for n in notifications]

    def _positions(self, models: Sequence[ReadModel]) -> dict[str, int]:
        rows = self.store.read("SELECT name, generation, position FROM projection_positions")
        known = {(name, generation): position for name, generation, position in rows}
        return {m.name: known[(m.name, m.generation)] for m in models}

    def catch_up(self) -> None:
        while self.run_once():
            pass

    # Running in the background -----------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="projections", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def wake(self) -> None:
        """Something was written: look now rather than at the next poll."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.run_once():
                    continue
            except ConcurrentRunner as busy:
                log.info("%s", busy)
            except Exception:
                log.exception("projection batch failed; retrying")
                self._stop.wait(RETRY_SECONDS)
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

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
        active = self.active_generations()
        rows = self.store.read("SELECT name, generation, position FROM projection_positions")
        return int(min(p for name, generation, p in rows if active.get(name) == generation))

    # Status and rebuild ------------------------------------------------------------------------

    def status(self) -> list[ProjectionStatus]:
        head = self.app.recorder.max_notification_id() or 0
        active = self.active_generations()
        rows = self.store.read("SELECT name, generation, position FROM projection_positions")
        statuses = []
        for name, generation, position in rows:
            if active.get(name) != generation:
                continue
            statuses.append(
                ProjectionStatus(
                    name, generation, position, head, head - position, self._lag_seconds(position)
                )
            )
        return sorted(statuses, key=lambda s: s.name)

    def _lag_seconds(self, position: int) -> float:
        pending = self.app.recorder.select_notifications(start=position + 1, limit=1)
        if not pending:
            return 0.0
        event: Any = self.app.mapper.to_domain_event(pending[0])
        recorded = instant(event.timestamp)
        return (datetime.now(UTC) - from_instant(recorded)).total_seconds()

    def rebuild(self, name: str, progress: Callable[[int, int], None] | None = None) -> int:
        """Build the next generation of one read model from event zero, then switch to it.

        The current generation keeps serving (and following the log) until the switch.
        """
        model_class = self.model_classes[name]
        with self.store.transaction() as tx:
            rows = tx.execute(
                "SELECT MAX(generation) FROM projection_positions WHERE name = ?", (name,)
            )
            generation = (rows[0][0] or 0) + 1
            model = model_class(self.app, self.store, generation)
            model.drop(tx)
            model.create(tx)
            tx.execute("INSERT INTO projection_positions VALUES (?, ?, 0)", (name, generation))
        position = 0
        while True:
            head = self.app.recorder.max_notification_id() or 0
            envelopes = self._read(position)
            with self.store.transaction() as tx:
                self._apply(tx, model, envelopes, position)
                if len(envelopes) < self.batch_size:
                    self._switch(tx, name, generation)
                    break
            position = envelopes[-1].position
            if progress is not None:
                progress(position, head)
        if progress is not None:
            progress(head, head)
        self._drop_old_generations(name, generation)
        return generation

    def _switch(self, tx: Tx, name: str, generation: int) -> None:
        tx.execute("UPDATE projection_active SET generation = ? WHERE name = ?", (generation, name))

    def _drop_old_generations(self, name: str, current: int) -> None:
        """Keep the previous generation (queries may still be reading it); drop older ones."""
        with self.store.transaction() as tx:
            old = tx.execute(
                "SELECT generation FROM projection_positions WHERE name = ? AND generation < ?",
                (name, current - 1),
            )
            for (generation,) in old:
                self.model_classes[name](self.app, self.store, generation).drop(tx)
                tx.execute(
                    "DELETE FROM projection_positions WHERE name = ? AND generation = ?",
                    (name, generation),
                )


class ConcurrentRunner(Exception):
    def __init__(self, name: str):
        super().__init__(f"read model {name}: another runner applied this batch first")

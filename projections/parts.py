"""A rebuild shared out between processes by record (`registre projections rebuild NAME
--workers N`).

A read model whose rows of one record (an employee, an account…) are made from that record's
events alone (`ReadModel.by_record`) can be built in parts: part k of n applies the events of
the records whose id is k modulo n, and passes over the others without decoding them. Each part
keeps its own position in `projection_parts`, moved in the transaction of its rows, so a part
applies each event once, as the runner does for a whole read model. The parts build the new
generation up to the end of the log as it was when the rebuild began; once every part is
there, the generation takes that position and the runner brings it to the end of the log and
serves it, as any rebuild (`ProjectionRunner.finish_rebuild`); `build` builds one part. The
generation served meanwhile keeps serving; a rebuild whose parts did not all finish leaves a
generation never served, dropped by the next rebuild.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.utils import get_topic

from projections.batches import ConcurrentRunner, apply_items
from projections.model import Envelope, ReadModel
from projections.store import ReadStore, Tx

if TYPE_CHECKING:
    from projections.runner import ProjectionRunner


@dataclass(frozen=True, slots=True)
class Part:
    """Part `index` of `count` of a read model's generation: the records whose id is `index`
    modulo `count`."""

    name: str
    generation: int
    index: int
    count: int

    def holds(self, record_id: UUID | str) -> bool:
        return _index_of(record_id, self.count) == self.index


def _index_of(record_id: UUID | str, count: int) -> int:
    """The part of `count` that holds a record; an id that is no UUID (a row of the log written
    by hand) is held by the first, which reports it unreadable once."""
    if isinstance(record_id, str):
        try:
            record_id = UUID(record_id)
        except ValueError:
            return 0
    return record_id.int % count


RunParts = Callable[[list[Part], int], object]
"""Builds the parts up to that position, each in a process of its own, and returns once all
are built (raises if one failed)."""


def create_table(tx: Tx, store: ReadStore) -> None:
    tx.execute(
        "CREATE TABLE IF NOT EXISTS projection_parts (name TEXT NOT NULL,"
        " generation INTEGER NOT NULL, part INTEGER NOT NULL,"
        f" position {store.bigint} NOT NULL, PRIMARY KEY (name, generation, part))"
    )


def rebuild_in_parts(
    runner: "ProjectionRunner",
    name: str,
    count: int,
    run_parts: RunParts,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Build the next generation of `name` in `count` parts (`run_parts` runs them), then bring
    it to the end of the log and serve it; the generation served. A read model that cannot be
    built by parts, or a single part, is rebuilt as a whole."""
    model_class = runner.model_classes[name]
    if count < 2 or not model_class.by_record:
        return runner.rebuild(name, progress)
    generation = runner.new_generation(name)
    until = runner.source.max_notification_id()
    shares = [Part(name, generation, index, count) for index in range(count)]
    with runner.store.transaction() as tx:
        for part in shares:
            tx.execute(
                "INSERT INTO projection_parts VALUES (?, ?, ?, 0)", (name, generation, part.index)
            )
    run_parts(shares, until)
    with runner.store.transaction() as tx:
        _join(tx, name, generation, count, until)
    return runner.finish_rebuild(name, generation, until, progress)


def build(
    runner: "ProjectionRunner",
    part: Part,
    until: int,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """One part of the generation: the events of its records up to `until`, each batch with
    the part's position."""
    model_class = runner.model_classes[part.name]
    model = model_class(runner.source, runner.store, part.generation)
    done = position(runner.store, part)
    while done < until:
        page = runner.read_page(done, model_class.reads, part)
        items = [item for item in page if item.position <= until]
        if not items:
            raise LookupError(f"the log ends before {until}")
        with runner.store.transaction() as tx:
            tx.plan_each_time()
            move(tx, part, done, items[-1].position)
            apply_items(tx, model, items, careful=True)
        done = items[-1].position
        if progress is not None:
            progress(done, until)


def _join(tx: Tx, name: str, generation: int, count: int, until: int) -> None:
    """The generation at `until`, its parts forgotten, once every part reached it."""
    built = tx.execute(
        "SELECT count(*) FROM projection_parts WHERE name = ? AND generation = ? AND position = ?",
        (name, generation, until),
    )
    if built[0][0] != count:
        raise RuntimeError(f"read model {name}: a part of generation {generation} is unfinished")
    moved = tx.execute(
        "UPDATE projection_positions SET position = ? WHERE name = ? AND generation = ?"
        " AND position = 0 RETURNING position",
        (until, name, generation),
    )
    if not moved:
        raise ConcurrentRunner(name)
    forget(tx, name, generation)


def position(store: ReadStore, part: Part) -> int:
    rows = store.read(
        "SELECT position FROM projection_parts WHERE name = ? AND generation = ? AND part = ?",
        (part.name, part.generation, part.index),
    )
    if not rows:
        raise LookupError(f"read model {part.name}: no part {part.index} being built")
    return int(rows[0][0])


def move(tx: Tx, part: Part, done: int, last: int) -> None:
    """The part's position from `done` to `last` (compare-and-set, as `apply_batch`). The
    generation's own position is held shared: the parts' batches run together, while an erasure
    the live runner applies to this generation (it locks that position) waits for them, and
    they for it, as a whole rebuild's batches do."""
    tx.share_rows(
        "projection_positions", "name = ? AND generation = ?", (part.name, part.generation)
    )
    moved = tx.execute(
        "UPDATE projection_parts SET position = ? WHERE name = ? AND generation = ?"
        " AND part = ? AND position = ? RETURNING position",
        (last, part.name, part.generation, part.index, done),
    )
    if not moved:
        raise ConcurrentRunner(f"{part.name} (part {part.index})")


def passed(tx: Tx, model: ReadModel, event: Envelope) -> bool:
    """Whether the part of the model's generation that holds the event's record has applied
    it (False when the generation is not being built in parts). Read once the generation's
    position is locked: no part's batch is then under way."""
    rows = tx.execute(
        "SELECT part, position FROM projection_parts WHERE name = ? AND generation = ?",
        (model.name, model.generation),
    )
    reached: dict[int, int] = {int(part): int(position) for part, position in rows}
    if not reached:
        return False
    record = model.part_key(get_topic(type(event.event)), event.aggregate_id)
    return reached[_index_of(record, len(reached))] >= event.position


def forget(tx: Tx, name: str, generation: int) -> None:
    tx.execute("DELETE FROM projection_parts WHERE name = ? AND generation = ?", (name, generation))

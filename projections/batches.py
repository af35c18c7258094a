"""One batch of events applied to one read model, exactly once (`projections.runner` runs them).

The read model's position moves from the position the runner read to the batch's last
(compare-and-set) in the transaction that applies the batch: a second runner that read the same
position stops there (`ConcurrentRunner`), before any work.

Each read model applies a batch inside a savepoint of its own. When it fails, the batch is
applied again one event at a time, each in its own savepoint: an event the model cannot apply
is rolled back alone, recorded (`projections.failures`) and skipped; the other events, and the
other read models, go on. An error of the store itself is no fault of the event: the whole
batch is retried. Since read models seldom fail, a batch is first applied without those
savepoints (two round trips less per read model: most of a small batch's time); only when a
read model fails is that transaction rolled back and the batch applied again with them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eventsourcing.utils import get_topic

from projections import failures
from projections.model import Envelope, ReadModel, reads_topic
from projections.store import Tx
from storage.transient import is_transient


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A notification that cannot be decoded into an event: every read model skips it."""

    position: int
    topic: str
    error: Exception


@dataclass(frozen=True, slots=True)
class NotRead:
    """A notification no read model of the runner reads: not decoded, only passed."""

    position: int


Item = Envelope | Unreadable | NotRead


def apply_batch(
    tx: Tx, model: ReadModel, items: Sequence[Item], done: int, *, careful: bool
) -> None:
    """Carefully: in a savepoint, then event by event if the model fails (see the module);
    otherwise a failure is raised, for the caller to apply the batch again carefully."""
    if not items:
        return
    moved = tx.execute(
        "UPDATE projection_positions SET position = ? WHERE name = ? AND generation = ?"
        " AND position = ? RETURNING position",
        (items[-1].position, model.name, model.generation, done),
    )
    if not moved:  # the row is locked first, so a second runner stops here, before any work
        raise ConcurrentRunner(model.name)
    apply_items(tx, model, items, careful=careful)


def apply_items(tx: Tx, model: ReadModel, items: Sequence[Item], *, careful: bool) -> None:
    """The batch's events to the read model, its position moved already (`apply_batch`)."""
    envelopes = [
        item for item in items if isinstance(item, Envelope) and isinstance(item.event, model.reads)
    ]
    for item in items:
        if isinstance(item, Unreadable) and reads_topic(model.reads, item.topic):
            _failed(tx, model, item.position, item.topic, item.error)
    if not envelopes:
        return
    if not careful:
        model.apply(tx, envelopes)
        return
    try:
        with tx.savepoint():
            model.apply(tx, envelopes)
    except Exception as error:
        if is_transient(error):
            raise
        for envelope in envelopes:  # again one by one, to skip only what fails
            guarded(tx, model, envelope, lambda t, e: model.apply(t, [e]))


def guarded(
    tx: Tx,
    model: ReadModel,
    envelope: Envelope,
    work: Callable[[Tx, Envelope], None],
) -> None:
    """`work` on the event in a savepoint; if the event is at fault, rolled back and
    recorded."""
    try:
        with tx.savepoint():
            work(tx, envelope)
    except Exception as error:
        if is_transient(error):
            raise
        _failed(tx, model, envelope.position, get_topic(type(envelope.event)), error)


def _failed(tx: Tx, model: ReadModel, position: int, topic: str, error: Exception) -> None:
    failures.record(
        tx,
        name=model.name,
        generation=model.generation,
        position=position,
        topic=topic,
        error=error,
    )


class ConcurrentRunner(Exception):
    def __init__(self, name: str):
        super().__init__(f"read model {name}: another runner applied this batch first")

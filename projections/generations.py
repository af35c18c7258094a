"""The generations of the read models and the revisions that built them (`projections.runner`).

A generation is a read model's set of tables (`<name>_g<n>_*`) with its position; the revision
of the code that built it is kept beside it (`ReadModel.revision`). When the runner sets up and
finds the generation served built by another revision, the code cannot read its tables: a new,
empty generation is served at once, caught up from event zero, and the old ones are dropped.
"""

import logging

from projections import failures, parts
from projections.model import ReadModel
from projections.source import EventSource
from projections.store import ReadStore, Tx

log = logging.getLogger(__name__)


def create_table(tx: Tx) -> None:
    tx.execute(
        "CREATE TABLE IF NOT EXISTS projection_revisions (name TEXT NOT NULL,"
        " generation INTEGER NOT NULL, revision INTEGER NOT NULL,"
        " PRIMARY KEY (name, generation))"
    )


def start(tx: Tx, model: ReadModel, *, indexed: bool = True) -> None:
    """The model's generation made anew, at position 0, with the revision that builds it; its
    queries' indexes too unless `indexed` is False (a rebuild makes them at its end)."""
    model.drop(tx)
    model.create(tx)
    if indexed:
        model.index(tx)
    tx.execute("INSERT INTO projection_positions VALUES (?, ?, 0)", (model.name, model.generation))
    tx.execute(
        "INSERT INTO projection_revisions VALUES (?, ?, ?)",
        (model.name, model.generation, model.revision),
    )


def revision(tx: Tx, name: str, generation: int) -> int:
    """The revision that built a generation (1: those built before revisions were kept)."""
    rows = tx.execute(
        "SELECT revision FROM projection_revisions WHERE name = ? AND generation = ?",
        (name, generation),
    )
    return int(rows[0][0]) if rows else 1


def replace_stale(
    tx: Tx, source: EventSource, store: ReadStore, model_class: type[ReadModel]
) -> None:
    """Serve a new, empty generation at once, to be caught up from event zero, and drop every
    other: the ones before were built by another revision, which this code cannot read (unlike a
    rebuild, nothing readable is left to serve meanwhile)."""
    name = model_class.name
    rows = tx.execute("SELECT generation FROM projection_positions WHERE name = ?", (name,))
    built = [int(generation) for (generation,) in rows]
    served = tx.execute("SELECT generation FROM projection_active WHERE name = ?", (name,))
    fresh = max([int(served[0][0]), *built]) + 1
    start(tx, model_class(source, store, fresh))
    tx.execute("UPDATE projection_active SET generation = ? WHERE name = ?", (fresh, name))
    for generation in built:
        tx.execute(
            "DELETE FROM projection_positions WHERE name = ? AND generation = ?",
            (name, generation),
        )
        model_class(source, store, generation).drop(tx)
        parts.forget(tx, name, generation)
    failures.forget_before(tx, name, fresh)
    log.warning(
        "read model %s: its tables were built by another revision; rebuilt from event zero"
        " as revision %d (generation %d)",
        name,
        model_class.revision,
        fresh,
    )

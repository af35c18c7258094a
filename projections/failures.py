"""Events a read model could not apply: recorded, skipped, and listed until a rebuild.

A failure names the read model and generation, the event (its position and topic) and why,
as the error's type and where it was raised — never the error's own text, which may quote the
values at fault (a name, a birth date). An error of the store itself (connection lost,
deadlock, disk full…) is no failure of the event: the batch is retried instead.
"""

import logging
import traceback
from dataclasses import dataclass
from pathlib import Path

from projections.store import ReadStore, Tx

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PLACES_SHOWN = 2
"""The innermost frames of this project's code named: the read model's, then the store's."""


@dataclass(frozen=True, slots=True)
class ProjectionFailure:
    name: str
    generation: int
    position: int
    topic: str
    error: str
    summary: str


def create_table(tx: Tx, store: ReadStore) -> None:
    tx.execute(
        "CREATE TABLE IF NOT EXISTS projection_failures (name TEXT NOT NULL,"
        f" generation INTEGER NOT NULL, position {store.bigint} NOT NULL, topic TEXT NOT NULL,"
        " error TEXT NOT NULL, summary TEXT NOT NULL, PRIMARY KEY (name, generation, position))"
    )


def record(
    tx: Tx, *, name: str, generation: int, position: int, topic: str, error: BaseException
) -> None:
    failure = ProjectionFailure(
        name, generation, position, topic, error_type(error), summary(error)
    )
    log.error(
        "read model %s (generation %d) skips event %d (%s): %s, %s",
        name,
        generation,
        position,
        topic,
        failure.error,
        failure.summary,
    )
    tx.execute(
        "INSERT INTO projection_failures VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (name, generation, position, topic, failure.error, failure.summary),
    )


def listed(store: ReadStore) -> list[ProjectionFailure]:
    """The failures of the generations served or kept (not of one being built), in log order."""
    rows = store.read(
        "SELECT f.name, f.generation, f.position, f.topic, f.error, f.summary"
        " FROM projection_failures f JOIN projection_active a ON a.name = f.name"
        " WHERE f.generation <= a.generation ORDER BY f.position, f.name, f.generation"
    )
    return [ProjectionFailure(*row) for row in rows]


def forget_before(tx: Tx, name: str, generation: int) -> None:
    """The failures of the generations older than `generation`: a rebuild applied again."""
    tx.execute(
        "DELETE FROM projection_failures WHERE name = ? AND generation < ?", (name, generation)
    )


def error_type(error: BaseException) -> str:
    kind = type(error)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def summary(error: BaseException) -> str:
    """Where the error was raised in this project's code, and the store's error code if any."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if _in_project(frame.filename)]
    places = ours[-PLACES_SHOWN:] or frames[-1:]
    text = f"{error_type(error)} levée"
    if places:
        text += " dans " + " → ".join(f"{_shown(p.filename)}:{p.lineno} ({p.name})" for p in places)
    code = getattr(error, "sqlstate", None) or getattr(error, "sqlite_errorname", None)
    return f"{text}, code {code}" if code else text


def _in_project(filename: str) -> bool:
    path = Path(filename)  # compiled extensions name a relative source: never ours
    if not path.is_absolute() or not path.resolve().is_relative_to(PROJECT_ROOT):
        return False
    return ".venv" not in path.resolve().relative_to(PROJECT_ROOT).parts


def _shown(filename: str) -> str:
    path = Path(filename)
    return str(path.resolve().relative_to(PROJECT_ROOT)) if _in_project(filename) else path.name

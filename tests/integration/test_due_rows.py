"""The due visits' rows (`DueRowChanges`) are the same whatever the batches the log is read in:
an employee's file drawn again after each command, the commands' events split anywhere between
batches — a command's events read in two batches draw its file twice at the same instant, the
second drawing replacing the first. And at every instant drawn, the rows known are those of the
last drawing at that instant."""

from itertools import pairwise
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections.store import ReadStore
from projections.timeline import NEVER
from projections.visits.due_rows import DUE_COLUMNS, Drawing, Drawn, DueRowChanges

EMPLOYEE = "e-1"
ROWS = [
    (EMPLOYEE, "m-1", valid_from, 900, kind, 100 + valid_from, "R4624-10", "Embauche")
    for valid_from in (1, 2, 3)
    for kind in ("information_and_prevention", "periodic")
]
Event = tuple[int, frozenset[Drawn]]
"""A command's event: the instant of its command, and the rows the file owes after it."""


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    """Commands at increasing instants, of one to three events each."""
    events: list[Event] = []
    instant = 1_000
    for _ in range(draw(st.integers(1, 8))):
        instant += draw(st.integers(1, 5))
        for _ in range(draw(st.integers(1, 3))):
            events.append((instant, frozenset(draw(st.sets(st.sampled_from(ROWS))))))
    return events


def drawings_of(batch: list[Event]) -> list[Drawing]:
    """The file drawn once per instant of the batch, as it stands after that instant's events."""
    drawings: dict[int, list[Drawn]] = {}
    for instant, rows in batch:
        drawings[instant] = sorted(rows)
    return list(drawings.items())


def apply(read_store: ReadStore, table: str, batches: list[list[Event]]) -> list[tuple]:
    for batch in filter(None, batches):
        changes = DueRowChanges(read_store, table)
        drawings = drawings_of(batch)
        with read_store.transaction() as tx:
            stored = changes.stored(tx, {EMPLOYEE: drawings[0][0]})
            changes.record(EMPLOYEE, stored[EMPLOYEE], drawings)
            changes.write(tx)
    return sorted(tuple(row) for row in read_store.read(f"SELECT * FROM {table}"))


def new_table(read_store: ReadStore) -> str:
    table = f"due_rows_{uuid4().hex[:12]}"
    columns = ", ".join(
        f"{c} BIGINT"
        if c.startswith("known_") or c in {"valid_from", "valid_to", "due_by"}
        else f"{c} TEXT"
        for c in DUE_COLUMNS
    )
    with read_store.transaction() as tx:
        tx.execute(f"CREATE TABLE {table} ({columns})")
    return table


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories(), cuts=st.sets(st.integers(1, 20), max_size=6))
def test_the_rows_are_those_of_one_batch_whatever_the_batches(
    read_store: ReadStore, history: list[Event], cuts: set[int]
) -> None:
    edges = [0, *sorted(c for c in cuts if c < len(history)), len(history)]
    batches = [history[start:end] for start, end in pairwise(edges)]

    in_batches = apply(read_store, new_table(read_store), batches)
    at_once = apply(read_store, new_table(read_store), [history])

    assert in_batches == at_once
    for instant, rows in drawings_of(history):
        known = {(*row[:4], *row[6:]) for row in at_once if row[4] <= instant < row[5]}
        assert known == set(rows), instant
    assert all(row[5] == NEVER or row[4] < row[5] for row in at_once)

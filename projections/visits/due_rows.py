"""The `due` rows a batch writes (`DueRowChanges`): each drawing of a file is compared with the
rows still known, so that a visit owed over the same days keeps its row, and its stretch of
knowledge, for as long as the drawings owe it — the table grows with what changes, not with the
length of each employee's history.

A command's events may be read in two batches: its file is then drawn twice at the same instant,
and the second drawing replaces the first (whose rows were never the knowledge of any instant):
the rows it opened are dropped, those it closed are known again, as if the command's events had
been read in one batch.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from projections.store import ReadStore, Tx
from projections.timeline import NEVER

DUE_COLUMNS = (
    "employee_id",
    "member_id",
    "valid_from",
    "valid_to",
    "known_from",
    "known_to",
    "kind",
    "due_by",
    "article",
    "reason",
)
Drawn = tuple[Any, ...]
"""A row as a file draws it: `DUE_COLUMNS` but the two of knowledge."""
Drawing = tuple[int, list[Drawn]]
"""The rows a file owes as known from an instant."""


@dataclass(slots=True)
class _Known:
    known_from: int
    known_to: int = NEVER


class DueRowChanges:
    """What a batch writes in the `due` table (`table`): the rows of a file it reads are
    written again as the batch leaves them (deleted by employee and knowledge, the way the
    table is indexed, and inserted: no other index of the table can mislead a statement)."""

    def __init__(self, store: ReadStore, table: str):
        self._store = store
        self._table = table
        self._cleared: list[tuple[str, int]] = []
        self._inserted: list[tuple[Any, ...]] = []

    def stored(self, tx: Tx, firsts: dict[str, int]) -> dict[str, list[tuple[Any, ...]]]:
        """The rows of these employees still known, or known until the instant of their first
        drawing in this batch (`firsts`), by employee."""
        found: dict[str, list[tuple[Any, ...]]] = {employee_id: [] for employee_id in firsts}
        if not firsts:
            return found
        condition, params = self._store.among("employee_id", sorted(firsts))
        columns = ", ".join((*_DRAWN_COLUMNS, "known_from", "known_to"))
        for row in tx.execute(
            f"SELECT {columns} FROM {self._table} WHERE known_to >= ? AND {condition}",
            (min(firsts.values()), *params),
        ):
            if row[-1] in (NEVER, firsts[row[0]]):
                found[row[0]].append(tuple(row))
        return found

    def record(
        self, employee_id: str, stored: list[tuple[Any, ...]], drawings: list[Drawing]
    ) -> None:
        """The changes that the file's `drawings` (in order, at distinct instants) make to the
        rows `stored` for it."""
        first_drawn = drawings[0][0]
        known_now: dict[Drawn, _Known] = {}
        for row in stored:
            known_from, known_to = row[-2:]
            if known_to == NEVER and known_from == first_drawn:
                continue  # drawn at that very instant by an earlier batch: replaced
            known_now[row[:-2]] = _Known(known_from)
        if stored:
            self._cleared += [(employee_id, NEVER), (employee_id, first_drawn)]
        closed: list[tuple[Drawn, _Known]] = []
        for at, rows in drawings:
            owed = set(rows)
            for drawn in [drawn for drawn in known_now if drawn not in owed]:
                known = known_now.pop(drawn)
                known.known_to = at
                closed.append((drawn, known))
            for drawn in rows:
                if drawn not in known_now:
                    known_now[drawn] = _Known(at)
        self._inserted += [
            (*drawn[:4], known.known_from, known.known_to, *drawn[4:])
            for drawn, known in [*closed, *known_now.items()]
        ]

    def write(self, tx: Tx) -> None:
        due = self._table
        tx.executemany(f"DELETE FROM {due} WHERE employee_id = ? AND known_to = ?", self._cleared)
        tx.insert_rows(due, DUE_COLUMNS, self._inserted)


_DRAWN_COLUMNS: Sequence[str] = tuple(c for c in DUE_COLUMNS if not c.startswith("known_"))

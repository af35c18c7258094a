"""WORKFORCE read model: every employee with contract, status, category and determinants, for
any validity date and any knowledge date (bitemporal).

`segments` holds, for each version of each employee's timeline (`projections.workforce.segments`),
one
row per period of validity, known from the instant the event that produced it was recorded
until the next event of that employee replaced it. `people` holds the current identity, for
display and accent-insensitive search; an erasure wipes it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.search import page_size, search_conditions, search_key
from domain.workforce.employee import Employee
from projections.aggregates import AggregateFolder
from projections.model import Envelope, Queries, ReadModel, is_erasure
from projections.store import Tx
from projections.timeline import NEVER, day, from_day, instant
from projections.workforce.segments import Segment, timeline

TIMELINES_KEPT = 10_000
SEGMENT_FIELDS = tuple(f.name for f in fields(Segment))
SEGMENT_COLUMNS = ", ".join(SEGMENT_FIELDS)
SEGMENT_TABLE_COLUMNS = ("employee_id", "member_id", "known_from", "known_to", *SEGMENT_FIELDS)
DAY_FIELDS = frozenset({"hire_date", "last_day", "trial_end", "planned_end", "birth_date"})
ROW_FIELDS = (
    "employee_id",
    "member_id",
    "birth_name",
    "usage_name",
    "first_name",
    "birth_date",
    "sex",
    *SEGMENT_FIELDS,
    "sort_key",
    "version",
    "determinant_periods",
)


class Workforce(ReadModel):
    name = "workforce"
    tables = ("segments", "people")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.employees = AggregateFolder(self.source)
        self._timelines: dict[UUID, tuple[int, list[Segment]]] = {}
        """The last timeline computed per employee, with the employee's version then."""

    def create(self, tx: Tx) -> None:
        bigint = self.store.bigint
        segments, people = self.table("segments"), self.table("people")
        tx.execute(
            f"CREATE TABLE {segments} (employee_id TEXT NOT NULL, member_id TEXT NOT NULL,"
            f" known_from {bigint} NOT NULL, known_to {bigint} NOT NULL,"
            " valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL, active INTEGER NOT NULL,"
            " contract_number INTEGER, contract_type TEXT, job_title TEXT, pcs_code TEXT,"
            " branch_code TEXT, hire_date INTEGER, last_day INTEGER, trial_end INTEGER,"
            " planned_end INTEGER, category TEXT,"
            " visit_before_assignment INTEGER NOT NULL, determinants TEXT NOT NULL)"
        )
        tx.execute(f"CREATE INDEX {segments}_member ON {segments} (member_id, known_to, valid_to)")
        tx.execute(f"CREATE INDEX {segments}_employee ON {segments} (employee_id, known_to)")
        tx.execute(
            f"CREATE TABLE {people} (employee_id TEXT PRIMARY KEY, member_id TEXT NOT NULL,"
            " birth_name TEXT, usage_name TEXT, first_name TEXT, birth_date INTEGER, sex TEXT,"
            " search_key TEXT NOT NULL, sort_key TEXT NOT NULL, version INTEGER NOT NULL,"
            " determinant_periods TEXT NOT NULL)"
        )
        tx.execute(f"CREATE INDEX {people}_member ON {people} (member_id, sort_key, employee_id)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        changes = _SegmentChanges()
        touched: dict[UUID, Employee] = {}
        for envelope in envelopes:
            if not isinstance(envelope.event, Employee.Event):
                continue
            employee_id = envelope.aggregate_id
            if is_erasure(envelope):
                touched[employee_id] = self.employees.apply(envelope.event)
                self._rewrite_history(tx, employee_id, envelope.event.originator_version, changes)
                continue
            before = self._timeline(employee_id, envelope)
            employee = self.employees.apply(envelope.event)
            after = timeline(employee)
            self._remember(employee_id, employee.version, after)
            touched[employee_id] = employee
            changes.record(employee, before, after, envelope.recorded_at)
        self._write(tx, changes, touched.values())

    def erase(self, tx: Tx, erased: Envelope) -> None:
        """The employee's rows as the erasure leaves them, if this generation has any (a
        generation kept behind the active one then shows their state as of the erasure)."""
        employee_id = erased.aggregate_id
        known = tx.execute(
            f"SELECT 1 FROM {self.table('people')} WHERE employee_id = ?", (str(employee_id),)
        )
        if known:
            changes = _SegmentChanges()
            version = erased.event.originator_version
            employee = self._rewrite_history(tx, employee_id, version, changes)
            self._write(tx, changes, [employee])

    def _write(self, tx: Tx, changes: "_SegmentChanges", touched: Iterable[Employee]) -> None:
        tx.executemany(
            f"UPDATE {self.table('segments')} SET known_to = ?"
            f" WHERE employee_id = ? AND valid_from = ? AND known_to = {NEVER}",
            changes.closed_rows,
        )
        tx.insert_rows(self.table("segments"), SEGMENT_TABLE_COLUMNS, changes.new_rows())
        tx.executemany(self._upsert_person, [_person_row(e) for e in touched])

    @property
    def _upsert_person(self) -> str:
        return (
            f"INSERT INTO {self.table('people')} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (employee_id) DO UPDATE SET birth_name = excluded.birth_name,"
            " usage_name = excluded.usage_name, first_name = excluded.first_name,"
            " birth_date = excluded.birth_date, sex = excluded.sex,"
            " search_key = excluded.search_key, sort_key = excluded.sort_key,"
            " version = excluded.version, determinant_periods = excluded.determinant_periods"
        )

    def _rewrite_history(
        self, tx: Tx, employee_id: UUID, version: int, changes: "_SegmentChanges"
    ) -> Employee:
        """After an erasure, every version is recomputed as a rebuild would see it: without the
        birth date (no under-18 periods), which was identity data."""
        tx.execute(
            f"DELETE FROM {self.table('segments')} WHERE employee_id = ?", (str(employee_id),)
        )
        changes.forget(employee_id)
        previous: list[Segment] = []
        employee: Any = None
        events: list[Any] = list(self.source.events_of(employee_id, version))
        for event in events:
            employee = event.mutate(employee)
            segments = timeline(employee)
            changes.record(employee, previous, segments, instant(event.timestamp))
            previous = segments
        self._remember(employee_id, version, previous)
        erased: Employee = employee
        return erased

    def _remember(self, employee_id: UUID, version: int, segments: list[Segment]) -> None:
        self._timelines.pop(employee_id, None)
        self._timelines[employee_id] = (version, segments)
        if len(self._timelines) > TIMELINES_KEPT:
            del self._timelines[next(iter(self._timelines))]

    def _timeline(self, employee_id: UUID, envelope: Envelope) -> list[Segment]:
        """The timeline just before this event (recomputed unless remembered at that version,
        so a batch rolled back after it was computed is never trusted)."""
        version = envelope.event.originator_version - 1
        remembered = self._timelines.get(employee_id)
        if remembered is not None and remembered[0] == version:
            return remembered[1]
        previous = self.employees.state_before(envelope.event)
        return [] if previous is None else timeline(previous)


class _SegmentChanges:
    """The rows a batch closes and opens. Only the periods an event changes get a new row: an
    unchanged period keeps its row and its knowledge interval, so the table grows with the
    changes, not with the length of each employee's history."""

    def __init__(self) -> None:
        self.closed_rows: list[tuple[int, str, int]] = []
        self._open: dict[tuple[str, int], list[Any]] = {}
        self._done: list[list[Any]] = []

    def record(
        self, employee: Employee, before: list[Segment], after: list[Segment], at: int
    ) -> None:
        employee_id = str(employee.id)
        kept = set(before) & set(after)
        for segment in before:
            if segment not in kept:
                self._close(employee_id, segment.valid_from, at)
        for segment in after:
            if segment not in kept:
                row = [employee_id, str(employee.member_id), at, NEVER, *_values(segment)]
                self._open[(employee_id, segment.valid_from)] = row

    def forget(self, employee_id: UUID) -> None:
        """Its rows are being rewritten from scratch."""
        key = str(employee_id)
        self.closed_rows = [c for c in self.closed_rows if c[1] != key]
        self._done = [row for row in self._done if row[0] != key]
        self._open = {k: row for k, row in self._open.items() if k[0] != key}

    def new_rows(self) -> list[list[Any]]:
        return [*self._done, *self._open.values()]

    def _close(self, employee_id: str, valid_from: int, at: int) -> None:
        row = self._open.pop((employee_id, valid_from), None)
        if row is None:  # a row already in the table
            self.closed_rows.append((at, employee_id, valid_from))
        else:  # opened earlier in this batch
            row[3] = at
            self._done.append(row)


def _person_row(employee: Employee) -> tuple[Any, ...]:
    identity = employee.identity
    names = (
        (identity.birth_name, identity.usage_name, identity.first_name)
        if identity
        else (None, None, None)
    )
    display = " ".join(n for n in (names[1] or names[0], names[2]) if n)
    periods = [
        DeterminantPeriodRow(
            p.determinant_id, p.determinant.value, p.started_on, p.ended_on, p.note
        )
        for p in employee.determinants or ()
        if not p.retracted
    ]
    return (
        str(employee.id),
        str(employee.member_id),
        *names,
        day(identity.birth_date) if identity else None,
        identity.sex.value if identity else None,
        search_key(" ".join(n for n in names if n)),
        search_key(display),
        employee.version,
        _PERIODS_ENCODER.encode(periods).decode(),
    )


def _values(segment: Segment) -> tuple[Any, ...]:
    values = (getattr(segment, name) for name in SEGMENT_FIELDS)
    return tuple(int(v) if isinstance(v, bool) else v for v in values)


class DeterminantPeriodRow(msgspec.Struct, frozen=True):
    """A declared follow-up determinant (its id is what a withdrawal or retraction names)."""

    determinant_id: int
    determinant: str
    started_on: date
    ended_on: date | None
    note: str | None


_PERIODS_ENCODER = msgspec.json.Encoder()
_PERIODS_DECODER = msgspec.json.Decoder(tuple[DeterminantPeriodRow, ...])


class WorkforceRow(msgspec.Struct, frozen=True):
    """An employee as of a validity date and a knowledge instant."""

    employee_id: UUID
    member_id: UUID
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None
    sex: str | None
    active: bool
    contract_number: int | None
    contract_type: str | None
    job_title: str | None
    pcs_code: str | None
    branch_code: str | None
    hire_date: date | None
    last_day: date | None
    trial_end: date | None
    planned_end: date | None
    category: str | None
    visit_before_assignment: bool
    determinants: tuple[str, ...]
    valid_from: date | None
    valid_to: date | None
    sort_key: str
    version: int
    determinant_periods: tuple[DeterminantPeriodRow, ...]


class WorkforceFilter(msgspec.Struct, frozen=True):
    active: bool | None = None
    category: str | None = None
    contract_type: str | None = None
    branch_code: str | None = None
    search: str | None = None


class WorkforceQueries(Queries):
    name = "workforce"

    def employees(
        self,
        member_id: UUID,
        valid_on: date,
        known_at: int,
        where: "WorkforceFilter | None" = None,
        *,
        after: tuple[str, UUID] | None = None,
        limit: int = 50,
    ) -> list[WorkforceRow]:
        """A page of a member's employees (those hired by `valid_on`), by name."""
        conditions, params = _filter(where or WorkforceFilter())
        if after is not None:
            conditions.append("(p.sort_key > ? OR (p.sort_key = ? AND p.employee_id > ?))")
            params += [after[0], after[0], str(after[1])]
        sql = (
            f"{self._select()} WHERE p.member_id = ? AND {_AS_OF}"
            f"{''.join(' AND ' + c for c in conditions)}"
            " ORDER BY p.sort_key, p.employee_id LIMIT ?"
        )
        day_on = day(valid_on)
        rows = self.store.read(
            sql, [str(member_id), known_at, known_at, day_on, day_on, *params, page_size(limit)]
        )
        return [_row(r) for r in rows]

    def employees_by_ids(
        self, ids: Sequence[UUID], valid_on: date, known_at: int
    ) -> dict[UUID, WorkforceRow]:
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        day_on = day(valid_on)
        rows = self.store.read(
            f"{self._select()} WHERE s.employee_id IN ({marks}) AND {_AS_OF}",
            [*(str(i) for i in ids), known_at, known_at, day_on, day_on],
        )
        found = (_row(r) for r in rows)
        return {row.employee_id: row for row in found}

    def employee(self, employee_id: UUID, valid_on: date, known_at: int) -> WorkforceRow | None:
        return self.employees_by_ids([employee_id], valid_on, known_at).get(employee_id)

    def member_of(self, employee_id: UUID) -> UUID | None:
        rows = self.store.read(
            f"SELECT member_id FROM {self.table('people')} WHERE employee_id = ?",
            (str(employee_id),),
        )
        return UUID(rows[0][0]) if rows else None

    def _select(self) -> str:
        return (
            "SELECT s.employee_id, s.member_id, p.birth_name, p.usage_name, p.first_name,"
            f" p.birth_date, p.sex, {_QUALIFIED_SEGMENT_COLUMNS},"
            f" p.sort_key, p.version, p.determinant_periods FROM {self.table('segments')} s"
            f" JOIN {self.table('people')} p ON p.employee_id = s.employee_id"
        )


_QUALIFIED_SEGMENT_COLUMNS = ", ".join("s." + c.strip() for c in SEGMENT_COLUMNS.split(","))
_AS_OF = "s.known_from <= ? AND ? < s.known_to AND s.valid_from <= ? AND ? <= s.valid_to"


def _filter(where: WorkforceFilter) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    if where.active is not None:
        conditions.append("s.active = ?")
        params.append(int(where.active))
    for column in ("category", "contract_type", "branch_code"):
        value = getattr(where, column)
        if value is not None:
            conditions.append(f"s.{column} = ?")
            params.append(value)
    words, patterns = search_conditions("p.search_key", where.search)
    return conditions + words, params + patterns


def _row(r: Sequence[Any]) -> WorkforceRow:
    raw = dict(zip(ROW_FIELDS, r, strict=True))
    for name in DAY_FIELDS:
        raw[name] = None if raw[name] is None else from_day(raw[name])
    return WorkforceRow(
        **raw
        | {
            "employee_id": UUID(raw["employee_id"]),
            "member_id": UUID(raw["member_id"]),
            "active": bool(raw["active"]),
            "visit_before_assignment": bool(raw["visit_before_assignment"]),
            "determinants": tuple(d for d in raw["determinants"].split(",") if d),
            "valid_from": from_day(raw["valid_from"]),
            "valid_to": from_day(raw["valid_to"]),
            "determinant_periods": _PERIODS_DECODER.decode(raw["determinant_periods"]),
        }
    )

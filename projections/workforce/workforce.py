"""WORKFORCE read model: every employee with contract, status, category and determinants, for
any validity date and any knowledge date (bitemporal).

`segments` holds, for each version of each employee's timeline (`projections.workforce.segments`),
one
row per period of validity, known from the instant the event that produced it was recorded
until the next event of that employee replaced it. `people` holds the current identity, sealed
under the employee's identity key (`projections.personal`), and `name_tokens` the blind-index
tokens that find it by name; an erasure wipes both, and the key's destruction alone already
makes the sealed identity unreadable. Pages are ordered by name: the queries unseal the names
of a member's employees once, and keep that order until an identity of the member changes.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.workforce.employee import Employee
from domain.workforce.timeline_inputs import UNDRAWN, TimelineInputs
from projections.aggregates import shared_folder
from projections.model import Envelope, ReadModel, is_erasure
from projections.personal import (
    PersonKey,
    seal_identity,
    seal_of,
)
from projections.store import Tx
from projections.timeline import NEVER, instant
from projections.workforce.segments import (
    SEGMENT_FIELDS,
    Segment,
    SegmentChanges,
    retimed,
    timeline,
)

TIMELINES_KEPT = 10_000
SEGMENT_COLUMNS = ", ".join(SEGMENT_FIELDS)
SEGMENT_TABLE_COLUMNS = ("employee_id", "member_id", "known_from", "known_to", *SEGMENT_FIELDS)
RENAMING_EVENTS = frozenset({"IdentityCorrected", "IdentityErased"})
"""Besides the first event: the events after which the identity differs."""


class Workforce(ReadModel):
    name = "workforce"
    by_record = True
    reads = (Employee.Event,)
    tables = ("segments", "people", "name_tokens")
    weight = 6
    revision = 3  # identities sealed, found by blind index, named at a log position

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.employees = shared_folder(self.source, Employee)
        self._timelines: dict[UUID, tuple[int, list[Segment], TimelineInputs]] = {}
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
        tx.execute(f"CREATE INDEX {segments}_employee ON {segments} (employee_id, known_to)")
        tx.execute(
            f"CREATE TABLE {people} (employee_id TEXT PRIMARY KEY, member_id TEXT NOT NULL,"
            f" identity TEXT, named_at {bigint} NOT NULL, version INTEGER NOT NULL,"
            " determinant_periods TEXT NOT NULL)"
        )
        tokens = self.table("name_tokens")
        tx.execute(
            f"CREATE TABLE {tokens} (member_id TEXT NOT NULL, token TEXT NOT NULL,"
            " employee_id TEXT NOT NULL, PRIMARY KEY (member_id, token, employee_id))"
        )
        tx.execute(f"CREATE INDEX {tokens}_employee ON {tokens} (employee_id)")

    def index(self, tx: Tx) -> None:
        segments, people = self.table("segments"), self.table("people")
        tx.execute(f"CREATE INDEX {segments}_member ON {segments} (member_id, known_to, valid_to)")
        tx.execute(f"CREATE INDEX {people}_member ON {people} (member_id, named_at)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        changes = SegmentChanges()
        touched: dict[UUID, Employee] = {}
        renamed: dict[UUID, int] = {}
        hired: set[UUID] = set()
        for envelope in envelopes:
            if not isinstance(envelope.event, Employee.Event):
                continue
            employee_id = envelope.aggregate_id
            if envelope.event.originator_version == 1:
                hired.add(employee_id)
            if envelope.event.originator_version == 1 or envelope.event_name in RENAMING_EVENTS:
                renamed[employee_id] = envelope.position
            if is_erasure(envelope):
                seal_of(self.store).forget(employee_id)
                touched[employee_id] = self.employees.apply(envelope.event)
                self._rewrite_history(tx, employee_id, envelope.event.originator_version, changes)
                continue
            before, inputs = self._timeline(employee_id, envelope)
            employee = self.employees.apply(envelope.event)
            now = TimelineInputs.of(employee)
            kept, after = retimed(employee, before, inputs.changed_from(now))
            self._remember(employee_id, employee.version, after, now)
            touched[employee_id] = employee
            changes.record(employee, before[kept:], after[kept:], envelope.recorded_at)
        self._write(tx, changes, touched.values(), renamed, hired)

    def erase(self, tx: Tx, erased: Envelope) -> None:
        """The employee's rows as the erasure leaves them, if this generation has any (a
        generation kept behind the active one then shows their state as of the erasure)."""
        employee_id = erased.aggregate_id
        known = tx.execute(
            f"SELECT 1 FROM {self.table('people')} WHERE employee_id = ?", (str(employee_id),)
        )
        if known:
            changes = SegmentChanges()
            version = erased.event.originator_version
            employee = self._rewrite_history(tx, employee_id, version, changes)
            self._write(tx, changes, [employee], {employee_id: erased.position}, set())

    def _write(
        self,
        tx: Tx,
        changes: "SegmentChanges",
        touched: Iterable[Employee],
        renamed: dict[UUID, int],
        hired: set[UUID],
    ) -> None:
        """`hired`: the employees whose first event is in this batch (no row of theirs yet)."""
        tx.executemany(
            f"UPDATE {self.table('segments')} SET known_to = ?"
            f" WHERE employee_id = ? AND valid_from = ? AND known_to = {NEVER}",
            changes.closed_rows,
        )
        tx.insert_rows(self.table("segments"), SEGMENT_TABLE_COLUMNS, changes.new_rows())
        touched = list(touched)
        seal = seal_of(self.store)
        keys = seal.keys(tx.execute, [e.id for e in touched if e.id in renamed])
        people = self.table("people")
        tx.executemany(
            f"UPDATE {people} SET version = ?, determinant_periods = ? WHERE employee_id = ?",
            [(e.version, _periods(e), str(e.id)) for e in touched if e.id not in renamed],
        )
        named = [e for e in touched if e.id in renamed]
        tx.insert_rows(
            people,
            PEOPLE_COLUMNS,
            [_person_row(e, keys.get(e.id), renamed[e.id]) for e in named if e.id in hired],
        )
        tx.executemany(
            f"INSERT INTO {people} VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (employee_id) DO UPDATE"
            " SET identity = excluded.identity, named_at = excluded.named_at,"
            " version = excluded.version, determinant_periods = excluded.determinant_periods",
            [_person_row(e, keys.get(e.id), renamed[e.id]) for e in named if e.id not in hired],
        )
        tokens = self.table("name_tokens")
        renamed_ids = [e.id for e in named if e.id not in hired]
        if renamed_ids:
            among, params = self.store.among("employee_id", renamed_ids)
            tx.execute(f"DELETE FROM {tokens} WHERE {among}", params)
        tx.insert_rows(
            tokens,
            ("member_id", "token", "employee_id"),
            [
                row
                for e in named
                if e.identity is not None
                for row in _token_rows(e, seal.name_tokens(e.member_id, _names(e)))
            ],
        )

    def _rewrite_history(
        self, tx: Tx, employee_id: UUID, version: int, changes: "SegmentChanges"
    ) -> Employee:
        """After an erasure, every version is recomputed as a rebuild would see it: without the
        birth date (no under-18 periods), which was identity data."""
        tx.execute(
            f"DELETE FROM {self.table('segments')} WHERE employee_id = ?", (str(employee_id),)
        )
        changes.forget(employee_id)
        previous: list[Segment] = []
        inputs = UNDRAWN
        employee: Any = None
        events: list[Any] = list(self.source.events_of(employee_id, version))
        for event in events:
            employee = event.mutate(employee)
            now = TimelineInputs.of(employee)
            kept, segments = retimed(employee, previous, inputs.changed_from(now))
            changes.record(employee, previous[kept:], segments[kept:], instant(event.timestamp))
            previous, inputs = segments, now
        self._remember(employee_id, version, previous, inputs)
        erased: Employee = employee
        return erased

    def _remember(
        self, employee_id: UUID, version: int, segments: list[Segment], inputs: TimelineInputs
    ) -> None:
        self._timelines.pop(employee_id, None)
        self._timelines[employee_id] = (version, segments, inputs)
        if len(self._timelines) > TIMELINES_KEPT:
            del self._timelines[next(iter(self._timelines))]

    def _timeline(
        self, employee_id: UUID, envelope: Envelope
    ) -> tuple[list[Segment], TimelineInputs]:
        """The timeline just before this event and what it was drawn from (drawn again unless
        remembered at that version, so a batch rolled back after it was drawn is never
        trusted)."""
        version = envelope.event.originator_version - 1
        remembered = self._timelines.get(employee_id)
        if remembered is not None and remembered[0] == version:
            return remembered[1], remembered[2]
        previous = self.employees.state_before(envelope.event)
        if previous is None:
            return [], UNDRAWN
        return timeline(previous), TimelineInputs.of(previous)


def _names(employee: Employee) -> tuple[str | None, ...]:
    identity = employee.identity
    if identity is None:
        return (None, None, None)
    return (identity.birth_name, identity.usage_name, identity.first_name)


PEOPLE_COLUMNS = (
    "employee_id",
    "member_id",
    "identity",
    "named_at",
    "version",
    "determinant_periods",
)


def _person_row(employee: Employee, key: PersonKey | None, named_at: int) -> tuple[Any, ...]:
    return (
        str(employee.id),
        str(employee.member_id),
        seal_identity(key, employee.identity),
        named_at,
        employee.version,
        _periods(employee),
    )


def _periods(employee: Employee) -> str:
    periods = [
        DeterminantPeriodRow(
            p.determinant_id, p.determinant.value, p.started_on, p.ended_on, p.note, p.situation
        )
        for p in employee.determinants or ()
        if not p.retracted
    ]
    return _PERIODS_ENCODER.encode(periods).decode()


class DeterminantPeriodRow(msgspec.Struct, frozen=True):
    """A declared follow-up determinant (its id is what a withdrawal or retraction names)."""

    determinant_id: int
    determinant: str
    started_on: date
    ended_on: date | None
    note: str | None
    situation: str | None = None
    """The situation a `REPORTED_SITUATION` reports (« Risques psychosociaux »)."""


_PERIODS_ENCODER = msgspec.json.Encoder()


def _token_rows(employee: Employee, tokens: set[str]) -> list[tuple[str, str, str]]:
    member_id, employee_id = str(employee.member_id), str(employee.id)
    return [(member_id, token, employee_id) for token in sorted(tokens)]

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

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.search import page_size
from domain.workforce.employee import Employee
from projections.aggregates import AggregateFolder
from projections.model import Envelope, Queries, ReadModel, is_erasure
from projections.personal import (
    NameOrder,
    NameOrders,
    PersonKey,
    SealedIdentity,
    open_identities,
    seal_identity,
    seal_of,
)
from projections.store import Row, Tx
from projections.timeline import NEVER, day, from_day, instant
from projections.workforce.segments import SEGMENT_FIELDS, Segment, SegmentChanges, timeline

TIMELINES_KEPT = 10_000
SEGMENT_COLUMNS = ", ".join(SEGMENT_FIELDS)
SEGMENT_TABLE_COLUMNS = ("employee_id", "member_id", "known_from", "known_to", *SEGMENT_FIELDS)
WALKED_MORE = 10
"""A page without filter reads the rows of that many ids more than it shows (some may not be
on the list that day): most pages take one query."""
RENAMING_EVENTS = frozenset({"IdentityCorrected", "IdentityErased"})
"""Besides the first event: the events after which the identity differs."""


class Workforce(ReadModel):
    name = "workforce"
    tables = ("segments", "people", "name_tokens")
    revision = 3  # identities sealed, found by blind index, named at a log position

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
            f" identity TEXT, named_at {bigint} NOT NULL, version INTEGER NOT NULL,"
            " determinant_periods TEXT NOT NULL)"
        )
        tx.execute(f"CREATE INDEX {people}_member ON {people} (member_id, named_at)")
        tokens = self.table("name_tokens")
        tx.execute(
            f"CREATE TABLE {tokens} (member_id TEXT NOT NULL, token TEXT NOT NULL,"
            " employee_id TEXT NOT NULL, PRIMARY KEY (member_id, token, employee_id))"
        )
        tx.execute(f"CREATE INDEX {tokens}_employee ON {tokens} (employee_id)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        changes = SegmentChanges()
        touched: dict[UUID, Employee] = {}
        renamed: dict[UUID, int] = {}
        for envelope in envelopes:
            if not isinstance(envelope.event, Employee.Event):
                continue
            employee_id = envelope.aggregate_id
            if envelope.event.originator_version == 1 or envelope.event_name in RENAMING_EVENTS:
                renamed[employee_id] = envelope.position
            if is_erasure(envelope):
                seal_of(self.store).forget(employee_id)
                touched[employee_id] = self.employees.apply(envelope.event)
                self._rewrite_history(tx, employee_id, envelope.event.originator_version, changes)
                continue
            before = self._timeline(employee_id, envelope)
            employee = self.employees.apply(envelope.event)
            after = timeline(employee)
            self._remember(employee_id, employee.version, after)
            touched[employee_id] = employee
            changes.record(employee, before, after, envelope.recorded_at)
        self._write(tx, changes, touched.values(), renamed)

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
            self._write(tx, changes, [employee], {employee_id: erased.position})

    def _write(
        self,
        tx: Tx,
        changes: "SegmentChanges",
        touched: Iterable[Employee],
        renamed: dict[UUID, int],
    ) -> None:
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
        tx.executemany(
            f"INSERT INTO {people} VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (employee_id) DO UPDATE"
            " SET identity = excluded.identity, named_at = excluded.named_at,"
            " version = excluded.version, determinant_periods = excluded.determinant_periods",
            [_person_row(e, keys.get(e.id), renamed[e.id]) for e in named],
        )
        tokens = self.table("name_tokens")
        tx.executemany(f"DELETE FROM {tokens} WHERE employee_id = ?", [(str(e.id),) for e in named])
        tx.insert_rows(
            tokens,
            ("member_id", "token", "employee_id"),
            [
                (str(e.member_id), token, str(e.id))
                for e in named
                if e.identity is not None
                for token in sorted(seal.name_tokens(e.member_id, _names(e)))
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


def _names(employee: Employee) -> tuple[str | None, ...]:
    identity = employee.identity
    if identity is None:
        return (None, None, None)
    return (identity.birth_name, identity.usage_name, identity.first_name)


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

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._orders = NameOrders()

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
        """A page of a member's employees (those hired by `valid_on`), by name: the member's
        order of names, unsealed once (`NameOrders`), narrowed to the names searched (the
        blind index), walked from the cursor, the rows of a page's ids read at once."""
        where = where or WorkforceFilter()
        order = self._orders.of(self.store, self.table("people"), member_id)
        ordered = order.ordered
        named = self._named(member_id, where.search)
        if named is not None:
            ordered = order.among(named)
        start = None if after is None else (after[0], str(after[1]))
        index = 0 if start is None else bisect_right(ordered, start)
        size = page_size(limit)
        chunk_size = size + WALKED_MORE
        found: list[Sequence[Any]] = []
        while len(found) < size and index < len(ordered):
            chunk = ordered[index : index + chunk_size]
            index += len(chunk)
            chunk_size *= 2  # a filter few employees pass: few queries all the same
            ids = [employee_id for _, employee_id in chunk]
            rows = {r[0]: r for r in self._sealed_rows(ids, valid_on, known_at, where)}
            found += [rows[i] for i in ids if i in rows]
        return self._opened(found[:size], order)

    def _named(self, member_id: UUID, search: str | None) -> set[str] | None:
        """The ids of the member's employees whose names hold every word searched (None: no
        search)."""
        tokens = seal_of(self.store).search_tokens(member_id, search)
        if not tokens:
            return None
        table = self.table("name_tokens")
        if len(tokens) == 1:
            query = f"SELECT employee_id FROM {table} WHERE member_id = ? AND token = ?"
            return {r[0] for r in self.store.read(query, [str(member_id), tokens[0]])}
        rows = self.store.read(
            f"SELECT employee_id FROM {table}"
            f" WHERE member_id = ? AND token IN ({', '.join('?' * len(tokens))})"
            " GROUP BY employee_id HAVING count(*) = ?",
            [str(member_id), *tokens, len(tokens)],
        )
        return {r[0] for r in rows}

    def employees_by_ids(
        self, ids: Sequence[UUID], valid_on: date, known_at: int
    ) -> dict[UUID, WorkforceRow]:
        found = self._opened(self._sealed_rows([str(i) for i in ids], valid_on, known_at))
        return {row.employee_id: row for row in found}

    def _sealed_rows(
        self,
        ids: Sequence[str],
        valid_on: date,
        known_at: int,
        where: "WorkforceFilter | None" = None,
    ) -> list[Row]:
        if not ids:
            return []
        among, params = seal_of(self.store).among("s.employee_id", ids)
        conditions, filtered = _filter(where or WorkforceFilter())
        day_on = day(valid_on)
        return self.store.read(
            f"{self._select()} WHERE {among} AND {_AS_OF}"
            f"{''.join(' AND ' + c for c in conditions)}",
            [*params, known_at, known_at, day_on, day_on, *filtered],
        )

    def _opened(
        self, rows: Sequence[Sequence[Any]], order: NameOrder | None = None
    ) -> list[WorkforceRow]:
        """The rows with their identities opened, or taken as the member's order opened them
        when the caller has it and they are unchanged (opening costs more than the query)."""
        ids = {r[0]: UUID(r[0]) for r in rows}
        identities = order.unchanged({r[0]: r[2] for r in rows}) if order else {}
        sealed = {ids[r[0]]: r[2] for r in rows if r[0] not in identities}
        if sealed:
            opened = open_identities(self.store, self.store.read, sealed)
            identities |= {str(i): identity for i, identity in opened.items()}
        keys = order.keys if order else {}
        members = {r[1]: UUID(r[1]) for r in rows}
        return [_row(r, ids[r[0]], members[r[1]], identities[r[0]], keys.get(r[0])) for r in rows]

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
            f"SELECT s.employee_id, s.member_id, p.identity, {_QUALIFIED_SEGMENT_COLUMNS},"
            f" p.version, p.determinant_periods FROM {self.table('segments')} s"
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
    return conditions, params


def _row(
    r: Sequence[Any],
    employee_id: UUID,
    member_id: UUID,
    identity: SealedIdentity,
    sort_key: str | None,
) -> WorkforceRow:
    """A row of `_select`, built by position (a page builds a hundred): the employee, the
    member, the sealed identity, the segment's columns in `SEGMENT_FIELDS`' order, the
    version and the determinants' periods."""
    (
        _,
        _,
        _,
        valid_from,
        valid_to,
        active,
        contract_number,
        contract_type,
        job_title,
        pcs_code,
        branch_code,
        hire_date,
        last_day,
        trial_end,
        planned_end,
        category,
        visit_before_assignment,
        determinants,
        version,
        determinant_periods,
    ) = r
    return WorkforceRow(
        employee_id,
        member_id,
        identity.birth_name,
        identity.usage_name,
        identity.first_name,
        identity.birth_date,
        identity.sex,
        bool(active),
        contract_number,
        contract_type,
        job_title,
        pcs_code,
        branch_code,
        _day(hire_date),
        _day(last_day),
        _day(trial_end),
        _day(planned_end),
        category,
        bool(visit_before_assignment),
        tuple(d for d in determinants.split(",") if d),
        from_day(valid_from),
        from_day(valid_to),
        identity.sort_key() if sort_key is None else sort_key,
        version,
        _PERIODS_DECODER.decode(determinant_periods),
    )


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else from_day(ordinal)

"""DUE_VISITS read model: the visits each employee owes, on which days, as known when.

`due` holds one row per visit owed over a stretch of days (`valid_from`..`valid_to`, both
included) and over a stretch of knowledge (`known_from`..`known_to`): "what was owed on that day,
as known at that instant" is a lookup, for one member or the whole service. The rows come from
the employee's file as the workforce and the follow-up record say it (`domain.visits.
employee_file`), drawn again when either changes: from the versions this read model has
applied (`files`), once per employee and instant of knowledge (the events of one command share
it), so that a rebuild, whatever its batches, writes the rows the live read model wrote.

`record_items` lists the follow-up record as it stands: its visits and absences, with their
numbers (what a withdrawal or a return names); `record_notes` its convocation constraints and
comment.

An erasure takes the birth date away, and with it every row drawn from it: the employee's rows
are drawn again from the erasure on, none kept from before.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeGuard
from uuid import UUID

from domain.visits.due_spans import DueSpan, due_spans
from domain.visits.employee_file import category_periods, follow_up_file
from domain.visits.follow_up_file import CategoryPeriod
from domain.visits.follow_up_record import FollowUpRecord
from domain.workforce.employee import Employee
from domain.workforce.timeline_inputs import TimelineInputs
from projections.aggregates import shared_folder
from projections.model import Envelope, ReadModel, is_erasure, reads_topic
from projections.rows import optional
from projections.store import Tx
from projections.timeline import OPEN_END, day
from projections.visits.due_rows import Drawing, DueRowChanges

FILES_KEPT = 10_000
LONG_HISTORY = 16
"""Determinants and exposures from which an employee's categories are remembered between two
drawings: fewer are assessed again faster than they are remembered."""
RECORD_ITEM_COLUMNS = (
    "employee_id",
    "item",
    "item_id",
    "kind",
    "on_day",
    "until_day",
    "role",
    "document",
)


class DueVisits(ReadModel):
    name = "due_visits"
    revision = 2  # a visit owed over the same days keeps its row while the drawings owe it
    reads = (Employee.Event, FollowUpRecord.Event)
    tables = ("files", "due", "record_items", "record_notes")
    weight = 4
    by_record = True

    @classmethod
    def part_key(cls, topic: str, record_id: Any) -> Any:
        """An employee's events go to the part of the employee's follow-up record (its id is
        made from the employee's): a file is drawn from both."""
        if reads_topic((Employee.Event,), topic):
            return FollowUpRecord.create_id(employee_id=record_id)
        return record_id

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.employees = shared_folder(self.source, Employee)
        self.records = shared_folder(self.source, FollowUpRecord)
        self._periods: dict[str, tuple[TimelineInputs, tuple[CategoryPeriod, ...]]] = {}

    def create(self, tx: Tx) -> None:
        files, due = self.table("files"), self.table("due")
        bigint = self.store.bigint
        tx.execute(
            f"CREATE TABLE {files} (employee_id TEXT PRIMARY KEY, employee_version INTEGER,"
            " record_id TEXT UNIQUE, record_version INTEGER)"
        )
        tx.execute(
            f"CREATE TABLE {due} (employee_id TEXT NOT NULL, member_id TEXT NOT NULL,"
            " valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL,"
            f" known_from {bigint} NOT NULL, known_to {bigint} NOT NULL, kind TEXT NOT NULL,"
            " due_by INTEGER NOT NULL, article TEXT NOT NULL, reason TEXT NOT NULL)"
        )
        tx.execute(f"CREATE INDEX {due}_employee ON {due} (employee_id, known_to)")
        tx.execute(
            f"CREATE TABLE {self.table('record_items')} (employee_id TEXT NOT NULL,"
            " item TEXT NOT NULL, item_id INTEGER NOT NULL, kind TEXT NOT NULL,"
            " on_day INTEGER NOT NULL, until_day INTEGER, role TEXT, document TEXT,"
            " PRIMARY KEY (employee_id, item, item_id))"
        )
        tx.execute(
            f"CREATE TABLE {self.table('record_notes')} (employee_id TEXT PRIMARY KEY,"
            " convocation_constraints TEXT, comment TEXT)"
        )

    def index(self, tx: Tx) -> None:
        due = self.table("due")
        tx.execute(f"CREATE INDEX {due}_member ON {due} (member_id, known_to, due_by)")
        tx.execute(f"CREATE INDEX {due}_due_by ON {due} (known_to, due_by)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        batch = _Batch(self._files_of(tx, envelopes))
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, Employee.Event):
                file = batch.file(str(event.originator_id))
            elif isinstance(event, FollowUpRecord.Event):
                file = batch.file_of_record(event)
            else:
                continue
            if file.pending is not None and file.pending != envelope.recorded_at:
                self._draw(file, file.pending)
            if isinstance(event, Employee.Event):
                self.employees.apply(event)
                file.employee_version = event.originator_version
                if is_erasure(envelope):
                    file.erased()
            else:
                self.records.apply(event)
                file.record_id = str(event.originator_id)
                file.record_version = event.originator_version
                file.record_changed = True
            file.pending = envelope.recorded_at
        for file in batch.files.values():
            if file.pending is not None:
                self._draw(file, file.pending)
        self._write(tx, list(batch.files.values()))

    def _files_of(self, tx: Tx, envelopes: Sequence[Envelope]) -> dict[str, "_File"]:
        """The files the batch's events change, as this read model last drew them."""
        employees: set[str] = set()
        records: set[str] = set()
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, Employee.Event):
                employees.add(str(event.originator_id))
            elif _opens_record(event):
                employees.add(str(event.employee_id))
            elif isinstance(event, FollowUpRecord.Event):
                records.add(str(event.originator_id))
        files: dict[str, _File] = {}
        for ids, column in ((employees, "employee_id"), (records, "record_id")):
            if not ids:
                continue
            condition, params = self.store.among(column, sorted(ids))
            for employee_id, employee_version, record_id, record_version in tx.execute(
                "SELECT employee_id, employee_version, record_id, record_version"
                f" FROM {self.table('files')} WHERE {condition}",
                params,
            ):
                files[employee_id] = _File(
                    employee_id, employee_version, record_id, record_version or 0, stored=True
                )
        return files

    def _draw(self, file: "_File", known_from: int) -> None:
        """The rows the file owes as it stands, known from the instant of its changes."""
        employee: Employee = self.employees.at(UUID(file.employee_id), file.employee_version)
        record: FollowUpRecord | None = (
            None
            if file.record_id is None
            else self.records.at(UUID(file.record_id), file.record_version)
        )
        member_id = str(employee.member_id)
        rows: list[tuple[object, ...]] = [
            (file.employee_id, member_id, *stored_span(span))
            for span in due_spans(follow_up_file(employee, record, self._periods_of(employee)))
        ]
        file.drawings.append((known_from, rows))
        if file.record_changed:
            file.listed = record
        file.pending = None

    def _periods_of(self, employee: Employee) -> tuple[CategoryPeriod, ...]:
        """The employee's categories over time, drawn again only from the first day changed
        since they were last drawn (a pure function of what they are drawn from)."""
        if len(employee.determinants or ()) + len(employee.exposures or ()) < LONG_HISTORY:
            return category_periods(employee)  # drawn whole sooner than remembered
        employee_id = str(employee.id)
        now = TimelineInputs.of(employee)
        drawn = self._periods.pop(employee_id, None)
        if drawn is None:
            periods = category_periods(employee)
        else:
            periods = category_periods(employee, drawn[1], drawn[0].changed_from(now))
        self._periods[employee_id] = (now, periods)
        if len(self._periods) > FILES_KEPT:
            del self._periods[next(iter(self._periods))]
        return periods

    def _write(self, tx: Tx, files: list["_File"]) -> None:
        """The batch's drawings, each compared with the rows still known (`DueRowChanges`)."""
        self._forget(tx, [f.employee_id for f in files if f.wiped])
        changes = DueRowChanges(self.store, self.table("due"))
        firsts = {f.employee_id: f.drawings[0][0] for f in files if f.may_have_rows}
        stored = changes.stored(tx, firsts)
        for file in files:
            if file.drawings:
                changes.record(file.employee_id, stored.get(file.employee_id, []), file.drawings)
        changes.write(tx)
        self._list_records(tx, [f for f in files if f.record_changed])
        tx.executemany(
            f"INSERT INTO {self.table('files')}"
            " (employee_id, employee_version, record_id, record_version) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (employee_id) DO UPDATE SET employee_version = excluded.employee_version,"
            " record_id = excluded.record_id, record_version = excluded.record_version",
            [
                (f.employee_id, f.employee_version, f.record_id, f.record_id and f.record_version)
                for f in files
            ],
        )

    def erase(self, tx: Tx, erased: Envelope) -> None:
        """What was owed before the erasure was drawn from the birth date (mid-career, the
        18th birthday): it goes with it, and the employee is drawn again from the erasure on —
        as a rebuild, which never reads the erased birth date, would draw it."""
        self._forget(tx, [str(erased.aggregate_id)])

    def _forget(self, tx: Tx, employee_ids: list[str]) -> None:
        tx.executemany(
            f"DELETE FROM {self.table('due')} WHERE employee_id = ?", [(e,) for e in employee_ids]
        )

    def _list_records(self, tx: Tx, files: list["_File"]) -> None:
        """The visits held and the absences as each changed record stands (no history: the
        events keep it)."""
        items, notes = self.table("record_items"), self.table("record_notes")
        changed = [(f.employee_id,) for f in files]
        tx.executemany(f"DELETE FROM {items} WHERE employee_id = ?", changed)
        tx.executemany(f"DELETE FROM {notes} WHERE employee_id = ?", changed)
        item_rows: list[tuple[object, ...]] = []
        note_rows: list[tuple[object, ...]] = []
        for file in files:
            record = file.listed
            if record is None:
                continue
            if record.convocation_constraints is not None or record.comment is not None:
                note_rows.append((file.employee_id, record.convocation_constraints, record.comment))
            visits = [
                (v.visit_id, v.kind.value, day(v.held_on), None, v.role.value, v.document.value)
                for v in record.visits
            ]
            absences = [
                (a.absence_id, a.kind.value, day(a.first_day), optional(day)(a.returned_on))
                for a in record.absences
            ]
            item_rows += [(file.employee_id, "visit", *v) for v in visits]
            item_rows += [(file.employee_id, "absence", *a, None, None) for a in absences]
        tx.insert_rows(notes, ("employee_id", "convocation_constraints", "comment"), note_rows)
        tx.insert_rows(items, RECORD_ITEM_COLUMNS, item_rows)


@dataclass(slots=True)
class _File:
    """An employee's file as this read model draws it: the versions of the employee and of
    their record its rows come from, and what a batch does to it."""

    employee_id: str
    employee_version: int = 0
    record_id: str | None = None
    record_version: int = 0
    stored: bool = False
    """Drawn by an earlier batch: it may have rows to close."""
    wiped: bool = False
    """Erased in this batch: every row drawn before the erasure goes."""
    record_changed: bool = False
    listed: FollowUpRecord | None = None
    pending: int | None = None
    """The instant of the changes not drawn yet (a command's events share theirs)."""
    drawings: list[Drawing] = field(default_factory=list)

    def erased(self) -> None:
        self.wiped = True
        self.drawings.clear()

    @property
    def may_have_rows(self) -> bool:
        return self.stored and not self.wiped and bool(self.drawings)


class _Batch:
    """The files a batch changes, found by employee or by record."""

    def __init__(self, files: dict[str, _File]):
        self.files = files
        self._by_record = {f.record_id: f for f in self.files.values() if f.record_id}

    def file(self, employee_id: str) -> _File:
        found = self.files.get(employee_id)
        if found is None:
            found = self.files[employee_id] = _File(employee_id)
        return found

    def file_of_record(self, event: FollowUpRecord.Event) -> _File:
        record_id = str(event.originator_id)
        if _opens_record(event):
            file = self.file(str(event.employee_id))
            self._by_record[record_id] = file
            return file
        return self._by_record[record_id]


def stored_span(span: DueSpan) -> tuple[object, ...]:
    """A visit owed over days as a `due` row holds it, after the employee and the member."""
    return (
        0 if span.valid_from is None else day(span.valid_from),
        OPEN_END if span.valid_to is None else day(span.valid_to),
        span.due.kind.value,
        day(span.due.due_by),
        span.due.article,
        span.due.reason,
    )


class _Opened(Protocol):
    employee_id: UUID


def _opens_record(event: object) -> TypeGuard[_Opened]:
    return type(event).__name__ == "FollowUpRecordOpened"

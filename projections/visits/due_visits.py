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
from uuid import UUID

from domain.visits.employee_file import due_spans, follow_up_file
from domain.visits.follow_up_record import FollowUpRecord
from domain.workforce.employee import Employee
from projections.model import Envelope, ReadModel, is_erasure
from projections.rows import optional
from projections.store import Tx
from projections.timeline import NEVER, OPEN_END, day

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
    tables = ("files", "due", "record_items", "record_notes")

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
        tx.execute(f"CREATE INDEX {due}_member ON {due} (member_id, known_to, due_by)")
        tx.execute(f"CREATE INDEX {due}_employee ON {due} (employee_id, known_to)")
        tx.execute(f"CREATE INDEX {due}_due_by ON {due} (known_to, due_by)")
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

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        pending: dict[str, int] = {}
        """Employees changed by the events read so far, and the instant of their last change:
        their rows are drawn again once per instant (a command's events share theirs)."""
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, Employee.Event):
                employee_id = str(event.originator_id)
            elif isinstance(event, FollowUpRecord.Event):
                employee_id = self._employee_of_record(tx, event)
            else:
                continue
            known_from = pending.pop(employee_id, None)
            if known_from is not None and known_from != envelope.recorded_at:
                self._draw_again(tx, employee_id, known_from)
            if isinstance(event, Employee.Event):
                self._employee_changed(tx, envelope)
            else:
                self._record_changed(tx, event)
            pending[employee_id] = envelope.recorded_at
        for employee_id, known_from in pending.items():
            self._draw_again(tx, employee_id, known_from)

    def _employee_changed(self, tx: Tx, envelope: Envelope) -> None:
        event = envelope.event
        tx.execute(
            f"INSERT INTO {self.table('files')} (employee_id, employee_version) VALUES (?, ?)"
            " ON CONFLICT (employee_id) DO UPDATE SET employee_version = ?",
            (str(event.originator_id), event.originator_version, event.originator_version),
        )
        if is_erasure(envelope):
            self.erase(tx, envelope)

    def erase(self, tx: Tx, erased: Envelope) -> None:
        """What was owed before the erasure was drawn from the birth date (mid-career, the
        18th birthday): it goes with it, and the employee is drawn again from the erasure on —
        as a rebuild, which never reads the erased birth date, would draw it."""
        tx.execute(
            f"DELETE FROM {self.table('due')} WHERE employee_id = ?", (str(erased.aggregate_id),)
        )

    def _list_record(self, tx: Tx, employee_id: str, record: FollowUpRecord | None) -> None:
        """The visits held and the absences as the record stands (no history: the events
        keep it)."""
        items, notes = self.table("record_items"), self.table("record_notes")
        tx.execute(f"DELETE FROM {items} WHERE employee_id = ?", (employee_id,))
        tx.execute(f"DELETE FROM {notes} WHERE employee_id = ?", (employee_id,))
        if record is None:
            return
        if record.convocation_constraints is not None or record.comment is not None:
            tx.execute(
                f"INSERT INTO {notes} (employee_id, convocation_constraints, comment)"
                " VALUES (?, ?, ?)",
                (employee_id, record.convocation_constraints, record.comment),
            )
        visits = [
            (v.visit_id, v.kind.value, day(v.held_on), None, v.role.value, v.document.value)
            for v in record.visits
        ]
        absences = [
            (a.absence_id, a.kind.value, day(a.first_day), optional(day)(a.returned_on), None, None)
            for a in record.absences
        ]
        rows: list[tuple[object, ...]] = [(employee_id, "visit", *v) for v in visits]
        rows += [(employee_id, "absence", *a) for a in absences]
        if rows:
            tx.insert_rows(items, RECORD_ITEM_COLUMNS, rows)

    def _employee_of_record(self, tx: Tx, event: FollowUpRecord.Event) -> str:
        if type(event).__name__ == "FollowUpRecordOpened":
            return str(event.employee_id)  # type: ignore[attr-defined]
        [(employee_id,)] = tx.execute(
            f"SELECT employee_id FROM {self.table('files')} WHERE record_id = ?",
            (str(event.originator_id),),
        )
        return str(employee_id)

    def _record_changed(self, tx: Tx, event: FollowUpRecord.Event) -> None:
        files, record_id = self.table("files"), str(event.originator_id)
        if type(event).__name__ == "FollowUpRecordOpened":
            tx.execute(
                f"UPDATE {files} SET record_id = ? WHERE employee_id = ?",
                (record_id, str(event.employee_id)),  # type: ignore[attr-defined]
            )
        tx.execute(
            f"UPDATE {files} SET record_version = ? WHERE record_id = ?",
            (event.originator_version, record_id),
        )

    def _draw_again(self, tx: Tx, employee_id: str, known_from: int) -> None:
        due = self.table("due")
        [(employee_version, record_id, record_version)] = tx.execute(
            f"SELECT employee_version, record_id, record_version FROM {self.table('files')}"
            " WHERE employee_id = ?",
            (employee_id,),
        )
        employee: Employee = self.source.aggregate_at(UUID(employee_id), employee_version)
        record: FollowUpRecord | None = (
            None if record_id is None else self.source.aggregate_at(UUID(record_id), record_version)
        )
        # Drawn again at the same instant (a command's events read in two batches): the rows
        # drawn first were never the knowledge of any instant.
        tx.execute(
            f"DELETE FROM {due} WHERE employee_id = ? AND known_to = ? AND known_from = ?",
            (employee_id, NEVER, known_from),
        )
        tx.execute(
            f"UPDATE {due} SET known_to = ? WHERE employee_id = ? AND known_to = ?",
            (known_from, employee_id, NEVER),
        )
        self._list_record(tx, employee_id, record)
        rows = [
            (
                employee_id,
                str(employee.member_id),
                0 if span.valid_from is None else day(span.valid_from),
                OPEN_END if span.valid_to is None else day(span.valid_to),
                known_from,
                NEVER,
                span.due.kind.value,
                day(span.due.due_by),
                span.due.article,
                span.due.reason,
            )
            for span in due_spans(follow_up_file(employee, record))
        ]
        if rows:
            tx.insert_rows(due, DUE_COLUMNS, rows)

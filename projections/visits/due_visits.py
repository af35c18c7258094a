"""DUE_VISITS read model: the visits each employee owes, on which days, as known when.

`due` holds one row per visit owed over a stretch of days (`valid_from`..`valid_to`, both
included) and over a stretch of knowledge (`known_from`..`known_to`): "what was owed on that day,
as known at that instant" is a lookup, for one member or the whole service. The rows come from
the employee's file as the workforce and the follow-up record say it (`domain.visits.
employee_file`), drawn again when either changes: once per employee per batch, from the
versions this read model has applied (`files`), so that a rebuild writes the same rows.

An erasure takes the birth date away: the mid-career rows, whose reason gives the year of the
45th birthday, are reworded in every knowledge of the employee.
"""

from collections.abc import Sequence
from uuid import UUID

from domain.visits.employee_file import due_spans, follow_up_file
from domain.visits.follow_up_record import FollowUpRecord
from domain.visits.kinds import VisitKind
from domain.workforce.employee import Employee
from projections.model import Envelope, ReadModel, is_erasure
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
ERASED_MID_CAREER = (
    "Visite de mi-carrière dans l'année civile des 45 ans (date de naissance effacée)"
)


class DueVisits(ReadModel):
    name = "due_visits"
    tables = ("files", "due")

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
        tx.execute(f"CREATE INDEX {due}_member ON {due} (member_id, known_to, valid_from)")
        tx.execute(f"CREATE INDEX {due}_employee ON {due} (employee_id, known_to)")
        tx.execute(f"CREATE INDEX {due}_due_by ON {due} (known_to, due_by)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        files = self.table("files")
        recorded_at: dict[str, int] = {}
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, Employee.Event):
                employee_id = str(event.originator_id)
                tx.execute(
                    f"INSERT INTO {files} (employee_id, employee_version) VALUES (?, ?)"
                    " ON CONFLICT (employee_id) DO UPDATE SET employee_version = ?",
                    (employee_id, event.originator_version, event.originator_version),
                )
                if is_erasure(envelope):
                    self.erase(tx, envelope)
            elif isinstance(event, FollowUpRecord.Event):
                employee_id = self._employee_of_record(tx, event)
            else:
                continue
            recorded_at[employee_id] = envelope.recorded_at
        for employee_id, known_from in recorded_at.items():
            self._draw_again(tx, employee_id, known_from)

    def erase(self, tx: Tx, erased: Envelope) -> None:
        tx.execute(
            f"UPDATE {self.table('due')} SET reason = ? WHERE employee_id = ? AND kind = ?",
            (ERASED_MID_CAREER, str(erased.aggregate_id), VisitKind.MID_CAREER.value),
        )

    def _employee_of_record(self, tx: Tx, event: FollowUpRecord.Event) -> str:
        files, record_id = self.table("files"), str(event.originator_id)
        if type(event).__name__ == "FollowUpRecordOpened":
            employee_id = str(event.employee_id)  # type: ignore[attr-defined]
            tx.execute(
                f"UPDATE {files} SET record_id = ? WHERE employee_id = ?", (record_id, employee_id)
            )
        tx.execute(
            f"UPDATE {files} SET record_version = ? WHERE record_id = ?",
            (event.originator_version, record_id),
        )
        [(employee_id,)] = tx.execute(
            f"SELECT employee_id FROM {files} WHERE record_id = ?", (record_id,)
        )
        return str(employee_id)

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
        tx.execute(
            f"UPDATE {due} SET known_to = ? WHERE employee_id = ? AND known_to = ?",
            (known_from, employee_id, NEVER),
        )
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

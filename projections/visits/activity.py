"""ACTIVITY read model: what a member's activity summary shows for a year — the service's actions
at the member as they stand (`summaries`, `actions`: corrected in place, gone once withdrawn),
and the visits its employees had (`visits`, from their follow-up records, `records` saying whose
each record is): a visit counts in the year of its `held_on` until it is withdrawn. A visit row
holds its kind and day only, never whose visit it was.

Days are day ordinals.
"""

from collections.abc import Sequence

from domain.visits.activity import ActivitySummary
from domain.visits.follow_up_record import FollowUpRecord
from projections.model import Envelope, ReadModel
from projections.store import Tx
from projections.timeline import day

ACTION_COLUMNS = (
    "summary_id",
    "action_id",
    "kind",
    "held_on",
    "subject",
    "duration_minutes",
    "participants",
)


class Activity(ReadModel):
    name = "activity"
    reads = (ActivitySummary.Event, FollowUpRecord.Event)
    tables = ("summaries", "actions", "records", "visits")

    def create(self, tx: Tx) -> None:
        summaries, actions = self.table("summaries"), self.table("actions")
        records, visits = self.table("records"), self.table("visits")
        tx.execute(
            f"CREATE TABLE {summaries} (summary_id TEXT PRIMARY KEY, member_id TEXT NOT NULL,"
            " year INTEGER NOT NULL, version INTEGER NOT NULL)"
        )
        tx.execute(f"CREATE UNIQUE INDEX {summaries}_member ON {summaries} (member_id, year)")
        tx.execute(
            f"CREATE TABLE {actions} (summary_id TEXT NOT NULL, action_id INTEGER NOT NULL,"
            " kind TEXT NOT NULL, held_on INTEGER NOT NULL, subject TEXT NOT NULL,"
            " duration_minutes INTEGER, participants INTEGER,"
            " PRIMARY KEY (summary_id, action_id))"
        )
        tx.execute(f"CREATE TABLE {records} (record_id TEXT PRIMARY KEY, member_id TEXT NOT NULL)")
        tx.execute(
            f"CREATE TABLE {visits} (record_id TEXT NOT NULL, visit_id INTEGER NOT NULL,"
            " member_id TEXT NOT NULL, kind TEXT NOT NULL, held_on INTEGER NOT NULL,"
            " PRIMARY KEY (record_id, visit_id))"
        )
        tx.execute(f"CREATE INDEX {visits}_member ON {visits} (member_id, held_on)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, ActivitySummary.Event):
                self._summary(tx, envelope)
            elif isinstance(event, FollowUpRecord.Event):
                self._follow_up(tx, envelope)

    def _summary(self, tx: Tx, envelope: Envelope) -> None:
        event, name = envelope.event, envelope.event_name
        summary_id, summaries = str(event.originator_id), self.table("summaries")
        if name == "ActivitySummaryOpened":
            tx.insert_rows(
                summaries,
                ("summary_id", "member_id", "year", "version"),
                [(summary_id, str(event.member_id), event.year, event.originator_version)],
            )
            return
        tx.execute(
            f"UPDATE {summaries} SET version = ? WHERE summary_id = ?",
            (event.originator_version, summary_id),
        )
        actions = self.table("actions")
        if name in {"WorkplaceActionRecorded", "WorkplaceActionCorrected"}:
            action = event.action
            details = action.details
            tx.execute(
                f"DELETE FROM {actions} WHERE summary_id = ? AND action_id = ?",
                (summary_id, action.action_id),
            )
            row = (
                summary_id,
                action.action_id,
                details.kind.value,
                day(details.held_on),
                details.subject,
                details.duration_minutes,
                details.participants,
            )
            tx.insert_rows(actions, ACTION_COLUMNS, [row])
        elif name == "WorkplaceActionWithdrawn":
            tx.execute(
                f"DELETE FROM {actions} WHERE summary_id = ? AND action_id = ?",
                (summary_id, event.action_id),
            )

    def _follow_up(self, tx: Tx, envelope: Envelope) -> None:
        event, name = envelope.event, envelope.event_name
        record_id, records, visits = (
            str(event.originator_id),
            self.table("records"),
            self.table("visits"),
        )
        if name == "FollowUpRecordOpened":
            tx.insert_rows(records, ("record_id", "member_id"), [(record_id, str(event.member_id))])
        elif name == "VisitRecorded":
            [(member_id,)] = tx.execute(
                f"SELECT member_id FROM {records} WHERE record_id = ?", (record_id,)
            )
            visit = event.visit
            tx.insert_rows(
                visits,
                ("record_id", "visit_id", "member_id", "kind", "held_on"),
                [(record_id, visit.visit_id, member_id, visit.kind.value, day(visit.held_on))],
            )
        elif name == "VisitWithdrawn":
            tx.execute(
                f"DELETE FROM {visits} WHERE record_id = ? AND visit_id = ?",
                (record_id, event.visit_id),
            )

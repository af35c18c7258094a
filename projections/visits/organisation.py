"""ORGANISATION read model: the service's visit centres and health professionals as they stand,
and each member's care team (`teams`) and centre over time (`team_periods`: who held a role, or
which centre, from a day to the day before the next change; an open end while it lasts).

Days are day ordinals; a period holds the days `from_day <= d < to_day`.
"""

from collections.abc import Sequence
from typing import Any

import msgspec

from domain.visits.care_team import CareTeam
from domain.visits.organisation import HealthProfessional, VisitCentre
from projections.members.members import address_view
from projections.model import Envelope, ReadModel
from projections.store import Tx
from projections.timeline import day

CENTRE = "centre"
"""The `role` of a period that says the member's visit centre."""
CENTRE_COLUMNS = (
    "centre_id",
    "name",
    "address",
    "phone",
    "opening_days",
    "access_note",
    "closed_on",
)
PROFESSIONAL_COLUMNS = (
    "professional_id",
    "last_name",
    "first_name",
    "role",
    "phone",
    "email",
    "left_on",
)


class Organisation(ReadModel):
    name = "organisation"
    reads = (VisitCentre.Event, HealthProfessional.Event, CareTeam.Event)
    tables = ("centres", "professionals", "teams", "team_periods")

    def create(self, tx: Tx) -> None:
        centres, professionals = self.table("centres"), self.table("professionals")
        periods = self.table("team_periods")
        bigint = self.store.bigint
        tx.execute(
            f"CREATE TABLE {centres} (centre_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
            " address TEXT NOT NULL, phone TEXT NOT NULL, opening_days TEXT NOT NULL,"
            " access_note TEXT, closed_on INTEGER)"
        )
        tx.execute(
            f"CREATE TABLE {professionals} (professional_id TEXT PRIMARY KEY,"
            " last_name TEXT NOT NULL, first_name TEXT NOT NULL, role TEXT NOT NULL,"
            " phone TEXT, email TEXT, left_on INTEGER)"
        )
        tx.execute(
            f"CREATE TABLE {periods} (position {bigint} PRIMARY KEY, team_id TEXT NOT NULL,"
            " role TEXT NOT NULL, holder_id TEXT, from_day INTEGER NOT NULL, to_day INTEGER)"
        )
        tx.execute(f"CREATE INDEX {periods}_team ON {periods} (team_id, role, from_day)")
        tx.execute(
            f"CREATE TABLE {self.table('teams')} (team_id TEXT PRIMARY KEY,"
            " member_id TEXT NOT NULL)"
        )

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, VisitCentre.Event):
                self._centre(tx, envelope)
            elif isinstance(event, HealthProfessional.Event):
                self._professional(tx, envelope)
            elif isinstance(event, CareTeam.Event):
                self._team(tx, envelope)

    def _centre(self, tx: Tx, envelope: Envelope) -> None:
        event, table = envelope.event, self.table("centres")
        centre_id = str(event.originator_id)
        if envelope.event_name == "VisitCentreClosed":
            tx.execute(
                f"UPDATE {table} SET closed_on = ? WHERE centre_id = ?",
                (day(event.closed_on), centre_id),
            )
            return
        details = event.details
        row = (
            centre_id,
            details.name,
            msgspec.json.encode(address_view(details.address)).decode(),
            str(details.phone),
            ",".join(str(int(d)) for d in sorted(details.opening_days)),
            details.access_note,
            None,
        )
        self._upsert(tx, table, CENTRE_COLUMNS, row)

    def _professional(self, tx: Tx, envelope: Envelope) -> None:
        event, table = envelope.event, self.table("professionals")
        professional_id = str(event.originator_id)
        if envelope.event_name == "HealthProfessionalLeft":
            tx.execute(
                f"UPDATE {table} SET left_on = ? WHERE professional_id = ?",
                (day(event.left_on), professional_id),
            )
            return
        details = event.details
        row = (
            professional_id,
            details.last_name,
            details.first_name,
            details.role.value,
            _optional(details.phone),
            _optional(details.email),
            None,
        )
        self._upsert(tx, table, PROFESSIONAL_COLUMNS, row)

    def _team(self, tx: Tx, envelope: Envelope) -> None:
        event, name = envelope.event, envelope.event_name
        if name == "CareTeamFormed":
            tx.insert_rows(
                self.table("teams"),
                ("team_id", "member_id"),
                [(str(event.originator_id), str(event.member_id))],
            )
            return
        if name == "ProfessionalAssigned":
            role, holder = event.role.value, str(event.professional_id)
        elif name == "ProfessionalWithdrawn":
            role, holder = event.role.value, None
        elif name == "VisitCentreAssigned":
            role, holder = CENTRE, str(event.centre_id)
        else:
            return
        table, team_id, on = (
            self.table("team_periods"),
            str(event.originator_id),
            day(event.effective_on),
        )
        tx.execute(
            f"UPDATE {table} SET to_day = ? WHERE team_id = ? AND role = ? AND to_day IS NULL",
            (on, team_id, role),
        )
        if holder is not None:
            tx.insert_rows(
                table,
                ("position", "team_id", "role", "holder_id", "from_day", "to_day"),
                [(envelope.position, team_id, role, holder, on, None)],
            )

    def _upsert(self, tx: Tx, table: str, columns: Sequence[str], row: Sequence[Any]) -> None:
        key, *others = columns
        updates = ", ".join(
            f"{column} = excluded.{column}"
            for column in others
            if column not in {"closed_on", "left_on"}
        )
        tx.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
            f" ON CONFLICT ({key}) DO UPDATE SET {updates}",
            row,
        )


def _optional(value: object | None) -> str | None:
    return None if value is None else str(value)

"""Queries of the ORGANISATION read model: the service's visit centres and professionals, and a
member's care team and centre as they stood on a day."""

from datetime import date
from uuid import UUID

import msgspec

from domain.visits.care_team import CareTeam
from domain.visits.kinds import ProfessionalRole
from projections.members.members import AddressView
from projections.model import Queries
from projections.rows import struct_of
from projections.timeline import day
from projections.visits.organisation import CENTRE, CENTRE_COLUMNS, PROFESSIONAL_COLUMNS


class CentreView(msgspec.Struct, frozen=True, kw_only=True):
    centre_id: UUID
    name: str
    address: AddressView
    phone: str
    opening_days: list[int]
    """0 Monday … 6 Sunday."""
    access_note: str | None
    closed_on: date | None


class ProfessionalView(msgspec.Struct, frozen=True, kw_only=True):
    professional_id: UUID
    last_name: str
    first_name: str
    role: ProfessionalRole
    phone: str | None
    email: str | None
    left_on: date | None


class TeamMemberView(msgspec.Struct, frozen=True, kw_only=True):
    since: date
    professional: ProfessionalView


class CareTeamView(msgspec.Struct, frozen=True, kw_only=True):
    members: list[TeamMemberView]
    """In the order of the roles."""
    centre: CentreView | None
    centre_since: date | None


def _address(stored: str) -> AddressView:
    return msgspec.json.decode(stored, type=AddressView)


def _days(stored: str) -> list[int]:
    return [int(d) for d in stored.split(",")]


class OrganisationQueries(Queries):
    name = "organisation"

    def centres(self, *, closed_too: bool = False) -> list[CentreView]:
        where = "" if closed_too else " WHERE closed_on IS NULL"
        return self._centres(where, [])

    def centre(self, centre_id: UUID) -> CentreView | None:
        found = self._centres(" WHERE centre_id = ?", [str(centre_id)])
        return found[0] if found else None

    def professionals(
        self, role: ProfessionalRole | None = None, *, departed_too: bool = False
    ) -> list[ProfessionalView]:
        conditions, params = ([] if departed_too else ["left_on IS NULL"]), []
        if role is not None:
            conditions.append("role = ?")
            params.append(role.value)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return self._professionals(where, params)

    def care_team(self, member_id: UUID, on: date) -> CareTeamView:
        rows = self.store.read(
            f"SELECT role, holder_id, from_day FROM {self.table('team_periods')}"
            " WHERE team_id = ? AND from_day <= ? AND (to_day IS NULL OR to_day > ?)",
            [str(CareTeam.create_id(member_id)), day(on), day(on)],
        )
        held = {role: (UUID(holder), date.fromordinal(since)) for role, holder, since in rows}
        centre = held.pop(CENTRE, None)
        people = {
            view.professional_id: view
            for view in self._professionals(
                f" WHERE professional_id IN ({', '.join('?' for _ in held) or 'NULL'})",
                [str(holder) for holder, _ in held.values()],
            )
        }
        members = [
            TeamMemberView(since=held[role.value][1], professional=people[held[role.value][0]])
            for role in ProfessionalRole
            if role.value in held and held[role.value][0] in people
        ]
        return CareTeamView(
            members=members,
            centre=None if centre is None else self.centre(centre[0]),
            centre_since=None if centre is None else centre[1],
        )

    def members_served(
        self, on: date, centre_id: UUID | None = None, professional_id: UUID | None = None
    ) -> list[UUID]:
        """The members whose team on `on` has this centre and this professional."""
        periods = self.table("team_periods")
        sql = f"SELECT t.member_id FROM {self.table('teams')} t WHERE 1 = 1"
        params: list[object] = []
        for role_test, holder in (("role = ?", centre_id), ("role <> ?", professional_id)):
            if holder is not None:
                sql += (
                    f" AND EXISTS (SELECT 1 FROM {periods} h WHERE h.team_id = t.team_id"
                    f" AND h.{role_test} AND h.holder_id = ? AND h.from_day <= ?"
                    " AND (h.to_day IS NULL OR h.to_day > ?))"
                )
                params += [CENTRE, str(holder), day(on), day(on)]
        return [UUID(member_id) for (member_id,) in self.store.read(sql, params)]

    def _centres(self, where: str, params: list[object]) -> list[CentreView]:
        rows = self.store.read(
            f"SELECT {', '.join(CENTRE_COLUMNS)} FROM {self.table('centres')}{where} ORDER BY name",
            params,
        )
        return [struct_of(CentreView, row, address=_address, opening_days=_days) for row in rows]

    def _professionals(self, where: str, params: list[object]) -> list[ProfessionalView]:
        rows = self.store.read(
            f"SELECT {', '.join(PROFESSIONAL_COLUMNS)} FROM {self.table('professionals')}{where}"
            " ORDER BY last_name, first_name",
            params,
        )
        return [struct_of(ProfessionalView, row) for row in rows]

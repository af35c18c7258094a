"""Commands of the service's organisation for visits: its visit centres, its health
professionals, and each member's care team and centre (by the service's staff)."""

from datetime import date
from typing import Any
from uuid import UUID

from application.base import RegistreApplication, result_of
from application.commands import Change, Command, Decision
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from domain.errors import NotFound
from domain.members.member import Member
from domain.visits.care_team import CareTeam
from domain.visits.kinds import ProfessionalRole
from domain.visits.organisation import (
    CentreDetails,
    HealthProfessional,
    ProfessionalDetails,
    VisitCentre,
)

CENTRE_NOT_FOUND = NotFound("Ce centre de visite n'existe pas.", code="CENTRE_NOT_FOUND")
PROFESSIONAL_NOT_FOUND = NotFound("Ce professionnel n'existe pas.", code="PROFESSIONAL_NOT_FOUND")


class DatedChange(Change[Any], frozen=True, kw_only=True):
    """A change whose date the domain checks against today (Paris)."""

    def apply(self, aggregate: Any, app: RegistreApplication, request: Request) -> int | None:
        return type(self).calls(
            aggregate, **self.arguments(), today=app.today(), actor=request.actor
        )


# Visit centres --------------------------------------------------------------------------------


class OpenVisitCentre(Command[CommandResult], frozen=True, kw_only=True):
    details: CentreDetails

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        centre = VisitCentre.open(self.details, request.actor)
        return [centre], result_of(centre)


class CentreChange(Change[VisitCentre], frozen=True, kw_only=True):
    aggregate = VisitCentre
    not_found = CENTRE_NOT_FOUND
    target = "centre_id"
    centre_id: UUID


class ChangeVisitCentre(CentreChange, frozen=True, kw_only=True):
    calls = VisitCentre.change
    details: CentreDetails


class CloseVisitCentre(CentreChange, DatedChange, frozen=True, kw_only=True):
    calls = VisitCentre.close
    closed_on: date


# Health professionals -------------------------------------------------------------------------


class RegisterProfessional(Command[CommandResult], frozen=True, kw_only=True):
    details: ProfessionalDetails

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        professional = HealthProfessional.register(self.details, request.actor)
        return [professional], result_of(professional)


class ProfessionalChange(Change[HealthProfessional], frozen=True, kw_only=True):
    aggregate = HealthProfessional
    not_found = PROFESSIONAL_NOT_FOUND
    target = "professional_id"
    professional_id: UUID


class ChangeProfessional(ProfessionalChange, frozen=True, kw_only=True):
    calls = HealthProfessional.change
    details: ProfessionalDetails


class RecordProfessionalDeparture(ProfessionalChange, DatedChange, frozen=True, kw_only=True):
    calls = HealthProfessional.leave
    left_on: date


# A member's care team and centre -------------------------------------------------------------


class TeamChange(Command[CommandResult], frozen=True, kw_only=True):
    """A change of a member's team (formed by its first change). Changes of different roles do
    not depend on each other: one that lost a race is decided again."""

    decide_again_on_race = True
    member_id: UUID
    effective_on: date

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        team = self._team(app, request)
        self.change(team, app, request)
        return [team], result_of(team)

    def change(self, team: CareTeam, app: RegistreApplication, request: Request) -> None:
        raise NotImplementedError

    def _team(self, app: RegistreApplication, request: Request) -> CareTeam:
        app.load(Member, self.member_id, MEMBER_NOT_FOUND)
        team_id = CareTeam.create_id(self.member_id)
        try:
            return app.load_for_change(CareTeam, team_id, request, MEMBER_NOT_FOUND)
        except NotFound:
            return CareTeam.form(self.member_id, request.actor)


class AssignProfessional(TeamChange, frozen=True, kw_only=True):
    """The professional takes their role in the member's team (replacing whoever held it)."""

    professional_id: UUID

    def change(self, team: CareTeam, app: RegistreApplication, request: Request) -> None:
        professional = app.load(HealthProfessional, self.professional_id, PROFESSIONAL_NOT_FOUND)
        team.assign(professional, self.effective_on, app.today(), request.actor)


class WithdrawProfessional(TeamChange, frozen=True, kw_only=True):
    role: ProfessionalRole

    def change(self, team: CareTeam, app: RegistreApplication, request: Request) -> None:
        team.withdraw(self.role, self.effective_on, app.today(), request.actor)


class AssignVisitCentre(TeamChange, frozen=True, kw_only=True):
    centre_id: UUID

    def change(self, team: CareTeam, app: RegistreApplication, request: Request) -> None:
        centre = app.load(VisitCentre, self.centre_id, CENTRE_NOT_FOUND)
        team.assign_centre(centre, self.effective_on, app.today(), request.actor)

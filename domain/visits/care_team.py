"""A member's care team (équipe pluridisciplinaire: occupational doctor, nurse, prevention
officer, medical secretary, and the service's administrative contact) and the visit centre its
employees are convened to, assigned by the service's staff from a date, with history (seed 004
§2.2)."""

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.errors import RuleViolation
from domain.visits.kinds import ProfessionalRole
from domain.visits.organisation import HealthProfessional, VisitCentre, check_effective

CARE_TEAM_NAMESPACE = UUID("5d0f3c2a-8b1e-5f47-9a6c-2e3d4b5a6c7d")


class CareTeam(RegistreAggregate):
    member_id: UUID
    members: dict[ProfessionalRole, UUID]
    centre_id: UUID | None
    last_change: date | None
    """The day of the latest assignment: history is told in order, one day after another."""

    @staticmethod
    def create_id(member_id: UUID, **_: Any) -> UUID:
        return uuid5(CARE_TEAM_NAMESPACE, str(member_id))

    @classmethod
    def form(cls, member_id: UUID, actor: Actor) -> "CareTeam":
        return cls(member_id=member_id, actor=actor)

    @event("CareTeamFormed")
    def __init__(self, member_id: UUID, actor: Actor) -> None:
        self.member_id = member_id
        self.members = {}
        self.centre_id = None
        self.last_change = None

    def assign(
        self, professional: HealthProfessional, effective_on: date, today: date, actor: Actor
    ) -> None:
        """`professional` takes their role in the team from `effective_on` (replacing whoever
        held it)."""
        professional.check_active()
        role = professional.details.role
        if self.members.get(role) == professional.id:
            raise RuleViolation(
                "Ce professionnel fait déjà partie de l'équipe.", code="ALREADY_ASSIGNED"
            )
        self._check_in_order(effective_on, today)
        self._assigned(
            role=role, professional_id=professional.id, effective_on=effective_on, actor=actor
        )

    @event("ProfessionalAssigned")
    def _assigned(
        self, role: ProfessionalRole, professional_id: UUID, effective_on: date, actor: Actor
    ) -> None:
        self.members = {**self.members, role: professional_id}
        self.last_change = effective_on

    def withdraw(
        self, role: ProfessionalRole, effective_on: date, today: date, actor: Actor
    ) -> None:
        """Nobody holds `role` in the team from `effective_on`."""
        if role not in self.members:
            raise RuleViolation(
                f"Aucun professionnel n'occupe le rôle « {role.label} » dans l'équipe.",
                code="ROLE_VACANT",
            )
        self._check_in_order(effective_on, today)
        self._withdrawn(role=role, effective_on=effective_on, actor=actor)

    @event("ProfessionalWithdrawn")
    def _withdrawn(self, role: ProfessionalRole, effective_on: date, actor: Actor) -> None:
        self.members = {r: p for r, p in self.members.items() if r is not role}
        self.last_change = effective_on

    def assign_centre(
        self, centre: VisitCentre, effective_on: date, today: date, actor: Actor
    ) -> None:
        if centre.closed_on is not None and centre.closed_on <= effective_on:
            raise RuleViolation(
                f"Le centre « {centre.details.name} » est fermé à cette date.",
                code="CENTRE_CLOSED",
            )
        if self.centre_id == centre.id:
            raise RuleViolation(
                "L'adhérent est déjà rattaché à ce centre.", code="ALREADY_ASSIGNED"
            )
        self._check_in_order(effective_on, today)
        self._centre_assigned(centre_id=centre.id, effective_on=effective_on, actor=actor)

    @event("VisitCentreAssigned")
    def _centre_assigned(self, centre_id: UUID, effective_on: date, actor: Actor) -> None:
        self.centre_id = centre_id
        self.last_change = effective_on

    def _check_in_order(self, effective_on: date, today: date) -> None:
        check_effective(effective_on, today)
        if self.last_change is not None and effective_on < self.last_change:
            raise RuleViolation(
                "Un changement d'équipe prend effet au plus tôt le jour du précédent"
                f" ({self.last_change:%d/%m/%Y}).",
                code="CHANGE_OUT_OF_ORDER",
            )

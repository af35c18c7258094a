"""Mutations of the service's organisation for visits, by its staff: visit centres, health
professionals, and each member's care team and centre."""

from datetime import date
from uuid import UUID

import strawberry

from api.commands import CommandInput
from api.message_mutations import RecordChanged, own_success, sends
from api.rules import SERVICE
from api.visits.enums import ProfessionalRole
from api.visits.types import CentreDetailsInput, ProfessionalDetailsInput
from application.visits.organisation import (
    AssignProfessional,
    AssignVisitCentre,
    ChangeProfessional,
    ChangeVisitCentre,
    CloseVisitCentre,
    OpenVisitCentre,
    RecordProfessionalDeparture,
    RegisterProfessional,
    WithdrawProfessional,
)


@strawberry.input
class OpenVisitCentreInput(CommandInput):
    details: CentreDetailsInput


@strawberry.input
class ChangeVisitCentreInput(CommandInput):
    centre_id: UUID
    details: CentreDetailsInput


@strawberry.input
class CloseVisitCentreInput(CommandInput):
    centre_id: UUID
    closed_on: date


@strawberry.input
class RegisterProfessionalInput(CommandInput):
    details: ProfessionalDetailsInput


@strawberry.input
class ChangeProfessionalInput(CommandInput):
    professional_id: UUID
    details: ProfessionalDetailsInput


@strawberry.input
class RecordProfessionalDepartureInput(CommandInput):
    professional_id: UUID
    left_on: date


@strawberry.input
class AssignProfessionalInput(CommandInput):
    member_id: UUID
    professional_id: UUID
    effective_on: date


@strawberry.input
class WithdrawProfessionalInput(CommandInput):
    member_id: UUID
    role: ProfessionalRole
    effective_on: date


@strawberry.input
class AssignVisitCentreInput(CommandInput):
    member_id: UUID
    centre_id: UUID
    effective_on: date


CENTRE_CHANGED = own_success(RecordChanged, "VisitCentreChanged", "Le centre de visite, changé.")
PROFESSIONAL_CHANGED = own_success(
    RecordChanged, "HealthProfessionalChanged", "Le professionnel, changé."
)
TEAM_CHANGED = own_success(RecordChanged, "CareTeamChanged", "L'équipe de l'adhérent, changée.")


@strawberry.type
class VisitMutations:
    open_visit_centre = sends(
        OpenVisitCentre,
        OpenVisitCentreInput,
        CENTRE_CHANGED,
        "Ouvrir un centre de visite.",
        SERVICE,
    )
    change_visit_centre = sends(
        ChangeVisitCentre,
        ChangeVisitCentreInput,
        CENTRE_CHANGED,
        "Modifier un centre de visite.",
        SERVICE,
    )
    close_visit_centre = sends(
        CloseVisitCentre,
        CloseVisitCentreInput,
        CENTRE_CHANGED,
        "Fermer un centre de visite à une date.",
        SERVICE,
    )
    register_professional = sends(
        RegisterProfessional,
        RegisterProfessionalInput,
        PROFESSIONAL_CHANGED,
        "Enregistrer un professionnel du service.",
        SERVICE,
    )
    change_professional = sends(
        ChangeProfessional,
        ChangeProfessionalInput,
        PROFESSIONAL_CHANGED,
        "Modifier les coordonnées d'un professionnel.",
        SERVICE,
    )
    record_professional_departure = sends(
        RecordProfessionalDeparture,
        RecordProfessionalDepartureInput,
        PROFESSIONAL_CHANGED,
        "Enregistrer le départ d'un professionnel.",
        SERVICE,
    )
    assign_professional = sends(
        AssignProfessional,
        AssignProfessionalInput,
        TEAM_CHANGED,
        "Affecter un professionnel à l'équipe d'un adhérent, à une date.",
        SERVICE,
    )
    withdraw_professional = sends(
        WithdrawProfessional,
        WithdrawProfessionalInput,
        TEAM_CHANGED,
        "Retirer un rôle de l'équipe d'un adhérent, à une date.",
        SERVICE,
    )
    assign_visit_centre = sends(
        AssignVisitCentre,
        AssignVisitCentreInput,
        TEAM_CHANGED,
        "Rattacher un adhérent à un centre de visite, à une date.",
        SERVICE,
    )

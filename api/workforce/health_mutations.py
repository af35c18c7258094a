"""Mutations of employees' health records: follow-up determinants and CMR exposures.

A withdrawal (`withdraw…`) ends a record that was true on a date; a retraction or withdrawal
"in error" (`retract…`, `withdrawExposure`) says it never was.
"""

from datetime import date
from decimal import Decimal
from uuid import UUID

import strawberry

from api.commands import ChangeInput
from api.enums import ExposureDegree, ExposureRoute, FollowUpDeterminant
from api.inputs import CmrAgentInput
from api.message_mutations import own_success, sends
from api.workforce.changed import EmployeeChanged
from api.workforce.rules import CHANGES_WORKFORCE
from application.workforce.commands import (
    DeclareDeterminant,
    EndExposure,
    RecordExposure,
    RetractDeterminant,
    WithdrawDeterminant,
    WithdrawExposure,
)


@strawberry.input
class DeclareDeterminantInput(ChangeInput):
    employee_id: UUID
    determinant: FollowUpDeterminant
    started_on: date
    note: str | None = None


@strawberry.input(description="Fin d'un déterminant de suivi après son dernier jour.")
class WithdrawDeterminantInput(ChangeInput):
    employee_id: UUID
    determinant_id: int
    last_day: date


@strawberry.input(description="Retrait d'un déterminant saisi par erreur.")
class RetractDeterminantInput(ChangeInput):
    employee_id: UUID
    determinant_id: int
    error_note: str


@strawberry.input
class RecordExposureInput(ChangeInput):
    employee_id: UUID
    agent: CmrAgentInput
    started_on: date
    ended_on: date | None = None
    routes: list[ExposureRoute] = strawberry.field(default_factory=list)
    hours_per_week: Decimal | None = None
    degree: ExposureDegree | None = None
    comment: str | None = None


@strawberry.input(description="Fin d'une exposition après son dernier jour.")
class EndExposureInput(ChangeInput):
    employee_id: UUID
    exposure_id: int
    last_day: date


@strawberry.input(description="Retrait d'une exposition saisie par erreur.")
class WithdrawExposureInput(ChangeInput):
    employee_id: UUID
    exposure_id: int
    error_note: str


@strawberry.type
class HealthMutations:
    declare_determinant = sends(
        DeclareDeterminant,
        DeclareDeterminantInput,
        own_success(
            EmployeeChanged, "DeclareDeterminant", "Déterminant déclaré : createdId est son numéro."
        ),
        "Déclarer un déterminant de suivi (SIA, SIR).",
        CHANGES_WORKFORCE,
    )
    withdraw_determinant = sends(
        WithdrawDeterminant,
        WithdrawDeterminantInput,
        own_success(EmployeeChanged, "WithdrawDeterminant"),
        "Mettre fin à un déterminant de suivi.",
        CHANGES_WORKFORCE,
    )
    retract_determinant = sends(
        RetractDeterminant,
        RetractDeterminantInput,
        own_success(EmployeeChanged, "RetractDeterminant"),
        "Retirer un déterminant saisi par erreur.",
        CHANGES_WORKFORCE,
    )
    record_exposure = sends(
        RecordExposure,
        RecordExposureInput,
        own_success(
            EmployeeChanged, "RecordExposure", "Exposition enregistrée : createdId est son numéro."
        ),
        "Enregistrer une exposition à un agent CMR.",
        CHANGES_WORKFORCE,
    )
    end_exposure = sends(
        EndExposure,
        EndExposureInput,
        own_success(EmployeeChanged, "EndExposure"),
        "Mettre fin à une exposition CMR.",
        CHANGES_WORKFORCE,
    )
    withdraw_exposure = sends(
        WithdrawExposure,
        WithdrawExposureInput,
        own_success(EmployeeChanged, "WithdrawExposure"),
        "Retirer une exposition saisie par erreur.",
        CHANGES_WORKFORCE,
    )

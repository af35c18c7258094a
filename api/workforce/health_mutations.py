"""Mutations of employees' health records: follow-up determinants and CMR exposures.

A withdrawal (`withdraw…`) ends a record that was true on a date; a retraction or withdrawal
"in error" (`retract…`, `withdrawExposure`) says it never was.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import mutation
from api.commands import ChangeInput, send
from api.context import GraphQLInfo
from api.enums import ExposureDegree, ExposureRoute, FollowUpDeterminant
from api.failures import Failure
from api.inputs import CmrAgentInput
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


@strawberry.type(description="Déterminant déclaré : createdId est son numéro.")
class DeclareDeterminantSuccess(EmployeeChanged): ...


@strawberry.type
class WithdrawDeterminantSuccess(EmployeeChanged): ...


@strawberry.type
class RetractDeterminantSuccess(EmployeeChanged): ...


@strawberry.type(description="Exposition enregistrée : createdId est son numéro.")
class RecordExposureSuccess(EmployeeChanged): ...


@strawberry.type
class EndExposureSuccess(EmployeeChanged): ...


@strawberry.type
class WithdrawExposureSuccess(EmployeeChanged): ...


DeclareDeterminantResult = Annotated[
    DeclareDeterminantSuccess | Failure, strawberry.union("DeclareDeterminantResult")
]
WithdrawDeterminantResult = Annotated[
    WithdrawDeterminantSuccess | Failure, strawberry.union("WithdrawDeterminantResult")
]
RetractDeterminantResult = Annotated[
    RetractDeterminantSuccess | Failure, strawberry.union("RetractDeterminantResult")
]
RecordExposureResult = Annotated[
    RecordExposureSuccess | Failure, strawberry.union("RecordExposureResult")
]
EndExposureResult = Annotated[EndExposureSuccess | Failure, strawberry.union("EndExposureResult")]
WithdrawExposureResult = Annotated[
    WithdrawExposureSuccess | Failure, strawberry.union("WithdrawExposureResult")
]


@strawberry.type
class HealthMutations:
    @mutation(
        "Déclarer un déterminant de suivi (SIA, SIR).",
        CHANGES_WORKFORCE,
    )
    async def declare_determinant(
        self, info: GraphQLInfo, input: DeclareDeterminantInput
    ) -> DeclareDeterminantResult:
        return await send(
            info,
            input,
            DeclareDeterminant(
                employee_id=input.employee_id,
                determinant=input.determinant,
                started_on=input.started_on,
                note=input.note,
            ),
            DeclareDeterminantSuccess.read,
        )

    @mutation(
        "Mettre fin à un déterminant de suivi.",
        CHANGES_WORKFORCE,
    )
    async def withdraw_determinant(
        self, info: GraphQLInfo, input: WithdrawDeterminantInput
    ) -> WithdrawDeterminantResult:
        return await send(
            info,
            input,
            WithdrawDeterminant(
                employee_id=input.employee_id,
                determinant_id=input.determinant_id,
                last_day=input.last_day,
            ),
            WithdrawDeterminantSuccess.read,
        )

    @mutation(
        "Retirer un déterminant saisi par erreur.",
        CHANGES_WORKFORCE,
    )
    async def retract_determinant(
        self, info: GraphQLInfo, input: RetractDeterminantInput
    ) -> RetractDeterminantResult:
        return await send(
            info,
            input,
            RetractDeterminant(
                employee_id=input.employee_id,
                determinant_id=input.determinant_id,
                error_note=input.error_note,
            ),
            RetractDeterminantSuccess.read,
        )

    @mutation(
        "Enregistrer une exposition à un agent CMR.",
        CHANGES_WORKFORCE,
    )
    async def record_exposure(
        self, info: GraphQLInfo, input: RecordExposureInput
    ) -> RecordExposureResult:
        return await send(
            info,
            input,
            RecordExposure(
                employee_id=input.employee_id,
                agent=input.agent.to_domain(),
                started_on=input.started_on,
                ended_on=input.ended_on,
                routes=input.routes,
                hours_per_week=input.hours_per_week,
                degree=input.degree,
                comment=input.comment,
            ),
            RecordExposureSuccess.read,
        )

    @mutation(
        "Mettre fin à une exposition CMR.",
        CHANGES_WORKFORCE,
    )
    async def end_exposure(self, info: GraphQLInfo, input: EndExposureInput) -> EndExposureResult:
        return await send(
            info,
            input,
            EndExposure(
                employee_id=input.employee_id,
                exposure_id=input.exposure_id,
                last_day=input.last_day,
            ),
            EndExposureSuccess.read,
        )

    @mutation(
        "Retirer une exposition saisie par erreur.",
        CHANGES_WORKFORCE,
    )
    async def withdraw_exposure(
        self, info: GraphQLInfo, input: WithdrawExposureInput
    ) -> WithdrawExposureResult:
        return await send(
            info,
            input,
            WithdrawExposure(
                employee_id=input.employee_id,
                exposure_id=input.exposure_id,
                error_note=input.error_note,
            ),
            WithdrawExposureSuccess.read,
        )

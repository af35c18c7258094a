"""What every mutation of the risk assessment takes and answers: the member whose assessment
changes, and the assessment as the change left it.

The declaration's rule: whoever fills the declaration (MANAGE_DECLARATION). Whether the member
subscribed the tool for the year is the declaration's choice, not checked here.
"""

from typing import Annotated
from uuid import UUID

import strawberry

from api.commands import ChangeInput
from api.failures import Failure
from api.risk_assessment.types import RiskAssessment
from api.services import Services
from application.requests import CommandResult
from domain.risk_assessment import assessment


@strawberry.input(description="Modification de l'évaluation des risques d'un adhérent.")
class RiskAssessmentInput(ChangeInput):
    member_id: UUID


@strawberry.type(description="L'évaluation des risques après la modification.")
class RiskAssessmentChanged:
    aggregate_id: UUID
    version: int
    created_id: int | None = strawberry.field(
        description="Ce que la modification a créé : le numéro de l'unité de travail, de"
        " l'action, de la version publiée ou du document enregistré."
    )
    risk_assessment: RiskAssessment = strawberry.field(
        description="L'évaluation telle que cette modification l'a laissée."
    )


RiskAssessmentResult = Annotated[
    RiskAssessmentChanged | Failure, strawberry.union("RiskAssessmentResult")
]


def changed(services: Services, result: CommandResult) -> RiskAssessmentChanged:
    loaded: object = services.app.aggregate_at(result.aggregate_id, result.version)
    if not isinstance(loaded, assessment.RiskAssessment):
        raise TypeError(f"{result.aggregate_id} is not a risk assessment")
    return RiskAssessmentChanged(
        aggregate_id=result.aggregate_id,
        version=result.version,
        created_id=result.created_id,
        risk_assessment=RiskAssessment.of(loaded, services.clock.today()),
    )

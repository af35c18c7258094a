"""Step 9 of the annual declaration: assigning a work situation to several employees at once
(`AssignWorkSituation`: the situation is named by its code in the catalogue in effect, and its
determinant declared for every employee selected, in one save — all of them, or none)."""

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Self
from uuid import UUID

import strawberry

from api.authorization import HealthRead, Rule, mutation
from api.catalogues.types import WorkSituation
from api.commands import CommandInput, send
from api.context import GraphQLInfo
from api.decorators import field
from api.failures import Failure
from api.message_mutations import message_from
from api.services import Services
from api.workforce.rules import EMPLOYEE_HEALTH_FIELDS
from api.workforce.types import Employee, load_employees
from application.workforce.commands import AssignWorkSituation, SituationAssignment
from domain.accounts.access import Right


@strawberry.input(
    description="Étape 9 : affecter une situation de travail aux salariés sélectionnés, à"
    " compter d'une date."
)
class AssignWorkSituationInput(CommandInput):
    member_id: UUID
    situation_code: str = strawberry.field(description="Code de la situation dans le catalogue.")
    employee_ids: list[UUID]
    started_on: date
    note: str | None = strawberry.field(
        default=None,
        description="Motivation écrite, obligatoire pour un poste à risque particulier déclaré"
        " par l'employeur (R4624-23 III).",
    )


@strawberry.type(
    description="Situation affectée : les salariés qui l'ont reçue, ceux qui l'avaient déjà à"
    " cette date (laissés tels quels), et ceux dont la catégorie de suivi change."
)
class AssignWorkSituationSuccess:
    situation: WorkSituation
    started_on: date
    assigned_ids: list[UUID] = strawberry.field(
        description="Salariés à qui le déterminant a été déclaré, dans l'ordre reçu."
    )
    already_assigned_ids: list[UUID] = strawberry.field(
        description="Salariés qui avaient déjà ce déterminant en vigueur à cette date."
    )
    category_changed_ids: strawberry.Private[list[UUID]]

    @field(
        description="Les salariés dont la catégorie de suivi change à la date d'effet, tels"
        " qu'ils sont à cette date."
    )
    async def category_changes(self, info: GraphQLInfo) -> list[Employee]:
        return await load_employees(info, self.category_changed_ids, self.started_on, None)

    @classmethod
    def of(cls, started_on: date, done: SituationAssignment) -> Self:
        return cls(
            situation=WorkSituation.of(done.situation, started_on),
            started_on=started_on,
            assigned_ids=[result.aggregate_id for result in done.declared],
            already_assigned_ids=list(done.already_in_force),
            category_changed_ids=list(done.category_changed),
        )


AssignWorkSituationResult = Annotated[
    AssignWorkSituationSuccess | Failure, strawberry.union("AssignWorkSituationResult")
]


def _recategorised(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    return result.category_changed_ids if isinstance(result, AssignWorkSituationSuccess) else []


ASSIGNS_SITUATIONS = Rule(
    Right.MANAGE_WORKFORCE,
    health=HealthRead(EMPLOYEE_HEALTH_FIELDS | {"categoryChanges"}, _recategorised),
)


@strawberry.type
class SituationMutations:
    @mutation(
        "Étape 9 : affecter une situation de travail à plusieurs salariés en une fois (tous, ou"
        " aucun) ; sans effet pour ceux qui l'ont déjà à cette date.",
        ASSIGNS_SITUATIONS,
    )
    async def assign_work_situation(
        self, info: GraphQLInfo, input: AssignWorkSituationInput
    ) -> AssignWorkSituationResult:
        def reply(_: Services, done: SituationAssignment) -> AssignWorkSituationSuccess:
            return AssignWorkSituationSuccess.of(input.started_on, done)

        return await send(info, input, message_from(AssignWorkSituation, input), reply)

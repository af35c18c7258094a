"""Step 9 of the annual declaration: assigning a work situation to several employees at once.

The situation is named by its code in the catalogue in effect (`Registre.catalogue()`: a
situation the service added can be assigned, one it retired cannot), which gives the follow-up
determinant it declares; a situation that only informs the service (psychosocial risks…)
declares none and cannot be assigned. The determinant is declared for every employee selected,
in one save — all of them, or none — and left as it is for those who already have it in force
on that date.
"""

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Self
from uuid import UUID

import strawberry

from api.authorization import HealthRead, Rule, mutation
from api.catalogues.types import WorkSituation
from api.commands import CommandInput, run
from api.context import GraphQLInfo
from api.decorators import field
from api.failures import Failure
from api.rules import EMPLOYEE_HEALTH_FIELDS
from api.services import Services
from api.workforce.types import Employee, load_employees
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import AssignWorkSituation, SituationAssignment
from domain.accounts.access import Right
from domain.catalogues import model
from domain.catalogues.catalogue import Catalogues
from domain.errors import RuleViolation
from domain.workforce.follow_up import FollowUpDeterminant


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
    def of(cls, situation: WorkSituation, started_on: date, done: SituationAssignment) -> Self:
        return cls(
            situation=situation,
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


def assignable_situation(
    catalogue: Catalogues, code: str
) -> tuple[model.WorkSituation, FollowUpDeterminant]:
    """The situation of the catalogue and the determinant it declares; refused for an unknown
    (or retired) code and for a situation that only informs the service."""
    situation = catalogue.work_situation(code)
    if situation.determinant is None:
        raise RuleViolation(
            f"La situation « {situation.label} » informe seulement le service : elle n'entraîne"
            " aucun suivi individuel adapté ou renforcé et ne s'affecte pas aux salariés.",
            code="SITUATION_WITHOUT_DETERMINANT",
            field="situation_code",
        )
    return situation, situation.determinant


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
        assigned: list[model.WorkSituation] = []

        def assign(app: Registre, request: Request) -> SituationAssignment:
            situation, determinant = assignable_situation(app.catalogue(), input.situation_code)
            assigned.append(situation)
            return app.handle(
                request,
                AssignWorkSituation(
                    member_id=input.member_id,
                    determinant=determinant,
                    employee_ids=input.employee_ids,
                    started_on=input.started_on,
                    note=input.note,
                ),
            )

        def reply(_: Services, done: SituationAssignment) -> AssignWorkSituationSuccess:
            return AssignWorkSituationSuccess.of(
                WorkSituation.of(assigned[-1]), input.started_on, done
            )

        return await run(info, input, assign, reply)

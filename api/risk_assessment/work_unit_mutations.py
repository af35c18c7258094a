"""Mutations of the risk assessment's work units (DUERP tool, seed 000 step 6) and of the
evaluations of their risks (step 7). Every success carries the assessment as the change left it.
"""

from uuid import UUID

import strawberry

from api.authorization import mutation
from api.commands import send
from api.context import GraphQLInfo
from api.risk_assessment.changes import RiskAssessmentInput, RiskAssessmentResult, changed
from api.risk_assessment.types import CHANGES_RISK_ASSESSMENT
from application.risk_assessment.commands import (
    AddRiskToWorkUnit,
    AssignEmployeesToWorkUnit,
    CreateWorkUnit,
    EvaluateRisk,
    RemoveRiskFromWorkUnit,
    RemoveWorkUnit,
    RenameWorkUnit,
)

# Inputs ----------------------------------------------------------------------------------------


@strawberry.input
class CreateWorkUnitInput(RiskAssessmentInput):
    name: str
    employee_ids: list[UUID] = strawberry.field(default_factory=list)
    risk_codes: list[str] = strawberry.field(
        default_factory=list, description="Codes du catalogue des risques."
    )


@strawberry.input
class WorkUnitInput(RiskAssessmentInput):
    unit_id: int


@strawberry.input
class RenameWorkUnitInput(WorkUnitInput):
    name: str


@strawberry.input
class AssignEmployeesToWorkUnitInput(WorkUnitInput):
    employee_ids: list[UUID] = strawberry.field(
        description="Les salariés de l'unité : ils remplacent les précédents."
    )


@strawberry.input
class WorkUnitRiskInput(WorkUnitInput):
    risk_code: str


@strawberry.input
class EvaluateRiskInput(WorkUnitInput):
    risk_code: str
    severity: int = strawberry.field(
        description="Gravité de 1 à 4 : faible (sans arrêt), moyenne (arrêt de travail), grave"
        " (incapacité permanente), très grave (dommage mortel)."
    )
    probability: int = strawberry.field(
        description="Probabilité de 1 à 4 : très improbable, improbable, probable, très probable."
    )
    description: str
    existing_measures: str | None = None


# Mutations -------------------------------------------------------------------------------------


@strawberry.type
class WorkUnitMutations:
    # Step 6: work units

    @mutation(
        "Étape 6 : créer une unité de travail (salariés exposés aux mêmes risques) ;"
        " createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
    )
    async def create_work_unit(
        self, info: GraphQLInfo, input: CreateWorkUnitInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            CreateWorkUnit(
                member_id=input.member_id,
                name=input.name,
                employee_ids=input.employee_ids,
                risk_codes=input.risk_codes,
            ),
            changed,
        )

    @mutation("Étape 6 : renommer une unité de travail.", CHANGES_RISK_ASSESSMENT)
    async def rename_work_unit(
        self, info: GraphQLInfo, input: RenameWorkUnitInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            RenameWorkUnit(member_id=input.member_id, unit_id=input.unit_id, name=input.name),
            changed,
        )

    @mutation(
        "Étape 6 : supprimer une unité de travail (ses évaluations avec elle).",
        CHANGES_RISK_ASSESSMENT,
    )
    async def remove_work_unit(
        self, info: GraphQLInfo, input: WorkUnitInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            RemoveWorkUnit(member_id=input.member_id, unit_id=input.unit_id),
            changed,
        )

    @mutation(
        "Étape 6 : choisir les salariés d'une unité de travail (salariés de l'adhérent).",
        CHANGES_RISK_ASSESSMENT,
    )
    async def assign_employees_to_work_unit(
        self, info: GraphQLInfo, input: AssignEmployeesToWorkUnitInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            AssignEmployeesToWorkUnit(
                member_id=input.member_id, unit_id=input.unit_id, employee_ids=input.employee_ids
            ),
            changed,
        )

    @mutation("Étape 6 : ajouter un risque à une unité de travail.", CHANGES_RISK_ASSESSMENT)
    async def add_risk_to_work_unit(
        self, info: GraphQLInfo, input: WorkUnitRiskInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            AddRiskToWorkUnit(
                member_id=input.member_id, unit_id=input.unit_id, risk_code=input.risk_code
            ),
            changed,
        )

    @mutation(
        "Étape 6 : retirer un risque d'une unité de travail (son évaluation avec lui).",
        CHANGES_RISK_ASSESSMENT,
    )
    async def remove_risk_from_work_unit(
        self, info: GraphQLInfo, input: WorkUnitRiskInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            RemoveRiskFromWorkUnit(
                member_id=input.member_id, unit_id=input.unit_id, risk_code=input.risk_code
            ),
            changed,
        )

    # Step 7: evaluations

    @mutation(
        "Étape 7 : évaluer (ou réévaluer) un risque d'une unité ; la priorité suit la grille"
        " gravité × probabilité.",
        CHANGES_RISK_ASSESSMENT,
    )
    async def evaluate_risk(
        self, info: GraphQLInfo, input: EvaluateRiskInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            EvaluateRisk(
                member_id=input.member_id,
                unit_id=input.unit_id,
                risk_code=input.risk_code,
                severity=input.severity,
                probability=input.probability,
                description=input.description,
                existing_measures=input.existing_measures,
            ),
            changed,
        )

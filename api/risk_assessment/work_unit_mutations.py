"""Mutations of the risk assessment's work units (DUERP tool, seed 000 step 6) and of the
evaluations of their risks (step 7). Every success carries the assessment as the change left it.
"""

from uuid import UUID

import strawberry

from api.message_mutations import Answer, sends
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


CHANGED = Answer(RiskAssessmentResult, changed)


@strawberry.type
class WorkUnitMutations:
    # Step 6: work units

    create_work_unit = sends(
        CreateWorkUnit,
        CreateWorkUnitInput,
        CHANGED,
        "Étape 6 : créer une unité de travail (salariés exposés aux mêmes risques) ;"
        " createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
    )
    rename_work_unit = sends(
        RenameWorkUnit,
        RenameWorkUnitInput,
        CHANGED,
        "Étape 6 : renommer une unité de travail.",
        CHANGES_RISK_ASSESSMENT,
    )
    remove_work_unit = sends(
        RemoveWorkUnit,
        WorkUnitInput,
        CHANGED,
        "Étape 6 : supprimer une unité de travail (ses évaluations avec elle).",
        CHANGES_RISK_ASSESSMENT,
    )
    assign_employees_to_work_unit = sends(
        AssignEmployeesToWorkUnit,
        AssignEmployeesToWorkUnitInput,
        CHANGED,
        "Étape 6 : choisir les salariés d'une unité de travail (salariés de l'adhérent).",
        CHANGES_RISK_ASSESSMENT,
    )
    add_risk_to_work_unit = sends(
        AddRiskToWorkUnit,
        WorkUnitRiskInput,
        CHANGED,
        "Étape 6 : ajouter un risque à une unité de travail.",
        CHANGES_RISK_ASSESSMENT,
    )
    remove_risk_from_work_unit = sends(
        RemoveRiskFromWorkUnit,
        WorkUnitRiskInput,
        CHANGED,
        "Étape 6 : retirer un risque d'une unité de travail (son évaluation avec lui).",
        CHANGES_RISK_ASSESSMENT,
    )

    # Step 7: evaluations

    evaluate_risk = sends(
        EvaluateRisk,
        EvaluateRiskInput,
        CHANGED,
        "Étape 7 : évaluer (ou réévaluer) un risque d'une unité ; la priorité suit la grille"
        " gravité × probabilité.",
        CHANGES_RISK_ASSESSMENT,
    )

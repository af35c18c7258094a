"""GraphQL types of the catalogues of the annual declaration (reference data, the same for every
member): risks by family, the prevention questionnaire, work situations, CMR agents, suggested
actions and the source of each catalogue; and who is assigned to each work situation."""

from datetime import date
from typing import Self
from uuid import UUID

import strawberry

from api.enums import AgentKind, FollowUp, FollowUpDeterminant
from domain.catalogues import model
from domain.catalogues.question_kinds import QuestionKind
from projections.workforce.workforce import WorkforceRow


@strawberry.type(description="Risque professionnel du catalogue (étape 5 de la déclaration).")
class Risk:
    code: str
    family_code: str
    label: str
    description: str
    source: str
    provisional: bool = strawberry.field(
        description="Libellé ou description rédigés pour ce catalogue, encore à relire."
    )

    @classmethod
    def of(cls, risk: model.Risk) -> Self:
        return cls(
            code=risk.code,
            family_code=risk.family_code,
            label=risk.label,
            description=risk.description,
            source=risk.source,
            provisional=risk.provisional,
        )


@strawberry.type(description="Famille de risques (« Ambiance physique »…) et ses risques.")
class RiskFamily:
    code: str
    label: str
    risks: list[Risk]

    @classmethod
    def of(cls, family: model.RiskFamily) -> Self:
        return cls(
            code=family.code, label=family.label, risks=[Risk.of(risk) for risk in family.risks]
        )


@strawberry.type(
    description="Question d'un thème de prévention : `choices` pour les questions à choix, "
    "`integer`, `min` et `max` pour les nombres."
)
class PreventionQuestion:
    id: str
    label: str
    kind: QuestionKind
    required: bool
    choices: list[str]
    integer: bool
    minimum: float | None = strawberry.field(name="min")
    maximum: float | None = strawberry.field(name="max")

    @classmethod
    def of(cls, question: model.Question) -> Self:
        return cls(
            id=question.id,
            label=question.label,
            kind=question.kind,
            required=question.required,
            choices=list(question.choices),
            integer=question.integer,
            minimum=question.minimum,
            maximum=question.maximum,
        )


@strawberry.type(description="Thème des informations de prévention (étape 4) et ses questions.")
class PreventionTheme:
    code: str
    label: str
    questions: list[PreventionQuestion]

    @classmethod
    def of(cls, theme: model.PreventionTheme) -> Self:
        return cls(
            code=theme.code,
            label=theme.label,
            questions=[PreventionQuestion.of(q) for q in theme.questions],
        )


@strawberry.type(
    description="Situation de travail de l'étape 9, sous sa rubrique. `determinant` est le"
    " déterminant de suivi qu'elle déclare, `category` la catégorie qu'il entraîne (SIR, SIA) ;"
    " tous deux nuls pour une situation qui informe seulement le service (risques"
    " psychosociaux…)."
)
class WorkSituation:
    code: str
    heading: str
    label: str
    determinant: FollowUpDeterminant | None
    category: FollowUp | None
    source: str
    provisional: bool

    @classmethod
    def of(cls, situation: model.WorkSituation) -> Self:
        return cls(
            code=situation.code,
            heading=situation.group,
            label=situation.label,
            determinant=situation.determinant,
            category=situation.category,
            source=situation.source,
            provisional=situation.provisional,
        )


@strawberry.type(description="Agent CMR du catalogue : une substance (numéro CAS) ou un procédé.")
class CmrAgent:
    kind: AgentKind
    cas_number: str | None
    name: str
    name_en: str
    clp_hazard: str = strawberry.field(description="Classification CLP (« Carc. 1A »…).")
    source: str

    @classmethod
    def of(cls, agent: model.CmrAgentEntry) -> Self:
        return cls(
            kind=agent.kind,
            cas_number=None if agent.cas_number is None else str(agent.cas_number),
            name=agent.name,
            name_en=agent.name_en,
            clp_hazard=agent.clp_hazard,
            source=agent.source,
        )


@strawberry.type(description="Action de prévention suggérée pour un risque (étape 8).")
class SuggestedAction:
    code: str
    risk_code: str
    label: str
    source: str
    provisional: bool

    @classmethod
    def of(cls, action: model.SuggestedAction) -> Self:
        return cls(
            code=action.code,
            risk_code=action.risk_code,
            label=action.label,
            source=action.source,
            provisional=action.provisional,
        )


@strawberry.type(
    description="Source d'un catalogue, s'il contient des lignes à relire, et si le service l'a"
    " modifié : entrées ajoutées, modifiées (une fois chacune) et retirées."
)
class CatalogueSource:
    catalogue: str = strawberry.field(description="Le fichier du catalogue (« risks.csv »…).")
    source: str
    provisional: bool
    edited_by_service: bool = strawberry.field(
        description="Le service a ajouté, modifié ou retiré au moins une entrée."
    )
    added: int = strawberry.field(description="Entrées ajoutées par le service.")
    changed: int = strawberry.field(description="Entrées modifiées par le service.")
    retired: int = strawberry.field(
        description="Entrées retirées par le service (livrées ou ajoutées par lui)."
    )

    @classmethod
    def of(cls, catalogue: str, source: model.Source, edits: model.EditCounts) -> Self:
        return cls(
            catalogue=catalogue,
            source=source.text,
            provisional=source.provisional,
            edited_by_service=edits.edited,
            added=edits.added,
            changed=edits.changed,
            retired=edits.retired,
        )


@strawberry.type(description="Salarié affecté à une situation de travail, avec sa catégorie.")
class AssignedEmployee:
    id: UUID
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    category: FollowUp | None
    since: date | None = strawberry.field(
        description="Début du déterminant déclaré en vigueur ; nul quand il ne vient que d'une"
        " exposition CMR enregistrée."
    )

    @classmethod
    def of(cls, row: WorkforceRow, determinant: FollowUpDeterminant, today: date) -> Self:
        starts = [
            period.started_on
            for period in row.determinant_periods
            if period.determinant == determinant.value
            and period.started_on <= today
            and (period.ended_on is None or today <= period.ended_on)
        ]
        return cls(
            id=row.employee_id,
            birth_name=row.birth_name,
            usage_name=row.usage_name,
            first_name=row.first_name,
            category=None if row.category is None else FollowUp(row.category),
            since=min(starts, default=None),
        )


@strawberry.type(description="Une situation de travail et les salariés qui y sont affectés.")
class WorkSituationAssignment:
    situation: WorkSituation
    employees: list[AssignedEmployee]

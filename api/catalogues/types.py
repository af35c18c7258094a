"""GraphQL types of the catalogues of the annual declaration (reference data, the same for every
member): risks by family, the prevention questionnaire, work situations, CMR agents, suggested
actions and the source of each catalogue; and who is assigned to each work situation."""

from datetime import date
from typing import Self
from uuid import UUID

import strawberry

from api.enums import AgentKind, FollowUp, FollowUpDeterminant
from api.from_structs import converted, fields_of
from domain.catalogues import model
from projections.workforce.workforce_queries import WorkforceRow


@strawberry.type(description="Risque professionnel du catalogue (étape 5 de la déclaration).")
@fields_of(model.Risk)
class Risk:
    provisional: bool = strawberry.field(
        description="Libellé ou description rédigés pour ce catalogue, encore à relire."
    )


@strawberry.type(description="Famille de risques (« Ambiance physique »…) et ses risques.")
@fields_of(model.RiskFamily)
class RiskFamily:
    risks: list[Risk]


@strawberry.type(
    description="Question d'un thème de prévention : `choices` pour les questions à choix, "
    "`integer`, `min` et `max` pour les nombres."
)
@fields_of(model.Question)
class PreventionQuestion:
    choices: list[str]
    minimum: float | None = strawberry.field(name="min")
    maximum: float | None = strawberry.field(name="max")


@strawberry.type(description="Thème des informations de prévention (étape 4) et ses questions.")
@fields_of(model.PreventionTheme)
class PreventionTheme:
    questions: list[PreventionQuestion]


@strawberry.type(
    description="Situation de travail de l'étape 9, sous sa rubrique. `determinant` est le"
    " déterminant de suivi qu'elle déclare, nul pour une situation qui informe seulement le"
    " service (risques psychosociaux…) ; `category` la catégorie qu'elle entraîne à la date"
    " demandée, selon les règles du suivi en vigueur ce jour-là (une autorisation de conduite"
    " n'est plus SIR depuis le 1er octobre 2025), nulle quand elle n'en entraîne aucune."
)
@fields_of(model.WorkSituation, renamed={"group": "heading"})
class WorkSituation:
    provisional: bool
    category: FollowUp | None

    @classmethod
    def of(cls, situation: model.WorkSituation, on: date) -> Self:
        return converted(
            cls, situation, heading=situation.group, category=situation.category_on(on)
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
        cas_number = None if agent.cas_number is None else str(agent.cas_number)
        return converted(cls, agent, cas_number=cas_number)


@strawberry.type(description="Action de prévention suggérée pour un risque (étape 8).")
@fields_of(model.SuggestedAction)
class SuggestedAction:
    provisional: bool


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
        return converted(
            cls,
            edits,
            catalogue=catalogue,
            source=source.text,
            provisional=source.provisional,
            edited_by_service=edits.edited,
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
    def of(
        cls,
        row: WorkforceRow,
        determinant: FollowUpDeterminant,
        today: date,
        reported: str | None = None,
    ) -> Self:
        starts = [
            period.started_on
            for period in row.determinant_periods
            if period.determinant == determinant.value
            and period.situation == reported
            and period.started_on <= today
            and (period.ended_on is None or today <= period.ended_on)
        ]
        return converted(cls, row, id=row.employee_id, since=min(starts, default=None))


@strawberry.type(description="Une situation de travail et les salariés qui y sont affectés.")
class WorkSituationAssignment:
    situation: WorkSituation
    employees: list[AssignedEmployee]

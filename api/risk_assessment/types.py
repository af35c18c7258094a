"""Output types of the risk assessment (DUERP tool, seed 000 steps 6–8), and its rules.

Built from the aggregate itself, read through the application's queries with the caller's reach
(there is no read model of it): the current state of the tool, and published versions as they
were fixed. Work units name their employees by id only: who they are is read through the
workforce queries, under the workforce's rights — the declaration's readers (Billing among
them) do not all have those.
"""

from datetime import date
from typing import Self
from uuid import UUID

import strawberry

from api.authorization import Rule, Scope
from api.from_structs import converted, fields_of
from domain.accounts.access import Right
from domain.risk_assessment import action_plan, assessment, publication, rating, work_units

CHANGES_RISK_ASSESSMENT = Rule(Right.MANAGE_DECLARATION)
READS_RISK_ASSESSMENT = Rule(Right.READ_DECLARATION, scope=Scope(member="member_id"))
DOCUMENT_PATH = "/members/{member_id}/risk-assessment/document"
"""Where a document made without the tool is uploaded (POST) and, followed by its SHA-256,
downloaded (GET)."""

strawberry.enum(
    rating.Priority,
    name="RiskPriority",
    description="Priorité d'action d'un risque évalué : I la plus urgente, IV la moins urgente"
    " (gravité × probabilité : 12 et plus I, 8 II, 4 à 6 III, moins IV).",
)
strawberry.enum(
    action_plan.ActionScope,
    name="PreventionActionScope",
    description="Partie du plan d'action : globale à l'entreprise, risques majeurs (priorités"
    " I–II), autres risques (III–IV).",
)
strawberry.enum(
    action_plan.ActionStatus,
    name="PreventionActionStatus",
    description="Action planifiée, réalisée ou annulée.",
)


def document_path(member_id: UUID, sha256: str) -> str:
    return f"{DOCUMENT_PATH.format(member_id=member_id)}/{sha256}"


@strawberry.type(description="Unité de travail : salariés exposés aux mêmes risques.")
@fields_of(work_units.WorkUnit)
class WorkUnit:
    employee_ids: list[UUID]
    risk_codes: list[str] = strawberry.field(description="Codes du catalogue des risques.")


@strawberry.type(description="Évaluation d'un risque dans une unité de travail.")
class RiskEvaluation:
    unit_id: int
    risk_code: str
    severity: int = strawberry.field(description="Gravité, de 1 (faible) à 4 (très grave).")
    probability: int = strawberry.field(description="Probabilité, de 1 à 4.")
    priority: rating.Priority = strawberry.field(
        description="Priorité donnée par la grille lors de l'évaluation."
    )
    major: bool = strawberry.field(description="Risque majeur : priorité I ou II.")
    description: str
    existing_measures: str | None

    @classmethod
    def of(cls, evaluation: work_units.RiskEvaluation) -> Self:
        return converted(cls, evaluation, major=evaluation.priority.is_major)


@strawberry.type(description="Un risque d'une unité de travail, pas encore évalué.")
class PendingEvaluation:
    unit_id: int
    risk_code: str


@strawberry.type(description="Action de prévention du plan d'action.")
@fields_of(action_plan.PreventionAction)
class PreventionAction:
    risk_code: str | None = strawberry.field(
        description="Le risque visé (une action globale peut n'en viser aucun)."
    )
    unit_ids: list[int]
    due_on: date = strawberry.field(description="Échéance.")
    owner: str = strawberry.field(description="Responsable de l'action.")
    suggestion_code: str | None = strawberry.field(
        description="L'action suggérée du catalogue dont elle vient, le cas échéant."
    )
    late: bool = strawberry.field(
        description="En retard : planifiée, non réalisée, échéance passée — aujourd'hui (heure"
        " de Paris) ; dans une version publiée, au jour de sa publication."
    )

    @classmethod
    def of(cls, action: action_plan.PreventionAction, day: date) -> Self:
        return converted(cls, action, late=action.is_late_on(day))


@strawberry.type(description="Une version publiée du document unique (conservée 40 ans).")
@fields_of(publication.PublishedVersion, left_out=("content",))
class RiskAssessmentVersionSummary:
    content_hash: str = strawberry.field(
        description="Empreinte SHA-256 du contenu publié (JSON canonique)."
    )


@strawberry.type(
    description="Une version publiée du document unique, telle qu'elle a été publiée,"
    " reconstituée depuis l'historique. Les actions annulées n'y figurent pas."
)
class RiskAssessmentVersion:
    member_id: UUID
    number: int
    published_on: date
    content_hash: str = strawberry.field(
        description="Empreinte SHA-256 enregistrée à la publication."
    )
    intact: bool = strawberry.field(
        description="Le contenu reconstitué a toujours l'empreinte enregistrée à la publication."
    )
    units: list[WorkUnit]
    evaluations: list[RiskEvaluation]
    actions: list[PreventionAction]

    @classmethod
    def of(cls, member_id: UUID, version: publication.PublishedVersion) -> Self:
        content = version.content
        return converted(
            cls,
            version,
            member_id=member_id,
            intact=version.is_intact,
            units=[converted(WorkUnit, u) for u in content.units],
            evaluations=[RiskEvaluation.of(e) for e in content.evaluations],
            actions=[PreventionAction.of(a, version.published_on) for a in content.actions],
        )


@strawberry.type(
    description="Document unique réalisé sans l'outil, déposé par l'adhérent ; le fichier est"
    " conservé sous son empreinte SHA-256."
)
@fields_of(publication.ExistingDocument)
class RiskAssessmentDocument:
    size: int = strawberry.field(description="Taille en octets.")
    download_path: str = strawberry.field(
        description="Où le télécharger (GET, avec le jeton de session)."
    )

    @classmethod
    def of(cls, member_id: UUID, document: publication.ExistingDocument) -> Self:
        return converted(cls, document, download_path=document_path(member_id, document.sha256))


@strawberry.type(
    description="Évaluation des risques professionnels d'un adhérent (DUERP) : l'état de"
    " l'outil (étapes 6 à 8), ses versions publiées, les documents déposés sans l'outil."
)
class RiskAssessment:
    member_id: UUID
    version: int = strawberry.field(
        description="Version de l'évaluation : à renvoyer comme expectedVersion d'une modification."
    )
    units: list[WorkUnit]
    evaluations: list[RiskEvaluation]
    pending_evaluations: list[PendingEvaluation] = strawberry.field(
        description="Évaluations à réaliser avant de publier."
    )
    actions: list[PreventionAction] = strawberry.field(
        description="Le plan d'action, annulées comprises (avec leur statut)."
    )
    late_actions: int = strawberry.field(description="Actions en retard aujourd'hui.")
    published_versions: list[RiskAssessmentVersionSummary]
    documents: list[RiskAssessmentDocument]
    last_updated_on: date | None = strawberry.field(
        description="Dernière publication ou dernier dépôt d'un document unique."
    )

    @classmethod
    def of(cls, assessment: assessment.RiskAssessment, today: date) -> Self:
        member_id = assessment.member_id
        actions = sorted(assessment.actions, key=lambda a: a.action_id)
        return converted(
            cls,
            assessment,
            units=[
                converted(WorkUnit, u) for u in sorted(assessment.units, key=lambda u: u.unit_id)
            ],
            evaluations=[
                RiskEvaluation.of(e)
                for e in sorted(assessment.evaluations, key=lambda e: (e.unit_id, e.risk_code))
            ],
            pending_evaluations=[
                PendingEvaluation(unit_id=unit_id, risk_code=risk_code)
                for unit_id, risk_code in assessment.pending_evaluations
            ],
            actions=[PreventionAction.of(a, today) for a in actions],
            late_actions=len(assessment.late_actions(today)),
            documents=[RiskAssessmentDocument.of(member_id, d) for d in assessment.documents],
        )

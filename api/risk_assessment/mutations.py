"""Mutations of the risk assessment's action plan (DUERP tool, seed 000 step 8), its published
versions, and the documents made without the tool. Every success carries the assessment as the
change left it; work units and evaluations are in `work_unit_mutations`.
"""

from datetime import date

import strawberry

from api.authorization import mutation
from api.commands import run, send
from api.context import GraphQLInfo
from api.risk_assessment.changes import RiskAssessmentInput, RiskAssessmentResult, changed
from api.risk_assessment.types import CHANGES_RISK_ASSESSMENT, DOCUMENT_PATH
from application.risk_assessment.commands import (
    CancelPreventionAction,
    MarkPreventionActionDone,
    PlanPreventionAction,
    PublishRiskAssessment,
    RecordExistingRiskAssessmentDocument,
    ReschedulePreventionAction,
)
from domain.risk_assessment.action_plan import ActionScope

# Inputs ----------------------------------------------------------------------------------------


@strawberry.input
class PlanPreventionActionInput(RiskAssessmentInput):
    scope: ActionScope
    title: str
    due_on: date
    owner: str
    risk_code: str | None = strawberry.field(
        default=None, description="Le risque visé : obligatoire pour une action ciblée."
    )
    unit_ids: list[int] = strawberry.field(
        default_factory=list,
        description="Les unités où la mener : obligatoires pour une action ciblée.",
    )
    suggestion_code: str | None = strawberry.field(
        default=None, description="L'action suggérée du catalogue dont elle vient, le cas échéant."
    )


@strawberry.input
class PreventionActionInput(RiskAssessmentInput):
    action_id: int


@strawberry.input
class ReschedulePreventionActionInput(PreventionActionInput):
    due_on: date


@strawberry.input
class MarkPreventionActionDoneInput(PreventionActionInput):
    done_on: date | None = strawberry.field(
        default=None, description="Jour de réalisation ; par défaut aujourd'hui."
    )


@strawberry.input
class CancelPreventionActionInput(PreventionActionInput):
    reason: str


@strawberry.input
class RecordExistingRiskAssessmentDocumentInput(RiskAssessmentInput):
    file_name: str
    media_type: str
    size: int = strawberry.field(description="Taille du fichier déposé, en octets.")
    sha256: str = strawberry.field(description="Empreinte SHA-256 du fichier déposé.")


# Mutations -------------------------------------------------------------------------------------


@strawberry.type
class RiskAssessmentMutations:
    # Step 8: the action plan

    @mutation(
        "Étape 8 : planifier une action de prévention (globale, ou ciblée sur un risque évalué"
        " dans des unités) ; createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
    )
    async def plan_prevention_action(
        self, info: GraphQLInfo, input: PlanPreventionActionInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            PlanPreventionAction(
                member_id=input.member_id,
                scope=input.scope,
                title=input.title,
                due_on=input.due_on,
                owner=input.owner,
                risk_code=input.risk_code,
                unit_ids=input.unit_ids,
                suggestion_code=input.suggestion_code,
            ),
            changed,
        )

    @mutation("Étape 8 : changer l'échéance d'une action planifiée.", CHANGES_RISK_ASSESSMENT)
    async def reschedule_prevention_action(
        self, info: GraphQLInfo, input: ReschedulePreventionActionInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            ReschedulePreventionAction(
                member_id=input.member_id, action_id=input.action_id, due_on=input.due_on
            ),
            changed,
        )

    @mutation("Étape 8 : marquer une action comme réalisée.", CHANGES_RISK_ASSESSMENT)
    async def mark_prevention_action_done(
        self, info: GraphQLInfo, input: MarkPreventionActionDoneInput
    ) -> RiskAssessmentResult:
        done_on = input.done_on or info.context.services.clock.today()
        return await send(
            info,
            input,
            MarkPreventionActionDone(
                member_id=input.member_id, action_id=input.action_id, done_on=done_on
            ),
            changed,
        )

    @mutation("Étape 8 : annuler une action planifiée, avec son motif.", CHANGES_RISK_ASSESSMENT)
    async def cancel_prevention_action(
        self, info: GraphQLInfo, input: CancelPreventionActionInput
    ) -> RiskAssessmentResult:
        return await send(
            info,
            input,
            CancelPreventionAction(
                member_id=input.member_id, action_id=input.action_id, reason=input.reason
            ),
            changed,
        )

    # Versions of the document unique

    @mutation(
        "Publier une version du document unique, datée d'aujourd'hui : son contenu est figé avec"
        " son empreinte et conservé 40 ans ; createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
    )
    async def publish_risk_assessment(
        self, info: GraphQLInfo, input: RiskAssessmentInput
    ) -> RiskAssessmentResult:
        published_on = info.context.services.clock.today()
        return await send(
            info,
            input,
            PublishRiskAssessment(member_id=input.member_id, published_on=published_on),
            changed,
        )

    @mutation(
        "Enregistrer un document unique réalisé sans l'outil, dont le fichier a été déposé"
        f" (POST {DOCUMENT_PATH}, qui l'enregistre déjà : ceci sert quand cet enregistrement"
        " a échoué) ; createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
    )
    async def record_existing_risk_assessment_document(
        self, info: GraphQLInfo, input: RecordExistingRiskAssessmentDocumentInput
    ) -> RiskAssessmentResult:
        services = info.context.services
        command = RecordExistingRiskAssessmentDocument(
            member_id=input.member_id,
            file_name=input.file_name,
            media_type=input.media_type,
            size=input.size,
            sha256=input.sha256,
            recorded_on=services.clock.today(),
        )
        return await run(
            info,
            input,
            lambda app, request: services.risk_documents.record(request, command),
            changed,
        )

"""Mutations of the risk assessment's action plan (DUERP tool, seed 000 step 8), its published
versions, and the documents made without the tool. Every success carries the assessment as the
change left it; work units and evaluations are in `work_unit_mutations`.
"""

from datetime import date

import strawberry

from api.authorization import mutation
from api.commands import run
from api.context import GraphQLInfo
from api.message_mutations import Answer, message_from, sends
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


CHANGED = Answer(RiskAssessmentResult, changed)


def _mark_done(input: MarkPreventionActionDoneInput, info: GraphQLInfo) -> MarkPreventionActionDone:
    done_on = input.done_on or info.context.services.clock.today()
    return message_from(MarkPreventionActionDone, input, done_on=done_on)


def _publish(input: RiskAssessmentInput, info: GraphQLInfo) -> PublishRiskAssessment:
    published_on = info.context.services.clock.today()
    return message_from(PublishRiskAssessment, input, published_on=published_on)


@strawberry.type
class RiskAssessmentMutations:
    # Step 8: the action plan

    plan_prevention_action = sends(
        PlanPreventionAction,
        PlanPreventionActionInput,
        CHANGED,
        "Étape 8 : planifier une action de prévention (globale, ou ciblée sur un risque évalué"
        " dans des unités) ; createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
    )
    reschedule_prevention_action = sends(
        ReschedulePreventionAction,
        ReschedulePreventionActionInput,
        CHANGED,
        "Étape 8 : changer l'échéance d'une action planifiée.",
        CHANGES_RISK_ASSESSMENT,
    )
    mark_prevention_action_done = sends(
        _mark_done,
        MarkPreventionActionDoneInput,
        CHANGED,
        "Étape 8 : marquer une action comme réalisée.",
        CHANGES_RISK_ASSESSMENT,
    )
    cancel_prevention_action = sends(
        CancelPreventionAction,
        CancelPreventionActionInput,
        CHANGED,
        "Étape 8 : annuler une action planifiée, avec son motif.",
        CHANGES_RISK_ASSESSMENT,
    )

    # Versions of the document unique

    publish_risk_assessment = sends(
        _publish,
        RiskAssessmentInput,
        CHANGED,
        "Publier une version du document unique, datée d'aujourd'hui : son contenu est figé avec"
        " son empreinte et conservé 40 ans ; createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
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
        command = message_from(
            RecordExistingRiskAssessmentDocument, input, recorded_on=services.clock.today()
        )
        return await run(
            info,
            input,
            lambda app, request: services.risk_documents.record(request, command),
            changed,
        )

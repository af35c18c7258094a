"""Mutations of the risk assessment (DUERP tool, seed 000 steps 6–8): work units, evaluations,
the action plan, published versions, and documents made without the tool.

The declaration's rule: whoever fills the declaration (MANAGE_DECLARATION). Whether the member
subscribed the tool for the year is the declaration's choice, not checked here. Every success
carries the assessment as this change left it.
"""

from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import mutation
from api.commands import ChangeInput, run
from api.context import GraphQLInfo
from api.failures import Failure
from api.risk_assessment.routes import member_documents
from api.risk_assessment.types import CHANGES_RISK_ASSESSMENT, DOCUMENT_PATH, RiskAssessment
from api.services import Services
from application.members.commands import MEMBER_NOT_FOUND
from application.registre import Registre
from application.requests import CommandResult, Request
from domain.errors import InvalidValue, NotFound
from domain.members.member import Member
from domain.risk_assessment import assessment as duerp
from projections.timeline import paris_today
from storage.documents import DocumentStore

# Inputs ----------------------------------------------------------------------------------------


@strawberry.input(description="Modification de l'évaluation des risques d'un adhérent.")
class RiskAssessmentInput(ChangeInput):
    member_id: UUID


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


@strawberry.input
class PlanPreventionActionInput(RiskAssessmentInput):
    scope: duerp.ActionScope
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


# The answer ------------------------------------------------------------------------------------


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


def _changed(services: Services, result: CommandResult) -> RiskAssessmentChanged:
    assessment: object = services.app.repository.get(result.aggregate_id, version=result.version)
    if not isinstance(assessment, duerp.RiskAssessment):
        raise TypeError(f"{result.aggregate_id} is not a risk assessment")
    return RiskAssessmentChanged(
        aggregate_id=result.aggregate_id,
        version=result.version,
        created_id=result.created_id,
        risk_assessment=RiskAssessment.of(assessment, paris_today()),
    )


def _check_uploaded(documents: DocumentStore, sha256: str, size: int) -> None:
    """A document is recorded once its file is stored: the member's own file of that digest
    and size (a malformed digest is left to the domain's check)."""
    digest = sha256.strip().lower()
    if not duerp.SHA256.match(digest):
        return
    stored = documents.size(digest)
    if stored is None:
        raise NotFound(
            "Ce fichier n'a pas été déposé : envoyez-le d'abord (POST"
            f" {DOCUMENT_PATH}), qui l'enregistre aussi.",
            code="DOCUMENT_NOT_UPLOADED",
        )
    if stored != size:
        raise InvalidValue(
            f"Le fichier déposé sous cette empreinte fait {stored} octets.",
            code="FILE_SIZE_MISMATCH",
            field="size",
        )


# Mutations -------------------------------------------------------------------------------------


@strawberry.type
class RiskAssessmentMutations:
    # Step 6: work units

    @mutation(
        "Étape 6 : créer une unité de travail (salariés exposés aux mêmes risques) ;"
        " createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
    )
    async def create_work_unit(
        self, info: GraphQLInfo, input: CreateWorkUnitInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.create_work_unit(
                request,
                input.member_id,
                name=input.name,
                employee_ids=input.employee_ids,
                risk_codes=input.risk_codes,
            ),
            _changed,
        )

    @mutation("Étape 6 : renommer une unité de travail.", CHANGES_RISK_ASSESSMENT)
    async def rename_work_unit(
        self, info: GraphQLInfo, input: RenameWorkUnitInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.rename_work_unit(
                request, input.member_id, input.unit_id, name=input.name
            ),
            _changed,
        )

    @mutation(
        "Étape 6 : supprimer une unité de travail (ses évaluations avec elle).",
        CHANGES_RISK_ASSESSMENT,
    )
    async def remove_work_unit(
        self, info: GraphQLInfo, input: WorkUnitInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.remove_work_unit(request, input.member_id, input.unit_id),
            _changed,
        )

    @mutation(
        "Étape 6 : choisir les salariés d'une unité de travail (salariés de l'adhérent).",
        CHANGES_RISK_ASSESSMENT,
    )
    async def assign_employees_to_work_unit(
        self, info: GraphQLInfo, input: AssignEmployeesToWorkUnitInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.assign_employees_to_work_unit(
                request, input.member_id, input.unit_id, employee_ids=input.employee_ids
            ),
            _changed,
        )

    @mutation("Étape 6 : ajouter un risque à une unité de travail.", CHANGES_RISK_ASSESSMENT)
    async def add_risk_to_work_unit(
        self, info: GraphQLInfo, input: WorkUnitRiskInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.add_risk_to_work_unit(
                request, input.member_id, input.unit_id, risk_code=input.risk_code
            ),
            _changed,
        )

    @mutation(
        "Étape 6 : retirer un risque d'une unité de travail (son évaluation avec lui).",
        CHANGES_RISK_ASSESSMENT,
    )
    async def remove_risk_from_work_unit(
        self, info: GraphQLInfo, input: WorkUnitRiskInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.remove_risk_from_work_unit(
                request, input.member_id, input.unit_id, risk_code=input.risk_code
            ),
            _changed,
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
        return await run(
            info,
            input,
            lambda app, request: app.evaluate_risk(
                request,
                input.member_id,
                input.unit_id,
                risk_code=input.risk_code,
                severity=input.severity,
                probability=input.probability,
                description=input.description,
                existing_measures=input.existing_measures,
            ),
            _changed,
        )

    # Step 8: the action plan

    @mutation(
        "Étape 8 : planifier une action de prévention (globale, ou ciblée sur un risque évalué"
        " dans des unités) ; createdId est son numéro.",
        CHANGES_RISK_ASSESSMENT,
    )
    async def plan_prevention_action(
        self, info: GraphQLInfo, input: PlanPreventionActionInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.plan_prevention_action(
                request,
                input.member_id,
                scope=input.scope,
                title=input.title,
                due_on=input.due_on,
                owner=input.owner,
                risk_code=input.risk_code,
                unit_ids=input.unit_ids,
                suggestion_code=input.suggestion_code,
            ),
            _changed,
        )

    @mutation("Étape 8 : changer l'échéance d'une action planifiée.", CHANGES_RISK_ASSESSMENT)
    async def reschedule_prevention_action(
        self, info: GraphQLInfo, input: ReschedulePreventionActionInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.reschedule_prevention_action(
                request, input.member_id, input.action_id, due_on=input.due_on
            ),
            _changed,
        )

    @mutation("Étape 8 : marquer une action comme réalisée.", CHANGES_RISK_ASSESSMENT)
    async def mark_prevention_action_done(
        self, info: GraphQLInfo, input: MarkPreventionActionDoneInput
    ) -> RiskAssessmentResult:
        done_on = input.done_on or paris_today()
        return await run(
            info,
            input,
            lambda app, request: app.mark_prevention_action_done(
                request, input.member_id, input.action_id, done_on=done_on
            ),
            _changed,
        )

    @mutation("Étape 8 : annuler une action planifiée, avec son motif.", CHANGES_RISK_ASSESSMENT)
    async def cancel_prevention_action(
        self, info: GraphQLInfo, input: CancelPreventionActionInput
    ) -> RiskAssessmentResult:
        return await run(
            info,
            input,
            lambda app, request: app.cancel_prevention_action(
                request, input.member_id, input.action_id, reason=input.reason
            ),
            _changed,
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
        published_on = paris_today()
        return await run(
            info,
            input,
            lambda app, request: app.publish_risk_assessment(
                request, input.member_id, published_on=published_on
            ),
            _changed,
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
        services, recorded_on = info.context.services, paris_today()

        def record(app: Registre, request: Request) -> CommandResult:
            # the member first, with the caller's reach: another member's files are not probed
            app.load(Member, input.member_id, MEMBER_NOT_FOUND, request.actor)
            documents = member_documents(services, input.member_id)
            _check_uploaded(documents, input.sha256, input.size)
            return app.record_existing_risk_assessment_document(
                request,
                input.member_id,
                file_name=input.file_name,
                media_type=input.media_type,
                size=input.size,
                sha256=input.sha256,
                recorded_on=recorded_on,
            )

        return await run(info, input, record, _changed)

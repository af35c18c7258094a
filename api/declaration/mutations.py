"""Mutations of the annual declaration (seed 000): the service's campaigns, and each step of a
member's declaration. Changes of the member's own data made inside a step (company, contacts,
employees, determinants, exposures) are the ordinary mutations of that data."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from uuid import UUID

import strawberry

from api.authorization import Rule, mutation
from api.commands import CommandInput, send
from api.context import GraphQLInfo
from api.enums import DeclarationStep
from api.failures import Failure
from api.rules import SERVICE
from api.scalars import JSON
from api.services import Services
from application.declaration.commands import (
    AcceptTermsOfSale,
    AddRisk,
    AnswerPrevention,
    ChooseRiskTool,
    CloseCampaign,
    CompleteDeclarationStep,
    ConfirmDeclaration,
    DeclarationChange,
    DeclineRisk,
    GivePurchaseOrder,
    OpenCampaign,
    RemoveRisk,
    ReopenDeclaration,
    StepChange,
    TransferDeclaration,
)
from application.requests import CommandResult
from domain.accounts.access import Right
from domain.errors import InvalidValue
from domain.money import Money

FILLS_DECLARATION = Rule(Right.MANAGE_DECLARATION)
S = TypeVar("S", bound=StepChange)


@strawberry.input(description="Ouverture d'une campagne de déclaration (par le service).")
class OpenCampaignInput(CommandInput):
    year: int
    opens_on: date
    deadline: date
    rate_per_capita: Decimal = strawberry.field(description="Cotisation par salarié, € HT.")
    tool_price: Decimal = strawberry.field(
        description="Prix annuel de l'outil d'évaluation des risques, € HT."
    )
    reference_date: date | None = strawberry.field(
        default=None,
        description="Date de l'effectif facturé (par défaut le 31 décembre de l'année d'avant).",
    )


@strawberry.input
class CloseCampaignInput(CommandInput):
    year: int
    closed_on: date


@strawberry.input(description="Une déclaration : l'adhérent, l'année.")
class DeclarationInput(CommandInput):
    member_id: UUID
    year: int


@strawberry.input(description="Modification d'une étape de la déclaration.")
class StepInput(DeclarationInput):
    expected_revision: int | None = strawberry.field(
        default=None,
        description="Révision de l'étape sur laquelle l'écran a été construit ; refusée"
        " (ConflictError) si quelqu'un a modifié cette même étape depuis.",
    )


@strawberry.input
class CompleteStepInput(StepInput):
    step: DeclarationStep


@strawberry.input
class RiskInput(StepInput):
    risk_code: str


@strawberry.input(description="Étape 4 : réponses à un thème (identifiant de question → réponse).")
class PreventionAnswersInput(StepInput):
    theme: str
    answers: JSON = strawberry.field(
        description='Par exemple {"effectif_saisonnier": true, "nombre_sites": 2}.'
    )


@strawberry.input
class ChooseRiskToolInput(StepInput):
    subscribed: bool


@strawberry.input
class PurchaseOrderInput(StepInput):
    purchase_order: str | None = None


@strawberry.input
class TransferDeclarationInput(DeclarationInput):
    account_id: UUID


@strawberry.input
class ReopenDeclarationInput(DeclarationInput):
    reason: str


@strawberry.type(description="Campagne ouverte ou close.")
class CampaignChanged:
    aggregate_id: UUID
    version: int


@strawberry.type(description="La déclaration après la modification.")
class DeclarationChanged:
    aggregate_id: UUID
    version: int


CampaignResult = Annotated[CampaignChanged | Failure, strawberry.union("CampaignResult")]
DeclarationResult = Annotated[DeclarationChanged | Failure, strawberry.union("DeclarationResult")]


def _answers(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidValue(
            "Les réponses sont un objet : identifiant de la question → réponse.",
            code="INVALID_ANSWERS",
            field="answers",
        )
    return value


def _step(command: type[S], input: StepInput, **fields: Any) -> S:
    """A change of a step, with the declaration and the step's revision the input names."""
    return command(
        member_id=input.member_id,
        year=input.year,
        expected_revision=input.expected_revision,
        **fields,
    )


def _campaign(_: Services, result: CommandResult) -> CampaignChanged:
    return CampaignChanged(aggregate_id=result.aggregate_id, version=result.version)


def _declaration(_: Services, result: CommandResult) -> DeclarationChanged:
    return DeclarationChanged(aggregate_id=result.aggregate_id, version=result.version)


async def _change(
    info: GraphQLInfo, input: DeclarationInput, command: DeclarationChange
) -> DeclarationChanged | Failure:
    return await send(info, input, command, _declaration)


@strawberry.type
class DeclarationMutations:
    @mutation("Ouvrir la campagne de déclaration d'une année.", SERVICE)
    async def open_campaign(self, info: GraphQLInfo, input: OpenCampaignInput) -> CampaignResult:
        command = OpenCampaign(
            year=input.year,
            opens_on=input.opens_on,
            deadline=input.deadline,
            rate_per_capita=Money.euros(input.rate_per_capita),
            tool_price=Money.euros(input.tool_price),
            reference_date=input.reference_date,
        )
        return await send(info, input, command, _campaign)

    @mutation("Clore la campagne d'une année.", SERVICE)
    async def close_campaign(self, info: GraphQLInfo, input: CloseCampaignInput) -> CampaignResult:
        command = CloseCampaign(year=input.year, closed_on=input.closed_on)
        return await send(info, input, command, _campaign)

    @mutation("Valider une étape de la déclaration.", FILLS_DECLARATION)
    async def complete_declaration_step(
        self, info: GraphQLInfo, input: CompleteStepInput
    ) -> DeclarationResult:
        return await _change(info, input, _step(CompleteDeclarationStep, input, step=input.step))

    @mutation("Étape 4 : répondre aux questions d'un thème de prévention.", FILLS_DECLARATION)
    async def answer_prevention(
        self, info: GraphQLInfo, input: PreventionAnswersInput
    ) -> DeclarationResult:
        return await _change(
            info,
            input,
            _step(AnswerPrevention, input, theme=input.theme, answers=_answers(input.answers)),
        )

    @mutation("Étape 5 : ajouter un risque présent dans l'entreprise.", FILLS_DECLARATION)
    async def add_risk(self, info: GraphQLInfo, input: RiskInput) -> DeclarationResult:
        return await _change(info, input, _step(AddRisk, input, risk_code=input.risk_code))

    @mutation("Étape 5 : décliner un risque suggéré.", FILLS_DECLARATION)
    async def decline_risk(self, info: GraphQLInfo, input: RiskInput) -> DeclarationResult:
        return await _change(info, input, _step(DeclineRisk, input, risk_code=input.risk_code))

    @mutation("Étape 5 : retirer un risque ajouté par erreur.", FILLS_DECLARATION)
    async def remove_risk(self, info: GraphQLInfo, input: RiskInput) -> DeclarationResult:
        return await _change(info, input, _step(RemoveRisk, input, risk_code=input.risk_code))

    @mutation(
        "Étapes 6 à 8 : activer l'outil d'évaluation des risques pour l'année, ou non.",
        FILLS_DECLARATION,
    )
    async def choose_risk_tool(
        self, info: GraphQLInfo, input: ChooseRiskToolInput
    ) -> DeclarationResult:
        return await _change(info, input, _step(ChooseRiskTool, input, subscribed=input.subscribed))

    @mutation(
        "Étape 3 : transférer la déclaration à un autre utilisateur de l'adhérent.",
        FILLS_DECLARATION,
    )
    async def transfer_declaration(
        self, info: GraphQLInfo, input: TransferDeclarationInput
    ) -> DeclarationResult:
        return await _change(
            info,
            input,
            TransferDeclaration(
                member_id=input.member_id, year=input.year, account_id=input.account_id
            ),
        )

    @mutation("Étape 10 : n° de bon de commande (facultatif).", FILLS_DECLARATION)
    async def give_purchase_order(
        self, info: GraphQLInfo, input: PurchaseOrderInput
    ) -> DeclarationResult:
        return await _change(
            info, input, _step(GivePurchaseOrder, input, purchase_order=input.purchase_order)
        )

    @mutation(
        "Étape 10 : accepter les conditions de vente de l'outil d'évaluation.", FILLS_DECLARATION
    )
    async def accept_terms_of_sale(self, info: GraphQLInfo, input: StepInput) -> DeclarationResult:
        return await _change(info, input, _step(AcceptTermsOfSale, input))

    @mutation(
        "Étape 10 : valider définitivement la déclaration ; une copie de tout ce qui est déclaré"
        " est figée, avec son empreinte.",
        FILLS_DECLARATION,
    )
    async def confirm_declaration(self, info: GraphQLInfo, input: StepInput) -> DeclarationResult:
        return await _change(info, input, _step(ConfirmDeclaration, input))

    @mutation(
        "Rouvrir une déclaration confirmée (par le service) : une nouvelle version commence.",
        SERVICE,
    )
    async def reopen_declaration(
        self, info: GraphQLInfo, input: ReopenDeclarationInput
    ) -> DeclarationResult:
        return await send(
            info,
            input,
            ReopenDeclaration(member_id=input.member_id, year=input.year, reason=input.reason),
            _declaration,
        )

"""Mutations of the annual declaration (seed 000): the service's campaigns, and each step of a
member's declaration. Changes of the member's own data made inside a step (company, contacts,
employees, determinants, exposures) are the ordinary mutations of that data."""

from datetime import date
from decimal import Decimal
from uuid import UUID

import strawberry

from api.authorization import Rule
from api.commands import CommandInput
from api.context import GraphQLInfo
from api.enums import DeclarationStep
from api.message_mutations import RecordChanged, answer, message_from, sends
from api.rules import SERVICE
from api.scalars import JSON
from application.declaration.commands import (
    AcceptTermsOfSale,
    AddRisk,
    AnswerPrevention,
    ChooseRiskTool,
    CloseCampaign,
    CompleteDeclarationStep,
    ConfirmDeclaration,
    DeclineRisk,
    GivePurchaseOrder,
    OpenCampaign,
    RemoveRisk,
    ReopenDeclaration,
    TransferDeclaration,
)
from domain.accounts.access import Right
from domain.errors import InvalidValue
from domain.money import Money

FILLS_DECLARATION = Rule(Right.MANAGE_DECLARATION)


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
        description="Identifiant de la question → réponse, comme Declaration.prevention les"
        ' donne (des données, pas des noms de champ) : par exemple {"seasonal_activity": true,'
        ' "sites": 2}.'
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
class CampaignChanged(RecordChanged): ...


@strawberry.type(description="La déclaration après la modification.")
class DeclarationChanged(RecordChanged): ...


CAMPAIGN = answer("CampaignResult", CampaignChanged, CampaignChanged.read)
DECLARATION = answer("DeclarationResult", DeclarationChanged, DeclarationChanged.read)


def _open_campaign(input: OpenCampaignInput, _: GraphQLInfo) -> OpenCampaign:
    return message_from(
        OpenCampaign,
        input,
        rate_per_capita=Money.euros(input.rate_per_capita),
        tool_price=Money.euros(input.tool_price),
    )


def _answer_prevention(input: PreventionAnswersInput, _: GraphQLInfo) -> AnswerPrevention:
    if not isinstance(input.answers, dict):
        raise InvalidValue(
            "Les réponses sont un objet : identifiant de la question → réponse.",
            code="INVALID_ANSWERS",
            field="answers",
        )
    return message_from(AnswerPrevention, input)


@strawberry.type
class DeclarationMutations:
    open_campaign = sends(
        _open_campaign,
        OpenCampaignInput,
        CAMPAIGN,
        "Ouvrir la campagne de déclaration d'une année.",
        SERVICE,
    )
    close_campaign = sends(
        CloseCampaign, CloseCampaignInput, CAMPAIGN, "Clore la campagne d'une année.", SERVICE
    )
    complete_declaration_step = sends(
        CompleteDeclarationStep,
        CompleteStepInput,
        DECLARATION,
        "Valider une étape de la déclaration.",
        FILLS_DECLARATION,
    )
    answer_prevention = sends(
        _answer_prevention,
        PreventionAnswersInput,
        DECLARATION,
        "Étape 4 : répondre aux questions d'un thème de prévention.",
        FILLS_DECLARATION,
    )
    add_risk = sends(
        AddRisk,
        RiskInput,
        DECLARATION,
        "Étape 5 : ajouter un risque présent dans l'entreprise.",
        FILLS_DECLARATION,
    )
    decline_risk = sends(
        DeclineRisk,
        RiskInput,
        DECLARATION,
        "Étape 5 : décliner un risque suggéré.",
        FILLS_DECLARATION,
    )
    remove_risk = sends(
        RemoveRisk,
        RiskInput,
        DECLARATION,
        "Étape 5 : retirer un risque ajouté par erreur.",
        FILLS_DECLARATION,
    )
    choose_risk_tool = sends(
        ChooseRiskTool,
        ChooseRiskToolInput,
        DECLARATION,
        "Étapes 6 à 8 : activer l'outil d'évaluation des risques pour l'année, ou non.",
        FILLS_DECLARATION,
    )
    transfer_declaration = sends(
        TransferDeclaration,
        TransferDeclarationInput,
        DECLARATION,
        "Étape 3 : transférer la déclaration à un autre utilisateur de l'adhérent.",
        FILLS_DECLARATION,
    )
    give_purchase_order = sends(
        GivePurchaseOrder,
        PurchaseOrderInput,
        DECLARATION,
        "Étape 10 : n° de bon de commande (facultatif).",
        FILLS_DECLARATION,
    )
    accept_terms_of_sale = sends(
        AcceptTermsOfSale,
        StepInput,
        DECLARATION,
        "Étape 10 : accepter les conditions de vente de l'outil d'évaluation.",
        FILLS_DECLARATION,
    )
    confirm_declaration = sends(
        ConfirmDeclaration,
        StepInput,
        DECLARATION,
        "Étape 10 : valider définitivement la déclaration ; une copie de tout ce qui est déclaré"
        " est figée, avec son empreinte.",
        FILLS_DECLARATION,
    )
    reopen_declaration = sends(
        ReopenDeclaration,
        ReopenDeclarationInput,
        DECLARATION,
        "Rouvrir une déclaration confirmée (par le service) : une nouvelle version commence.",
        SERVICE,
    )

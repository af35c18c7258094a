"""Commands of the annual declaration: campaigns (the service) and each member's declaration.

A declaration is started by its first change, when the year's campaign is open and the member
active. Each step has its own revision: a command carries the revision of the step the user's
screen was built from; two users saving different steps at the same moment both succeed (the
second save is simply decided again on the new version of the record), two users saving the same
step's answers do not.
"""

from dataclasses import dataclass
from datetime import date
from typing import ClassVar
from uuid import UUID

from application.base import RegistreApplication, result_of
from application.catalogues.commands import CatalogueQueries
from application.commands import Command, Decision
from application.declaration.composer import DeclarationComposer, NoComposer
from application.declaration.requirements import unmet
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from domain.accounts.access import Role
from domain.catalogues.questionnaire import check_answers
from domain.declaration.campaign import Campaign
from domain.declaration.declaration import Declaration
from domain.declaration.steps import Answer, Step
from domain.errors import NotFound, RuleViolation
from domain.members.member import Member
from domain.members.organisation import MembershipStatus
from domain.money import Money

DECLARANT_ROLES = frozenset({Role.ADMIN, Role.DECLARATION})
"""Who may be handed the declaration: those who may fill it in."""
CAMPAIGN_NOT_FOUND = NotFound(
    "Aucune campagne de déclaration n'est ouverte pour cette année.", code="CAMPAIGN_NOT_FOUND"
)
DECLARATION_NOT_FOUND = NotFound("Cette déclaration n'existe pas.", code="DECLARATION_NOT_FOUND")


class DeclarationQueries(CatalogueQueries):
    """What the declaration's commands need of the application: its records, the catalogue in
    effect, and the composer of frozen copies (a port, given at composition time)."""

    composer: DeclarationComposer = NoComposer()

    def compose_declarations_with(self, composer: DeclarationComposer) -> None:
        self.composer = composer

    def find_campaign(self, year: int) -> Campaign | None:
        return self.find(Campaign, Campaign.create_id(year))

    def declaration(self, member_id: UUID, year: int, request: Request) -> Declaration:
        return self.load(
            Declaration,
            Declaration.create_id(member_id, year),
            DECLARATION_NOT_FOUND,
            request.actor,
        )

    def risk_label(self, risk_code: str) -> str | None:
        """The risk's label in the catalogue in effect, kept in the event for the audit trail;
        None for a risk the catalogue no longer has (retired since it was added)."""
        try:
            return self.catalogue().risk(risk_code).label
        except NotFound:
            return None


def declarations(app: RegistreApplication) -> DeclarationQueries:
    if not isinstance(app, DeclarationQueries):
        raise TypeError(f"{type(app).__name__} has no declaration context")
    return app


# Campaigns (the service) -------------------------------------------------------------------------


class OpenCampaign(Command[CommandResult], frozen=True, kw_only=True):
    year: int
    opens_on: date
    deadline: date
    rate_per_capita: Money
    tool_price: Money
    reference_date: date | None = None

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        if declarations(app).find_campaign(self.year) is not None:
            raise RuleViolation(
                f"La campagne {self.year} est déjà ouverte.", code="CAMPAIGN_EXISTS", field="year"
            )
        campaign = Campaign.open(
            year=self.year,
            opens_on=self.opens_on,
            deadline=self.deadline,
            rate_per_capita=self.rate_per_capita,
            tool_price=self.tool_price,
            reference_date=self.reference_date,
            actor=request.actor,
        )
        return [campaign], result_of(campaign)


class CloseCampaign(Command[CommandResult], frozen=True, kw_only=True):
    year: int
    closed_on: date

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        campaign_id = Campaign.create_id(self.year)
        campaign = app.load_for_change(Campaign, campaign_id, request, CAMPAIGN_NOT_FOUND)
        campaign.close(self.closed_on, request.actor)
        return [campaign], result_of(campaign)


# A member's declaration --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Circumstances:
    """What a change of a declaration is decided with, besides the declaration itself."""

    member: Member
    campaign: Campaign
    """The year's campaign, open today."""
    app: DeclarationQueries


class DeclarationChange(Command[CommandResult], frozen=True, kw_only=True):
    """A change of a member's declaration, started by the first one. A save that lost a race
    with a change of another step is decided again, on the new version."""

    decide_again_on_race: ClassVar[bool] = True
    member_id: UUID
    year: int

    def check(self, app: DeclarationQueries) -> None:
        """What the command's own values must satisfy, checked before anything is loaded."""

    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        raise NotImplementedError

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        context = declarations(app)
        self.check(context)
        member = app.load(Member, self.member_id, MEMBER_NOT_FOUND, request.actor)
        campaign = _enterable(context, member, self.year)
        declaration_id = Declaration.create_id(self.member_id, self.year)
        try:
            declaration = app.load(Declaration, declaration_id, DECLARATION_NOT_FOUND)
        except NotFound:
            declaration = Declaration.start(self.member_id, self.year, request.actor)
        self.apply(declaration, Circumstances(member, campaign, context), request)
        return [declaration], result_of(declaration)


class StepChange(DeclarationChange, frozen=True, kw_only=True):
    expected_revision: int | None = None
    """The revision of the step the user's screen was built from."""


class CompleteDeclarationStep(StepChange, frozen=True, kw_only=True):
    step: Step

    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        missing = unmet(self.step, on.member, declaration, on.app.catalogue())
        declaration.complete_step(self.step, missing, self.expected_revision, request.actor)


class AnswerPrevention(StepChange, frozen=True, kw_only=True):
    """Step 4: answers to one theme's questionnaire, each checked against its question."""

    theme: str
    answers: dict[str, Answer]

    def check(self, app: DeclarationQueries) -> None:
        check_answers(app.catalogue().prevention_theme(self.theme), self.answers)

    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        theme = on.app.catalogue().prevention_theme(self.theme)
        declaration.answer_prevention(
            theme.code,
            check_answers(theme, self.answers),
            self.expected_revision,
            request.actor,
            theme_label=theme.label,
        )


class RiskChange(StepChange, frozen=True, kw_only=True):
    """Step 5."""

    risk_code: str

    def check(self, app: DeclarationQueries) -> None:
        app.catalogue().risk(self.risk_code)


class AddRisk(RiskChange, frozen=True, kw_only=True):
    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        label = on.app.risk_label(self.risk_code)
        declaration.add_risk(
            self.risk_code, self.expected_revision, request.actor, risk_label=label
        )


class DeclineRisk(RiskChange, frozen=True, kw_only=True):
    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        label = on.app.risk_label(self.risk_code)
        declaration.decline_risk(
            self.risk_code, self.expected_revision, request.actor, risk_label=label
        )


class RemoveRisk(RiskChange, frozen=True, kw_only=True):
    def check(self, app: DeclarationQueries) -> None:
        """A risk the catalogue retired since it was added can still be removed."""

    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        label = on.app.risk_label(self.risk_code)
        declaration.remove_risk(
            self.risk_code, self.expected_revision, request.actor, risk_label=label
        )


class ChooseRiskTool(StepChange, frozen=True, kw_only=True):
    """Steps 6 to 8: the optional risk-assessment tool, at the campaign's price."""

    subscribed: bool

    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        declaration.choose_tool(
            self.subscribed, on.campaign.tool_price, self.expected_revision, request.actor
        )


class TransferDeclaration(DeclarationChange, frozen=True, kw_only=True):
    """Step 3: hand the declaration to another user of the member (who is told by e-mail,
    `application.declaration.reactions`)."""

    account_id: UUID

    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        if on.member.user(self.account_id) is None:
            raise NotFound(
                "Cette personne n'est pas utilisatrice du portail pour cet adhérent.",
                code="USER_NOT_FOUND",
            )
        if not on.member.roles_of(self.account_id) & DECLARANT_ROLES:
            raise RuleViolation(
                "Cette personne n'a ni le rôle Déclaration ni le rôle Administrateur : elle"
                " ne pourrait pas poursuivre la déclaration.",
                code="NOT_A_DECLARANT",
            )
        declaration.transfer(self.account_id, request.actor)


class GivePurchaseOrder(StepChange, frozen=True, kw_only=True):
    purchase_order: str | None

    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        declaration.give_purchase_order(self.purchase_order, self.expected_revision, request.actor)


class AcceptTermsOfSale(StepChange, frozen=True, kw_only=True):
    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        declaration.accept_terms(self.expected_revision, request.actor)


class ConfirmDeclaration(StepChange, frozen=True, kw_only=True):
    """The final validation: the application's composer writes the frozen copy of everything
    declared, from the very declaration being confirmed, as the service receives it today."""

    def apply(self, declaration: Declaration, on: Circumstances, request: Request) -> None:
        composed = on.app.composer.compose(on.campaign, declaration, on.app.today())
        reference_date = on.campaign.reference_date
        declaration.confirm(composed, reference_date, self.expected_revision, request.actor)


class ReopenDeclaration(Command[CommandResult], frozen=True, kw_only=True):
    """By the service, campaign open or not: a new edition of the declaration begins."""

    member_id: UUID
    year: int
    reason: str

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        declaration_id = Declaration.create_id(self.member_id, self.year)
        declaration = app.load_for_change(
            Declaration, declaration_id, request, DECLARATION_NOT_FOUND
        )
        declaration.reopen(self.reason, request.actor)
        return [declaration], result_of(declaration)


def _enterable(app: DeclarationQueries, member: Member, year: int) -> Campaign:
    """The campaign of the year, when the member may enter its declaration today."""
    campaign = app.find_campaign(year)
    if campaign is None or not campaign.is_open_on(app.today()):
        raise RuleViolation(
            f"La déclaration {year} n'est pas saisissable : aucune campagne n'est ouverte.",
            code="DECLARATION_NOT_ENTERABLE",
        )
    if member.status is not MembershipStatus.ACTIVE:
        state = "suspendue" if member.status is MembershipStatus.SUSPENDED else "résiliée"
        raise RuleViolation(
            f"La déclaration {year} n'est pas saisissable : l'adhésion est {state}.",
            code="DECLARATION_NOT_ENTERABLE",
        )
    return campaign

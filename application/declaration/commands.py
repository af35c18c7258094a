"""Commands of the annual declaration: campaigns (the service) and each member's declaration.

A declaration is started by its first change, when the year's campaign is open and the member
active. Each step has its own revision: a command carries the revision of the step the user's
screen was built from; two users saving different steps at the same moment both succeed (the
second save is simply tried again on the new version of the record), two users saving the same
step's answers do not.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from application.base import result_of
from application.catalogues.commands import CatalogueEditCommands
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from domain.accounts.access import Role
from domain.catalogues.catalogue import Catalogues
from domain.catalogues.questionnaire import check_answers, missing_answers
from domain.declaration.campaign import Campaign
from domain.declaration.declaration import Answer, Declaration, Step
from domain.errors import NotFound, RuleViolation
from domain.members.member import Member
from domain.members.organisation import AddressKind, MembershipStatus
from domain.money import Money

PARIS = ZoneInfo("Europe/Paris")
DECLARANT_ROLES = frozenset({Role.ADMIN, Role.DECLARATION})
"""Who may be handed the declaration: those who may fill it in."""
CAMPAIGN_NOT_FOUND = NotFound(
    "Aucune campagne de déclaration n'est ouverte pour cette année.", code="CAMPAIGN_NOT_FOUND"
)
DECLARATION_NOT_FOUND = NotFound("Cette déclaration n'existe pas.", code="DECLARATION_NOT_FOUND")


def paris_today() -> date:
    return datetime.now(UTC).astimezone(PARIS).date()


class DeclarationCommands(CatalogueEditCommands):
    # Campaigns (the service) ---------------------------------------------------------------

    def open_campaign(
        self,
        request: Request,
        *,
        year: int,
        opens_on: date,
        deadline: date,
        rate_per_capita: Money,
        tool_price: Money,
        reference_date: date | None = None,
    ) -> CommandResult:
        def decide() -> tuple[list[Campaign], CommandResult]:
            if self.find_campaign(year) is not None:
                raise RuleViolation(
                    f"La campagne {year} est déjà ouverte.", code="CAMPAIGN_EXISTS", field="year"
                )
            campaign = Campaign.open(
                year=year,
                opens_on=opens_on,
                deadline=deadline,
                rate_per_capita=rate_per_capita,
                tool_price=tool_price,
                reference_date=reference_date,
                actor=request.actor,
            )
            return [campaign], result_of(campaign)

        arguments = {
            "year": year,
            "opens_on": opens_on,
            "deadline": deadline,
            "rate_per_capita": rate_per_capita,
            "tool_price": tool_price,
            "reference_date": reference_date,
        }
        return self.execute(request, "open_campaign", arguments, decide, CommandResult)

    def close_campaign(self, request: Request, year: int, closed_on: date) -> CommandResult:
        return self.change(
            request,
            "close_campaign",
            Campaign,
            Campaign.create_id(year),
            CAMPAIGN_NOT_FOUND,
            {"year": year, "closed_on": closed_on},
            lambda campaign: campaign.close(closed_on, request.actor),
        )

    def find_campaign(self, year: int) -> Campaign | None:
        try:
            return self.load(Campaign, Campaign.create_id(year), CAMPAIGN_NOT_FOUND)
        except NotFound:
            return None

    # A member's declaration ----------------------------------------------------------------

    def declaration(self, member_id: UUID, year: int, request: Request) -> Declaration:
        return self.load(
            Declaration,
            Declaration.create_id(member_id, year),
            DECLARATION_NOT_FOUND,
            request.actor,
        )

    def complete_declaration_step(
        self,
        request: Request,
        member_id: UUID,
        year: int,
        step: Step,
        expected_revision: int | None,
    ) -> CommandResult:
        def complete(declaration: Declaration, member: Member, _: Campaign) -> None:
            declaration.complete_step(
                step, self.unmet(step, member, declaration), expected_revision, request.actor
            )

        return self._change_declaration(
            request,
            "complete_declaration_step",
            member_id,
            year,
            {"step": step, "expected_revision": expected_revision},
            complete,
        )

    def unmet(self, step: Step, member: Member, declaration: Declaration) -> list[str]:
        """What the member's own records still miss for a step (French, for the user)."""
        if step is Step.COMPANY:
            return company_unmet(member)
        if step is Step.CONTACTS and not member.has_legal_representative:
            return ["désignez le représentant légal de l'entreprise (obligatoire)"]
        if step is Step.PREVENTION:
            return prevention_unmet(self.catalogue(), declaration)
        return []

    def answer_prevention(  # noqa: PLR0917 (the step's target and its answers)
        self,
        request: Request,
        member_id: UUID,
        year: int,
        theme_code: str,
        answers: Mapping[str, Answer],
        revision: int | None,
    ) -> CommandResult:
        """Step 4: answers to one theme's questionnaire, each checked against its question."""
        theme = self.catalogue().prevention_theme(theme_code)
        checked = check_answers(theme, answers)
        return self._change_declaration(
            request,
            "answer_prevention",
            member_id,
            year,
            {"theme": theme.code, "answers": checked, "expected_revision": revision},
            lambda d, _m, _c: d.answer_prevention(theme.code, checked, revision, request.actor),
        )

    def add_risk(
        self, request: Request, member_id: UUID, year: int, risk_code: str, revision: int | None
    ) -> CommandResult:
        return self._change_declaration(
            request,
            "add_risk",
            member_id,
            year,
            {"risk_code": self.catalogue().risk(risk_code).code, "expected_revision": revision},
            lambda d, _m, _c: d.add_risk(risk_code, revision, request.actor),
        )

    def decline_risk(
        self, request: Request, member_id: UUID, year: int, risk_code: str, revision: int | None
    ) -> CommandResult:
        return self._change_declaration(
            request,
            "decline_risk",
            member_id,
            year,
            {"risk_code": self.catalogue().risk(risk_code).code, "expected_revision": revision},
            lambda d, _m, _c: d.decline_risk(risk_code, revision, request.actor),
        )

    def remove_risk(
        self, request: Request, member_id: UUID, year: int, risk_code: str, revision: int | None
    ) -> CommandResult:
        return self._change_declaration(
            request,
            "remove_risk",
            member_id,
            year,
            {"risk_code": risk_code, "expected_revision": revision},
            lambda d, _m, _c: d.remove_risk(risk_code, revision, request.actor),
        )

    def choose_risk_tool(
        self, request: Request, member_id: UUID, year: int, subscribed: bool, revision: int | None
    ) -> CommandResult:
        return self._change_declaration(
            request,
            "choose_risk_tool",
            member_id,
            year,
            {"subscribed": subscribed, "expected_revision": revision},
            lambda d, _m, campaign: d.choose_tool(
                subscribed, campaign.tool_price, revision, request.actor
            ),
        )

    def transfer_declaration(
        self, request: Request, member_id: UUID, year: int, account_id: UUID
    ) -> CommandResult:
        def transfer(declaration: Declaration, member: Member, _: Campaign) -> None:
            if member.user(account_id) is None:
                raise NotFound(
                    "Cette personne n'est pas utilisatrice du portail pour cet adhérent.",
                    code="USER_NOT_FOUND",
                )
            if not member.roles_of(account_id) & DECLARANT_ROLES:
                raise RuleViolation(
                    "Cette personne n'a ni le rôle Déclaration ni le rôle Administrateur : elle"
                    " ne pourrait pas poursuivre la déclaration.",
                    code="NOT_A_DECLARANT",
                )
            declaration.transfer(account_id, request.actor)

        return self._change_declaration(
            request, "transfer_declaration", member_id, year, {"account_id": account_id}, transfer
        )

    def give_purchase_order(
        self,
        request: Request,
        member_id: UUID,
        year: int,
        purchase_order: str | None,
        revision: int | None,
    ) -> CommandResult:
        return self._change_declaration(
            request,
            "give_purchase_order",
            member_id,
            year,
            {"purchase_order": purchase_order, "expected_revision": revision},
            lambda d, _m, _c: d.give_purchase_order(purchase_order, revision, request.actor),
        )

    def accept_terms_of_sale(
        self, request: Request, member_id: UUID, year: int, revision: int | None
    ) -> CommandResult:
        return self._change_declaration(
            request,
            "accept_terms_of_sale",
            member_id,
            year,
            {"expected_revision": revision},
            lambda d, _m, _c: d.accept_terms(revision, request.actor),
        )

    def confirm_declaration(
        self,
        request: Request,
        member_id: UUID,
        year: int,
        freeze: Callable[[Declaration, Campaign], str],
        revision: int | None,
    ) -> CommandResult:
        """The final validation. `freeze` writes the canonical JSON of everything declared
        (the read side composes it) from the very declaration being confirmed."""
        return self._change_declaration(
            request,
            "confirm_declaration",
            member_id,
            year,
            {"expected_revision": revision},
            lambda d, _m, campaign: d.confirm(freeze(d, campaign), revision, request.actor),
        )

    def reopen_declaration(
        self, request: Request, member_id: UUID, year: int, reason: str
    ) -> CommandResult:
        return self.change(
            request,
            "reopen_declaration",
            Declaration,
            Declaration.create_id(member_id, year),
            DECLARATION_NOT_FOUND,
            {"member_id": member_id, "year": year, "reason": reason},
            lambda declaration: declaration.reopen(reason, request.actor),
        )

    # Inside ------------------------------------------------------------------------------------

    def _change_declaration(  # noqa: PLR0917 (the command's envelope and target)
        self,
        request: Request,
        command: str,
        member_id: UUID,
        year: int,
        arguments: dict[str, Any],
        change: Callable[[Declaration, Member, Campaign], object],
    ) -> CommandResult:
        """Load (or start) the declaration and apply `change`; a save that lost a race with a
        change of another step is tried again, on the new version."""

        def decide() -> tuple[list[Declaration], CommandResult]:
            member = self.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)
            campaign = self._enterable(member, year)
            declaration_id = Declaration.create_id(member_id, year)
            try:
                declaration = self.load(Declaration, declaration_id, DECLARATION_NOT_FOUND)
            except NotFound:
                declaration = Declaration.start(member_id, year, request.actor)
            change(declaration, member, campaign)
            return [declaration], result_of(declaration)

        arguments = {"member_id": member_id, "year": year, **arguments}
        return self.execute(
            request, command, arguments, decide, CommandResult, decide_again_on_race=True
        )

    def _enterable(self, member: Member, year: int) -> Campaign:
        """The campaign of the year, when the member may enter its declaration today."""
        campaign = self.find_campaign(year)
        if campaign is None or not campaign.is_open_on(paris_today()):
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


def prevention_unmet(catalogue: Catalogues, declaration: Declaration) -> list[str]:
    """Step 4: every required question of the six themes answered, as the catalogue in effect
    asks them (a question the service added included, one it retired left out)."""
    unmet = []
    for theme in catalogue.prevention_themes:
        missing = missing_answers(theme, declaration.prevention.get(theme.code, {}))
        if missing:
            unmet.append(f"thème « {theme.label} » : {len(missing)} question(s) sans réponse")
    return unmet


def company_unmet(member: Member) -> list[str]:
    """Step 1: the administrative information the service needs, in French."""
    unmet = []
    if member.siret is None:
        unmet.append("renseignez le SIRET")
    if member.has_cse is None:
        unmet.append("indiquez si l'entreprise a un CSE")
    worksite = member.address(AddressKind.WORKSITE)
    if worksite is None or worksite.coordinates is None:
        unmet.append("confirmez l'adresse du lieu de travail sur la carte")
    for kind in (AddressKind.BILLING, AddressKind.CONVOCATION):
        if member.address(kind) is None:
            unmet.append(f"renseignez l'{kind.label}")
    return unmet

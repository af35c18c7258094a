"""The Declaration aggregate (déclaration annuelle): a member's yearly review and attestation.

The member's data (company, contacts, workforce, determinants, exposures) lives in its own
aggregates and changes at once, also from inside a step. The declaration records what belongs
to it alone: which steps were reviewed and completed, the prevention answers, the risks chosen,
the optional tool, the purchase order, the acceptance of the terms, and, on confirmation, a
frozen copy of everything declared with its hash.

Steps open in order (`domain.declaration.steps`). Each step has its own revision: two users
on different steps never conflict; two edits of one step's answers do.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.declaration.composed import Composed, content_hash
from domain.declaration.contribution import Contribution
from domain.declaration.steps import (
    STEPS,
    Answer,
    DeclarationStatus,
    Step,
    StepProgress,
    check_step_editable,
    first_incomplete_before,
    touched,
)
from domain.errors import RuleViolation
from domain.money import Money
from domain.personal_data import DataCategory, PersonalData
from domain.text import optional_text, required_text

DECLARATION_NAMESPACE = UUID("9a3e2b71-6c4d-5f80-a1b2-c3d4e5f60718")
MAX_PURCHASE_ORDER = 35
MAX_REASON = 500


class Declaration(RegistreAggregate):
    personal_data: ClassVar[PersonalData] = {"frozen": DataCategory.HEALTH}
    """The frozen copy names employees with their categories and CMR exposures."""

    member_id: UUID
    year: int
    edition: int
    """La version de la déclaration: 1, then one more at each reopening (the aggregate's own
    `version` counts its events)."""
    progress: dict[Step, StepProgress]
    prevention: dict[str, dict[str, Answer]]
    risks: tuple[str, ...]
    declined_risks: tuple[str, ...]
    tool_subscribed: bool | None
    tool_price: Money | None
    purchase_order: str | None
    terms_accepted: bool
    handled_by: UUID | None
    confirmed_hash: str | None
    contributions: tuple[tuple[int, Contribution], ...] = ()
    """What each confirmed edition billed, by edition (none for editions confirmed before the
    contribution was recorded)."""

    @staticmethod
    def create_id(member_id: UUID, year: int, **_: Any) -> UUID:
        """One declaration per member and year."""
        return uuid5(DECLARATION_NAMESPACE, f"{member_id}/{year}")

    @classmethod
    def start(cls, member_id: UUID, year: int, actor: Actor) -> "Declaration":
        return cls(member_id=member_id, year=year, actor=actor)

    @event("Started")
    def __init__(self, member_id: UUID, year: int, actor: Actor) -> None:
        self.member_id = member_id
        self.year = year
        self.edition = 1
        self.progress = {step: StepProgress() for step in STEPS}
        self.prevention = {}
        self.risks = ()
        self.declined_risks = ()
        self.tool_subscribed = None
        self.tool_price = None
        self.purchase_order = None
        self.terms_accepted = False
        self.handled_by = None
        self.confirmed_hash = None

    @property
    def owning_member(self) -> UUID:
        return self.member_id

    # Status and steps ---------------------------------------------------------------------

    @property
    def status(self) -> DeclarationStatus:
        if self.confirmed_hash is not None:
            return DeclarationStatus.CONFIRMED
        if self.edition > 1 or any(p.revision for p in self.progress.values()):
            return DeclarationStatus.IN_PROGRESS
        return DeclarationStatus.TO_ENTER

    def is_open(self, step: Step) -> bool:
        """A step opens when every required step before it is complete."""
        return first_incomplete_before(self.progress, step) is None

    def complete_step(
        self, step: Step, unmet: Sequence[str], expected_revision: int | None, actor: Actor
    ) -> None:
        """Validate a step. `unmet` lists what the rules outside the declaration still miss
        (no legal representative, a prevention theme unanswered…), in French."""
        if step is Step.RECAP:
            raise RuleViolation(
                "Le récapitulatif se valide en confirmant la déclaration.", code="CONFIRM_INSTEAD"
            )
        self._check_editable(step, expected_revision)
        missing = [*unmet, *self._unmet(step)]
        if missing:
            raise RuleViolation(
                f"L'étape {step.number} ({step.label}) n'est pas complète : {'; '.join(missing)}.",
                code="STEP_INCOMPLETE",
            )
        self._step_completed(step=step, actor=actor)

    @event("StepCompleted")
    def _step_completed(self, step: Step, actor: Actor) -> None:
        self._touch(step, completed=True)

    def _unmet(self, step: Step) -> list[str]:
        if step is Step.RISKS and not self.risks:
            return ["ajoutez au moins un risque présent dans l'entreprise"]
        if step is Step.RISK_TOOL and self.tool_subscribed is None:
            return ["choisissez d'activer l'outil ou non"]
        return []

    # Step 4: prevention --------------------------------------------------------------------

    def answer_prevention(
        self,
        theme: str,
        answers: Mapping[str, Answer],
        expected_revision: int | None,
        actor: Actor,
        *,
        theme_label: str | None = None,
    ) -> None:
        """Answers already checked against the theme's questionnaire (a catalogue). The theme's
        label, as the catalogue gives it now, is kept in the event for the audit trail."""
        self._check_editable(Step.PREVENTION, expected_revision)
        merged = {**self.prevention.get(theme, {}), **answers}
        if merged == self.prevention.get(theme):
            return
        self._prevention_answered(
            theme=theme, answers=dict(answers), actor=actor, theme_label=theme_label
        )

    @event("PreventionAnswered")
    def _prevention_answered(
        self,
        theme: str,
        answers: dict[str, Answer],
        actor: Actor,
        theme_label: str | None = None,  # None in the events recorded before labels were kept
    ) -> None:
        self.prevention = {**self.prevention, theme: {**self.prevention.get(theme, {}), **answers}}
        self._touch(Step.PREVENTION)

    # Step 5: risks -------------------------------------------------------------------------

    def add_risk(
        self,
        risk_code: str,
        expected_revision: int | None,
        actor: Actor,
        *,
        risk_label: str | None = None,
    ) -> None:
        """`risk_label`, as the catalogue gives it now, is kept in the event for the audit
        trail (so are those of the other steps' catalogue entries)."""
        self._check_editable(Step.RISKS, expected_revision)
        if risk_code in self.risks:
            return
        self._risk_added(risk_code=risk_code, actor=actor, risk_label=risk_label)

    @event("RiskAdded")
    def _risk_added(self, risk_code: str, actor: Actor, risk_label: str | None = None) -> None:
        self.risks = (*self.risks, risk_code)
        self.declined_risks = tuple(r for r in self.declined_risks if r != risk_code)
        self._touch(Step.RISKS)

    def decline_risk(
        self,
        risk_code: str,
        expected_revision: int | None,
        actor: Actor,
        *,
        risk_label: str | None = None,
    ) -> None:
        """A suggested risk the member says is not present: not suggested again this year."""
        self._check_editable(Step.RISKS, expected_revision)
        if risk_code in self.declined_risks:
            return
        self._risk_declined(risk_code=risk_code, actor=actor, risk_label=risk_label)

    @event("RiskDeclined")
    def _risk_declined(self, risk_code: str, actor: Actor, risk_label: str | None = None) -> None:
        self.declined_risks = (*self.declined_risks, risk_code)
        self.risks = tuple(r for r in self.risks if r != risk_code)
        self._touch(Step.RISKS)

    def remove_risk(
        self,
        risk_code: str,
        expected_revision: int | None,
        actor: Actor,
        *,
        risk_label: str | None = None,
    ) -> None:
        self._check_editable(Step.RISKS, expected_revision)
        if risk_code not in self.risks:
            raise RuleViolation("Ce risque n'est pas dans la liste.", code="RISK_NOT_ADDED")
        self._risk_removed(risk_code=risk_code, actor=actor, risk_label=risk_label)

    @event("RiskRemoved")
    def _risk_removed(self, risk_code: str, actor: Actor, risk_label: str | None = None) -> None:
        self.risks = tuple(r for r in self.risks if r != risk_code)
        self._touch(Step.RISKS, completed=self.progress[Step.RISKS].completed and bool(self.risks))

    # Steps 6–8: the optional tool ---------------------------------------------------------

    def choose_tool(
        self, subscribed: bool, price: Money, expected_revision: int | None, actor: Actor
    ) -> None:
        """Subscribe the paid risk-assessment tool for the year, at the campaign's price, or
        not (the member may then record its own document with the risk assessment)."""
        self._check_editable(Step.RISK_TOOL, expected_revision)
        if subscribed == self.tool_subscribed:
            return
        if subscribed:
            self._tool_subscribed(price=price, actor=actor)
        else:
            self._tool_declined(actor=actor)

    @event("RiskToolSubscribed")
    def _tool_subscribed(self, price: Money, actor: Actor) -> None:
        self.tool_subscribed = True
        self.tool_price = price
        self.terms_accepted = False
        self._touch(Step.RISK_TOOL)

    @event("RiskToolDeclined")
    def _tool_declined(self, actor: Actor) -> None:
        self.tool_subscribed = False
        self.tool_price = None
        self._touch(Step.RISK_TOOL)

    # Step 3: hand over ---------------------------------------------------------------------

    def transfer(self, account_id: UUID, actor: Actor) -> None:
        """Seed 000: once the workforce is confirmed, someone who knows the risks may take
        over the declaration."""
        self._check_not_confirmed()
        if not self.progress[Step.WORKFORCE].completed:
            raise RuleViolation(
                "Validez d'abord l'effectif (étape 3) avant de transférer la déclaration.",
                code="WORKFORCE_NOT_CONFIRMED",
            )
        self._transferred(account_id=account_id, actor=actor)

    @event("Transferred")
    def _transferred(self, account_id: UUID, actor: Actor) -> None:
        self.handled_by = account_id

    # Step 10: recap and confirmation -------------------------------------------------------

    def give_purchase_order(
        self, purchase_order: str | None, expected_revision: int | None, actor: Actor
    ) -> None:
        self._check_editable(Step.RECAP, expected_revision)
        cleaned = optional_text(
            purchase_order, "purchase_order", "Le n° de bon de commande", MAX_PURCHASE_ORDER
        )
        if cleaned == self.purchase_order:
            return
        self._purchase_order_given(purchase_order=cleaned, actor=actor)

    @event("PurchaseOrderGiven")
    def _purchase_order_given(self, purchase_order: str | None, actor: Actor) -> None:
        self.purchase_order = purchase_order
        self._touch(Step.RECAP)

    def accept_terms(self, expected_revision: int | None, actor: Actor) -> None:
        self._check_editable(Step.RECAP, expected_revision)
        if not self.tool_subscribed:
            raise RuleViolation(
                "Les conditions de vente concernent l'outil d'évaluation, qui n'est pas activé.",
                code="NO_TERMS_TO_ACCEPT",
            )
        if not self.terms_accepted:
            self._terms_accepted(actor=actor)

    @event("TermsOfSaleAccepted")
    def _terms_accepted(self, actor: Actor) -> None:
        self.terms_accepted = True
        self._touch(Step.RECAP)

    def confirm(
        self,
        composed: Composed,
        reference_date: date,
        expected_revision: int | None,
        actor: Actor,
    ) -> str:
        """The final validation, once every required step is complete (the recap opens then):
        `composed.frozen` is the canonical JSON of everything declared (built by the read side);
        its hash is kept, and the copy travels in the event. The contribution it bills is
        recorded as a fact of its own, outside the copy's health data. Returns the hash."""
        self._check_editable(Step.RECAP, expected_revision)
        if self.tool_subscribed and not self.terms_accepted:
            raise RuleViolation(
                "Acceptez les conditions de vente de l'outil d'évaluation des risques.",
                code="TERMS_NOT_ACCEPTED",
            )
        hashed = content_hash(composed.frozen)
        self._confirmed(frozen=composed.frozen, content_hash=hashed, actor=actor)
        contribution = composed.contribution
        self._contribution_determined(
            member_id=self.member_id,
            year=self.year,
            edition=self.edition,
            contribution=contribution,
            reference_date=reference_date,
            amount_ht=contribution.amount_ht,
            vat=contribution.vat,
            amount_ttc=contribution.amount_ttc,
            purchase_order=self.purchase_order,
            actor=actor,
        )
        return hashed

    @event("DeclarationConfirmed")
    def _confirmed(self, frozen: str, content_hash: str, actor: Actor) -> None:
        self.confirmed_hash = content_hash
        self._touch(Step.RECAP, completed=True)

    @event("ContributionDetermined")
    def _contribution_determined(  # noqa: PLR0917 (the event's fields)
        self,
        member_id: UUID,
        year: int,
        edition: int,
        contribution: Contribution,
        reference_date: date,
        amount_ht: Money,
        vat: Money,
        amount_ttc: Money,
        purchase_order: str | None,
        actor: Actor,
    ) -> None:
        """The amounts are recorded as computed on the day, so billing never recomputes them."""
        self.contributions = (*self.contributions, (edition, contribution))

    def reopen(self, reason: str, actor: Actor) -> None:
        """The service reopens a confirmed declaration: a new version starts from the answers
        of the last; the confirmed version stays in the history, as it was sent."""
        if self.confirmed_hash is None:
            raise RuleViolation(
                "Seule une déclaration confirmée peut être rouverte.", code="NOT_CONFIRMED"
            )
        reason = required_text(reason, "reason", "Le motif", MAX_REASON)
        self._reopened(reason=reason, actor=actor)

    @event("DeclarationReopened")
    def _reopened(self, reason: str, actor: Actor) -> None:
        self.edition += 1
        self.confirmed_hash = None
        self._touch(Step.RECAP, completed=False)

    # Inside ----------------------------------------------------------------------------------

    def _check_editable(self, step: Step, expected_revision: int | None) -> None:
        self._check_not_confirmed()
        check_step_editable(self.progress, step, expected_revision)

    def _check_not_confirmed(self) -> None:
        if self.confirmed_hash is not None:
            raise RuleViolation(
                "Cette déclaration est confirmée : le service peut la rouvrir si besoin.",
                code="DECLARATION_CONFIRMED",
            )

    def _touch(self, step: Step, *, completed: bool | None = None) -> None:
        self.progress = touched(self.progress, step, completed)

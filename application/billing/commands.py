"""Commands of the billing context: the service's settings, invoices of every kind, payments and
direct debits that come back."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.base import RegistreApplication, result_of
from application.billing.issuing import (
    INVOICE_NOT_FOUND,
    SETTINGS_NOT_SET,
    Draft,
    find_invoice,
    issue,
    numbered,
    settings_of,
)
from application.commands import Change, Command, Decision
from application.requests import CommandResult, Request
from domain.billing.invoice import Invoice, InvoiceReference
from domain.billing.kinds import InvoiceKind, PaymentMethod, ReturnReason
from domain.billing.lines import InvoiceLine
from domain.billing.parties import Seller
from domain.billing.settings import BillingSettings
from domain.billing.terms import BillingTerms
from domain.declaration.contribution import Contribution
from domain.declaration.declaration import Declaration
from domain.errors import NotFound, RuleViolation
from domain.money import Money
from domain.text import required_text

REASON_LIMIT = 500
DECLARATION_NOT_FOUND = NotFound("Cette déclaration n'existe pas.", code="DECLARATION_NOT_FOUND")


class SettingsChange(Change[BillingSettings], frozen=True, kw_only=True):
    """A change of the service's billing settings (made by its first change)."""

    aggregate = BillingSettings
    not_found = SETTINGS_NOT_SET
    target = ""
    """No field: there is one set of settings."""

    def load(self, app: RegistreApplication, request: Request) -> BillingSettings:
        try:
            return settings_of(app)
        except NotFound:
            return BillingSettings.start(request.actor)


# The service's settings -----------------------------------------------------------------------


class ChangeSeller(SettingsChange, frozen=True, kw_only=True):
    """The service's own identity as a seller, as its next invoices will show it."""

    calls = BillingSettings.change_seller
    seller: Seller


class SetBillingTerms(SettingsChange, frozen=True, kw_only=True):
    """The terms of a campaign year (a later change applies to invoices issued after it)."""

    calls = BillingSettings.set_terms
    terms: BillingTerms


# Invoices issued by the service's processes ---------------------------------------------------


class Issue(Command[CommandResult], frozen=True, kw_only=True):
    """Every issue takes the next number of a series all issues share: one that lost the race
    for it is decided again on the new number (no gap, no double, nothing lost)."""

    decide_again_on_race = True


class IssueContributionInvoice(Issue, frozen=True, kw_only=True):
    """Sent after a declaration was confirmed, with the contribution it determined. The first
    edition is billed in full; a later one bills the difference with what earlier editions
    billed: an adjustment invoice if more, a credit note if less, nothing if the same."""

    declaration_id: UUID
    member_id: UUID
    year: int
    edition: int
    contribution: Contribution
    reference_date: date
    purchase_order: str | None = None

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        source = f"declaration/{self.declaration_id}/{self.edition}"
        lines = contribution_lines(self.year, self.contribution, self.reference_date)
        if self.edition == 1:
            if not lines:
                raise RuleViolation("Aucune cotisation à facturer.", code="NOTHING_TO_BILL")
            draft = Draft(
                source=source,
                kind=InvoiceKind.CONTRIBUTION,
                member_id=self.member_id,
                year=self.year,
                lines=lines,
                purchase_order=self.purchase_order,
                discountable=(0,) if self.contribution.billed_headcount else (),
            )
            return issue(app, request, draft)
        return self._difference(app, request, source)

    def _difference(
        self, app: RegistreApplication, request: Request, source: str
    ) -> Decision[CommandResult]:
        """What changed since the edition before, per part: the employees (at the reduction the
        first invoice holds) and the tool; more is billed, less is credited."""
        declaration = app.load(Declaration, self.declaration_id, DECLARATION_NOT_FOUND)
        before = dict(declaration.contributions).get(self.edition - 1)
        first = find_invoice(app, f"declaration/{self.declaration_id}/1")
        if before is None or first is None:
            raise RuleViolation(
                "La version précédente de la déclaration n'a pas été facturée.",
                code="NOTHING_TO_BILL",
            )
        label = f"Régularisation de la cotisation {self.year} (déclaration modifiée)"
        more, less = changed_lines(before, self.contribution, first.reduction_held)
        aggregates: list[Aggregate] = []
        results = []
        if more:
            adjustment = Draft(
                source=source,
                kind=InvoiceKind.ADJUSTMENT,
                member_id=self.member_id,
                year=self.year,
                lines=more,
                reason=label,
                purchase_order=self.purchase_order,
            )
            numbered_aggregates, invoice = numbered(app, request, adjustment)
            aggregates += numbered_aggregates
            results.append(invoice)
        if less:
            credited, credit_note = credit_against(
                app, request, first, less, reason=label, source=f"{source}/credit"
            )
            aggregates += [a for a in credited if a not in aggregates]
            results.append(credit_note)
        if not results:
            raise RuleViolation(
                "La déclaration modifiée ne change pas la cotisation.", code="NOTHING_TO_BILL"
            )
        return aggregates, result_of(results[0])


def changed_lines(
    before: Contribution, now: Contribution, reduction: Decimal
) -> tuple[tuple[InvoiceLine, ...], tuple[InvoiceLine, ...]]:
    """The lines to bill and the lines to credit from one contribution to the next."""
    more: list[InvoiceLine] = []
    less: list[InvoiceLine] = []
    employees = now.billed_headcount - before.billed_headcount
    if employees:
        (more if employees > 0 else less).append(
            InvoiceLine(
                f"Régularisation : {abs(employees)} salarié(s) suivi(s)",
                Decimal(abs(employees)),
                now.rate_per_capita,
                allowance_rate=reduction,
            )
        )
    tool = (now.tool_price or Money.zero()) - (before.tool_price or Money.zero())
    if not tool.is_zero:
        (more if not tool.is_negative else less).append(
            InvoiceLine(
                "Régularisation : outil d'évaluation des risques",
                Decimal(1),
                Money(abs(tool.amount)),
            )
        )
    return tuple(more), tuple(less)


def contribution_lines(
    year: int, contribution: Contribution, reference_date: date
) -> tuple[InvoiceLine, ...]:
    lines = []
    if contribution.billed_headcount:
        lines.append(
            InvoiceLine(
                f"Cotisation {year} : salariés suivis au {reference_date:%d/%m/%Y}",
                Decimal(contribution.billed_headcount),
                contribution.rate_per_capita,
            )
        )
    if contribution.tool_price is not None and not contribution.tool_price.is_zero:
        lines.append(
            InvoiceLine(
                f"Outil d'évaluation des risques {year} (offre complémentaire)",
                Decimal(1),
                contribution.tool_price,
            )
        )
    return tuple(lines)


class IssueMembershipInvoice(Issue, frozen=True, kw_only=True):
    """Sent after a member registered: the membership fee of the year."""

    member_id: UUID
    year: int

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        fee = settings_of(app).terms_of(self.year).membership_fee
        if fee.is_zero:
            raise RuleViolation("Aucun droit d'adhésion cette année.", code="NOTHING_TO_BILL")
        draft = Draft(
            source=f"membership/{self.member_id}",
            kind=InvoiceKind.MEMBERSHIP,
            member_id=self.member_id,
            year=self.year,
            lines=(InvoiceLine(f"Droit d'adhésion {self.year}", Decimal(1), fee),),
        )
        return issue(app, request, draft)


class BillLostDiscount(Issue, frozen=True, kw_only=True):
    """Sent after an invoice lost its direct-debit reduction: the reduction is billed again."""

    invoice_id: UUID

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        invoice = app.load(Invoice, self.invoice_id, INVOICE_NOT_FOUND)
        lost = invoice.issued.discount
        if lost is None or invoice.reduction_at_stake.is_zero:
            raise RuleViolation("Cette facture n'avait pas d'abattement.", code="NO_DISCOUNT")
        label = (
            f"Abattement de la facture {invoice.issued.number} perdu (prélèvement rejeté ou"
            " paiement après la date limite)"
        )
        draft = Draft(
            source=f"discount/{invoice.issued.number}",
            kind=InvoiceKind.ADJUSTMENT,
            member_id=invoice.issued.member_id,
            year=invoice.issued.year,
            lines=(InvoiceLine(label, Decimal(1), invoice.reduction_at_stake),),
            reason=label,
        )
        return issue(app, request, draft)


# Invoices issued by the service's staff -------------------------------------------------------


class IssueAdjustmentInvoice(Issue, frozen=True, kw_only=True):
    member_id: UUID
    year: int
    lines: tuple[InvoiceLine, ...]
    reason: str

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        draft = Draft(
            source=f"adjustment/{request.request_id}",
            kind=InvoiceKind.ADJUSTMENT,
            member_id=self.member_id,
            year=self.year,
            lines=self.lines,
            reason=required_text(self.reason, "reason", "Le motif", REASON_LIMIT),
        )
        return issue(app, request, draft)


class IssueCreditNote(Issue, frozen=True, kw_only=True):
    """A credit note against an invoice: its lines, or the whole invoice when none are given."""

    invoice_id: UUID
    lines: tuple[InvoiceLine, ...] = ()
    reason: str

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        corrected = app.load(Invoice, self.invoice_id, INVOICE_NOT_FOUND)
        reason = required_text(self.reason, "reason", "Le motif", REASON_LIMIT)
        lines = self.lines or corrected.issued.lines
        source = f"credit/{request.request_id}"
        aggregates, credit_note = credit_against(
            app, request, corrected, lines, reason=reason, source=source
        )
        return aggregates, result_of(credit_note)


def credit_against(
    app: RegistreApplication,
    request: Request,
    corrected: Invoice,
    lines: tuple[InvoiceLine, ...],
    *,
    reason: str,
    source: str,
) -> tuple[list[Aggregate], Invoice]:
    """A credit note of `lines` against `corrected`, recorded on both."""
    draft = Draft(
        source=source,
        kind=InvoiceKind.CREDIT_NOTE,
        member_id=corrected.issued.member_id,
        year=corrected.issued.year,
        lines=lines,
        reason=reason,
        corrects=InvoiceReference(corrected.issued.number, corrected.issued.issued_on),
    )
    aggregates, credit_note = numbered(app, request, draft)
    corrected.credit(credit_note, request.actor)
    return [*aggregates, corrected], credit_note


# Payments -------------------------------------------------------------------------------------


class InvoiceChange(Change[Invoice], frozen=True, kw_only=True):
    aggregate = Invoice
    not_found = INVOICE_NOT_FOUND
    target = "invoice_id"

    invoice_id: UUID


class RecordPayment(InvoiceChange, frozen=True, kw_only=True):
    calls = Invoice.record_payment
    amount: Money
    paid_on: date
    method: PaymentMethod
    reference: str | None = None


class RecordDebitReturn(InvoiceChange, frozen=True, kw_only=True):
    calls = Invoice.record_debit_return
    reason: ReturnReason
    returned_on: date

"""Commands of the billing context: the service's settings, invoices of every kind, payments and
direct debits that come back."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from application.base import RegistreApplication, result_of
from application.billing.issuing import (
    INVOICE_NOT_FOUND,
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
from domain.errors import NotFound, RuleViolation
from domain.money import Money
from domain.text import required_text

REASON_LIMIT = 500


def _settings_for_change(app: RegistreApplication, request: Request) -> BillingSettings:
    try:
        return settings_of(app)
    except NotFound:
        return BillingSettings.start(request.actor)


# The service's settings -----------------------------------------------------------------------


class ChangeSeller(Command[CommandResult], frozen=True, kw_only=True):
    """The service's own identity as a seller, as its next invoices will show it."""

    seller: Seller

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        settings = _settings_for_change(app, request)
        settings.change_seller(self.seller, request.actor)
        return [settings], result_of(settings)


class SetBillingTerms(Command[CommandResult], frozen=True, kw_only=True):
    """The terms of a campaign year (a later change applies to invoices issued after it)."""

    terms: BillingTerms

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        settings = _settings_for_change(app, request)
        settings.set_terms(self.terms, request.actor)
        return [settings], result_of(settings)


# Invoices issued by the service's processes ---------------------------------------------------


class IssueContributionInvoice(Command[CommandResult], frozen=True, kw_only=True):
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
        earlier = [
            invoice
            for edition in range(1, self.edition)
            if (invoice := find_invoice(app, f"declaration/{self.declaration_id}/{edition}"))
        ]
        if not earlier:
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
        return self._difference(app, request, source, lines, earlier)

    def _difference(
        self,
        app: RegistreApplication,
        request: Request,
        source: str,
        lines: tuple[InvoiceLine, ...],
        earlier: list[Invoice],
    ) -> Decision[CommandResult]:
        billed = sum((invoice.signed_gross for invoice in earlier), Money.zero())
        now = sum((line.gross for line in lines), Money.zero())
        difference = now - billed
        if difference.is_zero:
            raise RuleViolation(
                "La déclaration modifiée ne change pas la cotisation.", code="NOTHING_TO_BILL"
            )
        label = f"Régularisation de la cotisation {self.year} (déclaration modifiée)"
        line = InvoiceLine(label, Decimal(1), Money(abs(difference.amount)))
        if not difference.is_negative:
            draft = Draft(
                source=source,
                kind=InvoiceKind.ADJUSTMENT,
                member_id=self.member_id,
                year=self.year,
                lines=(line,),
                reason=label,
                purchase_order=self.purchase_order,
            )
            return issue(app, request, draft)
        corrected = next(
            (i for i in reversed(earlier) if i.can_be_credited_by(line.gross)), earlier[0]
        )
        return credit(app, request, corrected, (line,), reason=label, source=source)


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


class IssueMembershipInvoice(Command[CommandResult], frozen=True, kw_only=True):
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


class BillLostDiscount(Command[CommandResult], frozen=True, kw_only=True):
    """Sent after an invoice lost its direct-debit reduction: the reduction is billed again."""

    invoice_id: UUID

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        invoice = app.load(Invoice, self.invoice_id, INVOICE_NOT_FOUND)
        lost = invoice.issued.discount
        if lost is None:
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
            lines=(InvoiceLine(label, Decimal(1), lost.amount),),
            reason=label,
        )
        return issue(app, request, draft)


# Invoices issued by the service's staff -------------------------------------------------------


class IssueAdjustmentInvoice(Command[CommandResult], frozen=True, kw_only=True):
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


class IssueCreditNote(Command[CommandResult], frozen=True, kw_only=True):
    """A credit note against an invoice: its lines, or the whole invoice when none are given."""

    invoice_id: UUID
    lines: tuple[InvoiceLine, ...] = ()
    reason: str

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        corrected = app.load(Invoice, self.invoice_id, INVOICE_NOT_FOUND)
        reason = required_text(self.reason, "reason", "Le motif", REASON_LIMIT)
        lines = self.lines or corrected.issued.lines
        source = f"credit/{request.request_id}"
        return credit(app, request, corrected, lines, reason=reason, source=source)


def credit(
    app: RegistreApplication,
    request: Request,
    corrected: Invoice,
    lines: tuple[InvoiceLine, ...],
    *,
    reason: str,
    source: str,
) -> Decision[CommandResult]:
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
    return [*aggregates, corrected], result_of(credit_note)


# Payments -------------------------------------------------------------------------------------


class InvoiceChange(Change[Invoice], frozen=True, kw_only=True):
    aggregate = Invoice
    not_found = INVOICE_NOT_FOUND
    target = "invoice_id"

    invoice_id: UUID


class RecordPayment(InvoiceChange, frozen=True, kw_only=True):
    amount: Money
    paid_on: date
    method: PaymentMethod
    reference: str | None = None

    def apply(self, invoice: Invoice, app: RegistreApplication, request: Request) -> None:
        invoice.record_payment(
            self.amount, self.paid_on, self.method, self.reference, request.actor
        )


class RecordDebitReturn(InvoiceChange, frozen=True, kw_only=True):
    reason: ReturnReason
    returned_on: date

    def apply(self, invoice: Invoice, app: RegistreApplication, request: Request) -> None:
        invoice.record_debit_return(self.reason, self.returned_on, request.actor)

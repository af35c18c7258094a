"""Commands of the billing context: the service's settings, invoices of every kind, payments and
direct debits that come back."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from application.base import RegistreApplication
from application.billing.issuing import (
    INVOICE_NOT_FOUND,
    SETTINGS_NOT_SET,
    Draft,
    Issuing,
    issue,
    settings_of,
)
from application.commands import Change, Command, Decision, SettingsChange
from application.requests import CommandResult, Request
from domain.billing.invoice import Invoice
from domain.billing.kinds import InvoiceKind, PaymentMethod, ReturnReason
from domain.billing.lines import InvoiceLine
from domain.billing.parties import Seller
from domain.billing.settings import BillingSettings
from domain.billing.terms import BillingTerms
from domain.errors import RuleViolation
from domain.money import Money
from domain.text import required_text

REASON_LIMIT = 500


class BillingSettingsChange(SettingsChange[BillingSettings], frozen=True, kw_only=True):
    aggregate = BillingSettings
    not_found = SETTINGS_NOT_SET


# The service's settings -----------------------------------------------------------------------


class ChangeSeller(BillingSettingsChange, frozen=True, kw_only=True):
    """The service's own identity as a seller, as its next invoices will show it."""

    calls = BillingSettings.change_seller
    seller: Seller


class SetBillingTerms(BillingSettingsChange, frozen=True, kw_only=True):
    """The terms of a campaign year (a later change applies to invoices issued after it)."""

    calls = BillingSettings.set_terms
    terms: BillingTerms


# Invoices issued by the service's processes ---------------------------------------------------


class Issue(Command[CommandResult], frozen=True, kw_only=True):
    """Every issue takes the next number of a series all issues share: one that lost the race
    for it is decided again on the new number (no gap, no double, nothing lost)."""

    decide_again_on_race = True


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
        issuing = Issuing(app, request)
        issuing.credit(corrected, lines, reason=reason, source=f"credit/{request.request_id}")
        return issuing.decision()


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

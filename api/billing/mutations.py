"""Mutations of billing, by the service's staff: its identity as a seller, the terms of a year,
adjustment invoices, credit notes, payments received and direct debits that came back. Invoices
of contributions and membership fees are issued by the service's processes, not by a mutation."""

from datetime import date
from decimal import Decimal
from uuid import UUID

import strawberry

from api.billing.types import BillingTermsInput, Invoice, InvoiceLineInput, SellerInput
from api.commands import ChangeInput, CommandInput
from api.context import GraphQLInfo
from api.message_mutations import answer, message_from, sends
from api.rules import SERVICE
from api.services import Services
from application.billing.commands import (
    ChangeSeller,
    IssueAdjustmentInvoice,
    IssueCreditNote,
    RecordDebitReturn,
    RecordPayment,
    SetBillingTerms,
)
from application.requests import CommandResult
from domain.billing.kinds import PaymentMethod, ReturnReason
from domain.money import Money
from projections.billing.queries import InvoiceQueries


@strawberry.input
class ChangeSellerInput(ChangeInput):
    seller: SellerInput


@strawberry.input
class SetBillingTermsInput(ChangeInput):
    terms: BillingTermsInput


@strawberry.input
class IssueAdjustmentInvoiceInput(CommandInput):
    member_id: UUID
    year: int
    lines: list[InvoiceLineInput]
    reason: str


@strawberry.input
class IssueCreditNoteInput(CommandInput):
    invoice_id: UUID
    reason: str
    lines: list[InvoiceLineInput] | None = strawberry.field(
        default=None, description="Absent : l'avoir annule toute la facture."
    )


@strawberry.input
class RecordPaymentInput(CommandInput):
    invoice_id: UUID
    amount: Decimal
    paid_on: date
    method: PaymentMethod
    reference: str | None = None


@strawberry.input
class RecordDebitReturnInput(CommandInput):
    invoice_id: UUID
    reason: ReturnReason
    returned_on: date


@strawberry.type(description="Les paramètres de facturation du service ont changé.")
class BillingSettingsChanged:
    version: int


@strawberry.type(description="Une facture ou un avoir, tel qu'il est maintenant.")
class InvoiceRecorded:
    invoice: Invoice | None

    @classmethod
    def read(cls, services: Services, result: CommandResult) -> "InvoiceRecorded":
        view = services.read(InvoiceQueries).invoice(result.aggregate_id, services.clock.today())
        return cls(invoice=None if view is None else Invoice.of(view))


def _settings_changed(_: Services, result: CommandResult) -> BillingSettingsChanged:
    return BillingSettingsChanged(version=result.version)


SETTINGS_CHANGED = answer("SettingsResult", BillingSettingsChanged, _settings_changed)
INVOICE_RECORDED = answer("InvoiceResult", InvoiceRecorded, InvoiceRecorded.read)


def _credit_note(input: IssueCreditNoteInput, _: GraphQLInfo) -> IssueCreditNote:
    lines = tuple(line.to_domain() for line in input.lines or ())
    return IssueCreditNote(invoice_id=input.invoice_id, lines=lines, reason=input.reason)


def _adjustment(input: IssueAdjustmentInvoiceInput, _: GraphQLInfo) -> IssueAdjustmentInvoice:
    lines = tuple(line.to_domain() for line in input.lines)
    return message_from(IssueAdjustmentInvoice, input, lines=lines)


def _payment(input: RecordPaymentInput, _: GraphQLInfo) -> RecordPayment:
    return message_from(RecordPayment, input, amount=Money(input.amount))


@strawberry.type
class BillingMutations:
    change_seller = sends(
        ChangeSeller,
        ChangeSellerInput,
        SETTINGS_CHANGED,
        "Renseigner les coordonnées du service comme vendeur (par le service).",
        SERVICE,
    )
    set_billing_terms = sends(
        SetBillingTerms,
        SetBillingTermsInput,
        SETTINGS_CHANGED,
        "Fixer les conditions de facturation d'une année (par le service).",
        SERVICE,
    )
    issue_adjustment_invoice = sends(
        _adjustment,
        IssueAdjustmentInvoiceInput,
        INVOICE_RECORDED,
        "Émettre une facture d'ajustement, avec son motif (par le service).",
        SERVICE,
    )
    issue_credit_note = sends(
        _credit_note,
        IssueCreditNoteInput,
        INVOICE_RECORDED,
        "Émettre un avoir sur une facture, avec son motif (par le service).",
        SERVICE,
    )
    record_payment = sends(
        _payment,
        RecordPaymentInput,
        INVOICE_RECORDED,
        "Enregistrer un paiement reçu (par le service).",
        SERVICE,
    )
    record_debit_return = sends(
        RecordDebitReturn,
        RecordDebitReturnInput,
        INVOICE_RECORDED,
        "Enregistrer le rejet d'un prélèvement (par le service).",
        SERVICE,
    )

"""Mutations of billing, by the service's staff: its identity as a seller, the terms of a year,
adjustment invoices, credit notes, payments received and direct debits that came back. Invoices
of contributions and membership fees are issued by the service's processes, not by a mutation."""

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import mutation
from api.billing.types import BillingTermsInput, Invoice, InvoiceLineInput, SellerInput
from api.commands import CommandInput, send
from api.context import GraphQLInfo
from api.failures import Failure
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
class ChangeSellerInput(CommandInput):
    seller: SellerInput


@strawberry.input
class SetBillingTermsInput(CommandInput):
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


SettingsResult = Annotated[BillingSettingsChanged | Failure, strawberry.union("SettingsResult")]
InvoiceResult = Annotated[InvoiceRecorded | Failure, strawberry.union("InvoiceResult")]


@strawberry.type
class BillingMutations:
    @mutation("Renseigner les coordonnées du service comme vendeur (par le service).", SERVICE)
    async def change_seller(self, info: GraphQLInfo, input: ChangeSellerInput) -> SettingsResult:
        message = ChangeSeller(seller=input.seller.to_domain())
        return await send(info, input, message, _settings_changed)

    @mutation("Fixer les conditions de facturation d'une année (par le service).", SERVICE)
    async def set_billing_terms(
        self, info: GraphQLInfo, input: SetBillingTermsInput
    ) -> SettingsResult:
        message = SetBillingTerms(terms=input.terms.to_domain())
        return await send(info, input, message, _settings_changed)

    @mutation("Émettre une facture d'ajustement, avec son motif (par le service).", SERVICE)
    async def issue_adjustment_invoice(
        self, info: GraphQLInfo, input: IssueAdjustmentInvoiceInput
    ) -> InvoiceResult:
        message = IssueAdjustmentInvoice(
            member_id=input.member_id,
            year=input.year,
            lines=tuple(line.to_domain() for line in input.lines),
            reason=input.reason,
        )
        return await send(info, input, message, InvoiceRecorded.read)

    @mutation("Émettre un avoir sur une facture, avec son motif (par le service).", SERVICE)
    async def issue_credit_note(
        self, info: GraphQLInfo, input: IssueCreditNoteInput
    ) -> InvoiceResult:
        lines = tuple(line.to_domain() for line in input.lines or ())
        message = IssueCreditNote(invoice_id=input.invoice_id, lines=lines, reason=input.reason)
        return await send(info, input, message, InvoiceRecorded.read)

    @mutation("Enregistrer un paiement reçu (par le service).", SERVICE)
    async def record_payment(self, info: GraphQLInfo, input: RecordPaymentInput) -> InvoiceResult:
        message = RecordPayment(
            invoice_id=input.invoice_id,
            amount=Money(input.amount),
            paid_on=input.paid_on,
            method=input.method,
            reference=input.reference,
        )
        return await send(info, input, message, InvoiceRecorded.read)

    @mutation("Enregistrer le rejet d'un prélèvement (par le service).", SERVICE)
    async def record_debit_return(
        self, info: GraphQLInfo, input: RecordDebitReturnInput
    ) -> InvoiceResult:
        message = RecordDebitReturn(
            invoice_id=input.invoice_id, reason=input.reason, returned_on=input.returned_on
        )
        return await send(info, input, message, InvoiceRecorded.read)

"""GraphQL types of billing: invoices and credit notes, the account schedule (échéancier), and
the inputs of the service's billing settings and invoices."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Self
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader

from api.context import GraphQLInfo
from api.decorators import field
from api.inputs import AddressInput, value
from api.services import Services
from api.threads import blocking
from application.billing.document_keeping import InvoiceDocuments
from domain.billing.kinds import InvoiceKind, InvoiceStatus, PaymentMethod, ReturnReason
from domain.billing.lines import InvoiceLine
from domain.billing.parties import Bic, CreditorId, Seller
from domain.billing.terms import STANDARD_NOTICE_DAYS, BillingTerms
from domain.errors import InvalidValue
from domain.identifiers import Iban, Siret, VatNumber
from domain.money import Money
from projections.billing.queries import InvoiceView, Schedule, ScheduleLine

strawberry.enum(InvoiceKind, description="Type de pièce : cotisation, adhésion, ajustement…")
strawberry.enum(InvoiceStatus, description="Non réglée, réglée en partie, réglée, en retard.")
strawberry.enum(PaymentMethod, description="Moyen de paiement.")
strawberry.enum(ReturnReason, description="Motif de rejet d'un prélèvement (codes SEPA).")


@strawberry.type(description="Facture ou avoir (montant négatif), tel qu'émis.")
class Invoice:
    id: UUID
    member_id: UUID
    number: str
    kind: InvoiceKind
    kind_label: str
    year: int = strawberry.field(description="Période facturée (année).")
    issued_on: date
    due_on: date
    amount_ht: Decimal
    vat: Decimal
    amount_ttc: Decimal = strawberry.field(description="Négatif pour un avoir.")
    outstanding: Decimal = strawberry.field(
        description="Reste dû à la date demandée ; négatif : trop-perçu, crédit du compte."
    )
    status: InvoiceStatus
    debit_on: date | None = strawberry.field(description="Date du prélèvement SEPA prévu.")
    discount: Decimal | None = strawberry.field(description="Abattement pour prélèvement, € HT.")
    corrects: str | None = strawberry.field(description="Numéro de la facture que l'avoir corrige.")
    purchase_order: str | None
    reason: str | None

    @field(
        description="Empreinte SHA-256 du PDF conservé de la pièce, celui que l'on télécharge ;"
        " nulle tant qu'il n'est pas encore produit."
    )
    async def document_sha256(self, info: GraphQLInfo) -> str | None:
        return await info.context.loader(DocumentHashes).pdf.load(self.id)

    @classmethod
    def of(cls, view: InvoiceView) -> Self:
        return cls(
            id=view.invoice_id,
            member_id=view.member_id,
            number=view.number,
            kind=view.kind,
            kind_label=view.kind.label,
            year=view.year,
            issued_on=view.issued_on,
            due_on=view.due_on,
            amount_ht=view.ht.amount,
            vat=view.vat.amount,
            amount_ttc=view.signed_ttc.amount,
            outstanding=view.outstanding.amount,
            status=view.status,
            debit_on=view.debit_on,
            discount=None if view.discount is None else view.discount.amount,
            corrects=view.corrects,
            purchase_order=view.purchase_order,
            reason=view.reason,
        )


def kept_documents(services: Services) -> InvoiceDocuments:
    """The invoices' kept documents: their table is beside the reactions' (which write it)."""
    return InvoiceDocuments(services.access_store.sql, services.documents)


class DocumentHashes:
    """A request's DataLoader: the SHA-256 of the invoices' kept PDFs, one query per batch."""

    def __init__(self, services: Services):
        self._documents = kept_documents(services)
        self.pdf = DataLoader[UUID, str | None](load_fn=self._pdf, max_batch_size=500)

    async def _pdf(self, invoice_ids: Sequence[UUID]) -> list[str | None]:
        found = await blocking(lambda: self._documents.pdf_sha256s(invoice_ids))
        return [found.get(invoice_id) for invoice_id in invoice_ids]


@strawberry.type(description="Une ligne de l'échéancier : une pièce, un paiement, un rejet.")
class ScheduleEntry:
    number: str
    issued_on: date
    due_on: date | None
    label: str
    debit: Decimal | None
    credit: Decimal | None
    year: int

    @classmethod
    def of(cls, line: ScheduleLine) -> Self:
        return cls(
            number=line.number,
            issued_on=line.issued_on,
            due_on=line.due_on,
            label=line.label,
            debit=None if line.debit is None else line.debit.amount,
            credit=None if line.credit is None else line.credit.amount,
            year=line.year,
        )


@strawberry.type(description="L'échéancier du compte : débits, crédits et solde.")
class AccountSchedule:
    entries: list[ScheduleEntry]
    total_debit: Decimal
    total_credit: Decimal
    balance: Decimal = strawberry.field(
        description="Positif : solde débiteur (dû par l'adhérent) ; négatif : solde créditeur."
    )

    @classmethod
    def of(cls, schedule: Schedule) -> Self:
        return cls(
            entries=[ScheduleEntry.of(line) for line in schedule.lines],
            total_debit=schedule.total_debit.amount,
            total_credit=schedule.total_credit.amount,
            balance=schedule.balance.amount,
        )


@strawberry.input(description="Le service comme vendeur, tel que ses factures le montrent.")
class SellerInput:
    legal_name: str
    siret: str
    vat_number: str
    address: AddressInput
    creditor_id: str = strawberry.field(description="Identifiant créancier SEPA (ICS).")
    iban: str
    bic: str
    electronic_address: str = strawberry.field(
        description="Adresse de facturation électronique (SIREN, puis un suffixe facultatif)."
    )

    def to_domain(self) -> Seller:
        return Seller(
            legal_name=self.legal_name,
            siret=value(Siret, self.siret, "siret"),
            vat_number=value(VatNumber, self.vat_number, "vat_number"),
            address=self.address.to_domain(),
            creditor_id=value(CreditorId, self.creditor_id, "creditor_id"),
            iban=value(Iban, self.iban, "iban"),
            bic=value(Bic, self.bic, "bic"),
            electronic_address=self.electronic_address,
        )


@strawberry.input(description="Conditions de facturation d'une année de campagne.")
class BillingTermsInput:
    year: int
    membership_fee: Decimal = strawberry.field(description="Droit d'adhésion, € HT.")
    payment_days: int
    penalty_rate: Decimal = strawberry.field(description="Taux annuel des pénalités, en %.")
    discount_rate: Decimal = strawberry.field(description="Abattement pour prélèvement, en %.")
    discount_deadline: date
    notice_days: int = STANDARD_NOTICE_DAYS

    def to_domain(self) -> BillingTerms:
        return BillingTerms(
            year=self.year,
            membership_fee=Money(self.membership_fee),
            payment_days=self.payment_days,
            penalty_rate=_fraction(self.penalty_rate, "penalty_rate"),
            discount_rate=_fraction(self.discount_rate, "discount_rate"),
            discount_deadline=self.discount_deadline,
            notice_days=self.notice_days,
        )


@strawberry.input(description="Ligne de facture : quantité × prix unitaire HT, taux de TVA.")
class InvoiceLineInput:
    label: str
    quantity: Decimal
    unit_price: Decimal = strawberry.field(description="€ HT.")
    vat_rate: Decimal = strawberry.field(default=Decimal(20), description="En %.")

    def to_domain(self) -> InvoiceLine:
        return InvoiceLine(
            self.label, self.quantity, Money(self.unit_price), _fraction(self.vat_rate, "vat_rate")
        )


def _fraction(percent: Decimal, field: str) -> Decimal:
    """A percentage as the fraction the domain holds; a value that is no number is refused
    here (dividing a signalling NaN raises)."""
    if not percent.is_finite():
        raise InvalidValue("Saisissez un pourcentage.", code="INVALID_NUMBER", field=field)
    return percent / 100

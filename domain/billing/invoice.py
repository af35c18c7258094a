"""The Invoice aggregate: an invoice or a credit note, issued once with its number, never changed
afterwards; what happens to it later (payments, direct debits and their returns, credit notes
against it) is recorded as events of its own (BILLING.md §1, §3).

Its number comes from its series (`InvoiceSeries`), saved in the same transaction: an issue that
fails leaves no number taken, two issues never take the same one.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.billing.kinds import (
    InvoiceKind,
    InvoiceStatus,
    PaymentMethod,
    ReturnReason,
    SequenceType,
)
from domain.billing.lines import InvoiceLine, Totals
from domain.billing.parties import Buyer, Seller
from domain.errors import InvalidValue, RuleViolation
from domain.identifiers import Iban
from domain.members.organisation import SepaMandate
from domain.money import Money
from domain.text import optional_text, required_text

MAX_PAYMENT = Money(Decimal(10_000_000))
PAYMENT_WINDOW = timedelta(days=3653)
"""Invoices are kept ten years; a payment is dated within them."""
RETURN_WINDOW = timedelta(days=400)
"""An unauthorised debit may be refunded up to 13 months after it (SEPA Core)."""
INVOICE_NAMESPACE = UUID("0b6c1e0a-3f7d-5a8e-9c21-7d4e2f1a6b90")
REASON_LIMIT = 500
REFERENCE_LIMIT = 35


@dataclass(frozen=True, slots=True)
class InvoiceReference:
    """The invoice a credit note corrects (EN 16931 BT-25, BT-26)."""

    number: str
    issued_on: date


@dataclass(frozen=True, slots=True)
class PlannedDebit:
    """The invoice is the debit's pre-notification: the mandate, the account and the date."""

    mandate_reference: str
    iban: Iban
    debit_on: date


@dataclass(frozen=True, slots=True)
class DiscountCondition:
    """Seed 000: the reduction earned by paying the contribution by direct debit by a date."""

    rate: Decimal
    deadline: date
    amount: Money
    """HT, what the reduction took off the invoice."""


@dataclass(frozen=True, slots=True)
class IssuedInvoice:
    """Everything the invoice says, as issued: what its document shows."""

    number: str
    kind: InvoiceKind
    member_id: UUID
    year: int
    issued_on: date
    due_on: date
    lines: tuple[InvoiceLine, ...]
    totals: Totals
    seller: Seller
    buyer: Buyer
    penalty_rate: Decimal
    discount: DiscountCondition | None
    debit: PlannedDebit | None
    purchase_order: str | None
    corrects: InvoiceReference | None
    reason: str | None
    source: str
    """What it bills (`declaration/<id>/<edition>`, `membership/<member id>`…): one invoice per
    source, whatever retries or workers do."""


@dataclass(frozen=True, slots=True)
class CollectedDebit:
    """A debit as presented to the bank: what its transaction in the pain.008 file says, with
    the mandate and the creditor as they stood on that day."""

    collection_date: date
    amount: Money
    sequence: SequenceType
    end_to_end_id: str
    mandate: SepaMandate
    creditor: Seller


class Invoice(RegistreAggregate):
    member_id: UUID
    issued: IssuedInvoice
    paid: Money
    credited: Money
    credited_ht: Money
    reduction_credited: Money
    debit_collected: Money
    debit_collected_on: date | None
    collected: CollectedDebit | None
    """The debit presented for the invoice: once at most, whether it came back or not."""
    discount_lost: bool

    @staticmethod
    def create_id(issued: IssuedInvoice, **_: Any) -> UUID:
        return Invoice.id_of(issued.source)

    @staticmethod
    def id_of(source: str) -> UUID:
        """The id of the invoice billing `source`."""
        return uuid5(INVOICE_NAMESPACE, source)

    @classmethod
    def issue(cls, issued: IssuedInvoice, actor: Actor) -> "Invoice":
        if issued.due_on < issued.issued_on:
            raise InvalidValue(
                "La date d'échéance ne peut précéder la date d'émission.", code="INVALID_DUE_DATE"
            )
        if (issued.kind is InvoiceKind.CREDIT_NOTE) != (issued.corrects is not None):
            raise RuleViolation(
                "Un avoir cite la facture qu'il corrige ; une facture n'en cite aucune.",
                code="CREDIT_NOTE_REFERENCE",
            )
        return cls(member_id=issued.member_id, issued=_with_checked_texts(issued), actor=actor)

    @event("InvoiceIssued")
    def __init__(self, member_id: UUID, issued: IssuedInvoice, actor: Actor) -> None:
        self.member_id = member_id
        self.issued = issued
        self.paid = Money.zero()
        self.credited = Money.zero()
        self.credited_ht = Money.zero()
        self.reduction_credited = Money.zero()
        self.debit_collected = Money.zero()
        self.debit_collected_on = None
        self.collected = None
        self.discount_lost = False

    # What is owed --------------------------------------------------------------------------

    @property
    def outstanding(self) -> Money:
        """TTC still owed; negative when overpaid (a credit on the member's account)."""
        if self.issued.kind is InvoiceKind.CREDIT_NOTE:
            return Money.zero()
        return self.issued.totals.ttc - self.paid - self.credited

    def status_on(self, day: date) -> InvoiceStatus:
        return settlement_status(self.outstanding, self.issued.totals.ttc, self.issued.due_on, day)

    # Payments -------------------------------------------------------------------------------

    def record_payment(
        self,
        amount: Money,
        paid_on: date,
        method: PaymentMethod,
        reference: str | None,
        actor: Actor,
    ) -> None:
        self._refuse_on_credit_note("un paiement")
        if amount.is_zero or amount.is_negative or amount > MAX_PAYMENT:
            raise InvalidValue(
                f"Le montant payé doit être positif, {MAX_PAYMENT} au plus.", code="INVALID_AMOUNT"
            )
        if not self.issued.issued_on <= paid_on <= self.issued.issued_on + PAYMENT_WINDOW:
            raise InvalidValue(
                "Un paiement est daté entre l'émission de la facture et dix ans après.",
                code="INVALID_PAID_ON",
            )
        reference = optional_text(reference, "reference", "La référence du paiement", 70)
        self._payment_recorded(
            amount=amount, paid_on=paid_on, method=method, reference=reference, actor=actor
        )
        self._settle_discount(method, paid_on, actor)

    @event("PaymentRecorded")
    def _payment_recorded(
        self,
        amount: Money,
        paid_on: date,
        method: PaymentMethod,
        reference: str | None,
        actor: Actor,
    ) -> None:
        self.paid = self.paid + amount
        if method is PaymentMethod.DIRECT_DEBIT:
            self.debit_collected = self.debit_collected + amount
            self.debit_collected_on = paid_on

    def is_due_for_debit_on(self, collection_date: date) -> bool:
        """Whether the debit the invoice pre-notified is to be presented on that day: planned
        then or before, never presented, and something is owed."""
        debit = self.issued.debit
        return (
            debit is not None
            and debit.debit_on <= collection_date
            and self.collected is None
            and self.outstanding.amount > 0
        )

    def collect_debit(
        self,
        collection_date: date,
        sequence: SequenceType,
        mandate: SepaMandate,
        creditor: Seller,
        actor: Actor,
    ) -> None:
        """Present the pre-notified debit for what is owed: paid by direct debit unless it
        comes back (`record_debit_return`)."""
        if not self.is_due_for_debit_on(collection_date):
            raise RuleViolation(
                "Cette facture n'a pas de prélèvement à présenter à cette date.",
                code="NO_DEBIT_DUE",
            )
        assert self.issued.debit is not None
        if mandate.reference != self.issued.debit.mandate_reference:
            raise RuleViolation(
                "Le prélèvement annoncé par la facture relève d'un autre mandat.",
                code="OTHER_MANDATE",
            )
        debit = CollectedDebit(
            collection_date=collection_date,
            amount=self.outstanding,
            sequence=sequence,
            end_to_end_id=f"{self.issued.number}-{collection_date:%Y%m%d}",
            mandate=mandate,
            creditor=creditor,
        )
        self._debit_collected(debit=debit, actor=actor)
        self._settle_discount(PaymentMethod.DIRECT_DEBIT, collection_date, actor)

    @event("DebitCollected")
    def _debit_collected(self, debit: CollectedDebit, actor: Actor) -> None:
        self.paid = self.paid + debit.amount
        self.debit_collected = self.debit_collected + debit.amount
        self.debit_collected_on = debit.collection_date
        self.collected = debit

    def record_debit_return(self, reason: ReturnReason, returned_on: date, actor: Actor) -> None:
        """An R-transaction: the debit came back; the amount is owed again, the reduction is
        lost."""
        if self.debit_collected.is_zero:
            raise RuleViolation(
                "Aucun prélèvement encaissé sur cette facture ne peut être rejeté.",
                code="NO_DEBIT_TO_RETURN",
            )
        assert self.debit_collected_on is not None
        if returned_on > self.debit_collected_on + RETURN_WINDOW:
            raise InvalidValue(
                "Un prélèvement ne peut revenir plus de 13 mois après sa date.",
                code="INVALID_RETURNED_ON",
                field="returned_on",
            )
        # A reject the bank reports before the debit's date takes effect on that date: the
        # debit never settled, and the account never owed it twice.
        on = max(returned_on, self.debit_collected_on)
        self._debit_returned(
            reason=reason, returned_on=on, amount=self.debit_collected, actor=actor
        )
        if self._discount_at_stake():
            self._lose_discount(f"Prélèvement rejeté ({reason.value} : {reason.label})", actor)

    @event("DebitReturned")
    def _debit_returned(
        self, reason: ReturnReason, returned_on: date, amount: Money, actor: Actor
    ) -> None:
        self.paid = self.paid - amount
        self.debit_collected = Money.zero()

    # Credit notes and the reduction ---------------------------------------------------------

    def credit(self, credit_note: "Invoice", actor: Actor) -> None:
        """A credit note against this invoice was issued."""
        self._refuse_on_credit_note("un avoir")
        if credit_note.issued.totals.ttc > self.issued.totals.ttc - self.credited:
            raise RuleViolation(
                "Un avoir ne peut dépasser ce qui reste facturé sur la facture qu'il corrige.",
                code="CREDIT_NOTE_TOO_LARGE",
            )
        self._credited(
            credit_note_number=credit_note.issued.number,
            amount=credit_note.issued.totals.ttc,
            amount_ht=credit_note.issued.totals.ht,
            reduction=sum((line.allowance for line in credit_note.issued.lines), Money.zero()),
            actor=actor,
        )

    @event("InvoiceCredited")
    def _credited(
        self,
        credit_note_number: str,
        amount: Money,
        amount_ht: Money,
        reduction: Money,
        actor: Actor,
    ) -> None:
        """`reduction`: the part of the invoice's reduction the credit note gives back."""
        self.credited = self.credited + amount
        self.credited_ht = self.credited_ht + amount_ht
        self.reduction_credited = self.reduction_credited + reduction

    @property
    def reduction_held(self) -> Decimal:
        """The direct-debit reduction rate this invoice still gives (0 once lost)."""
        discount = self.issued.discount
        return Decimal(0) if discount is None or self.discount_lost else discount.rate

    @property
    def reduction_at_stake(self) -> Money:
        """The reduction (HT) lost if the debit fails: what was not credited back since."""
        if self.issued.discount is None:
            return Money.zero()
        return self.issued.discount.amount - self.reduction_credited

    def _discount_at_stake(self) -> bool:
        return self.issued.discount is not None and not self.discount_lost

    def _settle_discount(self, method: PaymentMethod, paid_on: date, actor: Actor) -> None:
        """The reduction is earned by a direct debit by its deadline only."""
        if not self._discount_at_stake():
            return
        assert self.issued.discount is not None
        if method is not PaymentMethod.DIRECT_DEBIT or paid_on > self.issued.discount.deadline:
            self._lose_discount("Paiement reçu par un autre moyen ou après la date limite", actor)

    def _lose_discount(self, reason: str, actor: Actor) -> None:
        assert self.issued.discount is not None
        self._discount_lost(reason=reason, amount=self.reduction_at_stake, actor=actor)

    @event("DiscountLost")
    def _discount_lost(self, reason: str, amount: Money, actor: Actor) -> None:
        """`amount` (HT) is billed again by an adjustment invoice, issued after commit."""
        self.discount_lost = True

    def _refuse_on_credit_note(self, what: str) -> None:
        if self.issued.kind is InvoiceKind.CREDIT_NOTE:
            raise RuleViolation(
                f"Un avoir ne reçoit pas {what} : enregistrez-le sur la facture.",
                code="NOT_ON_A_CREDIT_NOTE",
            )


def settlement_status(outstanding: Money, ttc: Money, due_on: date, day: date) -> InvoiceStatus:
    """Paid when nothing is owed (a credit note owes nothing); overdue once past its due date."""
    if outstanding.amount <= 0:
        return InvoiceStatus.PAID
    if day > due_on:
        return InvoiceStatus.OVERDUE
    return InvoiceStatus.UNPAID if outstanding == ttc else InvoiceStatus.PARTLY_PAID


def _with_checked_texts(issued: IssuedInvoice) -> IssuedInvoice:
    return replace(
        issued,
        purchase_order=optional_text(
            issued.purchase_order, "purchase_order", "Le numéro de bon de commande", REFERENCE_LIMIT
        ),
        reason=optional_text(issued.reason, "reason", "Le motif", REASON_LIMIT, multiline=True),
        number=required_text(issued.number, "number", "Le numéro de facture", 20),
        source=required_text(issued.source, "source", "L'origine de la facture", 200),
    )

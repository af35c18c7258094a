"""The French sentences an invoice must carry (BILLING.md §1), written once: the PDF prints them
and the CII XML holds them in its notes (FR CTC: PMT, PMD, AAB) and payment terms."""

from datetime import date
from decimal import Decimal

from domain.billing.invoice import DiscountCondition, IssuedInvoice, PlannedDebit
from domain.billing.terms import RECOVERY_INDEMNITY

NO_DISCOUNT = "Pas d'escompte pour paiement anticipé."
DIRECT_DEBIT_REDUCTION = "Abattement pour paiement par prélèvement SEPA"


def french_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def plain_number(value: Decimal) -> str:
    """The digits only, without trailing zeros nor exponent: 20, 12.15, 3."""
    return format(value.normalize(), "f")


def percent(rate: Decimal) -> str:
    """A fraction as French text: Decimal("0.1215") → "12,15 %"."""
    return f"{plain_number(rate * 100).replace('.', ',')}\u00a0%"


def recovery_indemnity() -> str:
    return (
        "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement :"
        f" {RECOVERY_INDEMNITY} (article D441-5 du Code de commerce)."
    )


def late_penalties(rate: Decimal) -> str:
    return (
        f"Pénalités de retard : taux annuel de {percent(rate)}, exigibles dès le lendemain de"
        " la date d'échéance (article L441-10 du Code de commerce)."
    )


def discount_conditions(discount: DiscountCondition | None) -> str:
    if discount is None:
        return NO_DISCOUNT
    return (
        f"{NO_DISCOUNT} {DIRECT_DEBIT_REDUCTION} : {percent(discount.rate)} de la cotisation"
        f" par salarié ({discount.amount} HT), acquis si le prélèvement est payé au plus tard"
        f" le {french_date(discount.deadline)} ; perdu en cas de rejet du prélèvement ou de"
        " paiement après cette date, il est alors facturé à nouveau."
    )


def direct_debit_notice(issued: IssuedInvoice, debit: PlannedDebit) -> str:
    """The invoice is the debit's pre-notification: the amount, the date, the account."""
    return (
        f"Prélèvement SEPA de {issued.totals.ttc} le {french_date(debit.debit_on)} sur le"
        f" compte {debit.iban.formatted} (mandat {debit.mandate_reference}, créancier"
        f" {issued.seller.creditor_id})."
    )


def payment_terms(issued: IssuedInvoice) -> str:
    if issued.corrects is not None:
        return (
            f"Avoir sur la facture n° {issued.corrects.number} du"
            f" {french_date(issued.corrects.issued_on)}, à déduire de son montant."
        )
    if issued.debit is not None:
        return direct_debit_notice(issued, issued.debit)
    return (
        f"Paiement par virement au plus tard le {french_date(issued.due_on)}, en rappelant le"
        f" numéro de facture {issued.number}."
    )

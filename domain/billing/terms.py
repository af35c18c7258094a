"""The billing terms of a campaign year, kept by the service's staff: membership fee, payment
delay, late-payment penalty rate, the direct-debit reduction and its deadline, and the
pre-notification delay of a debit (BILLING.md §1, §3; seed 000)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.errors import InvalidValue
from domain.money import Money

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_FEE = Money(Decimal(10_000_000))
"""What one line of an invoice may bill (`domain.billing.lines`)."""
RECOVERY_INDEMNITY = Money(Decimal(40))
"""Fixed indemnity for recovery costs owed by a late payer (Code de commerce D441-5)."""
DEFAULT_DISCOUNT_RATE = Decimal("0.07")
MIN_NOTICE_DAYS = 1
STANDARD_NOTICE_DAYS = 14
"""SEPA pre-notification: 14 days before the debit, shorter only by agreement."""


def default_discount_deadline(year: int) -> date:
    """Seed 000: pay by direct debit by 15 February to earn the reduction."""
    return date(year, 2, 15)


@dataclass(frozen=True, slots=True)
class BillingTerms:
    year: int
    membership_fee: Money
    """HT, billed once when a member registers."""
    payment_days: int
    """Days from issue to due date."""
    penalty_rate: Decimal
    """Yearly late-payment penalty rate, a fraction (ECB rate + 10 points by default)."""
    discount_rate: Decimal
    discount_deadline: date
    notice_days: int = STANDARD_NOTICE_DAYS

    def validated(self) -> "BillingTerms":
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise _invalid(f"L'année doit être comprise entre {FIRST_YEAR} et {LAST_YEAR}.", "year")
        for rate, field in (
            (self.penalty_rate, "penalty_rate"),
            (self.discount_rate, "discount_rate"),
        ):
            if not rate.is_finite():
                raise _invalid("Saisissez un taux.", field)
        if self.membership_fee > MAX_FEE:
            raise _invalid(f"Le droit d'adhésion est de {MAX_FEE} au plus.", "membership_fee")
        if self.membership_fee.is_negative:
            raise _invalid(
                "La cotisation d'adhésion doit être positive ou nulle.", "membership_fee"
            )
        if not 0 <= self.payment_days <= 60:
            raise _invalid(
                "Le délai de paiement est de 0 à 60 jours (Code de commerce L441-10).",
                "payment_days",
            )
        if not Decimal(0) < self.penalty_rate <= Decimal(1):
            raise _invalid(
                "Le taux des pénalités de retard doit être compris entre 0 et 100 %.",
                "penalty_rate",
            )
        if not Decimal(0) <= self.discount_rate <= Decimal("0.5"):
            raise _invalid(
                "Le taux de l'abattement doit être compris entre 0 et 50 %.", "discount_rate"
            )
        if self.discount_deadline.year not in (self.year, self.year + 1):
            raise _invalid(
                "La date limite de l'abattement doit tomber dans l'année de la campagne ou la"
                " suivante.",
                "discount_deadline",
            )
        if not MIN_NOTICE_DAYS <= self.notice_days <= 30:
            raise _invalid(
                "Le délai de pré-notification d'un prélèvement est de 1 à 30 jours.", "notice_days"
            )
        return self

    def due_on(self, issued_on: date) -> date:
        return issued_on + timedelta(days=self.payment_days)

    def debit_on(self, issued_on: date) -> date:
        """The earliest debit date the pre-notification allows."""
        return issued_on + timedelta(days=self.notice_days)

    def earns_discount(self, debit_on: date) -> bool:
        return self.discount_rate > 0 and debit_on <= self.discount_deadline


def _invalid(message: str, field: str) -> InvalidValue:
    return InvalidValue(message, code="INVALID_BILLING_TERMS", field=field)

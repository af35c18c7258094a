"""What an invoice bills: its lines, VAT per rate, and the totals (CGI annexe II art. 242 nonies A).

Money is Decimal, cents rounded half-up (`domain.money`). A line's net amount is its quantity
times its unit price HT, rounded to the cent; VAT is computed per rate on the sum of the lines'
net amounts at that rate (EN 16931: one VAT breakdown per rate), so seed 000's recap gives
3 × 79 € + 150 € = 387 € HT, 77,40 € VAT, 464,40 € TTC.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from domain.errors import InvalidValue
from domain.money import Money
from domain.text import required_text

STANDARD_VAT = Decimal("0.20")
MAX_LINES = 50
MAX_QUANTITY = Decimal(1_000_000)
MAX_UNIT_PRICE = Money(Decimal(10_000_000))
LABEL_LIMIT = 200


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    label: str
    quantity: Decimal
    unit_price: Money
    """HT."""
    vat_rate: Decimal = STANDARD_VAT
    """A fraction: Decimal("0.20") for 20 %."""
    allowance_rate: Decimal = Decimal(0)
    """A reduction of the line before VAT (the direct-debit reduction), a fraction."""

    def __post_init__(self) -> None:
        label = required_text(self.label, "label", "Le libellé de la ligne", LABEL_LIMIT)
        object.__setattr__(self, "label", label)
        for value, field in ((self.quantity, "quantity"), (self.vat_rate, "vat_rate")):
            if not value.is_finite():
                raise InvalidValue("Saisissez un nombre.", code="INVALID_NUMBER", field=field)
        if not self.allowance_rate.is_finite():
            raise InvalidValue(
                "Saisissez un nombre.", code="INVALID_NUMBER", field="allowance_rate"
            )
        if not Decimal(0) < self.quantity <= MAX_QUANTITY or self.quantity != round(
            self.quantity, 2
        ):
            raise InvalidValue(
                "La quantité doit être positive (au plus 1 000 000, deux décimales au plus).",
                code="INVALID_QUANTITY",
                field="quantity",
            )
        if self.unit_price.is_negative or self.unit_price > MAX_UNIT_PRICE:
            raise InvalidValue(
                "Le prix unitaire HT doit être positif ou nul (au plus 10 000 000 €).",
                code="INVALID_PRICE",
                field="unit_price",
            )
        if not Decimal(0) <= self.allowance_rate < Decimal(1):
            raise InvalidValue(
                "Le taux de réduction doit être compris entre 0 et 100 %.",
                code="INVALID_ALLOWANCE",
                field="allowance_rate",
            )
        if not Decimal(0) <= self.vat_rate < Decimal(1):
            raise InvalidValue(
                "Le taux de TVA doit être compris entre 0 et 100 %.",
                code="INVALID_VAT_RATE",
                field="vat_rate",
            )

    @property
    def gross(self) -> Money:
        """Quantity × unit price HT, to the cent."""
        return Money(self.quantity * self.unit_price.amount)

    @property
    def allowance(self) -> Money:
        return Money(self.gross.amount * self.allowance_rate)

    @property
    def net(self) -> Money:
        """HT, after the line's reduction."""
        return self.gross - self.allowance


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    rate: Decimal
    base: Money
    """The net amounts HT at this rate."""
    vat: Money


@dataclass(frozen=True, slots=True)
class Totals:
    ht: Money
    vat: Money
    ttc: Money
    breakdown: tuple[VatBreakdown, ...]

    @classmethod
    def of(cls, lines: tuple[InvoiceLine, ...]) -> "Totals":
        if not 1 <= len(lines) <= MAX_LINES:
            raise InvalidValue(
                f"Une facture compte 1 à {MAX_LINES} lignes.", code="INVALID_LINES", field="lines"
            )
        bases: dict[Decimal, Money] = defaultdict(Money.zero)
        for line in lines:
            bases[line.vat_rate] = bases[line.vat_rate] + line.net
        breakdown = tuple(
            VatBreakdown(rate, base, base.vat(rate)) for rate, base in sorted(bases.items())
        )
        ht = sum((part.base for part in breakdown), Money.zero())
        vat = sum((part.vat for part in breakdown), Money.zero())
        return cls(ht=ht, vat=vat, ttc=ht + vat, breakdown=breakdown)

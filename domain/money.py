"""Montant en euros, au centime, arrondi au demi supérieur (ROUND_HALF_UP)."""

import dataclasses
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Self

from domain.errors import InvalidValue

CENT = Decimal("0.01")
# French presentation, as in CLDR "fr": narrow no-break space (U+202F) between thousands,
# comma before cents, no-break space (U+00A0) before the euro sign: "1 234,50 €".
THOUSANDS_SEPARATOR = "\u202f"
CURRENCY_SEPARATOR = "\u00a0"


def _invalid(value: object) -> InvalidValue:
    shown = str(value).strip()[:40]
    return InvalidValue(
        f"Le montant « {shown} » n'est pas valide : saisissez un nombre d'euros, par exemple "
        "1234,50.",
        code="INVALID_AMOUNT",
    )


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        text = "".join(value.split()).removesuffix("€").replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise _invalid(value) from None
    raise TypeError(f"an amount must be a Decimal, an int or a str, not {type(value).__name__}")


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class Money:
    """Montant en euros (négatif pour un avoir ou un crédit), toujours au centime près."""

    amount: Decimal

    def __post_init__(self) -> None:
        amount = _to_decimal(self.amount)
        if not amount.is_finite():
            raise _invalid(self.amount)
        try:
            amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise _invalid(self.amount) from None
        if amount.is_zero():
            amount = Decimal("0.00")  # no "-0,00 €"
        object.__setattr__(self, "amount", amount)

    @classmethod
    def euros(cls, value: str | int | Decimal) -> Self:
        """From a Decimal, an int or a text such as "1234.5", "1 234,50" or "12 €"."""
        return cls(_to_decimal(value))

    @classmethod
    def zero(cls) -> Self:
        return cls(Decimal(0))

    def __add__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.amount + other.amount)

    def __sub__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.amount - other.amount)

    def __mul__(self, factor: int | Decimal) -> "Money":
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return Money(self.amount * factor)

    __rmul__ = __mul__

    def __neg__(self) -> "Money":
        return Money(-self.amount)

    def vat(self, rate: Decimal) -> "Money":
        """Montant de TVA au taux donné en fraction (Decimal("0.20") pour 20 %), arrondi au
        centime le plus proche, demi au supérieur."""
        if not Decimal(0) <= rate <= Decimal(1):
            raise ValueError(f"a VAT rate is a fraction between 0 and 1, not {rate}")
        return Money(self.amount * rate)

    @property
    def is_zero(self) -> bool:
        return self.amount.is_zero()

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    def __str__(self) -> str:
        sign = "-" if self.amount < 0 else ""
        units, cents = f"{abs(self.amount):.2f}".split(".")
        grouped = f"{int(units):,}".replace(",", THOUSANDS_SEPARATOR)
        return f"{sign}{grouped},{cents}{CURRENCY_SEPARATOR}€"

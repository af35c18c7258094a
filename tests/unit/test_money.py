"""Money: euros to the cent, rounded half up."""

from decimal import Decimal

import pytest

from domain.errors import InvalidValue
from domain.money import Money

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (Decimal("0.005"), Decimal("0.01")),
        (Decimal("0.004"), Decimal("0.00")),
        (Decimal("-0.005"), Decimal("-0.01")),
        (Decimal("2.675"), Decimal("2.68")),
        (Decimal("-0.001"), Decimal("0.00")),
        (79, Decimal("79.00")),
        ("1234.5", Decimal("1234.50")),
        ("1 234,50", Decimal("1234.50")),
        ("12 €", Decimal("12.00")),
        ("-3,333", Decimal("-3.33")),
    ],
)
def test_euros_quantises_half_up(raw: str | int | Decimal, expected: Decimal) -> None:
    money = Money.euros(raw)
    assert money.amount == expected
    assert money.amount.as_tuple().exponent == -2


def test_constructor_quantises_too() -> None:
    assert Money(Decimal("10.125")).amount == Decimal("10.13")


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-inf", "douze", "", "1,2,3", Decimal("sNaN")])
def test_refuses_invalid_amounts(raw: str | Decimal) -> None:
    with pytest.raises(InvalidValue) as error:
        Money.euros(raw)
    assert error.value.code == "INVALID_AMOUNT"


def test_refuses_float() -> None:
    with pytest.raises(TypeError):
        Money.euros(0.1)  # type: ignore[arg-type]


def test_arithmetic() -> None:
    price = Money.euros(79)
    assert price * 3 == Money.euros("237.00")
    assert 3 * price == Money.euros(237)
    assert str(price * 3) == f"237,00{NBSP}€"
    assert price + Money.euros("0.50") == Money.euros("79.50")
    assert price - Money.euros(80) == Money.euros(-1)
    assert -price == Money.euros(-79)
    assert Money.euros("10.00") * Decimal("0.333") == Money.euros("3.33")
    assert Money.euros("0.10") * Decimal("0.05") == Money.euros("0.01")
    assert sum([price, price], Money.zero()) == Money.euros(158)


def test_arithmetic_refuses_other_types() -> None:
    price = Money.euros(1)
    with pytest.raises(TypeError):
        price + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        price * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        price * price  # type: ignore[operator]


def test_comparison_and_hash() -> None:
    assert Money.euros(1) < Money.euros(2)
    assert max(Money.euros(3), Money.euros(-5)) == Money.euros(3)
    assert Money.euros("1.0") == Money.euros(1)
    assert len({Money.euros("1.0"), Money.euros(1), Money.euros("-0.00"), Money.zero()}) == 2


def test_zero() -> None:
    assert Money.zero().amount == Decimal("0.00")
    assert Money.zero().is_zero
    assert not Money.euros(-1).is_zero
    assert Money.euros(-1).is_negative
    assert str(-Money.zero()) == f"0,00{NBSP}€"


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("387", "0.20", "77.40"),
        ("0.03", "0.20", "0.01"),  # 0.006 -> 0.01
        ("0.02", "0.20", "0.00"),  # 0.004 -> 0.00
        ("0.025", "0.20", "0.01"),  # 0.03 × 0.20 = 0.006
        ("100", "0.055", "5.50"),
        ("-387", "0.20", "-77.40"),
        ("10.05", "0.10", "1.01"),  # 1.005 -> 1.01 (half up)
    ],
)
def test_vat(amount: str, rate: str, expected: str) -> None:
    assert Money.euros(amount).vat(Decimal(rate)) == Money.euros(expected)


@pytest.mark.parametrize("rate", ["20", "-0.1"])
def test_vat_rate_is_a_fraction(rate: str) -> None:
    with pytest.raises(ValueError, match="fraction"):
        Money.euros(100).vat(Decimal(rate))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1234.5", f"1{NNBSP}234,50{NBSP}€"),
        ("0", f"0,00{NBSP}€"),
        ("0.07", f"0,07{NBSP}€"),
        ("999", f"999,00{NBSP}€"),
        ("1234567.891", f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
        ("-1234.5", f"-1{NNBSP}234,50{NBSP}€"),
        ("-0.5", f"-0,50{NBSP}€"),
    ],
)
def test_french_format(amount: str, expected: str) -> None:
    assert str(Money.euros(amount)) == expected


@pytest.mark.parametrize("amount", ["1234567.89", "-0.5", "0"])
def test_french_format_reads_back(amount: str) -> None:
    money = Money.euros(amount)
    assert Money.euros(str(money)) == money

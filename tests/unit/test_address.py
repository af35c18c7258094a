"""Address and coordinates."""

import dataclasses
import math

import pytest

from domain.address import Address, Coordinates
from domain.errors import InvalidValue

PARIS = Coordinates(48.8566, 2.3522)


def test_address_is_normalised() -> None:
    address = Address(
        lines=("  12 rue de la Paix ", "", "   ", "Bâtiment B"),
        postal_code=" 75 002 ",
        city=" Paris ",
        country="fr",
    )
    assert address.lines == ("12 rue de la Paix", "Bâtiment B")
    assert address.postal_code == "75002"
    assert address.city == "Paris"
    assert address.country == "FR"
    assert not address.is_confirmed


def test_address_accepts_four_lines_of_38_characters() -> None:
    address = Address(lines=("x" * 38,) * 4, postal_code="97400", city="Saint-Denis")
    assert len(address.lines) == 4


def test_foreign_address_keeps_its_postal_code() -> None:
    address = Address(
        lines=("Rue de la Loi 16",), postal_code="B-1000", city="Bruxelles", country="be"
    )
    assert address.postal_code == "B-1000"
    assert address.country == "BE"


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"lines": ()}, "INVALID_ADDRESS", "lines"),
        ({"lines": ("", "  ")}, "INVALID_ADDRESS", "lines"),
        ({"lines": ("a", "b", "c", "d", "e")}, "INVALID_ADDRESS", "lines"),
        ({"lines": ("x" * 39,)}, "INVALID_ADDRESS", "lines"),
        ({"postal_code": "7500"}, "INVALID_POSTAL_CODE", "postal_code"),
        ({"postal_code": "750011"}, "INVALID_POSTAL_CODE", "postal_code"),
        ({"postal_code": "7500A"}, "INVALID_POSTAL_CODE", "postal_code"),
        ({"postal_code": "00100"}, "INVALID_POSTAL_CODE", "postal_code"),
        ({"postal_code": ""}, "INVALID_POSTAL_CODE", "postal_code"),
        ({"postal_code": " ", "country": "BE"}, "INVALID_POSTAL_CODE", "postal_code"),
        ({"city": "  "}, "INVALID_ADDRESS", "city"),
        ({"country": "FRA"}, "INVALID_ADDRESS", "country"),
        ({"country": "F1"}, "INVALID_ADDRESS", "country"),
        ({"country": ""}, "INVALID_ADDRESS", "country"),
    ],
)
def test_address_refuses(kwargs: dict[str, object], code: str, field: str) -> None:
    values: dict[str, object] = {
        "lines": ("12 rue de la Paix",),
        "postal_code": "75002",
        "city": "Paris",
    }
    values.update(kwargs)
    with pytest.raises(InvalidValue) as error:
        Address(**values)  # type: ignore[arg-type]
    assert error.value.code == code
    assert error.value.field == field


def test_long_line_message_names_the_line() -> None:
    with pytest.raises(InvalidValue) as error:
        Address(
            lines=("Zone industrielle des Grands Champs, lot 12",),
            postal_code="44000",
            city="Nantes",
        )
    assert "38 caractères" in error.value.message
    assert "Zone industrielle" in error.value.message


def test_confirmed_at_returns_a_confirmed_copy() -> None:
    address = Address(lines=("12 rue de la Paix",), postal_code="75002", city="Paris")
    confirmed = address.confirmed_at(PARIS)
    assert confirmed.is_confirmed
    assert confirmed.coordinates == PARIS
    assert confirmed.lines == address.lines
    assert not address.is_confirmed
    assert confirmed != address


def test_address_is_immutable_and_hashable() -> None:
    address = Address(lines=("12 rue de la Paix",), postal_code="75002", city="Paris")
    with pytest.raises(dataclasses.FrozenInstanceError):
        address.city = "Lyon"  # type: ignore[misc]
    assert address == Address(lines=["12 rue de la Paix"], postal_code="75002", city="Paris")  # type: ignore[arg-type]
    assert len({address, address.confirmed_at(PARIS)}) == 2


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(0, 0), (90, 180), (-90, -180), (48.8566, 2.3522), (-21.1151, 55.5364)],
)
def test_coordinates_accepts(latitude: float, longitude: float) -> None:
    coordinates = Coordinates(latitude, longitude)
    assert coordinates.latitude == latitude
    assert isinstance(coordinates.latitude, float)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(90.1, 0), (-90.1, 0), (0, 180.1), (0, -180.1), (math.nan, 0), (0, math.inf)],
)
def test_coordinates_refuses(latitude: float, longitude: float) -> None:
    with pytest.raises(InvalidValue) as error:
        Coordinates(latitude, longitude)
    assert error.value.code == "INVALID_COORDINATES"

"""The service as a seller: its identifiers and electronic address are checked when set."""

from dataclasses import replace

import pytest

from domain.errors import InvalidValue
from tests.integration.billing_scenario import SELLER


@pytest.mark.parametrize("address", ["732829320\x00x", "732829320\u202e", "732829320\x1bx"])
def test_an_electronic_address_with_a_control_or_invisible_character_is_refused(
    address: str,
) -> None:
    with pytest.raises(InvalidValue) as refused:
        replace(SELLER, electronic_address=address).validated()

    assert refused.value.code == "INVALID_TEXT"
    assert refused.value.field == "electronic_address"


def test_an_electronic_address_starts_with_the_sellers_siren() -> None:
    with pytest.raises(InvalidValue) as refused:
        replace(SELLER, electronic_address="552100554").validated()

    assert refused.value.code == "INVALID_ELECTRONIC_ADDRESS"
    assert replace(SELLER, electronic_address="732829320 _FACT").validated().electronic_address == (
        "732829320_FACT"
    )

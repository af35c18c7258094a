"""The one check of texts typed by people (`domain.text`), the request id's, and the store's last
line of defence (`storage.codec.check_storable`)."""

from dataclasses import dataclass
from uuid import uuid4

import pytest

from application.requests import Request
from domain.actor import Actor
from domain.errors import InvalidValue
from domain.text import _REFUSED, optional_text, required_text, shown
from storage import codec


def refusal(value: str, **options: object) -> InvalidValue:
    with pytest.raises(InvalidValue) as error:
        required_text(value, "birth_name", "Le nom de naissance", **options)  # type: ignore[arg-type]
    return error.value


@pytest.mark.parametrize(
    ("character", "kind"),
    [
        pytest.param("\x00", "de contrôle", id="nul"),
        pytest.param("\x07", "de contrôle", id="bell"),
        pytest.param("\x1b", "de contrôle", id="escape"),
        pytest.param("\x0b", "de contrôle", id="vertical-tab"),
        pytest.param("\x1f", "de contrôle", id="unit-separator"),
        pytest.param("\x7f", "de contrôle", id="delete"),
        pytest.param("\x85", "de contrôle", id="c1-next-line"),
        pytest.param("\x9f", "de contrôle", id="c1-last"),
        pytest.param("\u202e", "invisible", id="right-to-left-override"),
        pytest.param("\u202a", "invisible", id="left-to-right-embedding"),
        pytest.param("\u2066", "invisible", id="left-to-right-isolate"),
        pytest.param("\u2069", "invisible", id="pop-directional-isolate"),
        pytest.param("\u200e", "invisible", id="left-to-right-mark"),
        pytest.param("\u061c", "invisible", id="arabic-letter-mark"),
        pytest.param("\u200b", "invisible", id="zero-width-space"),
        pytest.param("\u200d", "invisible", id="zero-width-joiner"),
        pytest.param("\u2060", "invisible", id="word-joiner"),
        pytest.param("\u2064", "invisible", id="invisible-plus"),
        pytest.param("\ufeff", "invisible", id="byte-order-mark"),
        pytest.param("\u00ad", "invisible", id="soft-hyphen"),
        pytest.param("\U000e0041", "invisible", id="tag-letter"),
        pytest.param("\ud800", "demi-paire", id="lone-high-surrogate"),
        pytest.param("\udfff", "demi-paire", id="lone-low-surrogate"),
        pytest.param("\ufffe", "non-caractère", id="fffe"),
        pytest.param("\uffff", "non-caractère", id="ffff"),
        pytest.param("\ufdd0", "non-caractère", id="fdd0"),
        pytest.param("\U0001fffe", "non-caractère", id="plane-1-fffe"),
        pytest.param("\U0010ffff", "non-caractère", id="last-code-point"),
    ],
)
def test_a_hostile_character_is_refused_by_its_place_without_quoting_the_text(
    character: str, kind: str
) -> None:
    error = refusal(f"Poi{character}son")

    assert (error.code, error.field) == ("INVALID_TEXT", "birth_name")
    assert error.message.startswith("Le nom de naissance contient un caractère")
    assert kind in error.message
    assert "position 4" in error.message
    assert f"U+{ord(character):04X}" in error.message
    assert "Poi" not in error.message
    assert character not in error.message


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\u200b", "\ud800"])
def test_a_multi_line_text_refuses_the_same_characters(character: str) -> None:
    assert refusal(f"Ligne 1\nLigne {character}2", multiline=True).code == "INVALID_TEXT"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("  Élodie\tMarie\r\nDe  la Tour ", "Élodie Marie De la Tour", id="spaces"),
        pytest.param("Jean\u00a0Paul", "Jean Paul", id="no-break-space"),
        pytest.param("O'Brien-Müller", "O'Brien-Müller", id="punctuation"),
        pytest.param("李小龍", "李小龍", id="cjk"),
        pytest.param("Ñúñez 🙂", "Ñúñez 🙂", id="emoji"),
    ],
)
def test_what_people_type_is_accepted_and_spacing_cleaned(value: str, expected: str) -> None:
    assert required_text(value, "name", "Le nom") == expected


def test_a_multi_line_text_keeps_its_line_breaks() -> None:
    text = "  Première  ligne \r\n\r\nSeconde\rtroisième\u2028quatrième \n"

    cleaned = optional_text(text, "note", "La note", multiline=True)

    assert cleaned == "Première ligne\n\nSeconde\ntroisième\nquatrième"


def test_every_text_has_a_length_limit_counted_once_cleaned() -> None:
    assert required_text("  " + "x" * 120 + "  ", "name", "Le nom") == "x" * 120

    error = refusal("x" * 1_000_000)

    assert error.code == "INVALID_TEXT"
    assert "120 caractères" in error.message
    assert "1000000 saisis" in error.message


def test_a_field_keeps_its_own_code_for_a_length_but_not_for_a_character() -> None:
    with pytest.raises(InvalidValue) as long:
        required_text("x" * 81, "first_name", "Le prénom", 80, code="INVALID_NAME")
    with pytest.raises(InvalidValue) as blank:
        required_text(" \t ", "first_name", "Le prénom", 80, code="INVALID_NAME")
    with pytest.raises(InvalidValue) as hostile:
        required_text("M\x00", "first_name", "Le prénom", 80, code="INVALID_NAME")

    assert (long.value.code, blank.value.code, hostile.value.code) == (
        "INVALID_NAME",
        "INVALID_NAME",
        "INVALID_TEXT",
    )


def test_an_optional_text_is_none_when_absent_or_blank() -> None:
    assert optional_text(None, "note", "La note") is None
    assert optional_text(" \n\t ", "note", "La note", multiline=True) is None


def test_a_quoted_value_is_shortened_and_loses_its_hostile_characters() -> None:
    assert shown("  12\u202e34\x00 ", 40) == "12?34?"
    assert shown("1" * 100, 10) == "1" * 9 + "…"


# Request ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_id", [str(uuid4()), uuid4().hex, "fuzz-12", "cmr-xlsx-0123abcd-7", "x" * 100]
)
def test_a_request_id_of_printable_ascii_is_accepted(request_id: str) -> None:
    assert Request(request_id, Actor("user")).request_id == request_id


@pytest.mark.parametrize(
    "request_id",
    ["", " ", "a b", "id\x00", "id\ud800", "id\u202e", "é", "x" * 101, "id\n"],
    ids=["empty", "space", "inner-space", "nul", "surrogate", "bidi", "accent", "long", "newline"],
)
def test_a_malformed_request_id_is_refused(request_id: str) -> None:
    with pytest.raises(InvalidValue) as error:
        Request(request_id, Actor("user"))

    assert (error.value.code, error.value.field) == ("INVALID_REQUEST_ID", "request_id")
    assert request_id.strip() == "" or request_id not in error.value.message


# The store's last line -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    birth_name: str


@pytest.mark.parametrize(
    "state",
    [
        pytest.param({"person": Person("Poi\x00son")}, id="nul"),
        pytest.param({"person": Person("Poi\ud800son")}, id="lone-surrogate"),
    ],
)
def test_a_state_with_a_text_no_store_holds_is_refused_naming_its_field(
    state: dict[str, object],
) -> None:
    with pytest.raises(InvalidValue) as error:
        codec.check_storable(state)

    assert (error.value.code, error.value.field) == ("INVALID_TEXT", "birth_name")
    assert "Poi" not in error.value.message


@pytest.mark.parametrize(
    "text", ["C:\\u0000", "\\\\u0000", "Poison", "Ligne\nTab\t", "\u202e"], ids=repr
)
def test_a_text_that_only_looks_like_nul_is_storable(text: str) -> None:
    codec.check_storable({"note": text})


def test_every_refused_character_is_unprintable() -> None:
    """`check_characters` passes printable texts without its expression: that is right only if
    no character it refuses is printable."""
    refused_yet_printable = [
        hex(point)
        for point in range(0x110000)
        if _REFUSED.match(chr(point)) and chr(point).isprintable()
    ]

    assert refused_yet_printable == []

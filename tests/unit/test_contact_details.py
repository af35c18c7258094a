"""Contact details: e-mail and phone number."""

import pytest

from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jeanne.martin@example.fr", "jeanne.martin@example.fr"),
        ("  Jeanne.Martin@Example.FR ", "Jeanne.Martin@example.fr"),
        ("compta+portail@sous.domaine.example.com", "compta+portail@sous.domaine.example.com"),
        ("o'neil@example.ie", "o'neil@example.ie"),
        ("contact@café.fr", "contact@café.fr"),
        ("rh@xn--caf-dma.fr", "rh@xn--caf-dma.fr"),
    ],
)
def test_email_accepts_and_lowercases_domain(raw: str, expected: str) -> None:
    email = Email(raw)
    assert email == expected
    assert type(email) is Email


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "jeanne.martin",
        "jeanne.martin@",
        "@example.fr",
        "jeanne martin@example.fr",
        "jeanne..martin@example.fr",
        ".jeanne@example.fr",
        "jeanne.@example.fr",
        "jeanne@example",
        "jeanne@example.f",
        "jeanne@example..fr",
        "jeanne@-example.fr",
        "jeanne@example.fr.",
        "jeanne@exa_mple.fr",
        "jeanne@example.123",
        "jérôme@example.fr",
        "a" * 65 + "@example.fr",
    ],
)
def test_email_refuses(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        Email(raw)
    assert error.value.code == "INVALID_EMAIL"
    assert error.value.message.startswith("L'adresse e-mail")


def test_email_parts() -> None:
    email = Email("Jeanne.Martin@Example.fr")
    assert email.local_part == "Jeanne.Martin"
    assert email.domain == "example.fr"
    assert repr(email) == "Email('Jeanne.Martin@example.fr')"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("06-12-34-56-78", "+33612345678"),
        ("01 23 45 67 89", "+33123456789"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("+33 06 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+32 2 555 12 12", "+3225551212"),
        ("+262 692 12 34 56", "+262692123456"),
        ("+44 (0)20 7946 0958", "+442079460958"),
    ],
)
def test_phone_number_normalises_to_e164(raw: str, expected: str) -> None:
    phone = PhoneNumber(raw)
    assert phone == expected
    assert type(phone) is PhoneNumber


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "06 12 34 56",
        "06 12 34 56 78 9",
        "00 0 12",
        "612345678",
        "+33 6 12 34 56",
        "+33 6 12 34 56 78 90",
        "+0 123 456 789",
        "+1234",
        "+1 234 567 890 123 456",
        "06 12 34 56 7A",
        "téléphone",
    ],
)
def test_phone_number_refuses(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        PhoneNumber(raw)
    assert error.value.code == "INVALID_PHONE"


@pytest.mark.parametrize(
    ("raw", "is_french", "national"),
    [
        ("06 12 34 56 78", True, "06 12 34 56 78"),
        ("+32 2 555 12 12", False, "+3225551212"),
    ],
)
def test_phone_number_display(raw: str, is_french: bool, national: str) -> None:
    phone = PhoneNumber(raw)
    assert phone.is_french is is_french
    assert phone.national_format == national

"""Identifiers: SIREN, SIRET, TVA, NIR, CAS, PCS-ESE, IBAN."""

import copy
import datetime
import pickle

import pytest
from stdnum.fr import nir as stdnum_nir

from domain.errors import InvalidValue
from domain.identifiers import (
    CasNumber,
    Iban,
    Nir,
    PcsCode,
    Siren,
    Siret,
    VatNumber,
    ensure_vat_matches_siret,
)


def with_key(body: str) -> str:
    """A valid NIR from its 13 first characters."""
    return body + stdnum_nir.calc_check_digits(body)


MALE_1985_05 = with_key("1850578006084")
FEMALE_1992_02 = with_key("2920275123456")
CORSICA_2A = with_key("185052A123456")
CORSICA_2B = with_key("292112B123456")
TEMPORARY_7 = with_key("7850578006084")
UNKNOWN_MONTH = with_key("1853578006084")


# --- SIREN ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("732829320", "732829320"),
        ("732 829 320", "732829320"),
        (" 776.186.389 ", "776186389"),
        ("732-829-320", "732829320"),
        ("732\u00a0829\u202f320", "732829320"),
    ],
)
def test_siren_accepts_and_compacts(raw: str, expected: str) -> None:
    siren = Siren(raw)
    assert siren == expected
    assert isinstance(siren, str)
    assert type(siren) is Siren


@pytest.mark.parametrize("raw", ["732829321", "73282932", "7328293200", "73282932A", "", "   "])
def test_siren_refuses(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        Siren(raw)
    assert error.value.code == "INVALID_SIREN"
    assert "SIREN" in error.value.message


def test_siren_helpers() -> None:
    siren = Siren("732829320")
    assert siren.formatted == "732 829 320"
    assert siren.to_vat_number() == "FR44732829320"
    assert repr(siren) == "Siren('732829320')"


# --- SIRET ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("77618638900024", "77618638900024"),
        ("73282932000074", "73282932000074"),
        ("732 829 320 00074", "73282932000074"),
        ("35600000000048", "35600000000048"),  # La Poste, head office: Luhn
        ("35600000012346", "35600000012346"),  # La Poste branch: digit sum multiple of 5
    ],
)
def test_siret_accepts_and_compacts(raw: str, expected: str) -> None:
    assert Siret(raw) == expected


@pytest.mark.parametrize(
    "raw", ["77777777777777", "73282932000075", "7328293200007", "35600000012345", "ABC"]
)
def test_siret_refuses(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        Siret(raw)
    assert error.value.code == "INVALID_SIRET"


def test_siret_message_is_readable() -> None:
    with pytest.raises(InvalidValue) as error:
        Siret("77777777777777")
    assert error.value.message == (
        "Le numéro SIRET « 77777777777777 » n'est pas valide : vérifiez les 14 chiffres."
    )
    assert error.value.field is None


def test_siret_derived_data() -> None:
    siret = Siret("73282932000074")
    assert siret.siren == "732829320"
    assert type(siret.siren) is Siren
    assert siret.nic == "00074"
    assert siret.formatted == "732 829 320 00074"


def test_siret_rebuilt_by_storage_keeps_properties() -> None:
    siret = str.__new__(Siret, "73282932000074")
    assert siret.siren == Siren("732829320")
    assert siret.nic == "00074"


def test_refuses_non_text() -> None:
    with pytest.raises(InvalidValue) as error:
        Siret(73282932000074)  # type: ignore[arg-type]
    assert error.value.code == "INVALID_SIRET"


# --- VAT number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FR44732829320", "FR44732829320"),
        ("fr 44 732 829 320", "FR44732829320"),
        ("FR-44-732.829.320", "FR44732829320"),
        ("44732829320", "FR44732829320"),
        ("FR71776186389", "FR71776186389"),
        ("Fr 40 303 265 045", "FR40303265045"),
        ("FRK7399859412", "FRK7399859412"),  # alphabetic key
    ],
)
def test_vat_number_accepts_and_compacts(raw: str, expected: str) -> None:
    assert VatNumber(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "FR45732829320",  # wrong key
        "FR40776186389",  # wrong key
        "FR44732829321",  # invalid SIREN
        "FR4473282932",  # too short
        "BE0403170701",  # not French
        "FR11000000001",  # Monaco: no SIREN
        "",
    ],
)
def test_vat_number_refuses(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        VatNumber(raw)
    assert error.value.code == "INVALID_VAT_NUMBER"


def test_vat_number_derived_data() -> None:
    vat = VatNumber("FR44732829320")
    assert vat.key == "44"
    assert vat.siren == "732829320"
    assert type(vat.siren) is Siren


def test_vat_matching_siret_is_accepted() -> None:
    ensure_vat_matches_siret(VatNumber("FR44732829320"), Siret("73282932000074"))


def test_vat_not_matching_siret_is_refused() -> None:
    with pytest.raises(InvalidValue) as error:
        ensure_vat_matches_siret(VatNumber("FR71776186389"), Siret("73282932000074"))
    assert error.value.code == "VAT_SIRET_MISMATCH"
    assert "FR71776186389" in error.value.message
    assert "73282932000074" in error.value.message


# --- NIR -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (MALE_1985_05, MALE_1985_05),
        ("1 85 05 78 006 084 " + MALE_1985_05[13:], MALE_1985_05),
        (FEMALE_1992_02, FEMALE_1992_02),
        (CORSICA_2A, CORSICA_2A),
        (CORSICA_2A.lower(), CORSICA_2A),
        (CORSICA_2B, CORSICA_2B),
        ("2 95 10 99 126 111 93", "295109912611193"),
    ],
)
def test_nir_accepts_and_compacts(raw: str, expected: str) -> None:
    assert Nir(raw).value == expected


def wrong_key(nir: str) -> str:
    return nir[:13] + f"{(int(nir[13:]) + 1) % 100:02d}"


@pytest.mark.parametrize(
    "raw",
    [
        wrong_key(MALE_1985_05),
        wrong_key(CORSICA_2A),
        MALE_1985_05[:14],
        MALE_1985_05 + "1",
        "185052C12345633",
        "",
    ],
)
def test_nir_refuses_without_quoting_it(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        Nir(raw)
    assert error.value.code == "INVALID_NIR"
    assert not any(char.isdigit() for char in error.value.message)
    assert not any(char.isdigit() for char in str(error.value))
    assert not any(char.isdigit() for char in repr(error.value))


@pytest.mark.parametrize("raw", [MALE_1985_05, CORSICA_2A])
def test_nir_is_masked(raw: str) -> None:
    nir = Nir(raw)
    for shown in (repr(nir), str(nir), f"{nir}", f"{nir!r}", repr([nir]), repr({"nir": nir})):
        assert not any(char.isdigit() for char in shown), shown
    assert repr(nir) == "Nir(***************)"


def test_nir_equality_and_hash() -> None:
    assert Nir(MALE_1985_05) == Nir(MALE_1985_05.replace("", " ").strip())
    assert Nir(MALE_1985_05) != Nir(FEMALE_1992_02)
    assert len({Nir(MALE_1985_05), Nir(MALE_1985_05), Nir(FEMALE_1992_02)}) == 2
    assert Nir(MALE_1985_05) != MALE_1985_05


def test_nir_is_not_a_str_and_is_immutable() -> None:
    nir = Nir(MALE_1985_05)
    assert not isinstance(nir, str)
    with pytest.raises(AttributeError):
        nir._value = FEMALE_1992_02
    with pytest.raises(AttributeError):
        nir.other = 1


def test_nir_trusted_skips_validation() -> None:
    stored = Nir.trusted("123")
    assert stored.value == "123"
    assert Nir.trusted(MALE_1985_05) == Nir(MALE_1985_05)


def test_nir_survives_copy_and_pickle() -> None:
    nir = Nir(MALE_1985_05)
    assert copy.copy(nir) == nir
    assert copy.deepcopy(nir) == nir
    assert pickle.loads(pickle.dumps(nir)) == nir


@pytest.mark.parametrize(
    ("raw", "sex", "birth_date", "expected"),
    [
        (MALE_1985_05, "M", datetime.date(1985, 5, 12), True),
        (MALE_1985_05, "F", datetime.date(1985, 5, 12), False),
        (MALE_1985_05, "M", datetime.date(1985, 6, 12), False),
        (MALE_1985_05, "M", datetime.date(1986, 5, 12), False),
        (MALE_1985_05, "M", datetime.date(2085, 5, 12), True),  # year modulo 100
        (FEMALE_1992_02, "F", datetime.date(1992, 2, 29), True),
        (FEMALE_1992_02, "M", datetime.date(1992, 2, 29), False),
        (CORSICA_2A, "M", datetime.date(1985, 5, 1), True),
        (TEMPORARY_7, "F", datetime.date(1985, 5, 1), True),
        (TEMPORARY_7, "M", datetime.date(1985, 5, 1), True),
        (TEMPORARY_7, "M", datetime.date(1984, 5, 1), False),
        (UNKNOWN_MONTH, "M", datetime.date(1985, 11, 30), True),
        (UNKNOWN_MONTH, "M", datetime.date(1986, 11, 30), False),
        (with_key("1852078006084"), "M", datetime.date(1985, 1, 1), True),
        (with_key("1859978006084"), "M", datetime.date(1985, 12, 1), True),
        (with_key("1854378006084"), "M", datetime.date(1985, 12, 1), False),
        (with_key("5850578006084"), "M", datetime.date(1985, 5, 1), False),
    ],
)
def test_nir_matches(raw: str, sex: str, birth_date: datetime.date, expected: bool) -> None:
    assert Nir(raw).matches(sex, birth_date) is expected


def test_nir_matches_needs_m_or_f() -> None:
    with pytest.raises(ValueError, match="sex"):
        Nir(MALE_1985_05).matches("X", datetime.date(1985, 5, 1))


# --- CAS number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("71-43-2", "71-43-2"),  # benzène
        ("50-00-0", "50-00-0"),  # formaldéhyde
        ("7732-18-5", "7732-18-5"),  # eau
        ("71432", "71-43-2"),
        (" 50 00 0 ", "50-00-0"),
        ("0000071-43-2", "71-43-2"),
        ("1332-21-4", "1332-21-4"),  # amiante
    ],
)
def test_cas_number_accepts_in_canonical_form(raw: str, expected: str) -> None:
    assert CasNumber(raw) == expected


@pytest.mark.parametrize("raw", ["71-43-3", "50-00-1", "7-1-2", "12345678901", "7I-43-2", ""])
def test_cas_number_refuses(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        CasNumber(raw)
    assert error.value.code == "INVALID_CAS_NUMBER"


# --- PCS-ESE code --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "group"),
    [("344b", "344b", 3), ("621A", "621a", 6), (" 524z ", "524z", 5), ("111a", "111a", 1)],
)
def test_pcs_code_accepts(raw: str, expected: str, group: int) -> None:
    code = PcsCode(raw)
    assert code == expected
    assert code.group == group


@pytest.mark.parametrize("raw", ["744b", "044b", "34b", "3444", "344bb", "344é", "", "abcd"])
def test_pcs_code_refuses(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        PcsCode(raw)
    assert error.value.code == "INVALID_PCS_CODE"


# --- IBAN ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("fr1420041010050500013m02606", "FR1420041010050500013M02606"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("GB82-WEST-1234-5698-7654-32", "GB82WEST12345698765432"),
    ],
)
def test_iban_accepts_and_compacts(raw: str, expected: str) -> None:
    assert Iban(raw) == expected


@pytest.mark.parametrize(
    "raw", ["FR76 3000 6000 0112 3456 7890 188", "FR7630006000011234567890", "XX00123", ""]
)
def test_iban_refuses(raw: str) -> None:
    with pytest.raises(InvalidValue) as error:
        Iban(raw)
    assert error.value.code == "INVALID_IBAN"


def test_iban_helpers() -> None:
    iban = Iban("FR7630006000011234567890189")
    assert iban.country_code == "FR"
    assert iban.formatted == "FR76 3000 6000 0112 3456 7890 189"

"""Identifiers: SIREN, SIRET, TVA intracommunautaire, NIR, numéro CAS, code PCS-ESE, IBAN.

Scalar identifiers are `str` subclasses holding their compact canonical form. Storage rebuilds
them without validation with `str.__new__(cls, raw)`, so derived data are properties only.
The NIR is sensitive personal data: it is not a `str`, and it never shows in a repr, a log line
or an error message.
"""

import datetime
import re
from typing import Any, NoReturn, Self

from stdnum import casrn, iban
from stdnum.exceptions import ValidationError
from stdnum.fr import nir, siren, siret, tva

from domain.errors import InvalidValue
from domain.text import shown
from domain.validated import ValidatedStr

_SEPARATORS = re.compile(r"[\s.\-]+")
_MAX_SHOWN = 40


def _compact(value: object, code: str, message: str) -> str:
    """Remove white space (any kind), dots and dashes; refuse a value that is not text."""
    if not isinstance(value, str):
        raise InvalidValue(message.format(shown="?"), code=code)
    return _SEPARATORS.sub("", value)


def _refuse(value: object, message: str, code: str) -> NoReturn:
    raise InvalidValue(message.format(shown=shown(value, _MAX_SHOWN)), code=code) from None


class Siren(ValidatedStr):
    """Numéro SIREN: 9 chiffres, clé de Luhn."""

    _MESSAGE = "Le numéro SIREN « {shown} » n'est pas valide : vérifiez les 9 chiffres."

    def __new__(cls, value: str) -> Self:
        compact = _compact(value, "INVALID_SIREN", cls._MESSAGE)
        try:
            siren.validate(compact)
        except ValidationError:
            _refuse(value, cls._MESSAGE, "INVALID_SIREN")
        return super().__new__(cls, compact)

    def __repr__(self) -> str:
        return f"Siren({str(self)!r})"

    @property
    def formatted(self) -> str:
        """Printed form, e.g. "732 829 320"."""
        return f"{self[:3]} {self[3:6]} {self[6:]}"

    def to_vat_number(self) -> "VatNumber":
        """Numéro de TVA intracommunautaire calculé depuis le SIREN (clé numérique)."""
        return VatNumber("FR" + siren.to_tva(str(self)))


class Siret(ValidatedStr):
    """Numéro SIRET: SIREN + NIC (14 chiffres), clé de Luhn sauf exception de La Poste."""

    _MESSAGE = "Le numéro SIRET « {shown} » n'est pas valide : vérifiez les 14 chiffres."

    def __new__(cls, value: str) -> Self:
        compact = _compact(value, "INVALID_SIRET", cls._MESSAGE)
        try:
            siret.validate(compact)
        except ValidationError:
            _refuse(value, cls._MESSAGE, "INVALID_SIRET")
        return super().__new__(cls, compact)

    def __repr__(self) -> str:
        return f"Siret({str(self)!r})"

    @property
    def siren(self) -> Siren:
        """SIREN de l'entreprise (9 premiers chiffres)."""
        return str.__new__(Siren, self[:9])

    @property
    def nic(self) -> str:
        """NIC: numéro interne de classement de l'établissement (5 derniers chiffres)."""
        return self[9:]

    @property
    def formatted(self) -> str:
        """Printed form, e.g. "732 829 320 00074"."""
        return f"{self[:3]} {self[3:6]} {self[6:9]} {self[9:]}"


class VatNumber(ValidatedStr):
    """Numéro de TVA intracommunautaire français: FR + clé (2 caractères) + SIREN.

    Monaco numbers (FRxx000…) have no SIREN and are refused: a member is a French company.
    """

    _MESSAGE = (
        "Le numéro de TVA intracommunautaire « {shown} » n'est pas valide : il s'écrit FR "
        "suivi d'une clé de 2 caractères et des 9 chiffres du SIREN."
    )

    def __new__(cls, value: str) -> Self:
        compact = _compact(value, "INVALID_VAT_NUMBER", cls._MESSAGE).upper()
        try:
            number = tva.validate(compact)
            tva.to_siren(number)  # refuses Monaco numbers
        except ValidationError:
            _refuse(value, cls._MESSAGE, "INVALID_VAT_NUMBER")
        return super().__new__(cls, "FR" + number)

    def __repr__(self) -> str:
        return f"VatNumber({str(self)!r})"

    @property
    def key(self) -> str:
        """Clé de contrôle (2 caractères après FR)."""
        return self[2:4]

    @property
    def siren(self) -> Siren:
        """SIREN contenu dans le numéro de TVA (9 derniers chiffres)."""
        return str.__new__(Siren, self[4:])


def ensure_vat_matches_siret(vat: VatNumber, siret: Siret) -> None:
    """Refuse a VAT number whose SIREN is not the SIRET's SIREN (code VAT_SIRET_MISMATCH)."""
    if vat.siren != siret.siren:
        raise InvalidValue(
            f"Le numéro de TVA intracommunautaire « {vat} » ne correspond pas au numéro SIRET "
            f"« {siret} » : les 9 chiffres du SIREN doivent être les mêmes.",
            code="VAT_SIRET_MISMATCH",
        )


class Nir:
    """NIR (numéro de sécurité sociale): donnée personnelle sensible, jamais affichée.

    Read it only through `value`. `repr`/`str` mask every character, and error messages never
    quote it.
    """

    __slots__ = ("_value",)
    _value: str

    # No digit at all in the message: it must not give away any part of the number.
    _MESSAGE = (
        "Le numéro de sécurité sociale (NIR) saisi n'est pas valide : vérifiez ses quinze "
        "caractères, clé comprise."
    )
    _MALE, _FEMALE, _ANY_SEX = "1", "2", frozenset("3478")

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise InvalidValue(self._MESSAGE, code="INVALID_NIR")
        try:
            compact = nir.validate(re.sub(r"\s+", "", value))
        except ValidationError:
            raise InvalidValue(self._MESSAGE, code="INVALID_NIR") from None
        object.__setattr__(self, "_value", compact)

    @classmethod
    def trusted(cls, raw: str) -> "Nir":
        """Rebuild a stored NIR without validating it (storage only)."""
        instance = object.__new__(cls)
        object.__setattr__(instance, "_value", raw)
        return instance

    @property
    def value(self) -> str:
        """The compact 15-character number: the only way to read it."""
        return self._value

    def matches(self, sex: str, birth_date: datetime.date) -> bool:
        """Whether the NIR agrees with a sex ("M" or "F") and a birth date.

        First character: 1 = male, 2 = female, 3, 4, 7, 8 = temporary number (any sex); any
        other is a mismatch. Characters 2-3: year modulo 100. Characters 4-5: month, or an
        unknown month (20, 30 to 42, 50 to 99), which matches any month.
        """
        if sex not in ("M", "F"):
            raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
        value = self._value
        if len(value) < 5 or not value[1:5].isdigit():
            return False
        first = value[0]
        if first == self._MALE:
            sex_ok = sex == "M"
        elif first == self._FEMALE:
            sex_ok = sex == "F"
        else:
            sex_ok = first in self._ANY_SEX
        month = int(value[3:5])
        month_unknown = month == 20 or 30 <= month <= 42 or month >= 50
        return (
            sex_ok
            and int(value[1:3]) == birth_date.year % 100
            and (month_unknown or month == birth_date.month)
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Nir):
            return NotImplemented
        return self._value == other._value

    def __hash__(self) -> int:
        return hash((Nir, self._value))

    def __repr__(self) -> str:
        return "Nir(***************)"

    def __str__(self) -> str:
        return "***************"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Nir is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Nir is immutable")

    @classmethod
    def coerce(cls, value: "Nir | str") -> "Nir":
        return value if isinstance(value, Nir) else cls(value)

    def __copy__(self) -> "Nir":
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> "Nir":
        return self

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (Nir.trusted, (self._value,))


class CasNumber(ValidatedStr):
    """Numéro CAS (Chemical Abstracts Service), forme canonique à tirets, ex. "71-43-2"."""

    _MESSAGE = (
        "Le numéro CAS « {shown} » n'est pas valide : il s'écrit sous la forme 71-43-2, "
        "chiffre de contrôle compris."
    )

    def __new__(cls, value: str) -> Self:
        digits = _compact(value, "INVALID_CAS_NUMBER", cls._MESSAGE).lstrip("0")
        if not digits.isdigit() or not 5 <= len(digits) <= 10:
            _refuse(value, cls._MESSAGE, "INVALID_CAS_NUMBER")
        canonical = f"{digits[:-3]}-{digits[-3:-1]}-{digits[-1]}"
        try:
            casrn.validate(canonical)
        except ValidationError:
            _refuse(value, cls._MESSAGE, "INVALID_CAS_NUMBER")
        return super().__new__(cls, canonical)

    def __repr__(self) -> str:
        return f"CasNumber({str(self)!r})"


class PcsCode(ValidatedStr):
    """Code PCS-ESE: 3 chiffres + 1 lettre, ex. "344b"; le 1er chiffre est le groupe (1 à 6)."""

    _MESSAGE = (
        "Le code PCS-ESE « {shown} » n'est pas valide : il comporte 3 chiffres suivis d'une "
        "lettre, par exemple 344b."
    )
    _PATTERN = re.compile(r"[1-6][0-9]{2}[a-z]")

    def __new__(cls, value: str) -> Self:
        compact = _compact(value, "INVALID_PCS_CODE", cls._MESSAGE).lower()
        if not cls._PATTERN.fullmatch(compact):
            _refuse(value, cls._MESSAGE, "INVALID_PCS_CODE")
        return super().__new__(cls, compact)

    def __repr__(self) -> str:
        return f"PcsCode({str(self)!r})"

    @property
    def group(self) -> int:
        """Groupe socioprofessionnel (1 à 6)."""
        return int(self[0])


class Iban(ValidatedStr):
    """IBAN (numéro de compte bancaire international), forme compacte en majuscules."""

    _MESSAGE = (
        "L'IBAN « {shown} » n'est pas valide : vérifiez le code pays, la clé et le numéro "
        "de compte."
    )

    def __new__(cls, value: str) -> Self:
        compact = _compact(value, "INVALID_IBAN", cls._MESSAGE).upper()
        try:
            iban.validate(compact)
        except ValidationError:
            _refuse(value, cls._MESSAGE, "INVALID_IBAN")
        return super().__new__(cls, compact)

    def __repr__(self) -> str:
        return f"Iban({str(self)!r})"

    @property
    def country_code(self) -> str:
        """Code pays ISO 3166 (2 premières lettres)."""
        return self[:2]

    @property
    def formatted(self) -> str:
        """Printed form in groups of 4, e.g. "FR14 2004 1010 …"."""
        return " ".join(self[i : i + 4] for i in range(0, len(self), 4))

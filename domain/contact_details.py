"""Contact details: adresse e-mail et numéro de téléphone."""

import re
from typing import NoReturn, Self

from domain.errors import InvalidValue
from domain.text import check_characters, shown
from domain.validated import ValidatedStr

_MAX_SHOWN = 60


def _refuse(value: object, message: str, code: str) -> NoReturn:
    text = shown(value, _MAX_SHOWN) if isinstance(value, str) else "?"
    raise InvalidValue(message.format(shown=text), code=code)


class Email(ValidatedStr):
    """Adresse e-mail. The domain is stored in lower case; the local part is kept as typed.

    Accepted: an ASCII local part (letters, digits, ``!#$%&'*+/=?^_`{|}~-`` and single inner
    dots) and a domain of at least two labels, internationalised domains included.
    """

    _MESSAGE = (
        "L'adresse e-mail « {shown} » n'est pas valide : elle doit être de la forme nom@domaine.fr."
    )
    _LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
    _LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
    _TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")

    def __new__(cls, value: str) -> Self:
        if not isinstance(value, str):
            _refuse(value, cls._MESSAGE, "INVALID_EMAIL")
        check_characters(value, None, "L'adresse e-mail")
        local, at, domain = value.strip().rpartition("@")
        domain = domain.lower()
        if not at or not cls._valid_local(local) or not cls._valid_domain(domain):
            _refuse(value, cls._MESSAGE, "INVALID_EMAIL")
        return super().__new__(cls, f"{local}@{domain}")

    @classmethod
    def _valid_local(cls, local: str) -> bool:
        return len(local) <= 64 and cls._LOCAL.fullmatch(local) is not None

    @classmethod
    def _valid_domain(cls, domain: str) -> bool:
        try:
            ascii_domain = domain.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return False
        labels = ascii_domain.split(".")
        return (
            len(ascii_domain) <= 253
            and len(labels) >= 2
            and all(cls._LABEL.fullmatch(label) for label in labels)
            and cls._TLD.fullmatch(labels[-1]) is not None
        )

    def __repr__(self) -> str:
        return f"Email({str(self)!r})"

    @property
    def local_part(self) -> str:
        """Partie avant l'arobase."""
        return self.rpartition("@")[0]

    @property
    def domain(self) -> str:
        """Domaine (après l'arobase), en minuscules."""
        return self.rpartition("@")[2]


class PhoneNumber(ValidatedStr):
    """Numéro de téléphone au format E.164, ex. "+33612345678".

    Accepts French national forms ("06 12 34 56 78", "06.12.34.56.78"), which become +33
    numbers, and international forms ("+33 6 12 34 56 78", "+33 (0)6…", "0033 6…", "+32…").
    French overseas numbers typed in national form are read as +33 numbers: type them in
    international form (+262…, +590…).
    """

    _MESSAGE = (
        "Le numéro de téléphone « {shown} » n'est pas valide : saisissez un numéro français "
        "à 10 chiffres (06 12 34 56 78) ou un numéro international commençant par +."
    )
    _SEPARATORS = re.compile(r"[\s.\-/()]+")
    _INTERNATIONAL = re.compile(r"\+[1-9][0-9]{6,14}")
    _FRENCH = re.compile(r"\+33[1-9][0-9]{8}")

    def __new__(cls, value: str) -> Self:
        if not isinstance(value, str):
            _refuse(value, cls._MESSAGE, "INVALID_PHONE")
        number = cls._SEPARATORS.sub("", value.replace("(0)", ""))
        if number.startswith("00"):
            number = "+" + number[2:]
        elif number.startswith("0"):
            number = "+33" + number[1:]
        if number.startswith("+330") and len(number) == 13:
            number = "+33" + number[4:]  # "+33 06…": drop the French trunk prefix
        if not cls._INTERNATIONAL.fullmatch(number) or (
            number.startswith("+33") and not cls._FRENCH.fullmatch(number)
        ):
            _refuse(value, cls._MESSAGE, "INVALID_PHONE")
        return super().__new__(cls, number)

    def __repr__(self) -> str:
        return f"PhoneNumber({str(self)!r})"

    @property
    def is_french(self) -> bool:
        """Numéro français (+33)."""
        return self.startswith("+33")

    @property
    def national_format(self) -> str:
        """French numbers as "06 12 34 56 78"; other numbers in E.164."""
        if not self.is_french or len(self) != 12:
            return str(self)
        digits = "0" + self[3:]
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))

"""Adresse postale (norme postale : 38 caractères par ligne) et coordonnées géographiques."""

import dataclasses
import math
import re
from typing import Self

from domain.errors import InvalidValue
from domain.text import check_characters, required_text, shown

MAX_LINES = 4
MAX_LINE_LENGTH = 38
MAX_POSTAL_CODE_LENGTH = 12
MAX_CITY_LENGTH = 100
_ADDRESS_CODES = {"postal_code": "INVALID_POSTAL_CODE", "city": "INVALID_ADDRESS"}
_FRENCH_POSTAL_CODE = re.compile(r"(?!00)[0-9]{5}")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclasses.dataclass(frozen=True, slots=True)
class Coordinates:
    """Coordonnées GPS (WGS 84) en degrés décimaux."""

    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        try:
            latitude, longitude = float(self.latitude), float(self.longitude)
        except (TypeError, ValueError):
            latitude = longitude = math.nan
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise InvalidValue(
                f"Les coordonnées (latitude {self.latitude}, longitude {self.longitude}) ne "
                "sont pas valides : la latitude doit être comprise entre -90 et 90 et la "
                "longitude entre -180 et 180.",
                code="INVALID_COORDINATES",
            )
        object.__setattr__(self, "latitude", latitude)
        object.__setattr__(self, "longitude", longitude)


@dataclasses.dataclass(frozen=True, slots=True)
class Address:
    """Adresse postale. The worksite address is confirmed once it has map coordinates.

    Normalised on creation: lines, postal code, city and country are stripped, blank lines are
    dropped, the country is upper-cased and spaces inside a French postal code are removed.
    Errors carry `field` = "lines", "postal_code", "city" or "country".
    """

    lines: tuple[str, ...]
    postal_code: str
    city: str
    country: str = "FR"
    coordinates: Coordinates | None = None

    def __post_init__(self) -> None:
        raw_lines = (self.lines,) if isinstance(self.lines, str) else self.lines
        lines = tuple(line.strip() for line in raw_lines if line.strip())
        if not 1 <= len(lines) <= MAX_LINES:
            raise InvalidValue(
                f"L'adresse doit comporter entre 1 et {MAX_LINES} lignes renseignées.",
                code="INVALID_ADDRESS",
                field="lines",
            )
        for line in lines:
            if len(line) > MAX_LINE_LENGTH:
                raise InvalidValue(
                    f"La ligne d'adresse « {shown(line, MAX_LINE_LENGTH)} » dépasse"
                    f" {MAX_LINE_LENGTH} caractères "
                    "(norme postale) : abrégez-la ou répartissez-la sur deux lignes.",
                    code="INVALID_ADDRESS",
                    field="lines",
                )
        country = self.country.strip().upper()
        if not _COUNTRY.fullmatch(country):
            raise InvalidValue(
                f"Le code pays « {shown(self.country, 10)} » n'est pas valide : utilisez le code "
                "ISO à 2 lettres, par exemple FR.",
                code="INVALID_ADDRESS",
                field="country",
            )
        postal_code = self.postal_code.strip()
        if country == "FR":
            postal_code = re.sub(r"\s+", "", postal_code)
            if not _FRENCH_POSTAL_CODE.fullmatch(postal_code):
                raise InvalidValue(
                    f"Le code postal « {shown(self.postal_code, 10)} » n'est pas valide : un "
                    "code postal français comporte 5 chiffres.",
                    code="INVALID_POSTAL_CODE",
                    field="postal_code",
                )
        elif not postal_code:
            raise InvalidValue(
                "Le code postal est obligatoire.", code="INVALID_POSTAL_CODE", field="postal_code"
            )
        city = self.city.strip()
        if not city:
            raise InvalidValue("La ville est obligatoire.", code="INVALID_ADDRESS", field="city")
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "postal_code", postal_code)
        object.__setattr__(self, "city", city)
        object.__setattr__(self, "country", country)

    def checked(self) -> Self:
        """This address, once its texts pass the checks of `domain.text`: a command calls it on
        an address a user gives. (Not on creation: an address stored before a check was added
        must still load.)"""
        for number, line in enumerate(self.lines, 1):
            check_characters(line, "lines", f"La ligne d'adresse n° {number}")
        for value, field, label, limit in (
            (self.postal_code, "postal_code", "Le code postal", MAX_POSTAL_CODE_LENGTH),
            (self.city, "city", "La ville", MAX_CITY_LENGTH),
        ):
            required_text(value, field, label, limit, code=_ADDRESS_CODES[field])
        return self

    @property
    def is_confirmed(self) -> bool:
        """Adresse confirmée : ses coordonnées sur la carte sont connues."""
        return self.coordinates is not None

    def confirmed_at(self, coordinates: Coordinates) -> Self:
        """A copy of this address, confirmed at the given coordinates."""
        return dataclasses.replace(self, coordinates=coordinates)

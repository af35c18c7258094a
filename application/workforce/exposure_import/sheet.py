"""The CMR exposures sheet: its names, its columns, the words of its cells, and how values are
shown in the French messages about them."""

import enum
import unicodedata
from datetime import date
from decimal import Decimal

from domain.workforce.health import ExposureDegree, ExposureRoute

SHEET = "Expositions CMR"
AGENTS_SHEET = "Agents CMR"
HELP_SHEET = "Aide"
MAX_ROWS = 5_000
"""Rows of data (blank rows aside) an upload may hold."""


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Column(enum.Enum):
    """The columns of the sheet, by their header."""

    BIRTH_NAME = "Nom de naissance"
    FIRST_NAME = "Prénom"
    BIRTH_DATE = "Date de naissance"
    EMPLOYEE_ID = "Identifiant salarié"
    AGENT_NAME = "Substance ou procédé (nom)"
    CAS_NUMBER = "Numéro CAS"
    STARTED_ON = "Début d'exposition"
    ENDED_ON = "Fin d'exposition"
    ROUTES = "Voies"
    DEGREE = "Degré"
    HOURS_PER_WEEK = "Heures par semaine"
    COMMENT = "Commentaire"

    @property
    def label(self) -> str:
        return self.value

    @property
    def attribute(self) -> str:
        """The `ImportRow` field the column fills."""
        return self.name.lower()


REQUIRED_COLUMNS = (Column.EMPLOYEE_ID, Column.AGENT_NAME, Column.STARTED_ON)
DATE_COLUMNS = frozenset({Column.BIRTH_DATE, Column.STARTED_ON, Column.ENDED_ON})
EXPOSURE_COLUMNS = (
    Column.AGENT_NAME,
    Column.CAS_NUMBER,
    Column.STARTED_ON,
    Column.ENDED_ON,
    Column.ROUTES,
    Column.DEGREE,
    Column.HOURS_PER_WEEK,
    Column.COMMENT,
)

ROUTE_LABELS = {
    ExposureRoute.INHALATION: "Inhalation",
    ExposureRoute.SKIN: "Cutanée",
    ExposureRoute.INGESTION: "Ingestion",
}
DEGREE_LABELS = {
    ExposureDegree.LOW: "Faible",
    ExposureDegree.MODERATE: "Modéré",
    ExposureDegree.HIGH: "Élevé",
}


def key(text: str) -> str:
    """Lower case, without accents, words separated by one space: `Début d'exposition` ->
    `debut d exposition`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


# Showing values ------------------------------------------------------------------------------


def show_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def show_number(number: Decimal) -> str:
    return format(number.normalize(), "f").replace(".", ",")


def shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def not_a_date(text: str) -> str:
    return f"« {shown(text)} » n'est pas une date valide : écrivez-la jj/mm/aaaa."


def lower_first(message: str) -> str:
    return message[:1].lower() + message[1:] if message[1:2].islower() else message

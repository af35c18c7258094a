"""Rating a risk of the DUERP tool (step 7): the codes of the risk catalogue it names, its
severity and probability, and the priority the service's grid gives them."""

import enum
import re

from domain.errors import InvalidValue
from domain.text import shown

RISK_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,63}$")
MIN_LEVEL, MAX_LEVEL = 1, 4


def check_risk_code(risk_code: str) -> str:
    """A code of the risk catalogue: a letter, then 1 to 63 letters, digits, `_`, `.` or `-`."""
    return _catalogue_code(risk_code, "risk_code", "Le code de risque")


def check_suggestion_code(suggestion_code: str) -> str:
    """A code of the catalogue's suggested actions, of the same shape as a risk code."""
    return _catalogue_code(suggestion_code, "suggestion_code", "Le code d'action suggérée")


def _catalogue_code(value: str, field: str, label: str) -> str:
    code = value.strip()
    if not RISK_CODE.match(code):
        raise InvalidValue(
            f"{label} « {shown(code, 40)} » n'est pas valide.",
            code=f"INVALID_{field.upper()}",
            field=field,
        )
    return code


# Priority ------------------------------------------------------------------------------------


class Priority(enum.Enum):
    """Priorité d'action d'un risque évalué : I la plus urgente, IV la moins urgente."""

    I = "I"  # noqa: E741 (a Roman numeral, as the portal shows it)
    II = "II"
    III = "III"
    IV = "IV"

    @property
    def is_major(self) -> bool:
        """Priorities I and II are the "risques majeurs" of the action plan."""
        return self in {Priority.I, Priority.II}


SEVERITY_LABELS = {
    1: "faible (sans arrêt de travail)",
    2: "moyenne (arrêt de travail)",
    3: "grave (incapacité permanente)",
    4: "très grave (dommage mortel)",
}
PROBABILITY_LABELS = {1: "très improbable", 2: "improbable", 3: "probable", 4: "très probable"}


def check_level(value: int, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_LEVEL <= value <= MAX_LEVEL:
        raise InvalidValue(
            f"{label} se note de {MIN_LEVEL} à {MAX_LEVEL}.", code="INVALID_RATING", field=field
        )
    return value


def priority(severity: int, probability: int) -> Priority:
    """The priority of a risk rated on gravité (severity) and probabilité, both 1 to 4.

    The service's convention (no text of the Code du travail fixes a method, R4121-1): the usual
    4 × 4 grid of DUERP tools, score = severity × probability; 12 and more → I, 8 → II, 4 → III,
    below → IV.

        severity \\ probability   1     2     3     4
        4                        III   II    I     I
        3                        IV    III   II    I
        2                        IV    III   III   II
        1                        IV    IV    IV    III
    """
    score = check_level(severity, "severity", "La gravité") * check_level(
        probability, "probability", "La probabilité"
    )
    if score >= 12:
        return Priority.I
    if score >= 8:
        return Priority.II
    if score >= 4:
        return Priority.III
    return Priority.IV

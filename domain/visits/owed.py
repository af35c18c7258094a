"""A visit owed (`DueVisit`) and who may hold the visits the rules name."""

from dataclasses import dataclass
from datetime import date
from typing import Final

from domain.visits.kinds import ProfessionalRole, VisitKind

DOCTOR: Final = frozenset({ProfessionalRole.OCCUPATIONAL_DOCTOR})
HEALTH_PROFESSIONALS: Final = frozenset(
    {ProfessionalRole.OCCUPATIONAL_DOCTOR, ProfessionalRole.NURSE}
)


@dataclass(frozen=True, slots=True)
class DueVisit:
    """A visit owed: its kind, the last day to hold it (for a visit before assignment, the day
    the post is taken up), the article(s) it rests on, and why, in French."""

    kind: VisitKind
    due_by: date
    article: str
    reason: str


def shown(day: date) -> str:
    return f"{day:%d/%m/%Y}"

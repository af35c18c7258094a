"""A member's activity summary printed as a PDF (seed 004 §2.7, "consultable par année"): the
service's actions at the member in the year — day, kind, subject, duration, participants — and
the visits its employees had, counted by kind, with their total. No employee is named.

The summary itself is the read side's (`projections.visits.activity_queries`); it is taken here
by its shape, so the application does not read the read models. The page is laid out by
`activity_summary.typ` through `application.documents.typeset`, dated by the day it is drawn up
on: the same summary on the same day gives the same bytes.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Protocol

from application.documents import typeset
from domain.visits.activity import WorkplaceActionKind
from domain.visits.kinds import VisitKind

TEMPLATE = Path(__file__).with_name("activity_summary.typ")
NO_BREAK = "\u00a0"
"""Between a number and its unit."""


class SummaryAction(Protocol):
    @property
    def kind(self) -> WorkplaceActionKind: ...
    @property
    def held_on(self) -> date: ...
    @property
    def subject(self) -> str: ...
    @property
    def duration_minutes(self) -> int | None: ...
    @property
    def participants(self) -> int | None: ...


class VisitCount(Protocol):
    @property
    def kind(self) -> VisitKind: ...
    @property
    def count(self) -> int: ...


class Summary(Protocol):
    @property
    def year(self) -> int: ...
    @property
    def actions(self) -> Sequence[SummaryAction]: ...
    @property
    def visits(self) -> Sequence[VisitCount]: ...
    @property
    def visits_total(self) -> int: ...


def activity_summary_pdf(summary: Summary, legal_name: str, member_code: str, on: date) -> bytes:
    page = {
        "title": f"Synthèse d'activité {summary.year}",
        "member": legal_name,
        "member_code": f"Adhérent n° {member_code}",
        "dated": f"Établie le {on:%d/%m/%Y}",
        "actions_heading": "Actions en milieu de travail",
        "actions": [_action(action) for action in summary.actions],
        "no_actions": "Aucune action en milieu de travail enregistrée pour cette année.",
        "visits_heading": "Visites de suivi de l'état de santé des salariés",
        "visits": [[count.kind.label, str(count.count)] for count in summary.visits],
        "visits_total": str(summary.visits_total),
        "no_visits": "Aucune visite enregistrée pour cette année.",
    }
    return typeset(TEMPLATE, "summary", page, datetime.combine(on, time(), tzinfo=UTC))


def _action(action: SummaryAction) -> list[str]:
    participants = action.participants
    return [
        f"{action.held_on:%d/%m/%Y}",
        action.kind.label,
        action.subject,
        "" if action.duration_minutes is None else duration(action.duration_minutes),
        "" if participants is None else str(participants),
    ]


def duration(minutes: int) -> str:
    """45 min, 2 h, 1 h 30."""
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest}{NO_BREAK}min"
    return f"{hours}{NO_BREAK}h" + ("" if rest == 0 else f"{NO_BREAK}{rest:02d}")

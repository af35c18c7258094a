"""The documents of a convocation (issue 13): the `.ics` invitation (RFC 5545) and the one-page
PDF a member's Convocation users receive when a visit of one of its employees is booked, moved
or cancelled.

Both are pure renderings of `ConvocationFacts`, gathered by the caller: the same facts give the
same bytes, dated by the instant the facts carry, never by the clock. The PDF is laid out by
`convocation.typ`, every word of it written here. Nothing medical is printed beyond the kind of
visit: the reason and constraints of the request stay out of both documents.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from icalendar import Calendar, Event
from icalendar.enums import STATUS

from application.documents import typeset
from domain.calendar import PARIS, paris_date
from domain.contact_details import PhoneNumber
from domain.labelled import LabelledEnum
from domain.visits.business_days import long_french_date
from domain.visits.kinds import ProfessionalRole, VisitKind

TEMPLATE = Path(__file__).with_name("convocation.typ")
WHAT_TO_BRING = (
    "une pièce d'identité",
    "la carte Vitale",
    "les lunettes ou prothèses auditives portées",
    "les documents médicaux utiles",
    "la liste des traitements en cours",
)


class Occasion(LabelledEnum):
    """What the document tells of the appointment; the label is the document's title."""

    BOOKED = "booked", "Convocation"
    RESCHEDULED = "rescheduled", "Convocation — rendez-vous déplacé"
    CANCELLED = "cancelled", "Annulation de convocation"


@dataclass(frozen=True, slots=True, kw_only=True)
class ConvocationFacts:
    appointment_id: UUID
    sequence: int
    """0 at booking, one more at each reschedule or cancellation (the .ics SEQUENCE)."""
    occasion: Occasion
    member_legal_name: str
    employee_first_name: str
    employee_last_name: str
    kind: VisitKind
    day: date
    starts_at: time
    """Paris time, as the slot holds it."""
    minutes: int
    centre_name: str
    centre_address_lines: tuple[str, ...]
    centre_postal_code: str
    centre_city: str
    centre_phone: PhoneNumber
    centre_access_note: str | None
    professional_name: str
    professional_role: ProfessionalRole
    service_name: str
    dated_at: datetime
    """The UTC instant the documents are dated by (the .ics DTSTAMP, the PDF's dates)."""

    @property
    def employee(self) -> str:
        return f"{self.employee_first_name} {self.employee_last_name.upper()}"

    @property
    def starts(self) -> datetime:
        return datetime.combine(self.day, self.starts_at, tzinfo=PARIS)

    @property
    def dated(self) -> datetime:
        """The dating instant in UTC, to the second (what both formats can write)."""
        if self.dated_at.tzinfo is None:
            raise ValueError("a convocation is dated by an aware instant, not a naive one")
        return self.dated_at.astimezone(UTC).replace(microsecond=0)


# The .ics invitation ------------------------------------------------------------------------


def convocation_ics(facts: ConvocationFacts) -> bytes:
    """A VCALENDAR of one VEVENT: a REQUEST that creates or updates the appointment in the
    reader's calendar, or a CANCEL that removes it (same UID, a higher SEQUENCE)."""
    cancelled = facts.occasion is Occasion.CANCELLED
    event = Event.new(
        uid=f"{facts.appointment_id}@registre",
        sequence=facts.sequence,
        stamp=facts.dated,
        start=facts.starts,
        # Wall-clock minutes, as the slot's own end (`Slot.ends_at`) counts them.
        end=facts.starts + timedelta(minutes=facts.minutes),
        summary=f"{facts.kind.label} — {facts.employee}",
        location=", ".join((facts.centre_name, *_address(facts))),
        description="\n".join(_event_details(facts)),
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
    )
    calendar = Calendar()
    calendar.prodid = f"-//{facts.service_name}//Registre//FR"
    calendar.version = "2.0"
    calendar.method = "CANCEL" if cancelled else "REQUEST"
    calendar.add_component(event)
    # The VTIMEZONE covers the year of the visit only: its two changes of time are all a
    # reader needs, and the file stays a page long rather than every change since 1970.
    year = facts.day.year
    calendar.add_missing_timezones(first_date=date(year, 1, 1), last_date=date(year + 1, 1, 1))
    ics: bytes = calendar.to_ical()
    return ics


def _event_details(facts: ConvocationFacts) -> list[str]:
    access = [] if facts.centre_access_note is None else [f"Accès : {facts.centre_access_note}"]
    return [
        f"Avec {facts.professional_name} ({facts.professional_role.label}).",
        f"Téléphone du centre : {facts.centre_phone.national_format}.",
        *access,
    ]


# The PDF convocation ------------------------------------------------------------------------


def convocation_pdf(facts: ConvocationFacts) -> bytes:
    """One French page: who is convened by which member, for which visit, when, where, with
    whom, and what to bring; a cancellation says so in its title and keeps only the facts that
    identify the appointment."""
    cancelled = facts.occasion is Occasion.CANCELLED
    page = {
        "title": facts.occasion.label,
        "service": facts.service_name,
        "dated": f"Établie le {paris_date(facts.dated):%d/%m/%Y}",
        "kind": facts.kind.label,
        "when": _when(facts),
        "duration": f"Durée prévue : {_duration(facts.minutes)}",
        "notice": _notice(facts.occasion),
        "cancelled": cancelled,
        "sections": [
            _section(
                "Personne convoquée",
                ("Salarié", [facts.employee]),
                ("Employeur", [facts.member_legal_name]),
            ),
            _section(
                "Lieu",
                ("Centre", [facts.centre_name]),
                ("Adresse", _address(facts)),
                ("Téléphone", [facts.centre_phone.national_format]),
                *_access(facts),
            ),
            _section(
                "Professionnel",
                ("Nom", [facts.professional_name]),
                ("Fonction", [facts.professional_role.label]),
            ),
        ],
        "bring": [] if cancelled else list(WHAT_TO_BRING),
    }
    return typeset(TEMPLATE, "convocation", page, facts.dated)


def _when(facts: ConvocationFacts) -> str:
    """Le mardi 12 mai 2026 à 9 h 30 (non-breaking spaces inside the time)."""
    return f"Le {long_french_date(facts.day)} à {_clock(facts.starts_at)}"


def _clock(moment: time) -> str:
    minutes = "" if moment.minute == 0 else f"\u00a0{moment.minute:02d}"
    return f"{moment.hour}\u00a0h{minutes}"


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest}\u00a0minutes"
    if rest == 0:
        return f"{hours}\u00a0heure{'s' if hours > 1 else ''}"
    return f"{hours}\u00a0h\u00a0{rest:02d}"


def _notice(occasion: Occasion) -> str:
    if occasion is Occasion.CANCELLED:
        return "Ce rendez-vous est annulé : la personne convoquée n'a pas à se présenter."
    moved = (
        "Le rendez-vous a été déplacé : cette convocation remplace la précédente. "
        if occasion is Occasion.RESCHEDULED
        else ""
    )
    return (
        f"{moved}Merci de la remettre à la personne convoquée. En cas d'empêchement,"
        " prévenez le centre au plus tôt."
    )


def _address(facts: ConvocationFacts) -> list[str]:
    return [*facts.centre_address_lines, f"{facts.centre_postal_code} {facts.centre_city}"]


def _access(facts: ConvocationFacts) -> list[tuple[str, list[str]]]:
    if facts.centre_access_note is None:
        return []
    return [("Accès", facts.centre_access_note.splitlines())]


def _section(heading: str, *rows: tuple[str, list[str]]) -> dict[str, Any]:
    return {"heading": heading, "rows": [list(row) for row in rows]}

"""The documents of a convocation (issue 13): the .ics reads back with icalendar at the right
Paris times across the changes of time, tells a calendar to add, update or remove the one
appointment; the PDF says who, when, where and with whom, and says so when it is a cancellation;
the same facts give the same bytes."""

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from uuid import UUID

import pytest
from icalendar import Calendar, Event
from pypdf import PdfReader

from application.visits.convocation import (
    ConvocationFacts,
    Occasion,
    convocation_ics,
    convocation_pdf,
)
from domain.calendar import PARIS
from domain.contact_details import PhoneNumber
from domain.visits.kinds import ProfessionalRole, VisitKind

APPOINTMENT = UUID("6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f")
FACTS = ConvocationFacts(
    appointment_id=APPOINTMENT,
    sequence=0,
    occasion=Occasion.BOOKED,
    member_legal_name="Boulangerie Martin",
    employee_first_name="Marie",
    employee_last_name="Durand",
    kind=VisitKind.INFORMATION_AND_PREVENTION,
    day=date(2026, 5, 12),
    starts_at=time(9, 30),
    minutes=30,
    centre_name="Centre de Marseille Nord",
    centre_address_lines=("12 boulevard National", "Bâtiment B"),
    centre_postal_code="13003",
    centre_city="Marseille",
    centre_phone=PhoneNumber("04 91 00 00 00"),
    centre_access_note="Parking visiteurs au sous-sol.\nAscenseur jusqu'au 2e étage.",
    professional_name="Sophie MARTIN",
    professional_role=ProfessionalRole.OCCUPATIONAL_DOCTOR,
    service_name="SPSTI Provence",
    dated_at=datetime(2026, 5, 1, 8, 15, 42, 123456, tzinfo=UTC),
)


def facts(**changes: object) -> ConvocationFacts:
    return dataclasses.replace(FACTS, **changes)  # type: ignore[arg-type]


def only_event(ics: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.events
    return calendar, event


def moment(value: date | None) -> datetime:
    assert isinstance(value, datetime)
    return value


def pdf_text(pdf: bytes) -> str:
    (page,) = PdfReader(BytesIO(pdf)).pages
    return " ".join(page.extract_text().replace("\u00a0", " ").split())


# The .ics -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "paris_offset"),
    [
        (date(2026, 3, 29), timedelta(hours=2)),  # the morning after clocks go forward
        (date(2026, 10, 25), timedelta(hours=1)),  # the morning after clocks go back
    ],
)
def test_the_ics_says_the_paris_time_across_a_change_of_time(
    day: date, paris_offset: timedelta
) -> None:
    calendar, event = only_event(convocation_ics(facts(day=day, starts_at=time(9, 0))))

    nine_in_paris = datetime.combine(day, time(9, 0), tzinfo=UTC) - paris_offset
    assert moment(event.start).astimezone(UTC) == nine_in_paris
    assert moment(event.end).astimezone(UTC) == nine_in_paris + timedelta(minutes=30)
    assert moment(event.start).astimezone(PARIS).time() == time(9, 0)
    (timezone,) = calendar.timezones
    assert timezone.tz_name == "Europe/Paris"
    shipped_zone = timezone.to_tz()
    assert datetime.combine(day, time(9, 0), tzinfo=shipped_zone).utcoffset() == paris_offset
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Paris"


@pytest.mark.parametrize(
    ("occasion", "sequence", "method", "status"),
    [
        (Occasion.BOOKED, 0, "REQUEST", "CONFIRMED"),
        (Occasion.RESCHEDULED, 1, "REQUEST", "CONFIRMED"),
        (Occasion.CANCELLED, 2, "CANCEL", "CANCELLED"),
    ],
)
def test_the_ics_adds_updates_or_removes_the_one_appointment(
    occasion: Occasion, sequence: int, method: str, status: str
) -> None:
    calendar, event = only_event(convocation_ics(facts(occasion=occasion, sequence=sequence)))

    assert calendar.method == method
    assert calendar.prodid == "-//SPSTI Provence//Registre//FR"
    assert event.uid == f"{APPOINTMENT}@registre"
    assert event.sequence == sequence
    assert event.status == status
    assert event.stamp == datetime(2026, 5, 1, 8, 15, 42, tzinfo=UTC)


def test_the_ics_names_the_visit_the_place_and_the_professional() -> None:
    _, event = only_event(convocation_ics(FACTS))

    assert event.summary == "Visite d'information et de prévention — Marie DURAND"
    assert event.location == (
        "Centre de Marseille Nord, 12 boulevard National, Bâtiment B, 13003 Marseille"
    )
    assert (event.description or "").splitlines() == [
        "Avec Sophie MARTIN (Médecin du travail).",
        "Téléphone du centre : 04 91 00 00 00.",
        "Accès : Parking visiteurs au sous-sol.",
        "Ascenseur jusqu'au 2e étage.",
    ]
    assert event.start == datetime(2026, 5, 12, 9, 30, tzinfo=PARIS)


def test_the_ics_leaves_out_an_access_note_the_centre_has_not() -> None:
    _, event = only_event(convocation_ics(facts(centre_access_note=None)))

    assert "Accès" not in (event.description or "")


# The PDF --------------------------------------------------------------------------------------


def test_the_pdf_says_who_is_convened_when_where_and_with_whom() -> None:
    text = pdf_text(convocation_pdf(FACTS))

    assert text.startswith("SPSTI Provence Convocation Visite d'information et de prévention")
    for expected in (
        "Le mardi 12 mai 2026 à 9 h 30",
        "Durée prévue : 30 minutes",
        "Salarié Marie DURAND",
        "Employeur Boulangerie Martin",
        "Centre de Marseille Nord",
        "12 boulevard National Bâtiment B 13003 Marseille",
        "Téléphone 04 91 00 00 00",
        "Parking visiteurs au sous-sol.",
        "Sophie MARTIN",
        "Médecin du travail",
        "une pièce d'identité",
        "la carte Vitale",
        "Établie le 01/05/2026",
    ):
        assert expected in text
    assert "annulé" not in text


@pytest.mark.parametrize(
    ("starts_at", "minutes", "when", "duration"),
    [
        (time(9, 0), 30, "à 9 h Durée", "30 minutes"),
        (time(14, 5), 90, "à 14 h 05 Durée", "1 h 30"),
        (time(8, 30), 60, "à 8 h 30 Durée", "1 heure"),
        (time(13, 0), 120, "à 13 h Durée", "2 heures"),
    ],
)
def test_the_pdf_writes_times_and_durations_the_french_way(
    starts_at: time, minutes: int, when: str, duration: str
) -> None:
    text = pdf_text(convocation_pdf(facts(starts_at=starts_at, minutes=minutes)))

    assert when in text
    assert f"Durée prévue : {duration}" in text


def test_a_rescheduled_convocation_replaces_the_previous_one() -> None:
    text = pdf_text(convocation_pdf(facts(occasion=Occasion.RESCHEDULED, sequence=1)))

    assert "Convocation — rendez-vous déplacé" in text
    assert "cette convocation remplace la précédente" in text


def test_a_cancellation_says_so_and_asks_nothing_to_be_brought() -> None:
    text = pdf_text(convocation_pdf(facts(occasion=Occasion.CANCELLED, sequence=1)))

    assert "Annulation de convocation" in text
    assert "Ce rendez-vous est annulé" in text
    assert "Le mardi 12 mai 2026 à 9 h 30" in text
    assert "Marie DURAND" in text
    assert "carte Vitale" not in text


# Both -----------------------------------------------------------------------------------------


def test_the_same_facts_give_the_same_bytes() -> None:
    assert convocation_ics(FACTS) == convocation_ics(facts())
    assert convocation_pdf(FACTS) == convocation_pdf(facts())


def test_a_document_is_dated_by_an_aware_instant() -> None:
    with pytest.raises(ValueError, match="aware"):
        convocation_ics(facts(dated_at=datetime(2026, 5, 1, 8, 15)))  # noqa: DTZ001

"""Visits as the portal shows them (issue 13, seed 004 §2.2 and « Mes rendez-vous à venir »), end
to end through the GraphQL API: the service's visit centres and professionals, a member's care
team, the appointments its users ask for, the service books and the users cancel within the
notice in business days (RULES.md §5 bis). The specs of visits take these steps with
`from features.steps.visits import *` (`__all__` lists the fixture and the step definitions),
besides those of `features.steps.accounts` and `features.steps.annual_declaration`.

A professional is named as the member sees them (« Anne LEFÈVRE »), a centre by its name, an
appointment by its employee (« le rendez-vous de Lisa LERGY »: the last one asked for them). A
day the specs name with its weekday (« mardi 26/05/2026 ») is checked to be that weekday. Hours
are written « 9 h 00 », in Paris.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
import pytest
from pytest_bdd import given, then

from domain.calendar import PARIS
from domain.visits.business_days import WEEKDAYS, BusinessCalendar
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.visits.organisation import Weekday
from features.steps.accounts import FAILURES, Portal, Reply, User, accepted, sign_in_with_code
from features.steps.annual_declaration import (
    action,
    employee_id,
    french_date,
    phrase,
    read,
    the_company,
)
from features.steps.vocabulary import to_date
from tests.api.graphql_client import request_id
from tests.api.sessions import STAFF_EMAIL, sign_in

WORKING_HOUR = time(10)
"""When the days of the scenarios begin, in Paris."""
KINDS = {kind.label.lower(): kind.name for kind in VisitKind}
"""« visite périodique »: a kind of visit as a sentence writes it."""
ROLES = {role.label: role.name for role in ProfessionalRole}
MONDAY_TO_FRIDAY = [day.name for day in Weekday if day < Weekday.SATURDAY]

# The API's words ------------------------------------------------------------------------------

MUTATIONS = {
    "openVisitCentre": ("OpenVisitCentreInput", "VisitCentreChangedSuccess"),
    "registerProfessional": ("RegisterProfessionalInput", "HealthProfessionalChangedSuccess"),
    "assignProfessional": ("AssignProfessionalInput", "CareTeamChangedSuccess"),
    "assignVisitCentre": ("AssignVisitCentreInput", "CareTeamChangedSuccess"),
    "requestAppointment": ("RequestAppointmentInput", "AppointmentChangedSuccess"),
    "publishSlot": ("PublishSlotInput", "SlotsChangedSuccess"),
    "bookAppointment": ("BookAppointmentInput", "AppointmentChangedSuccess"),
    "cancelAppointment": ("AppointmentInput", "AppointmentChangedSuccess"),
    "setCancellationNotice": ("SetCancellationNoticeInput", "VisitSettingsChangedSuccess"),
}
CARE_TEAM = """
query($memberId: UUID!, $asOf: Date) {
  careTeam(memberId: $memberId, asOf: $asOf) {
    members { since professional { lastName firstName roleLabel } }
    centre { name phone openingDays address { lines postalCode city } }
  }
}"""
APPOINTMENTS = """
query($memberId: UUID!) {
  appointments(memberId: $memberId) {
    id employeeId kindLabel statusLabel centreId onDay startsAt
  }
}"""
CENTRES = "{ visitCentres { id name } }"
FREE_SLOTS = """
query($day: Date!, $professionalId: UUID!) {
  freeSlots(firstDay: $day, lastDay: $day, professionalId: $professionalId) { id startsAt }
}"""


# What a scenario remembers ----------------------------------------------------------------------


@dataclass
class Visits:
    """The service's records the scenario made, by the names the specs give them."""

    centres: dict[str, str] = field(default_factory=dict)
    professionals: dict[str, str] = field(default_factory=dict)
    appointments: dict[str, str] = field(default_factory=dict)
    """By employee: the last appointment asked for them."""

    def centre(self, name: str) -> str:
        assert name in self.centres, f"le centre « {name} » n'a pas été ouvert dans ce scénario"
        return self.centres[name]

    def professional(self, name: str) -> str:
        assert name in self.professionals, f"{name} n'a pas été enregistré(e) par le service"
        return self.professionals[name]

    def appointment(self, employee: str) -> str:
        assert employee in self.appointments, f"aucun rendez-vous n'a été demandé pour {employee}"
        return self.appointments[employee]


@pytest.fixture
def visits() -> Visits:
    return Visits()


# Forms and pages ------------------------------------------------------------------------------


def send(portal: Portal, who: User | None, name: str, **fields: Any) -> Reply:
    """Mutation `name` sent by `who` (None: the service's staff); its result is shown."""
    input_type, success = MUTATIONS[name]
    query = f"""
    mutation($input: {input_type}!) {{
      {name}(input: $input) {{ __typename ... on {success} {{ aggregateId }} {FAILURES} }}
    }}"""
    variables = {"input": {"requestId": request_id(), **fields}}
    if who is None:
        portal.reply = Reply.of_result(portal.staff(query, variables)[name])
        return portal.reply
    return portal.mutation(who, query, variables, name)


def on_weekday(weekday: str, day: date) -> date:
    """`day`, which the spec says is a `weekday` (« mardi »)."""
    assert WEEKDAYS[day.weekday()] == weekday, f"le {day:%d/%m/%Y} est un {WEEKDAYS[day.weekday()]}"
    return day


def hour(text: str) -> time:
    """« 9 h 00 » → 09:00."""
    hours, minutes = text.split(" h ")
    return time(int(hours), int(minutes))


def hour_of(slot: Any) -> time:
    return time.fromisoformat(slot["startsAt"])


def shown_hour(text: str | None) -> str:
    """The API's « 09:00:00 » as the portal shows it, « 9 h 00 »."""
    if text is None:
        return ""
    moment = time.fromisoformat(text)
    return f"{moment.hour} h {moment.minute:02d}"


def shown_phone(phone: str) -> str:
    """« +33380000000 » as French people write it, « 03 80 00 00 00 »."""
    digits = "0" + phone.removeprefix("+33")
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def upcoming(portal: Portal, who: User) -> list[dict[str, str]]:
    """« Mes rendez-vous à venir », as `who` opens it."""
    variables = {"memberId": the_company(portal).member_id}
    centres = {c["id"]: c["name"] for c in read(portal, who, CENTRES, {}, "visitCentres")}
    employees = {identifier: name for name, identifier in portal.employees.items()}
    return [
        {
            "salarié": employees[found["employeeId"]],
            "visite": found["kindLabel"],
            "statut": found["statusLabel"],
            "jour": french_date(found["onDay"]),
            "heure": shown_hour(found["startsAt"]),
            "centre": centres.get(found["centreId"], ""),
        }
        for found in read(portal, who, APPOINTMENTS, variables, "appointments")
    ]


def free_slots(portal: Portal, professional_id: str, day: date) -> list[Any]:
    variables = {"day": day.isoformat(), "professionalId": professional_id}
    found: list[Any] = portal.staff(FREE_SLOTS, variables)["freeSlots"]
    return found


# Situation ------------------------------------------------------------------------------------


@given(
    phrase(
        "le service a ouvert le centre de visite « {name} », {line}, {postal_code} {city},"
        " téléphone {phone}, du lundi au vendredi"
    )
)
def centre_opened(  # noqa: PLR0917 (the service's form)
    portal: Portal, visits: Visits, name: str, line: str, postal_code: str, city: str, phone: str
) -> None:
    details = {
        "name": name,
        "address": {"lines": [line], "postalCode": postal_code, "city": city},
        "phone": phone,
        "openingDays": MONDAY_TO_FRIDAY,
    }
    reply = send(portal, None, "openVisitCentre", details=details)
    accepted(reply, f"l'ouverture du centre « {name} »")
    visits.centres[name] = reply.content["aggregateId"]


@given(phrase("le service a enregistré ses professionnels :"))
def professionals_registered(portal: Portal, visits: Visits, datatable: list[list[str]]) -> None:
    """| professionnel | rôle |: « Anne LEFÈVRE », « Médecin du travail »."""
    header, *rows = datatable
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        name, role = cells["professionnel"], cells["rôle"]
        assert role in ROLES, f"rôle inconnu : « {role} » ({', '.join(ROLES)})"
        first_name, last_name = name.split(" ", 1)
        details = {"firstName": first_name, "lastName": last_name, "role": ROLES[role]}
        reply = send(portal, None, "registerProfessional", details=details)
        accepted(reply, f"l'enregistrement de {name}")
        visits.professionals[name] = reply.content["aggregateId"]


@given(phrase("le {weekday} {day:Date} est un jour férié : {holiday}"))
def public_holiday(weekday: str, day: date, holiday: str) -> None:
    """What the scenario leans on: the day is a French public holiday, of that name."""
    assert BusinessCalendar().is_public_holiday(on_weekday(weekday, day)), f"{day} n'est pas férié"
    named = holidays.country_holidays("FR", years=day.year, language="fr").get(day)
    assert str(named).lower() == holiday.lower(), f"le {day:%d/%m/%Y} est : {named}"


# What people do -------------------------------------------------------------------------------


@action("le service affecte {professional} à l'équipe de « {legal_name} » à partir du {day:Date}")
def professional_assigned(
    portal: Portal, visits: Visits, professional: str, legal_name: str, day: date
) -> None:
    send(
        portal,
        None,
        "assignProfessional",
        memberId=portal.company(legal_name).member_id,
        professionalId=visits.professional(professional),
        effectiveOn=day.isoformat(),
    )


@action("le service rattache « {legal_name} » au centre « {centre} » à partir du {day:Date}")
def centre_assigned(
    portal: Portal, visits: Visits, legal_name: str, centre: str, day: date
) -> None:
    send(
        portal,
        None,
        "assignVisitCentre",
        memberId=portal.company(legal_name).member_id,
        centreId=visits.centre(centre),
        effectiveOn=day.isoformat(),
    )


@action(
    "{first_name:Name} demande une {kind} pour {employee}, à prévoir du {first_day:Date} au"
    " {last_day:Date}, motif « {reason} »"
)
def appointment_requested(  # noqa: PLR0917 (the « Demander un rendez-vous » form)
    portal: Portal,
    visits: Visits,
    first_name: str,
    kind: str,
    employee: str,
    first_day: date,
    last_day: date,
    reason: str,
) -> None:
    assert kind in KINDS, f"type de visite inconnu : « {kind} » ({', '.join(KINDS)})"
    reply = send(
        portal,
        portal.person(first_name),
        "requestAppointment",
        memberId=the_company(portal).member_id,
        employeeId=employee_id(portal, employee),
        kind=KINDS[kind],
        reason=reason,
        preferredFrom=first_day.isoformat(),
        preferredTo=last_day.isoformat(),
    )
    if not reply.refused:
        visits.appointments[employee] = reply.content["aggregateId"]


@action(
    "le service convoque {employee} le {weekday} {day:Date} de {starts} à {ends} avec"
    " {professional}, au « {centre} »"
)
def appointment_booked(  # noqa: PLR0917 (a slot published, then booked)
    portal: Portal,
    visits: Visits,
    employee: str,
    weekday: str,
    day: date,
    starts: str,
    ends: str,
    professional: str,
    centre: str,
) -> None:
    """The staff publish the professional's slot, then book the employee's request into it."""
    on_weekday(weekday, day)
    start, end = hour(starts), hour(ends)
    professional_id = visits.professional(professional)
    minutes = (datetime.combine(day, end) - datetime.combine(day, start)) // timedelta(minutes=1)
    published = send(
        portal,
        None,
        "publishSlot",
        professionalId=professional_id,
        centreId=visits.centre(centre),
        day=day.isoformat(),
        startsAt=start.isoformat(),
        minutes=minutes,
    )
    if published.refused:
        return
    (slot,) = [s for s in free_slots(portal, professional_id, day) if hour_of(s) == start]
    send(
        portal,
        None,
        "bookAppointment",
        appointmentId=visits.appointment(employee),
        professionalId=professional_id,
        day=day.isoformat(),
        slotId=slot["id"],
    )


@action("{first_name:Name} annule le rendez-vous de {employee}")
def appointment_cancelled(portal: Portal, visits: Visits, first_name: str, employee: str) -> None:
    send(
        portal,
        portal.person(first_name),
        "cancelAppointment",
        appointmentId=visits.appointment(employee),
    )


@action("le service fixe le délai d'annulation des rendez-vous à {days:d} jours ouvrés")
def notice_set(portal: Portal, days: int) -> None:
    send(portal, None, "setCancellationNotice", days=days)


@action("le {weekday} {day:Date} arrive ; chacun se reconnecte au portail")
def day_comes(portal: Portal, weekday: str, day: date) -> None:
    """The service's clock moves to that day, at 10:00 in Paris; sessions last 8 hours, so the
    service's staff and each person who had signed in sign in again."""
    on_weekday(weekday, day)
    assert day > portal.clock.today(), f"nous sommes déjà le {portal.clock.today():%d/%m/%Y}"
    portal.clock.set(datetime.combine(day, WORKING_HOUR, tzinfo=PARIS))
    portal.staff_token = sign_in(portal.client, portal.outbox, STAFF_EMAIL)
    portal.client.headers.pop("Authorization", None)
    for who in portal.people.values():
        if who.token is not None:
            sign_in_with_code(portal, who)


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("le rendez-vous est enregistré"))
def appointment_saved(portal: Portal) -> None:
    reply = portal.reply
    assert reply is not None, "le portail n'a rien répondu"
    assert reply.typename == "AppointmentChangedSuccess", reply.describe()


@then(phrase("l'équipe de « {legal_name} » {when}, vue par {first_name:Name}, est :"))
def care_team_shown(
    portal: Portal, legal_name: str, when: str, first_name: str, datatable: list[list[str]]
) -> None:
    """| rôle | nom | depuis le |, `when` being « aujourd'hui » or « au 01/06/2026 »."""
    as_of = None if when == "aujourd'hui" else to_date(when.removeprefix("au ")).isoformat()
    variables = {"memberId": portal.company(legal_name).member_id, "asOf": as_of}
    team = read(portal, portal.person(first_name), CARE_TEAM, variables, "careTeam")
    header, *rows = datatable
    shown = [
        {
            "rôle": member["professional"]["roleLabel"],
            "nom": f"{member['professional']['firstName']} {member['professional']['lastName']}",
            "depuis le": french_date(member["since"]),
        }
        for member in team["members"]
    ]
    assert shown == [dict(zip(header, row, strict=True)) for row in rows]


@then(phrase("le centre de visite de « {legal_name} », vu par {first_name:Name}, montre :"))
def centre_shown(
    portal: Portal, legal_name: str, first_name: str, datatable: list[list[str]]
) -> None:
    variables = {"memberId": portal.company(legal_name).member_id, "asOf": None}
    centre = read(portal, portal.person(first_name), CARE_TEAM, variables, "careTeam")["centre"]
    assert centre is not None, f"« {legal_name} » n'est rattaché à aucun centre"
    address = centre["address"]
    shown = {
        "Nom": centre["name"],
        "Adresse": f"{', '.join(address['lines'])}, {address['postalCode']} {address['city']}",
        "Téléphone": shown_phone(centre["phone"]),
        "Jours d'ouverture": ", ".join(WEEKDAYS[Weekday[day]] for day in centre["openingDays"]),
    }
    assert {label: shown[label] for label, _ in datatable} == dict(datatable)


@then(phrase("« Mes rendez-vous à venir », vus par {first_name:Name}, sont :"))
def upcoming_shown(portal: Portal, first_name: str, datatable: list[list[str]]) -> None:
    """| salarié | visite | statut | jour | heure | centre | (any of these columns)."""
    header, *rows = datatable
    found = [
        {column: a[column] for column in header}
        for a in upcoming(portal, portal.person(first_name))
    ]
    assert found == [dict(zip(header, row, strict=True)) for row in rows]


@then(phrase("{first_name:Name} n'a aucun rendez-vous à venir"))
def nothing_upcoming(portal: Portal, first_name: str) -> None:
    assert upcoming(portal, portal.person(first_name)) == []


@then(phrase("le rendez-vous de {employee}, vu par {first_name:Name}, est « {status} »"))
def appointment_status(portal: Portal, employee: str, first_name: str, status: str) -> None:
    statuses = [
        a["statut"] for a in upcoming(portal, portal.person(first_name)) if a["salarié"] == employee
    ]
    assert statuses == [status]


@then(
    phrase("le créneau de {professional} du {weekday} {day:Date} à {starts} est de nouveau libre")
)
def slot_free_again(  # noqa: PLR0917 (the slot as the step names it)
    portal: Portal, visits: Visits, professional: str, weekday: str, day: date, starts: str
) -> None:
    slots = free_slots(portal, visits.professional(professional), on_weekday(weekday, day))
    assert [hour_of(s) for s in slots] == [hour(starts)]


__all__ = ["visits"]
__all__ += [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]
"""The fixture, and the step definitions, whose names pytest-bdd makes."""

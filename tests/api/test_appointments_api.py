"""Appointments through the API (issue 13), as the portal's users sign in: a Convocation user of
the member asks a visit for an employee, the service's staff publish a slot and book the request
into it, the member reads it among its upcoming appointments. The Billing user reads them but may
not ask; the employer may not ask a pre-return visit (L4624-2-4). The member cancels while the
notice in business days allows (RULES.md §5 bis): public holidays do not count, the notice is the
service's setting, the day is that of Paris. Another member's appointment is answered as a
missing one; hostile text and another member's employee are refused and nothing is recorded.

The service's clock starts on Monday 4 May 2026 at 10:00 in Paris; a test that moves it past the
8 hours of a session signs its people in again.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from domain.calendar import PARIS
from messaging.mailer import OutboxMailer
from tests.api.graphql_client import FAILURES, data, hire, register_member, request_id
from tests.api.sessions import STAFF_EMAIL, MovableClock, create_first_account, sign_in
from tests.api.test_role_matrix import add_user

A_CODE, B_CODE = "00010", "00020"
ADMIN_EMAIL = "direction@martin.fr"
CONVOCATION_EMAIL = "convocation@martin.fr"
BILLING_EMAIL = "facturation@martin.fr"
OTHER_ADMIN_EMAIL = "direction@autre.fr"

START = datetime(2026, 5, 4, 10, tzinfo=PARIS)
"""Monday 4 May 2026, 10:00 in Paris."""
ASCENSION_FRIDAY = date(2026, 5, 15)
"""The day after Ascension, Thursday 14 May 2026."""
PENTECOST_TUESDAY = date(2026, 5, 26)
"""The day after Pentecost Monday, 25 May 2026."""
PLAIN_TUESDAY = date(2026, 6, 2)
"""A Tuesday with no public holiday in the week before."""
PREFERRED = {"preferredFrom": "2026-05-11", "preferredTo": "2026-06-30"}

CENTRE = {
    "name": "Centre Dijon Toison d'Or",
    "address": {"lines": ["12 boulevard de Champagne"], "postalCode": "21000", "city": "Dijon"},
    "phone": "03 80 00 00 00",
    "openingDays": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
}
DOCTOR = {"lastName": "Lefèvre", "firstName": "Anne", "role": "OCCUPATIONAL_DOCTOR"}
MUTATIONS = {
    "requestAppointment": ("RequestAppointmentInput", "AppointmentChangedSuccess"),
    "cancelAppointment": ("AppointmentInput", "AppointmentChangedSuccess"),
    "bookAppointment": ("BookAppointmentInput", "AppointmentChangedSuccess"),
    "publishSlot": ("PublishSlotInput", "SlotsChangedSuccess"),
    "setCancellationNotice": ("SetCancellationNoticeInput", "VisitSettingsChangedSuccess"),
    "openVisitCentre": ("OpenVisitCentreInput", "VisitCentreChangedSuccess"),
    "registerProfessional": ("RegisterProfessionalInput", "HealthProfessionalChangedSuccess"),
}
APPOINTMENTS = """
query($memberId: UUID!, $upcomingOnly: Boolean!) {
  appointments(memberId: $memberId, upcomingOnly: $upcomingOnly) {
    id memberId employeeId kind kindLabel requestedBy status statusLabel requestedOn
    preferredFrom preferredTo slotId professionalId centreId onDay startsAt minutes
  }
}"""
FREE_SLOTS = """
query($day: Date!, $professionalId: UUID!) {
  freeSlots(firstDay: $day, lastDay: $day, professionalId: $professionalId) {
    id centreId onDay startsAt minutes
  }
}"""


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


@dataclass
class World:
    """Member A (its administrator, Convocation and Billing users, an employee), member B (its
    administrator, an employee), a visit centre open on weekdays and a doctor of the service."""

    client: TestClient[Litestar]
    outbox: OutboxMailer
    clock: MovableClock
    member_id: str
    employee_id: str
    other_member_id: str
    other_employee_id: str
    centre_id: str
    doctor_id: str
    tokens: dict[str, str] = field(default_factory=dict)
    """Each person's session, by e-mail, while the clock has not moved."""

    def body(self, email: str, query: str, variables: dict[str, Any]) -> Any:
        """The response body of `query` sent by `email`'s browser."""
        token = self.tokens.get(email) or self.sign_in(email)
        response = self.client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, email: str, query: str, variables: dict[str, Any]) -> Any:
        body = self.body(email, query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def run(self, email: str, name: str, fields: dict[str, Any]) -> Any:
        """The result of mutation `name` (success or typed failure), with a new request id."""
        variables = {"input": {"requestId": request_id(), **fields}}
        return self.data(email, mutation(name), variables)[name]

    def move_to(self, instant: datetime) -> None:
        """The service's clock moves on; sessions are then opened again."""
        self.clock.set(instant)
        self.tokens.clear()

    def sign_in(self, email: str) -> str:
        """Opens `email`'s session (a code received by e-mail) and keeps its token."""
        token = sign_in(self.client, self.outbox, email)
        self.client.headers.pop("Authorization", None)
        self.tokens[email] = token
        return token


def mutation(name: str) -> str:
    input_type, success = MUTATIONS[name]
    return f"""
    mutation($input: {input_type}!) {{
      {name}(input: $input) {{
        __typename ... on {success} {{ aggregateId version }} {FAILURES}
        ... on ForbiddenError {{ code message }}
      }}
    }}"""


def ok(result: Any) -> str:
    """The id of the record a successful mutation changed."""
    assert result["__typename"].endswith("Success"), result
    return str(result["aggregateId"])


@pytest.fixture
def world(client: TestClient[Litestar], outbox: OutboxMailer, clock: MovableClock) -> World:
    """Set up by the staff (the client's session), then the administrator of member A."""

    def staff_run(name: str, fields: dict[str, Any]) -> str:
        variables = {"input": {"requestId": request_id(), **fields}}
        return ok(data(client, mutation(name), variables)[name])

    member_id, other_member_id = register_member(client, A_CODE), register_member(client, B_CODE)
    employee_id = hire(client, member_id, "Lisa", birth_name="Lergy")["aggregateId"]
    other_employee_id = hire(client, other_member_id, "Hugo")["aggregateId"]
    centre_id = staff_run("openVisitCentre", {"details": CENTRE})
    doctor_id = staff_run("registerProfessional", {"details": DOCTOR})
    for code, email in ((A_CODE, ADMIN_EMAIL), (B_CODE, OTHER_ADMIN_EMAIL)):
        first = create_first_account(client, code, email)
        assert first["__typename"] == "FirstAccountCreated", first
    staff_token = client.headers.pop("Authorization").removeprefix("Bearer ")
    world = World(
        client,
        outbox,
        clock,
        member_id,
        employee_id,
        other_member_id,
        other_employee_id,
        centre_id,
        doctor_id,
        tokens={STAFF_EMAIL: staff_token},
    )
    client.headers["Authorization"] = f"Bearer {world.sign_in(ADMIN_EMAIL)}"
    add_user(client, member_id, CONVOCATION_EMAIL, "CONVOCATION")
    add_user(client, member_id, BILLING_EMAIL, "BILLING")
    client.headers.pop("Authorization")
    return world


def request(world: World, email: str = CONVOCATION_EMAIL, **changes: Any) -> Any:
    """A periodic visit asked for member A's employee, wanted from 11 May to 30 June 2026."""
    fields = {
        "memberId": world.member_id,
        "employeeId": world.employee_id,
        "kind": "PERIODIC",
        "reason": "Renouvellement du suivi",
        **PREFERRED,
        **changes,
    }
    return world.run(email, "requestAppointment", fields)


def free_slots(world: World, day: date) -> list[Any]:
    variables = {"day": day.isoformat(), "professionalId": world.doctor_id}
    found: list[Any] = world.data(STAFF_EMAIL, FREE_SLOTS, variables)["freeSlots"]
    return found


def book(world: World, appointment_id: str, day: date, starts_at: time = time(9)) -> str:
    """The staff publish a 30-minute slot of the doctor on `day` and book the request into it;
    returns the slot's id."""
    slot = {
        "professionalId": world.doctor_id,
        "centreId": world.centre_id,
        "day": day.isoformat(),
        "startsAt": starts_at.isoformat(),
        "minutes": 30,
    }
    ok(world.run(STAFF_EMAIL, "publishSlot", slot))
    (free,) = [s for s in free_slots(world, day) if s["startsAt"] == starts_at.isoformat()]
    booking = {
        "appointmentId": appointment_id,
        "professionalId": world.doctor_id,
        "day": day.isoformat(),
        "slotId": free["id"],
    }
    ok(world.run(STAFF_EMAIL, "bookAppointment", booking))
    return str(free["id"])


def appointments(
    world: World, email: str, member_id: str | None = None, *, upcoming_only: bool = True
) -> list[Any]:
    variables = {"memberId": member_id or world.member_id, "upcomingOnly": upcoming_only}
    found: list[Any] = world.data(email, APPOINTMENTS, variables)["appointments"]
    return found


def cancel(world: World, appointment_id: str, email: str = CONVOCATION_EMAIL) -> Any:
    return world.run(email, "cancelAppointment", {"appointmentId": appointment_id})


def nothing_recorded(world: World) -> None:
    for member_id in (world.member_id, world.other_member_id):
        assert appointments(world, STAFF_EMAIL, member_id, upcoming_only=False) == []


# Asking, booking, listing ---------------------------------------------------------------------


def test_a_request_of_the_convocation_user_booked_by_the_service_is_listed_as_upcoming(
    world: World,
) -> None:
    appointment_id = ok(request(world))
    (requested,) = appointments(world, CONVOCATION_EMAIL)
    assert (requested["id"], requested["status"], requested["statusLabel"]) == (
        appointment_id,
        "REQUESTED",
        "Demandé",
    )
    assert (requested["kindLabel"], requested["requestedBy"]) == ("Visite périodique", "EMPLOYER")
    assert (requested["requestedOn"], requested["onDay"]) == ("2026-05-04", None)

    slot_id = book(world, appointment_id, PENTECOST_TUESDAY)

    (booked,) = appointments(world, CONVOCATION_EMAIL)
    assert (booked["status"], booked["statusLabel"]) == ("BOOKED", "Programmé")
    assert (booked["onDay"], booked["startsAt"], booked["minutes"]) == (
        "2026-05-26",
        "09:00:00",
        30,
    )
    assert (booked["slotId"], booked["centreId"], booked["professionalId"]) == (
        slot_id,
        world.centre_id,
        world.doctor_id,
    )
    assert free_slots(world, PENTECOST_TUESDAY) == [], "a booked slot is no longer free"
    assert appointments(world, BILLING_EMAIL) == [booked]
    world.move_to(datetime(2026, 5, 27, 10, tzinfo=PARIS))
    assert appointments(world, CONVOCATION_EMAIL) == [], "past, it is no longer upcoming"
    assert appointments(world, CONVOCATION_EMAIL, upcoming_only=False) == [booked]


def test_a_request_sent_again_with_its_request_id_is_recorded_once(world: World) -> None:
    fields = {
        "requestId": request_id(),
        "memberId": world.member_id,
        "employeeId": world.employee_id,
        "kind": "INFORMATION_AND_PREVENTION",
        "reason": "Nouvelle embauche",
        **PREFERRED,
    }
    query = """
    mutation($input: RequestAppointmentInput!) {
      requestAppointment(input: $input) {
        __typename ... on AppointmentChangedSuccess { aggregateId version }
      }
    }"""

    first, again = (
        world.data(CONVOCATION_EMAIL, query, {"input": fields})["requestAppointment"]
        for _ in range(2)
    )

    assert first == again
    assert [a["id"] for a in appointments(world, CONVOCATION_EMAIL)] == [first["aggregateId"]]


def test_the_billing_user_reads_the_appointments_but_may_neither_ask_nor_cancel(
    world: World,
) -> None:
    appointment_id = ok(request(world))

    asked = request(world, BILLING_EMAIL)
    cancelled = cancel(world, appointment_id, BILLING_EMAIL)
    notice = world.run(ADMIN_EMAIL, "setCancellationNotice", {"days": 5})

    message = "Vos rôles ne vous permettent pas cette opération (gérer les rendez-vous)."
    assert (
        asked
        == cancelled
        == {"__typename": "ForbiddenError", "code": "FORBIDDEN"} | {"message": message}
    )
    assert (notice["__typename"], notice["code"]) == ("ForbiddenError", "FORBIDDEN")
    (listed,) = appointments(world, BILLING_EMAIL)
    assert (listed["id"], listed["status"]) == (appointment_id, "REQUESTED")


def test_the_employer_may_not_ask_a_pre_return_visit_and_is_told_who_may(world: World) -> None:
    refused = request(world, kind="PRE_RETURN", reason="Arrêt de travail depuis février")
    for_the_employee = request(world, kind="PRE_RETURN", requestedBy="EMPLOYEE")

    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "RuleViolationError",
        "PRE_RETURN_NOT_BY_EMPLOYER",
        "kind",
    )
    assert "L4624-2-4" in refused["message"]
    assert (
        "elle est demandée par le salarié, son médecin traitant, le médecin conseil de"
        " l'assurance maladie ou le médecin du travail." in refused["message"]
    )
    assert (for_the_employee["__typename"], for_the_employee["code"]) == (
        "RuleViolationError",
        "REQUESTER_NOT_ALLOWED",
    )
    nothing_recorded(world)


def test_the_service_records_a_pre_return_visit_the_employee_asked_for(world: World) -> None:
    recorded = request(world, STAFF_EMAIL, kind="PRE_RETURN", requestedBy="EMPLOYEE")

    (listed,) = appointments(world, CONVOCATION_EMAIL)
    assert listed["id"] == ok(recorded)
    assert (listed["kindLabel"], listed["requestedBy"]) == ("Visite de pré-reprise", "EMPLOYEE")


# Cancelling -----------------------------------------------------------------------------------


def paris(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@pytest.mark.parametrize(
    ("appointment_on", "asked_at", "notice", "last_day"),
    [
        # Pentecost Monday does not count: Friday 22 and Thursday 21 May are the two days
        (PENTECOST_TUESDAY, paris(date(2026, 5, 20)), 2, None),
        (PENTECOST_TUESDAY, paris(date(2026, 5, 21)), 2, "mercredi 20 mai 2026"),
        # the same week days, no holiday: Thursday is still in time
        (PLAIN_TUESDAY, paris(date(2026, 5, 28)), 2, None),
        # Ascension, Thursday 14 May, does not count before the Friday after it
        (ASCENSION_FRIDAY, paris(date(2026, 5, 11)), 2, None),
        (ASCENSION_FRIDAY, paris(date(2026, 5, 12)), 2, "lundi 11 mai 2026"),
        # the service's notice of three business days
        (PENTECOST_TUESDAY, paris(date(2026, 5, 19)), 3, None),
        (PENTECOST_TUESDAY, paris(date(2026, 5, 20)), 3, "mardi 19 mai 2026"),
        # the day is that of Paris (00:30 on 21 May is still 20 May in UTC)
        (PENTECOST_TUESDAY, paris(date(2026, 5, 20), 23, 30), 2, None),
        (PENTECOST_TUESDAY, paris(date(2026, 5, 21), 0, 30), 2, "mercredi 20 mai 2026"),
        # on the day itself, or after it
        (PENTECOST_TUESDAY, paris(PENTECOST_TUESDAY, 8), 2, "mercredi 20 mai 2026"),
    ],
)
def test_a_booked_appointment_is_cancelled_only_with_the_notice_in_business_days(
    world: World, appointment_on: date, asked_at: datetime, notice: int, last_day: str | None
) -> None:
    appointment_id = ok(request(world))
    slot_id = book(world, appointment_id, appointment_on)
    ok(world.run(STAFF_EMAIL, "setCancellationNotice", {"days": notice}))
    world.move_to(asked_at)

    answer = cancel(world, appointment_id)

    kept = appointments(world, CONVOCATION_EMAIL, upcoming_only=False)
    if last_day is None:
        assert ok(answer) == appointment_id
        assert [a["status"] for a in kept] == ["CANCELLED"]
        assert appointments(world, CONVOCATION_EMAIL) == []
        assert [s["id"] for s in free_slots(world, appointment_on)] == [slot_id], "slot freed"
    else:
        assert (answer["__typename"], answer["code"]) == (
            "RuleViolationError",
            "CANCELLATION_TOO_LATE",
        )
        assert f"{notice} jours ouvrés à l'avance, au plus tard le {last_day}." in answer["message"]
        assert answer["message"].endswith("Contactez le service.")
        assert [a["status"] for a in kept] == ["BOOKED"]
        assert free_slots(world, appointment_on) == []


def test_the_refusal_names_the_appointments_day_and_the_last_day(world: World) -> None:
    appointment_id = ok(request(world))
    book(world, appointment_id, PENTECOST_TUESDAY)
    world.move_to(paris(date(2026, 5, 21)))

    refused = cancel(world, appointment_id)

    assert refused["message"] == (
        "Le rendez-vous du mardi 26 mai 2026 ne peut plus être annulé en ligne : l'annulation se"
        " demande 2 jours ouvrés à l'avance, au plus tard le mercredi 20 mai 2026. Contactez le"
        " service."
    )


def test_a_request_not_booked_yet_is_cancelled_at_any_time_and_once(world: World) -> None:
    appointment_id = ok(request(world))

    cancelled = cancel(world, appointment_id)
    again = cancel(world, appointment_id)

    assert ok(cancelled) == appointment_id
    assert (again["__typename"], again["code"]) == ("RuleViolationError", "APPOINTMENT_CANCELLED")
    assert appointments(world, CONVOCATION_EMAIL) == []


def test_another_members_appointment_is_answered_as_a_missing_one(world: World) -> None:
    appointment_id = ok(request(world))
    book(world, appointment_id, PENTECOST_TUESDAY)

    out_of_reach = cancel(world, appointment_id, OTHER_ADMIN_EMAIL)
    missing = cancel(world, str(uuid4()), OTHER_ADMIN_EMAIL)
    read = appointments(world, OTHER_ADMIN_EMAIL, world.member_id, upcoming_only=False)

    assert out_of_reach == missing
    assert (missing["__typename"], missing["code"]) == ("NotFoundError", "APPOINTMENT_NOT_FOUND")
    assert read == []
    assert [a["status"] for a in appointments(world, CONVOCATION_EMAIL)] == ["BOOKED"]


# Refusals of what is typed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "field_name"),
    [
        ({"reason": "Renouvellement\x00 du suivi"}, "reason"),
        ({"reason": "Suivi \u202eannuel"}, "reason"),
        ({"reason": "Suivi\u200b annuel"}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"reason": "  \n  "}, "reason"),
        ({"constraints": "Pas le lundi \x1b[31m"}, "constraints"),
        ({"constraints": "\x85Le matin"}, "constraints"),
        ({"constraints": "y" * 501}, "constraints"),
    ],
)
def test_hostile_text_is_refused_and_nothing_is_recorded(
    world: World, typed: dict[str, str], field_name: str
) -> None:
    refused = request(world, **typed)

    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "ValidationError",
        "INVALID_TEXT",
        field_name,
    )
    assert typed[field_name] not in refused["message"], "a message never repeats the value"
    nothing_recorded(world)


def test_a_reason_of_500_characters_on_several_lines_is_accepted(world: World) -> None:
    reason = "\n".join(["a" * 99] * 5) + "b"  # 496 letters and 4 line breaks

    assert ok(request(world, reason=reason, constraints="Le matin\nPas le lundi"))


def test_an_employee_of_another_member_is_refused_and_nothing_is_recorded(world: World) -> None:
    theirs = request(world, employeeId=world.other_employee_id)
    as_theirs = request(world, memberId=world.other_member_id, employeeId=world.other_employee_id)
    mismatched = request(world, STAFF_EMAIL, memberId=world.other_member_id)
    missing = request(world, employeeId=str(uuid4()))

    assert theirs == as_theirs == mismatched == missing
    assert (missing["__typename"], missing["code"]) == ("NotFoundError", "EMPLOYEE_NOT_FOUND")
    nothing_recorded(world)

"""A hostile probe of the visits context (issue 13), through GraphQL with real sessions. Each test
under "Defects" is a defect found, stated as the house standards want it (README,
docs/GUARANTEES.md), its comment saying what happens today: bad input gets a typed French error
and changes nothing; every text refuses control and invisible characters and has a length limit;
dates are plausible; no input stops the read side, fails a request with INTERNAL_ERROR or reaches
a log; concurrent edits are detected and never lost; another member's records are answered as
missing ones. The tests under "Probes that passed" guard what held.

Every test ends by checking that the read models applied every event (`projection_failures`
empty) and that the logs hold none of the personal data the test typed (names, birth date,
NIR, absence causes, appointment reasons).

The service's clock stands on Monday 2 March 2026 at 10:00 in Paris: Sunday 29 March 2026 is
the night Paris skips from 02:00 to 03:00.
"""

import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4

import graphql as graphql_core
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.services import Services
from contexts import SCHEMA
from domain.calendar import PARIS
from domain.visits.availability import Availability
from domain.visits.care_team import CareTeam
from messaging.mailer import OutboxMailer
from tests.account_ids import account_id
from tests.api.graphql_client import (
    FAILURES,
    HIRE,
    a_contract,
    a_nir,
    an_identity,
    data,
    graphql,
    hire,
    register_member,
    request_id,
)
from tests.api.sessions import STAFF_EMAIL, MovableClock, create_first_account, sign_in
from tests.api.test_role_matrix import add_user

START = datetime(2026, 3, 2, 10, tzinfo=PARIS)
"""Monday 2 March 2026, 10:00 in Paris."""
TODAY = START.date()
DST_GAP_DAY = date(2026, 3, 29)
"""Paris moves from 02:00 straight to 03:00 that Sunday."""
A_CODE, B_CODE = "00010", "00020"
ADMIN_EMAIL = "direction@martin.fr"
CONVOCATION_EMAIL = "convocation@martin.fr"
OTHER_ADMIN_EMAIL = "direction@autre.fr"
BIRTH_DATE = date(1990, 5, 12)
"""The birth date `graphql_client.an_identity` gives every employee."""
REASON = "Hernie discale de Lisa LERGY, dos fragile"
PERSONAL_DATA = (
    "Lisa",
    "Lergy",
    "LERGY",
    BIRTH_DATE.isoformat(),
    f"{BIRTH_DATE:%d/%m/%Y}",
    a_nir("F", BIRTH_DATE),
    "Hernie",
    "maternity",
    "MATERNITY",
    "maternité",
    "occupational_disease",
    "OCCUPATIONAL_DISEASE",
    "Maladie professionnelle",
    "work_accident",
    "WORK_ACCIDENT",
    "Accident du travail",
)
"""What the tests type that must never reach a log."""
ADDRESS: dict[str, Any] = {
    "lines": ["40 boulevard de Dunkerque"],
    "postalCode": "13002",
    "city": "Marseille",
}
CENTRE: dict[str, Any] = {
    "name": "Centre Joliette",
    "address": ADDRESS,
    "phone": "04 91 00 00 00",
    "openingDays": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"],
}
SCHEMA_TYPES = graphql_core.build_schema(str(SCHEMA))
FREE_SLOTS = """
query($day: Date!) {
  freeSlots(firstDay: $day, lastDay: $day) { id startsAt professionalId }
}"""
APPOINTMENTS = """
query($m: UUID!) { appointments(memberId: $m, upcomingOnly: false) { id status } }
"""
RECORD = """
query($e: UUID!) {
  followUpRecord(employeeId: $e) {
    visits { visitId kind heldOn } absences { absenceId kind firstDay returnedOn }
  }
}"""
DUE = """
query($m: UUID!, $e: UUID) { dueVisits(memberId: $m, employeeId: $e) { kind dueBy } }
"""
AUDIT = """
query($m: UUID!) {
  auditTrail(memberId: $m, first: 100) { edges { node { eventType aggregateId changes } } }
}"""
HEALTH_READS = """
{ accessLog(event: HEALTH_DATA_READ, first: 100) { edges { node { accountId operation } } } }
"""


def mutation(name: str) -> str:
    """The mutation `name` with its input type and every answer it may give."""
    assert SCHEMA_TYPES.mutation_type is not None
    field = SCHEMA_TYPES.mutation_type.fields[name]
    answers = graphql_core.get_named_type(field.type)
    assert isinstance(answers, graphql_core.GraphQLUnionType), name
    successes = []
    for kind in answers.types:
        if kind.name.endswith("Success") or kind.name == "FollowUpRecordChanged":
            created = " createdId" if "createdId" in kind.fields else ""
            successes.append(f"... on {kind.name} {{ aggregateId version{created} }}")
    return f"""
    mutation($input: {field.args["input"].type}) {{
      {name}(input: $input) {{
        __typename {" ".join(successes)} {FAILURES} ... on ForbiddenError {{ code message }}
      }}
    }}"""


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


@dataclass
class World:
    """Member A (its administrator and Convocation user, employee Lisa LERGY, hired on 15
    January 2024, born on 12 May 1990), member B (its administrator, an employee), a visit
    centre open every day, a doctor and a nurse of the service."""

    client: TestClient[Litestar]
    services: Services
    outbox: OutboxMailer
    clock: MovableClock
    member_id: str
    employee_id: str
    other_member_id: str
    other_employee_id: str
    centre_id: str
    doctor_id: str
    nurse_id: str
    signed_in: str = STAFF_EMAIL

    def as_(self, email: str) -> TestClient[Litestar]:
        """The client, signed in as `email`."""
        if email != self.signed_in:
            sign_in(self.client, self.outbox, email)
            self.signed_in = email
        return self.client

    def send(self, name: str, fields: dict[str, Any], email: str = STAFF_EMAIL) -> Any:
        """The answer of mutation `name` (success or typed failure), with a new request id."""
        variables = {"input": {"requestId": request_id(), **fields}}
        return data(self.as_(email), mutation(name), variables)[name]

    def read(self, query: str, variables: Any = None, email: str = STAFF_EMAIL) -> Any:
        return data(self.as_(email), query, variables)

    def body(self, query: str, variables: Any = None, email: str = STAFF_EMAIL) -> Any:
        return graphql(self.as_(email), query, variables)


@pytest.fixture
def world(
    client: TestClient[Litestar],
    services: Services,
    outbox: OutboxMailer,
    clock: MovableClock,
    caplog: pytest.LogCaptureFixture,
) -> World:
    caplog.set_level(logging.INFO)
    member_id, other_member_id = register_member(client, A_CODE), register_member(client, B_CODE)
    employee_id = hire(client, member_id, "Lisa", birth_name="Lergy")["aggregateId"]
    other_employee_id = hire(client, other_member_id, "Hugo")["aggregateId"]
    for code, email in ((A_CODE, ADMIN_EMAIL), (B_CODE, OTHER_ADMIN_EMAIL)):
        first = create_first_account(client, code, email)
        assert first["__typename"] == "FirstAccountCreated", first
    sign_in(client, outbox, ADMIN_EMAIL)
    add_user(client, member_id, CONVOCATION_EMAIL, "CONVOCATION")
    sign_in(client, outbox, STAFF_EMAIL)
    world = World(
        client, services, outbox, clock, member_id, employee_id, other_member_id,
        other_employee_id, centre_id="", doctor_id="", nurse_id="",
    )  # fmt: skip
    world.centre_id = ok(world.send("openVisitCentre", {"details": CENTRE}))
    for role in ("OCCUPATIONAL_DOCTOR", "NURSE"):
        details = {"lastName": "Lefèvre", "firstName": "Anne", "role": role}
        professional = ok(world.send("registerProfessional", {"details": details}))
        if role == "NURSE":
            world.nurse_id = professional
        else:
            world.doctor_id = professional
    return world


def ok(answer: Any) -> str:
    """The id of the record a successful mutation changed."""
    assert answer["__typename"].endswith(("Success", "FollowUpRecordChanged")), answer
    return str(answer["aggregateId"])


def assert_clean(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """The read models applied every event, and no log line holds the personal data typed."""
    world.services.settle()
    assert world.services.runner.failures() == []
    formatter = logging.Formatter()
    logged = "\n".join(
        formatter.format(record)
        for when in ("setup", "call")
        for record in caplog.get_records(when)
    )
    leaked = [personal for personal in PERSONAL_DATA if personal in logged]
    assert not leaked, f"personal data in the logs: {leaked}"


def request(world: World, email: str = STAFF_EMAIL, **changes: Any) -> Any:
    """A periodic visit asked for Lisa, wanted from today to the end of April."""
    fields = {
        "memberId": world.member_id,
        "employeeId": world.employee_id,
        "kind": "PERIODIC",
        "reason": REASON,
        "preferredFrom": TODAY.isoformat(),
        "preferredTo": "2026-04-30",
        **changes,
    }
    return world.send("requestAppointment", fields, email)


def slot(world: World, day: date, starts_at: str) -> dict[str, Any]:
    return {
        "professionalId": world.doctor_id,
        "centreId": world.centre_id,
        "day": day.isoformat(),
        "startsAt": starts_at,
        "minutes": 30,
    }


def free_slots(world: World, day: date) -> list[Any]:
    found: list[Any] = world.read(FREE_SLOTS, {"day": day.isoformat()})["freeSlots"]
    return found


def publish(world: World, day: date, starts_at: str) -> str:
    """The doctor's new 30-minute slot, its id."""
    ok(world.send("publishSlot", slot(world, day, starts_at)))
    (published,) = [s for s in free_slots(world, day) if s["startsAt"] == starts_at]
    return str(published["id"])


def booking(world: World, appointment_id: str, day: date, slot_id: str) -> dict[str, Any]:
    return {
        "appointmentId": appointment_id,
        "professionalId": world.doctor_id,
        "day": day.isoformat(),
        "slotId": slot_id,
    }


def statuses(world: World) -> list[str]:
    return [a["status"] for a in world.read(APPOINTMENTS, {"m": world.member_id})["appointments"]]


def record(world: World, employee_id: str | None = None) -> Any:
    return world.read(RECORD, {"e": employee_id or world.employee_id})["followUpRecord"]


def due(world: World) -> list[Any]:
    variables = {"m": world.member_id, "e": world.employee_id}
    found: list[Any] = world.read(DUE, variables)["dueVisits"]
    return found


def at_once(
    monkeypatch: pytest.MonkeyPatch, cls: type, method: str, calls: list[Callable[[], Any]]
) -> list[Any]:
    """Runs `calls` in parallel threads, each held in `cls.method`'s first call until all the
    others reach it: every one decides on the same versions, then they save."""
    barrier = threading.Barrier(len(calls), timeout=10)
    held = threading.local()
    original = getattr(cls, method)

    def waiting(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not getattr(held, "once", False):
            held.once = True
            # A call that never reaches the method breaks the barrier: the others go on.
            with suppress(threading.BrokenBarrierError):
                barrier.wait()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, method, waiting)
    with ThreadPoolExecutor(len(calls)) as pool:
        answers = list(pool.map(lambda call: call(), calls))
    monkeypatch.setattr(cls, method, original)
    return answers


# Defects ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "day"),
    [
        ("query($d: Date!) { freeSlots(firstDay: $d, lastDay: $d) { id } }", "9999-12-31"),
        ("query($d: Date!) { upcomingVisits(until: $d, validOn: $d) { kind } }", "9999-12-31"),
        ("query($d: Date!) { overdueVisits(validOn: $d) { kind } }", "0001-01-01"),
    ],
    ids=["freeSlots", "upcomingVisits", "overdueVisits"],
)
def test_the_first_and_last_days_of_the_calendar_are_answered_without_an_internal_error(
    world: World, caplog: pytest.LogCaptureFixture, query: str, day: str
) -> None:
    # Today: INTERNAL_ERROR, OverflowError (first_day + 92 days, on + 92 days, on - 1 day).
    body = world.body(query, {"d": day})

    assert "errors" not in body, body["errors"]
    assert_clean(world, caplog)


@pytest.mark.parametrize(
    "address",
    [
        {**ADDRESS, "lines": ["40 boulevard\u202e de Dunkerque"]},
        {**ADDRESS, "city": "Mar\x1bseille"},
        {**ADDRESS, "city": "Marseille" * 1000},
        {**ADDRESS, "country": "BE", "postalCode": "1" * 1000},
    ],
    ids=["bidi override in a line", "escape in the city", "endless city", "endless postal code"],
)
def test_a_centre_address_with_hidden_characters_or_no_end_is_refused(
    world: World, caplog: pytest.LogCaptureFixture, address: dict[str, Any]
) -> None:
    # Today accepted: CentreDetails.validated() never calls Address.checked(); the address is
    # printed on every convocation (an escape character makes its PDF fail: no mail is sent).
    details = {**CENTRE, "name": "Centre Prado", "address": address}

    refused = world.send("openVisitCentre", {"details": details})

    assert refused["__typename"] == "ValidationError", refused
    centres = world.read("{ visitCentres(closedToo: true) { name } }")["visitCentres"]
    assert [c["name"] for c in centres] == [CENTRE["name"]]
    assert_clean(world, caplog)


def test_a_slot_at_an_hour_paris_skips_is_refused(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    # Today accepted, and booked: the convocation's .ics says DTSTART;TZID=Europe/Paris
    # 20260329T023000, an hour that does not exist that night.
    refused = world.send("publishSlot", slot(world, DST_GAP_DAY, "02:30:00"))

    assert (refused["__typename"], refused.get("field")) == ("ValidationError", "startsAt")
    assert free_slots(world, DST_GAP_DAY) == []
    assert_clean(world, caplog)


def test_a_slot_whose_hour_has_passed_today_is_no_longer_booked(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    slot_id = publish(world, TODAY, "10:30:00")  # at 10:00, still to come
    appointment_id = ok(request(world))
    world.clock.set(START + timedelta(hours=1))  # 11:00: the slot is over

    # Today accepted (check_bookable compares days only): a convocation for an hour gone.
    refused = world.send("bookAppointment", booking(world, appointment_id, TODAY, slot_id))

    assert (refused["__typename"], refused.get("code")) == ("RuleViolationError", "SLOT_PASSED")
    assert statuses(world) == ["REQUESTED"]
    assert_clean(world, caplog)


def test_a_late_cancellation_dated_in_year_one_is_refused(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    slot_id = publish(world, TODAY, "10:30:00")
    appointment_id = ok(request(world))
    ok(world.send("bookAppointment", booking(world, appointment_id, TODAY, slot_id)))
    world.clock.set(START + timedelta(hours=2))
    missed = {"appointmentId": appointment_id, "lateCancellationAskedOn": "0001-01-01"}

    # Today accepted: only "not after the appointment's day" is checked.
    refused = world.send("recordNoShow", missed)

    assert refused["__typename"] == "ValidationError", refused
    assert statuses(world) == ["BOOKED"]
    assert_clean(world, caplog)


def test_a_visit_held_before_the_employee_was_born_is_refused(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    held = {
        "employeeId": world.employee_id,
        "kind": "PERIODIC",
        "heldOn": "1980-01-01",
        "professionalId": world.doctor_id,
        "document": "NONE",
    }

    # Today accepted: a visit may be dated up to 50 years back, whoever it is for.
    refused = world.send("recordVisit", held)

    assert refused["__typename"] == "ValidationError", refused
    assert record(world)["visits"] == []
    assert_clean(world, caplog)


@pytest.mark.parametrize("rehired", [False, True], ids=["before the hire", "between contracts"])
def test_an_absence_begun_outside_the_employment_is_refused_or_counted(
    world: World, caplog: pytest.LogCaptureFixture, rehired: bool
) -> None:
    employee = world.employee_id
    if rehired:
        ended = {"employeeId": employee, "lastDay": "2025-07-01", "reason": "RESIGNATION"}
        ok(world.send("closeContract", ended))
        terms = {"jobTitle": "Soudeuse", "contractType": "CDI"}
        rehire = {"employeeId": employee, "hireDate": "2025-09-01", "terms": terms}
        ok(world.send("rehireEmployee", rehire))
        away = {"kind": "OTHER", "firstDay": "2025-08-10", "returnedOn": "2025-12-01"}
    else:  # hired on 15 January 2024, back from maternity leave on 1 March 2024
        away = {"kind": "MATERNITY", "firstDay": "2023-06-01", "returnedOn": "2024-03-01"}

    # Today accepted, then left out of the due visits (employee_file keeps the absences begun
    # in the employment): the return-to-work visit R4624-31 asks is silently never owed.
    declared = world.send("declareAbsence", {"employeeId": employee, **away}, CONVOCATION_EMAIL)

    if declared["__typename"] == "FollowUpRecordChanged":
        assert "RETURN_TO_WORK" in [v["kind"] for v in due(world)]
    else:
        assert declared["__typename"] in ("ValidationError", "RuleViolationError"), declared
        assert record(world)["absences"] == []
    assert_clean(world, caplog)


def test_no_appointment_is_asked_for_an_employee_whose_identity_was_erased(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    ok(world.send("eraseIdentity", {"employeeId": world.employee_id}))

    # Today accepted and bookable, and its convocation is never sent (nobody to name): the
    # staff are told it was booked, nobody is convened.
    refused = request(world, CONVOCATION_EMAIL, reason="Visite périodique")

    assert refused["__typename"] in ("RuleViolationError", "NotFoundError"), refused
    assert statuses(world) == []
    assert_clean(world, caplog)


def test_of_two_bookings_of_one_slot_at_once_the_second_is_told_the_slot_is_taken(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = date(2026, 3, 10)
    slot_id = publish(world, day, "09:00:00")
    first, second = ok(request(world)), ok(request(world, kind="ON_REQUEST"))

    # Today: CONFLICT with the appointment's unchanged version (1), though the Availability
    # docstring promises the loser "is decided again and finds the slot taken".
    answers = at_once(
        monkeypatch,
        Availability,
        "hold",
        [
            lambda: world.send("bookAppointment", booking(world, first, day, slot_id)),
            lambda: world.send("bookAppointment", booking(world, second, day, slot_id)),
        ],
    )

    outcomes = sorted((a["__typename"], a.get("code")) for a in answers)
    assert outcomes == [("AppointmentChangedSuccess", None), ("RuleViolationError", "SLOT_TAKEN")]
    assert sorted(statuses(world)) == ["BOOKED", "REQUESTED"]
    assert free_slots(world, day) == []
    assert_clean(world, caplog)


def test_two_first_changes_of_a_care_team_at_once_are_both_recorded(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def assign(professional_id: str) -> Callable[[], Any]:
        fields = {
            "memberId": world.member_id,
            "professionalId": professional_id,
            "effectiveOn": TODAY.isoformat(),
        }
        return lambda: world.send("assignProfessional", fields)

    # Today: one is refused with CONFLICT and a currentVersion, though the input takes no
    # expected version and the two changes (two roles) do not depend on each other.
    answers = at_once(
        monkeypatch, CareTeam, "assign", [assign(world.doctor_id), assign(world.nurse_id)]
    )

    assert [a["__typename"] for a in answers] == ["CareTeamChangedSuccess"] * 2, answers
    team = world.read(
        "query($m: UUID!) { careTeam(memberId: $m) { members { professional { role } } } }",
        {"m": world.member_id},
    )["careTeam"]
    roles = [m["professional"]["role"] for m in team["members"]]
    assert roles == ["OCCUPATIONAL_DOCTOR", "NURSE"]
    assert_clean(world, caplog)


def test_a_convocation_is_mailed_whatever_script_the_employee_s_name_is_written_in(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    hire_input = {
        "requestId": request_id(),
        "memberId": world.member_id,
        "identity": an_identity("Mei", "李"),
        "hireDate": "2026-02-02",
        "terms": a_contract(),
    }
    hired = world.read(HIRE, {"input": hire_input})["hireEmployee"]
    if hired["__typename"] != "HireEmployeeSuccess":  # a name no document prints, refused
        assert hired["__typename"] == "ValidationError", hired
        return
    day = date(2026, 3, 10)
    slot_id = publish(world, day, "09:00:00")
    appointment_id = ok(request(world, employeeId=hired["aggregateId"]))

    # Today the booking succeeds, but the convocation reaction skips the event (TypstError: the
    # PDF/A font cannot show 李) and only "reaction convocation_mail skips event" is logged.
    ok(world.send("bookAppointment", booking(world, appointment_id, day, slot_id)))

    world.services.settle()
    convocations = [
        mail
        for mail in world.outbox.messages()
        if mail["To"] == CONVOCATION_EMAIL and mail["Subject"].startswith("Convocation")
    ]
    assert len(convocations) == 1
    assert_clean(world, caplog)


def test_the_activity_summary_is_printed_whatever_subject_was_recorded(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    details = {"kind": "AWARENESS_SESSION", "heldOn": TODAY.isoformat(), "subject": "Postures 💪"}

    recorded = world.send(
        "recordWorkplaceAction", {"memberId": world.member_id, "details": details}
    )
    printed = world.as_(ADMIN_EMAIL).get(f"/visits/{world.member_id}/activity/2026/summary.pdf")

    # Today recorded, then every download of that year's summary is a 500 (TypstError: the
    # PDF/A font cannot show the emoji), until the action is withdrawn.
    if recorded["__typename"] == "ActivitySummaryChangedSuccess":
        assert printed.status_code == 200, printed.text
    else:
        assert recorded["__typename"] == "ValidationError", recorded
    assert_clean(world, caplog)


def test_an_absence_cause_read_in_the_audit_trail_is_a_logged_health_read(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    away = {
        "employeeId": world.employee_id,
        "kind": "OCCUPATIONAL_DISEASE",
        "firstDay": "2026-01-05",
        "returnedOn": "2026-02-02",
    }
    ok(world.send("declareAbsence", away, CONVOCATION_EMAIL))
    ok(request(world, CONVOCATION_EMAIL))

    trail = world.read(AUDIT, {"m": world.member_id}, ADMIN_EMAIL)["auditTrail"]["edges"]

    # Today the changes of AbsenceDeclared hold the cause ("occupational_disease") and those of
    # AppointmentRequested the reason, while only the Employee's events count as health reads:
    # reading followUpRecord is logged, reading the same in the audit trail is not.
    shown = json.dumps([edge["node"]["changes"] for edge in trail])
    if "occupational_disease" in shown or "Hernie" in shown:
        reads = world.read(HEALTH_READS)["accessLog"]["edges"]
        admin = str(account_id(world.services.app, ADMIN_EMAIL))
        assert any(
            (r["node"]["accountId"], r["node"]["operation"]) == (admin, "auditTrail") for r in reads
        ), reads
    assert_clean(world, caplog)


# Probes that passed, guarded -------------------------------------------------------------------


def test_another_member_s_user_is_answered_as_for_a_missing_employee_and_changes_nothing(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    away = {"employeeId": world.employee_id, "kind": "WORK_ACCIDENT", "firstDay": "2026-02-02"}
    ok(world.send("declareAbsence", away, CONVOCATION_EMAIL))
    before = record(world)
    missing = str(uuid4())

    theirs = world.read(RECORD, {"e": world.employee_id}, OTHER_ADMIN_EMAIL)
    unknown = world.read(RECORD, {"e": missing}, OTHER_ADMIN_EMAIL)
    assert theirs == unknown == {"followUpRecord": {"visits": [], "absences": []}}
    for name, fields in (
        ("declareReturn", {"absenceId": 1, "returnedOn": "2026-03-02"}),
        ("withdrawAbsence", {"absenceId": 1, "errorNote": "Erreur"}),
        ("declareAbsence", {"kind": "OTHER", "firstDay": "2026-03-02"}),
    ):
        out_of_reach = world.send(
            name, {"employeeId": world.employee_id, **fields}, OTHER_ADMIN_EMAIL
        )
        none = world.send(name, {"employeeId": missing, **fields}, OTHER_ADMIN_EMAIL)
        assert out_of_reach == none, name
        assert (none["__typename"], none["code"]) == ("NotFoundError", "EMPLOYEE_NOT_FOUND")
    assert world.read(DUE, {"m": world.member_id}, OTHER_ADMIN_EMAIL) == {"dueVisits": []}
    assert record(world) == before
    assert_clean(world, caplog)


def test_withdrawing_twice_is_refused_the_second_time_and_changes_nothing(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    employee = world.employee_id
    held = {
        "employeeId": employee,
        "kind": "PERIODIC",
        "heldOn": "2025-06-02",
        "professionalId": world.doctor_id,
        "document": "FOLLOW_UP_CERTIFICATE",
    }
    ok(world.send("recordVisit", held))
    away = {"employeeId": employee, "kind": "MATERNITY", "firstDay": "2025-01-06"}
    ok(world.send("declareAbsence", away))
    action = {"kind": "STUDY", "heldOn": TODAY.isoformat(), "subject": "Poste de soudure"}
    ok(world.send("recordWorkplaceAction", {"memberId": world.member_id, "details": action}))
    availability_id = ok(world.send("publishSlot", slot(world, date(2026, 3, 10), "09:00:00")))
    (free,) = free_slots(world, date(2026, 3, 10))
    appointment_id = ok(request(world))
    withdrawals = [
        ("withdrawVisit", {"employeeId": employee, "visitId": 1, "errorNote": "Doublon"}),
        ("withdrawAbsence", {"employeeId": employee, "absenceId": 1, "errorNote": "Doublon"}),
        (
            "withdrawWorkplaceAction",
            {"memberId": world.member_id, "year": 2026, "actionId": 1, "errorNote": "Doublon"},
        ),
        ("withdrawSlot", {"availabilityId": availability_id, "slotId": free["id"]}),
        ("cancelAppointment", {"appointmentId": appointment_id}),
    ]

    for name, fields in withdrawals:
        ok(world.send(name, fields))
        again = world.send(name, fields)
        assert again["__typename"] in ("NotFoundError", "RuleViolationError"), (name, again)

    assert record(world) == {"visits": [], "absences": []}
    assert statuses(world) == ["CANCELLED"]
    assert free_slots(world, date(2026, 3, 10)) == []
    assert_clean(world, caplog)


@pytest.mark.parametrize("returned_on", ["2026-01-05", "2026-01-04", "0001-01-01", "9999-12-31"])
def test_a_return_not_after_the_first_day_of_absence_nor_plausible_is_refused(
    world: World, caplog: pytest.LogCaptureFixture, returned_on: str
) -> None:
    away = {"employeeId": world.employee_id, "kind": "WORK_ACCIDENT", "firstDay": "2026-01-05"}
    ok(world.send("declareAbsence", away, CONVOCATION_EMAIL))
    back = {"employeeId": world.employee_id, "absenceId": 1, "returnedOn": returned_on}

    refused = world.send("declareReturn", back, CONVOCATION_EMAIL)

    assert (refused["__typename"], refused["field"]) == ("ValidationError", "returnedOn")
    assert "accident" not in refused["message"].lower(), "the cause stays unsaid"
    assert [a["returnedOn"] for a in record(world)["absences"]] == [None]
    assert_clean(world, caplog)


def test_a_member_with_no_employee_gets_empty_answers(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    empty = register_member(world.as_(STAFF_EMAIL), "00030")
    assigned = {"memberId": empty, "centreId": world.centre_id, "effectiveOn": TODAY.isoformat()}
    ok(world.send("assignVisitCentre", assigned))

    assert world.read(DUE, {"m": empty}) == {"dueVisits": []}
    summary = world.read(
        "query($m: UUID!) { activitySummary(memberId: $m, year: 2026) { actions { subject }"
        " visitsTotal } }",
        {"m": empty},
    )
    assert summary == {"activitySummary": {"actions": [], "visitsTotal": 0}}
    printed = world.client.get(f"/visits/{empty}/activity/2026/summary.pdf")
    assert (printed.status_code, printed.headers["content-type"]) == (200, "application/pdf")
    planning = world.body(
        "query($c: UUID) { overdueVisits(centreId: $c) { kind }"
        ' upcomingVisits(until: "2026-06-01", centreId: $c) { kind } }',
        {"c": world.centre_id},
    )
    assert planning == {"data": {"overdueVisits": [], "upcomingVisits": []}}
    assert_clean(world, caplog)


def test_a_visit_held_on_a_leap_day_is_renewed_at_the_end_of_february(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    held = {
        "employeeId": world.employee_id,
        "kind": "INFORMATION_AND_PREVENTION",
        "heldOn": "2024-02-29",
        "professionalId": world.nurse_id,
        "document": "FOLLOW_UP_CERTIFICATE",
    }
    ok(world.send("recordVisit", held))

    assert [(v["kind"], v["dueBy"]) for v in due(world)] == [("PERIODIC", "2029-02-28")]
    assert_clean(world, caplog)


NUMBERS: list[tuple[str, Callable[[World], dict[str, Any]]]] = [
    ("publishSlot", lambda w: slot(w, date(2026, 3, 10), "09:00:00") | {"minutes": 2**31 - 1}),
    ("publishSlot", lambda w: slot(w, date(2026, 3, 10), "09:00:00") | {"minutes": -(2**31)}),
    ("setCancellationNotice", lambda w: {"days": 2**31 - 1}),
    ("setCancellationNotice", lambda w: {"days": -(2**31)}),
    ("setNoShowBilling", lambda w: {"billed": True, "fee": "1e25"}),
    ("setNoShowBilling", lambda w: {"billed": True, "fee": "-50"}),
    ("setNoShowBilling", lambda w: {"billed": True, "fee": "NaN"}),
    ("setNoShowBilling", lambda w: {"billed": True, "fee": "0.004"}),
    (
        "recordWorkplaceAction",
        lambda w: {
            "memberId": w.member_id,
            "details": {
                "kind": "STUDY",
                "heldOn": TODAY.isoformat(),
                "subject": "Bruit",
                "durationMinutes": -1,
            },
        },
    ),
    (
        "recordWorkplaceAction",
        lambda w: {
            "memberId": w.member_id,
            "details": {
                "kind": "STUDY",
                "heldOn": TODAY.isoformat(),
                "subject": "Bruit",
                "participants": 2**31 - 1,
            },
        },
    ),
]


@pytest.mark.parametrize(("name", "fields"), NUMBERS)
def test_negative_or_huge_numbers_are_refused_and_nothing_is_recorded(
    world: World, caplog: pytest.LogCaptureFixture, name: str, fields: Callable[[World], Any]
) -> None:
    refused = world.send(name, fields(world))

    assert refused["__typename"] == "ValidationError", refused
    assert free_slots(world, date(2026, 3, 10)) == []
    assert_clean(world, caplog)


def test_hostile_text_naming_the_employee_reaches_no_log(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    refusals = [
        request(world, CONVOCATION_EMAIL, reason=f"{REASON}\x00"),
        request(world, CONVOCATION_EMAIL, reason=f"{REASON} " * 50),
        request(world, CONVOCATION_EMAIL, constraints=f"\u202e{REASON}"),
        world.send(
            "withdrawAbsence",
            {"employeeId": world.employee_id, "absenceId": 7, "errorNote": REASON},
            CONVOCATION_EMAIL,
        ),
    ]
    refused_query = world.body(
        "query($m: UUID!, $d: Date) { dueVisits(memberId: $m, validOn: $d) { kind } }",
        {"m": world.member_id, "d": REASON},
        CONVOCATION_EMAIL,
    )

    assert [r["__typename"] for r in refusals] == ["ValidationError"] * 3 + ["NotFoundError"]
    assert all("Hernie" not in r["message"] for r in refusals)
    assert "Hernie" not in json.dumps(refused_query)
    assert statuses(world) == []
    assert_clean(world, caplog)


def test_planning_pages_at_negative_or_huge_offsets_are_answered(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    body = world.body(
        "query($o: Int!, $p: Int!) { overdueVisits(offset: $o) { kind }"
        ' upcomingVisits(until: "2026-06-01", offset: $p) { kind } }',
        {"o": 2**31 - 1, "p": -(2**31)},
    )

    assert body == {"data": {"overdueVisits": [], "upcomingVisits": []}}
    assert_clean(world, caplog)


@pytest.mark.parametrize("year", ["0", "-1", "10000", "99999999999999999999"])
def test_the_pdf_of_a_year_no_calendar_holds_is_missing_and_out_of_reach_alike(
    world: World, caplog: pytest.LogCaptureFixture, year: str
) -> None:
    path = "/visits/{}/activity/{}/summary.pdf"

    no_year = world.as_(ADMIN_EMAIL).get(path.format(world.member_id, year))
    out_of_reach = world.as_(OTHER_ADMIN_EMAIL).get(path.format(world.member_id, year))
    missing = world.client.get(path.format(uuid4(), year))

    assert no_year.status_code == out_of_reach.status_code == missing.status_code == 404
    assert no_year.json()["extra"] == {"code": "ACTIVITY_SUMMARY_NOT_FOUND"}
    assert out_of_reach.json() == missing.json()
    assert missing.json()["extra"] == {"code": "MEMBER_NOT_FOUND"}
    assert_clean(world, caplog)

"""The visits an employee owes, through the API: a hire makes the information visit due, a visit
held makes its renewal due, a return after an absence makes the return-to-work visit due; as of
any day and as known on any day; the service's overdue list by visit centre."""

from datetime import date, timedelta
from typing import Any

from litestar.testing import TestClient

from api.services import Services
from tests.api.graphql_client import data, hire, register_member, request_id
from tests.api.test_care_team_api import CENTRE, professional, run

DUE = """
query($memberId: UUID!, $validOn: Date, $knownAt: Date) {
  dueVisits(memberId: $memberId, validOn: $validOn, knownAt: $knownAt) {
    employeeId kind kindLabel dueBy article reason overdue
  }
}"""
OVERDUE = """
query($validOn: Date, $centreId: UUID) {
  overdueVisits(validOn: $validOn, centreId: $centreId) { employeeId kind dueBy }
}"""


def due(client: TestClient, member_id: str, **when: date) -> list[Any]:
    variables = {"memberId": member_id, **{k: v.isoformat() for k, v in when.items()}}
    found: list[Any] = data(client, DUE, variables)["dueVisits"]
    return found


def send(client: TestClient, name: str, fields: dict[str, Any]) -> Any:
    query = f"""
    mutation($input: {name[0].upper()}{name[1:]}Input!) {{
      {name}(input: $input) {{
        __typename ... on FollowUpRecordChanged {{ aggregateId createdId }}
        ... on ValidationError {{ code field }} ... on RuleViolationError {{ code }}
      }}
    }}"""
    return data(client, query, {"input": {"requestId": request_id(), **fields}})[name]


def test_a_hire_a_visit_and_a_return_make_their_visits_due(
    client: TestClient, services: Services
) -> None:
    today = services.clock.today()
    member_id = register_member(client)
    employee_id = hire(client, member_id)["aggregateId"]  # hired on 15/01/2024, born 1990
    services.settle()

    [vip] = due(client, member_id)
    assert (vip["kind"], vip["dueBy"], vip["article"], vip["overdue"]) == (
        "INFORMATION_AND_PREVENTION",
        "2024-04-15",
        "R4624-10",
        True,
    )
    assert vip["kindLabel"] == "Visite d'information et de prévention"

    nurse = professional(client, "Garcia", "NURSE")
    held = {
        "employeeId": employee_id,
        "kind": "INFORMATION_AND_PREVENTION",
        "heldOn": "2024-03-01",
        "professionalId": nurse,
        "document": "FOLLOW_UP_CERTIFICATE",
    }
    assert send(client, "recordVisit", held)["__typename"] == "FollowUpRecordChanged"
    services.settle()
    [renewal] = due(client, member_id)
    assert (renewal["kind"], renewal["dueBy"], renewal["article"]) == (
        "PERIODIC",
        "2029-03-01",
        "R4624-16",
    )
    assert [v["kind"] for v in due(client, member_id, validOn=date(2024, 2, 1))] == [
        "INFORMATION_AND_PREVENTION"
    ], "before the visit was held, the information visit was owed"
    assert due(client, member_id, knownAt=today - timedelta(days=1)) == [], "nothing known yet"

    away = {
        "employeeId": employee_id,
        "kind": "WORK_ACCIDENT",
        "firstDay": (today - timedelta(days=40)).isoformat(),
        "returnedOn": (today - timedelta(days=5)).isoformat(),
    }
    assert send(client, "declareAbsence", away)["__typename"] == "FollowUpRecordChanged"
    services.settle()
    owed = {v["kind"]: v for v in due(client, member_id)}
    back = owed["RETURN_TO_WORK"]
    assert (back["dueBy"], back["article"]) == ((today + timedelta(days=3)).isoformat(), "R4624-31")
    assert "accident" not in back["reason"].lower(), "why the worker was away stays unsaid"


def test_the_services_overdue_visits_by_visit_centre(
    client: TestClient, services: Services
) -> None:
    today = services.clock.today()
    served = register_member(client)
    other = register_member(client, "00011")
    hire(client, served)
    hire(client, other, "Paul")
    centre = run(client, "openVisitCentre", {"details": CENTRE})["aggregateId"]
    assigned = run(
        client,
        "assignVisitCentre",
        {"memberId": served, "centreId": centre, "effectiveOn": today.isoformat()},
    )
    assert assigned["__typename"] == "CareTeamChangedSuccess"
    services.settle()

    everywhere = data(client, OVERDUE, {})["overdueVisits"]
    at_centre = data(client, OVERDUE, {"centreId": centre})["overdueVisits"]

    assert len(everywhere) == 2
    assert len(at_centre) == 1
    assert at_centre[0]["dueBy"] == "2024-04-15"


def test_a_visit_in_the_future_or_an_overlapping_absence_is_refused(
    client: TestClient, services: Services
) -> None:
    today = services.clock.today()
    member_id = register_member(client)
    employee_id = hire(client, member_id)["aggregateId"]
    doctor = professional(client, "Lefèvre", "OCCUPATIONAL_DOCTOR")
    tomorrow = {
        "employeeId": employee_id,
        "kind": "PERIODIC",
        "heldOn": (today + timedelta(days=1)).isoformat(),
        "professionalId": doctor,
        "document": "NONE",
    }
    refused = send(client, "recordVisit", tomorrow)
    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "ValidationError",
        "DATE_OUT_OF_RANGE",
        "heldOn",
    )
    running = {"employeeId": employee_id, "kind": "OTHER", "firstDay": today.isoformat()}
    assert send(client, "declareAbsence", running)["__typename"] == "FollowUpRecordChanged"
    refused = send(
        client, "declareAbsence", running | {"firstDay": (today + timedelta(days=3)).isoformat()}
    )
    assert (refused["__typename"], refused["code"]) == ("RuleViolationError", "ABSENCE_OVERLAP")


RECORD = """
query($employeeId: UUID!) {
  followUpRecord(employeeId: $employeeId) {
    visits { visitId kind kindLabel heldOn role document }
    absences { absenceId kind kindLabel firstDay returnedOn }
  }
}"""


def test_what_is_recorded_is_read_back_with_its_number_to_name_it_later(
    client: TestClient, services: Services
) -> None:
    today = services.clock.today()
    member_id = register_member(client)
    employee_id = hire(client, member_id)["aggregateId"]
    away = {"employeeId": employee_id, "kind": "OTHER", "firstDay": today.isoformat()}

    declared = send(client, "declareAbsence", away)
    services.settle()
    [absence] = data(client, RECORD, {"employeeId": employee_id})["followUpRecord"]["absences"]

    assert declared["createdId"] == absence["absenceId"] == 1
    assert (absence["kind"], absence["returnedOn"]) == ("OTHER", None)
    back = (today + timedelta(days=70)).isoformat()
    returned = send(
        client, "declareReturn", {"employeeId": employee_id, "absenceId": 1, "returnedOn": back}
    )
    assert returned["__typename"] == "FollowUpRecordChanged"
    services.settle()
    record = data(client, RECORD, {"employeeId": employee_id})["followUpRecord"]
    assert record == {
        "visits": [],
        "absences": [
            {
                "absenceId": 1,
                "kind": "OTHER",
                "kindLabel": "Autre absence (maladie ou accident non professionnel…)",
                "firstDay": today.isoformat(),
                "returnedOn": back,
            }
        ],
    }


UPCOMING = """
query($until: Date!, $centreId: UUID) {
  upcomingVisits(until: $until, centreId: $centreId) { employeeId kind dueBy overdue }
}"""


def test_the_services_planning_lists_what_falls_due_and_not_what_is_late(
    client: TestClient, services: Services
) -> None:
    today = services.clock.today()
    member_id = register_member(client)
    late = hire(client, member_id)["aggregateId"]  # hired in 2024: its visit is late
    recent = hire(client, member_id, "Paul", hire_date=today - timedelta(days=10))["aggregateId"]
    services.settle()

    soon = data(client, UPCOMING, {"until": (today + timedelta(days=120)).isoformat()})
    too_soon = data(client, UPCOMING, {"until": (today + timedelta(days=30)).isoformat()})
    overdue = data(client, OVERDUE, {})["overdueVisits"]

    assert [(v["employeeId"], v["kind"], v["overdue"]) for v in soon["upcomingVisits"]] == [
        (recent, "INFORMATION_AND_PREVENTION", False)
    ]
    assert too_soon["upcomingVisits"] == []
    assert [v["employeeId"] for v in overdue] == [late]


def test_a_members_list_comes_a_page_at_a_time_the_most_urgent_first(
    client: TestClient, services: Services
) -> None:
    member_id = register_member(client)
    for first_name, hired_on in (("Anne", date(2024, 3, 1)), ("Paul", date(2024, 1, 8))):
        hire(client, member_id, first_name, hire_date=hired_on)
    services.settle()
    paged = """
    query($memberId: UUID!, $offset: Int!) {
      dueVisits(memberId: $memberId, offset: $offset) { dueBy }
    }"""

    pages = [
        [
            v["dueBy"]
            for v in data(client, paged, {"memberId": member_id, "offset": offset})["dueVisits"]
        ]
        for offset in (0, 1, 2)
    ]

    assert pages == [["2024-04-08", "2024-06-01"], ["2024-06-01"], []]


NOTES = """
query($employeeId: UUID!) {
  followUpRecord(employeeId: $employeeId) { convocationConstraints comment }
}"""


def test_the_employee_forms_convocation_notes_are_kept_and_read_back(
    client: TestClient, services: Services
) -> None:
    member_id = register_member(client)
    employee_id = hire(client, member_id)["aggregateId"]
    notes = {
        "employeeId": employee_id,
        "convocationConstraints": "Pas le mercredi (garde alternée)",
        "comment": "Travaille de nuit",
    }

    assert send(client, "setConvocationNotes", notes)["__typename"] == "FollowUpRecordChanged"
    again = send(client, "setConvocationNotes", notes)
    hostile = send(client, "setConvocationNotes", notes | {"comment": "Nuit\u202e"})
    services.settle()

    assert data(client, NOTES, {"employeeId": employee_id})["followUpRecord"] == {
        "convocationConstraints": "Pas le mercredi (garde alternée)",
        "comment": "Travaille de nuit",
    }
    assert (again["__typename"], again["code"]) == ("RuleViolationError", "NOTHING_CHANGED")
    assert (hostile["__typename"], hostile["code"], hostile["field"]) == (
        "ValidationError",
        "INVALID_TEXT",
        "comment",
    )

"""CMR exposures as of dates, an employee's own history, and the audit trail."""

from datetime import timedelta
from typing import Any

from litestar.testing import TestClient

from api.services import Services
from tests.account_ids import account_id
from tests.api.graphql_client import data, hire, mutate, register_member
from tests.api.sessions import STAFF_EMAIL

BENZENE = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}
EXPOSURES = """
query($memberId: UUID!, $validOn: Date, $knownAt: Date) {
  cmrExposures(memberId: $memberId, validOn: $validOn, knownAt: $knownAt) {
    exposureId agentName casNumber routes hoursPerWeek validFrom validTo firstName
  }
}"""


def an_exposed_employee(client: TestClient) -> tuple[str, str]:
    member_id = register_member(client)
    employee_id = hire(client, member_id, "Marie")["aggregateId"]
    recorded = mutate(
        client,
        "recordExposure",
        "RecordExposureInput",
        {
            "employeeId": employee_id,
            "agent": BENZENE,
            "startedOn": "2024-03-01",
            "routes": ["INHALATION", "SKIN"],
            "hoursPerWeek": "7.5",
        },
    )
    ended = mutate(
        client,
        "endExposure",
        "EndExposureInput",
        {"employeeId": employee_id, "exposureId": 1, "lastDay": "2024-06-30"},
    )
    assert (recorded["__typename"], ended["__typename"]) == (
        "RecordExposureSuccess",
        "EndExposureSuccess",
    )
    return member_id, employee_id


def exposures(client: TestClient, member_id: str, **dates: str) -> Any:
    return data(client, EXPOSURES, {"memberId": member_id, **dates})["cmrExposures"]


def test_exposures_on_a_validity_date_and_as_known_at_a_date(client: TestClient) -> None:
    member_id, _ = an_exposed_employee(client)
    yesterday = (client.app.state.services.clock.today() - timedelta(days=1)).isoformat()

    during = exposures(client, member_id, validOn="2024-04-01")
    after = exposures(client, member_id, validOn="2024-07-01")
    before_recorded = exposures(client, member_id, validOn="2024-04-01", knownAt=yesterday)

    assert during == [
        {
            "exposureId": 1,
            "agentName": "Benzène",
            "casNumber": "71-43-2",
            "routes": ["INHALATION", "SKIN"],
            "hoursPerWeek": "7.5",
            "validFrom": "2024-03-01",
            "validTo": "2024-06-30",
            "firstName": "Marie",
        }
    ]
    assert after == []
    assert before_recorded == []


def test_an_employee_shows_its_exposures_and_its_own_history(
    client: TestClient, services: Services
) -> None:
    _, employee_id = an_exposed_employee(client)
    query = """
    query($id: UUID!, $validOn: Date) {
      employee(id: $id, validOn: $validOn) {
        category exposures { agentName } history { eventType aggregateVersion actor summary }
      }
    }"""

    employee = data(client, query, {"id": employee_id, "validOn": "2024-04-01"})["employee"]

    assert employee["category"] == "SIR"
    assert employee["exposures"] == [{"agentName": "Benzène"}]
    assert [(e["eventType"], e["aggregateVersion"]) for e in employee["history"]] == [
        ("CmrExposureEnded", 3),
        ("CmrExposureRecorded", 2),
        ("Hired", 1),
    ]
    assert {e["actor"] for e in employee["history"]} == {str(account_id(services.app, STAFF_EMAIL))}


def test_exposures_of_a_page_of_employees_are_read_together(client: TestClient) -> None:
    member_id, _ = an_exposed_employee(client)
    hire(client, member_id, "Paul", birth_name="Durand")
    query = """
    query($memberId: UUID!) {
      employees(memberId: $memberId, validOn: "2024-04-01") {
        edges { node { firstName exposures { agentName } } }
      }
    }"""

    edges = data(client, query, {"memberId": member_id})["employees"]["edges"]

    assert [(e["node"]["firstName"], e["node"]["exposures"]) for e in edges] == [
        ("Paul", []),
        ("Marie", [{"agentName": "Benzène"}]),
    ]


AUDIT = """
query($memberId: UUID, $aggregateId: UUID, $from: Date, $to: Date, $first: Int, $after: String) {
  auditTrail(
    memberId: $memberId, aggregateId: $aggregateId, from: $from, to: $to, first: $first,
    after: $after
  ) {
    edges { node { eventType aggregateType changes } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def audit(client: TestClient, **arguments: Any) -> Any:
    return data(client, AUDIT, arguments)["auditTrail"]


def event_types(page: Any) -> list[str]:
    return [edge["node"]["eventType"] for edge in page["edges"]]


def test_the_audit_trail_pages_newest_first_and_filters(client: TestClient) -> None:
    member_id, _ = an_exposed_employee(client)
    today = client.app.state.services.clock.today()

    first = audit(client, memberId=member_id, first=2)
    rest = audit(client, memberId=member_id, first=2, after=first["pageInfo"]["endCursor"])
    of_member = audit(client, aggregateId=member_id)
    yesterday = audit(client, memberId=member_id, to=(today - timedelta(days=1)).isoformat())
    today_only = audit(client, memberId=member_id, **{"from": today.isoformat()})

    assert event_types(first) == ["CmrExposureEnded", "CmrExposureRecorded"]
    assert first["pageInfo"]["hasNextPage"]
    assert event_types(rest) == ["Hired", "Registered"]
    assert not rest["pageInfo"]["hasNextPage"]
    assert event_types(of_member) == ["Registered"]
    assert of_member["edges"][0]["node"]["changes"]["legalName"] == "Martin SAS"
    assert event_types(yesterday) == []
    assert len(today_only["edges"]) == 4

"""The service's organisation through the API: visit centres and professionals kept by the
service, a member's care team and centre with history, as its users read it (seed 004 §2.2)."""

from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from api.services import Services
from tests.api.graphql_client import FAILURES, data, graphql, register_member, request_id

CARE_TEAM = """
query($memberId: UUID!, $asOf: Date) {
  careTeam(memberId: $memberId, asOf: $asOf) {
    members { since professional { lastName firstName role roleLabel phone email } }
    centre { name phone openingDays accessNote address { lines postalCode city } }
    centreSince
  }
}"""
CENTRE = {
    "name": "Centre Joliette",
    "address": {"lines": ["40 boulevard de Dunkerque"], "postalCode": "13002", "city": "Marseille"},
    "phone": "04 91 00 00 00",
    "openingDays": ["MONDAY", "THURSDAY"],
    "accessNote": "Parking au sous-sol",
}


def run(client: TestClient, name: str, fields: dict[str, Any]) -> Any:
    success = {
        "openVisitCentre": "VisitCentreChangedSuccess",
        "closeVisitCentre": "VisitCentreChangedSuccess",
        "registerProfessional": "HealthProfessionalChangedSuccess",
        "recordProfessionalDeparture": "HealthProfessionalChangedSuccess",
    }.get(name, "CareTeamChangedSuccess")
    query = f"""
    mutation($input: {name[0].upper()}{name[1:]}Input!) {{
      {name}(input: $input) {{ __typename ... on {success} {{ aggregateId version }} {FAILURES} }}
    }}"""
    return data(client, query, {"input": {"requestId": request_id(), **fields}})[name]


def professional(client: TestClient, last_name: str, role: str, **more: str) -> str:
    details = {"lastName": last_name, "firstName": "Anne", "role": role, **more}
    registered = run(client, "registerProfessional", {"details": details})
    assert registered["__typename"] == "HealthProfessionalChangedSuccess", registered
    return str(registered["aggregateId"])


@pytest.fixture
def today(services: Services) -> date:
    return services.clock.today()


def team(client: TestClient, member_id: str, as_of: date | None = None) -> Any:
    variables = {"memberId": member_id, "asOf": None if as_of is None else as_of.isoformat()}
    return data(client, CARE_TEAM, variables)["careTeam"]


def test_a_members_team_and_centre_read_as_assigned_and_as_they_stood(
    client: TestClient, services: Services, today: date
) -> None:
    member_id = register_member(client)
    centre = run(client, "openVisitCentre", {"details": CENTRE})["aggregateId"]
    doctor = professional(
        client, "Lefèvre", "OCCUPATIONAL_DOCTOR", phone="04 91 00 00 01", email="a@sst.example"
    )
    nurse = professional(client, "Garcia", "NURSE")
    successor = professional(client, "Martin", "OCCUPATIONAL_DOCTOR")
    in_ten_days = today + timedelta(days=10)
    for fields in (
        {"professionalId": doctor, "effectiveOn": today.isoformat()},
        {"professionalId": nurse, "effectiveOn": today.isoformat()},
        {"professionalId": successor, "effectiveOn": in_ten_days.isoformat()},
    ):
        assigned = run(client, "assignProfessional", {"memberId": member_id, **fields})
        assert assigned["__typename"] == "CareTeamChangedSuccess", assigned
    centre_fields = {
        "memberId": member_id,
        "centreId": centre,
        "effectiveOn": in_ten_days.isoformat(),
    }
    assert run(client, "assignVisitCentre", centre_fields)["__typename"] == "CareTeamChangedSuccess"
    services.settle()

    now = team(client, member_id)
    assert [
        (m["professional"]["lastName"], m["professional"]["roleLabel"]) for m in now["members"]
    ] == [
        ("LEFÈVRE", "Médecin du travail"),
        ("GARCIA", "Infirmier en santé au travail"),
    ]
    assert now["members"][0]["professional"]["phone"] == "+33491000001"
    assert now["centre"] is None, "the centre is the member's only from its day"
    later = team(client, member_id, in_ten_days)
    assert [m["professional"]["lastName"] for m in later["members"]] == ["MARTIN", "GARCIA"]
    assert later["members"][0]["since"] == in_ten_days.isoformat()
    assert later["centre"]["openingDays"] == ["MONDAY", "THURSDAY"]
    assert later["centre"]["address"]["city"] == "Marseille"
    assert later["centreSince"] == in_ten_days.isoformat()
    assert team(client, member_id, today - timedelta(days=1)) == {
        "members": [],
        "centre": None,
        "centreSince": None,
    }


def test_changes_out_of_order_too_far_or_about_departed_people_are_refused(
    client: TestClient, services: Services, today: date
) -> None:
    member_id = register_member(client)
    doctor = professional(client, "Lefèvre", "OCCUPATIONAL_DOCTOR")
    nurse = professional(client, "Garcia", "NURSE")
    assign = {"memberId": member_id, "professionalId": doctor}
    assert (
        run(client, "assignProfessional", {**assign, "effectiveOn": today.isoformat()})[
            "__typename"
        ]
        == "CareTeamChangedSuccess"
    )

    earlier = today - timedelta(days=5)
    refused = run(
        client,
        "assignProfessional",
        {**assign, "professionalId": nurse, "effectiveOn": earlier.isoformat()},
    )
    assert (refused["__typename"], refused["code"]) == ("RuleViolationError", "CHANGE_OUT_OF_ORDER")
    far = today + timedelta(days=800)
    refused = run(
        client,
        "assignProfessional",
        {**assign, "professionalId": nurse, "effectiveOn": far.isoformat()},
    )
    assert (refused["__typename"], refused["code"]) == ("ValidationError", "DATE_OUT_OF_RANGE")
    left = run(
        client,
        "recordProfessionalDeparture",
        {"professionalId": nurse, "leftOn": today.isoformat()},
    )
    assert left["__typename"] == "HealthProfessionalChangedSuccess"
    refused = run(
        client,
        "assignProfessional",
        {**assign, "professionalId": nurse, "effectiveOn": today.isoformat()},
    )
    assert (refused["__typename"], refused["code"]) == ("RuleViolationError", "PROFESSIONAL_LEFT")
    services.settle()
    assert [m["professional"]["lastName"] for m in team(client, member_id)["members"]] == [
        "LEFÈVRE"
    ]


@pytest.mark.parametrize(
    ("details", "code"),
    [
        ({**CENTRE, "name": "Centre\u202eJoliette"}, "INVALID_TEXT"),
        ({**CENTRE, "name": "x" * 121}, "INVALID_TEXT"),
        ({**CENTRE, "phone": "pas un numéro"}, "INVALID_PHONE"),
        ({**CENTRE, "openingDays": []}, "NO_OPENING_DAY"),
        ({**CENTRE, "accessNote": "a\x00b"}, "INVALID_TEXT"),
    ],
)
def test_a_centre_with_bad_details_is_refused_and_nothing_is_recorded(
    client: TestClient, services: Services, details: dict[str, Any], code: str
) -> None:
    refused = run(client, "openVisitCentre", {"details": details})

    assert (refused["__typename"], refused["code"]) == ("ValidationError", code)
    services.settle()
    body = graphql(client, "{ visitCentres(closedToo: true) { name } }")
    assert body["data"]["visitCentres"] == []

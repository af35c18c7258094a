"""The free-form JSON values of the API (the `JSON` scalar) in GraphQL's spelling (issue 15): an
audit entry's `changes`, a confirmed copy's `content` and the transmitted CMR list name their
fields in camelCase; keys that are data (prevention themes and question ids, category codes)
are left as they are, and the prevention answers a client reads are what it sends back."""

import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from api.services import Services
from tests.api.confirmed_declaration import confirm_a_declaration, confirmations
from tests.api.graphql_client import data, hire, mutate, register_member
from tests.integration.test_catalogue_edits import up_to_the_prevention_step
from tests.integration.test_declarations_read_model import open_campaign

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
BENZENE = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}
DATA_MAPS = frozenset({"prevention", "answers", "byCategory", "byContractType"})
"""The fields whose value is keyed by data, as clients read them."""
PREVENTION = """
query($memberId: UUID!, $year: Int!) {
  declaration(memberId: $memberId, year: $year) { prevention }
}"""
TRANSMITTED = """
query($memberId: UUID!, $year: Int!) {
  transmittedCmrList(memberId: $memberId, year: $year) { content }
}"""
AUDIT = """
query($memberId: UUID!) {
  auditTrail(memberId: $memberId, first: 100) { edges { node { eventType changes } } }
}"""
HISTORY = "query($id: UUID!) { employee(id: $id) { history { eventType changes } } }"


def snake_case_names(value: Any) -> Iterator[str]:
    """The snake_case keys of `value`, but inside the fields keyed by data."""
    if isinstance(value, dict):
        for key, item in value.items():
            if SNAKE_CASE.fullmatch(key):
                yield key
            if key not in DATA_MAPS:
                yield from snake_case_names(item)
    elif isinstance(value, list):
        for item in value:
            yield from snake_case_names(item)


def changes_of(client: TestClient, member_id: str, event_type: str) -> Any:
    edges = data(client, AUDIT, {"memberId": member_id})["auditTrail"]["edges"]
    return next(e["node"]["changes"] for e in edges if e["node"]["eventType"] == event_type)


@pytest.fixture
def exposed(client: TestClient) -> tuple[str, str]:
    """A member, and its employee exposed to benzene."""
    member_id = register_member(client)
    employee_id = hire(client, member_id, "Zoé", birth_name="Lambert")["aggregateId"]
    exposure = {"employeeId": employee_id, "agent": BENZENE, "startedOn": "2024-03-01"}
    recorded = mutate(client, "recordExposure", "RecordExposureInput", exposure)
    assert recorded["__typename"] == "RecordExposureSuccess", recorded
    return member_id, employee_id


def test_a_confirmed_copy_names_its_fields_in_camel_case_and_keeps_its_data_keys(
    client: TestClient, services: Services, exposed: tuple[str, str]
) -> None:
    member_id, employee_id = exposed
    year = confirm_a_declaration(client, services, member_id)

    (confirmation,) = confirmations(client, member_id, year)
    prevention = data(client, PREVENTION, {"memberId": member_id, "year": year})["declaration"]

    content = confirmation["content"]
    assert set(content) == {
        "year",
        "edition",
        "member",
        "workforce",
        "cmrExposures",
        "declaration",
        "recap",
    }
    (employee,) = content["workforce"]
    (exposure,) = content["cmrExposures"]
    assert (employee["employeeId"], employee["hireDate"], employee["birthName"]) == (
        employee_id,
        "2024-01-15",
        "LAMBERT",
    )
    assert (exposure["employeeId"], exposure["casNumber"], exposure["validFrom"]) == (
        employee_id,
        "71-43-2",
        "2024-03-01",
    )
    assert content["member"]["memberCode"] == "00010"
    assert {"toolSubscribed", "declinedRisks", "purchaseOrder"} <= set(content["declaration"])
    assert content["declaration"]["risks"] == ["noise"]
    # Keys that are data are kept: theme codes and question ids, category codes.
    assert content["declaration"]["prevention"] == prevention["prevention"]
    assert "main_activity" in content["declaration"]["prevention"]["activity"]
    assert "accidents_and_diseases" in content["declaration"]["prevention"]
    assert content["recap"]["byCategory"] == {"SIR": 1}
    assert content["recap"]["byContractType"] == {"CDI": 1}
    assert list(snake_case_names(content)) == []


def test_the_transmitted_cmr_list_names_its_fields_in_camel_case(
    client: TestClient, services: Services, exposed: tuple[str, str]
) -> None:
    member_id, employee_id = exposed
    year = confirm_a_declaration(client, services, member_id)

    listed = data(client, TRANSMITTED, {"memberId": member_id, "year": year})
    content = listed["transmittedCmrList"]["content"]

    (line,) = content["cmrExposures"]
    assert set(content) == {"cmrExposures"}
    assert (line["employeeId"], line["agentName"], line["casNumber"], line["firstName"]) == (
        employee_id,
        "Benzène",
        "71-43-2",
        "Zoé",
    )
    assert list(snake_case_names(content)) == []


def test_audit_changes_name_the_event_s_fields_in_camel_case(
    client: TestClient, exposed: tuple[str, str]
) -> None:
    member_id, employee_id = exposed

    hired = changes_of(client, member_id, "Hired")
    history = data(client, HISTORY, {"id": employee_id})["employee"]["history"]

    assert hired["contract"]["hireDate"] == "2024-01-15"
    assert hired["identity"]["birthName"] == "LAMBERT"
    assert hired["identity"]["firstName"] == "Zoé"
    assert "birth_name" not in hired["identity"]
    assert changes_of(client, member_id, "Registered")["legalName"] == "Martin SAS"
    recorded = next(e["changes"] for e in history if e["eventType"] == "CmrExposureRecorded")
    assert recorded["exposure"]["agent"]["casNumber"] == "71-43-2"
    assert recorded["exposure"]["startedOn"] == "2024-03-01"
    for entry in history:
        assert list(snake_case_names(entry["changes"])) == [], entry


def test_prevention_answers_keep_their_question_ids_and_go_back_as_they_were_read(
    client: TestClient, services: Services
) -> None:
    year = services.clock.today().year
    open_campaign(services.app, year)
    member_id = register_member(client)
    up_to_the_prevention_step(services.app, UUID(member_id), year)
    services.settle()
    theme = {"memberId": member_id, "year": year, "theme": "activity"}

    first = mutate(
        client,
        "answerPrevention",
        "PreventionAnswersInput",
        theme | {"answers": {"seasonal_activity": True, "sites": 2}},
    )
    read = data(client, PREVENTION, {"memberId": member_id, "year": year})["declaration"]
    answers = read["prevention"]["activity"]
    sent_back = mutate(
        client,
        "answerPrevention",
        "PreventionAnswersInput",
        theme | {"answers": answers | {"sites": 3}},
    )
    camel_cased = mutate(
        client,
        "answerPrevention",
        "PreventionAnswersInput",
        theme | {"answers": {"seasonalActivity": False}},
    )
    read_again = data(client, PREVENTION, {"memberId": member_id, "year": year})["declaration"]

    assert first["__typename"] == sent_back["__typename"] == "DeclarationChanged", sent_back
    assert answers == {"seasonal_activity": True, "sites": 2}
    assert camel_cased["code"] == "UNKNOWN_QUESTION", "question ids are data: never renamed"
    assert read_again["prevention"] == {"activity": {"seasonal_activity": True, "sites": 3}}
    assert changes_of(client, member_id, "PreventionAnswered") == {
        "theme": "activity",
        "themeLabel": "Activité de l'entreprise",
        "answers": {"seasonal_activity": True, "sites": 3},
    }

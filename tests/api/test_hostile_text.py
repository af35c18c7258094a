"""Texts no one types (NUL, bidirectional overrides, a megabyte of text) are refused with a
typed error that does not quote them, and nothing is recorded; on both stores.

Lone surrogates only come as JSON escapes (`"\\ud800"`) in the variables (the body is posted as
ASCII JSON, as a client that escapes everything would send it): the HTTP layer refuses them
(`api.graphql_http`) before any command sees them; the commands' own check
(`domain.text`) and the store's (`storage.codec`) are tested in `tests/unit/test_text.py`.
"""

import json
from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient

from api.services import Services
from tests.api.graphql_client import (
    FAILURES,
    HIRE,
    HIRE_DATE,
    a_contract,
    an_identity,
    hire,
    register_member,
    request_id,
)

NUL_NAME = "Poi\x00son"
MEGABYTE = "Soudage " * 131_072
RECORD_EXPOSURE = f"""
mutation Record($input: RecordExposureInput!) {{
  recordExposure(input: $input) {{ __typename {FAILURES} }}
}}"""
EMPLOYEES = """
query Employees($m: UUID!, $search: String, $branch: String) {
  employees(memberId: $m, search: $search, branchCode: $branch) { edges { node { firstName } } }
}"""


def send(client: TestClient, query: str, variables: dict[str, Any]) -> Response:
    """A request whose JSON is all ASCII (lone surrogates as escapes)."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    return client.post("/graphql", content=body, headers={"content-type": "application/json"})


def post(client: TestClient, query: str, variables: dict[str, Any]) -> Any:
    response = send(client, query, variables)
    assert response.status_code == 200, response.text
    return response.json()


def head(services: Services) -> int:
    return services.app.recorder.max_notification_id() or 0


def hire_input(member_id: str, identity: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestId": request_id(),
        "memberId": member_id,
        "identity": identity,
        "hireDate": HIRE_DATE.isoformat(),
        "terms": a_contract(),
    }


def refused(client: TestClient, services: Services, query: str, variables: Any) -> Any:
    """The failure of a mutation that must record nothing."""
    before = head(services)
    body = post(client, query, variables)
    assert "errors" not in body, body["errors"]
    (reply,) = body["data"].values()
    assert head(services) == before, "a refused command recorded events"
    return reply


@pytest.mark.parametrize(
    ("field", "value", "position"),
    [
        pytest.param("birthName", NUL_NAME, 4, id="nul-in-birth-name"),
        pytest.param("firstName", "Ma\u202erie", 3, id="bidi-override-in-first-name"),
        pytest.param("firstName", "Ma\u200brie", 3, id="zero-width-space-in-first-name"),
        pytest.param("usageName", "Du\x1bpont", 3, id="escape-in-usage-name"),
    ],
)
def test_a_hire_with_a_hostile_name_is_refused_without_quoting_it(
    client: TestClient, services: Services, field: str, value: str, position: int
) -> None:
    member_id = register_member(client)
    identity = an_identity() | {field: value}

    reply = refused(client, services, HIRE, {"input": hire_input(member_id, identity)})

    assert (reply["__typename"], reply["code"], reply["field"]) == (
        "ValidationError",
        "INVALID_TEXT",
        field,
    )
    message = reply["message"]
    assert f"position {position}" in message
    assert value not in message
    assert value[position - 1] not in message


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"identity": an_identity(first_name="Ma\ud800rie")}, id="in-a-name"),
        pytest.param({"requestId": "fuzz-\udfff"}, id="in-the-request-id"),
    ],
)
def test_a_lone_surrogate_is_refused_as_a_bad_request(
    client: TestClient, services: Services, changes: dict[str, Any]
) -> None:
    member_id = register_member(client)
    before = head(services)

    response = send(client, HIRE, {"input": hire_input(member_id, an_identity()) | changes})

    assert response.status_code == 400
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["BAD_REQUEST"]
    assert head(services) == before


def test_a_megabyte_process_name_is_refused(client: TestClient, services: Services) -> None:
    member_id = register_member(client)
    employee_id = hire(client, member_id)["aggregateId"]
    exposure = {
        "requestId": request_id(),
        "employeeId": employee_id,
        "agent": {"kind": "PROCESS", "name": MEGABYTE},
        "startedOn": "2024-06-11",
    }

    reply = refused(client, services, RECORD_EXPOSURE, {"input": exposure})

    assert (reply["code"], reply["field"]) == ("INVALID_TEXT", "name")
    assert "300 caractères" in reply["message"]
    assert len(reply["message"]) < 200


@pytest.mark.parametrize(
    "request_id_sent",
    [
        pytest.param("fuzz\x00-1", id="nul"),
        pytest.param("fuzz\u202e-1", id="bidi-override"),
        pytest.param("x" * 101, id="too-long"),
        pytest.param("with space", id="space"),
        pytest.param("é", id="not-ascii"),
    ],
)
def test_a_malformed_request_id_is_refused_before_anything_is_written(
    client: TestClient, services: Services, request_id_sent: str
) -> None:
    member_id = register_member(client)
    variables = {"input": hire_input(member_id, an_identity()) | {"requestId": request_id_sent}}

    reply = refused(client, services, HIRE, variables)

    assert (reply["code"], reply["field"]) == ("INVALID_REQUEST_ID", "requestId")


@pytest.mark.parametrize(
    "variables",
    [
        pytest.param({"search": "Ma\x00rie"}, id="nul-search"),
        pytest.param({"search": "Ma\u202erie"}, id="bidi-search"),
        pytest.param({"search": "Marie " * 20_000}, id="long-search"),
        pytest.param({"search": "%_!\\"}, id="like-wildcards"),
        pytest.param({"branch": "00010-\x00"}, id="nul-branch"),
    ],
)
def test_a_hostile_search_finds_nothing_and_fails_nothing(
    client: TestClient, variables: dict[str, str]
) -> None:
    member_id = register_member(client)
    hire(client, member_id, "Marie")

    body = post(client, EMPLOYEES, {"m": member_id, **variables})

    assert "errors" not in body, body["errors"]
    found = [edge["node"]["firstName"] for edge in body["data"]["employees"]["edges"]]
    assert found in ([], ["Marie"])

"""Duplicates and refused batches through the API: the NIR field named, the homonym confirmed,
every refused hire of a batch named by its position."""

from typing import Any

from litestar.testing import TestClient

from tests.api.graphql_client import (
    HIRE,
    a_contract,
    an_identity,
    data,
    register_member,
    request_id,
)

BULK = """
mutation($input: HireEmployeesInput!) {
  hireEmployees(input: $input) {
    __typename
    ... on HireEmployeesSuccess { employeeIds }
    ... on RuleViolationError { code message field }
  }
}"""


def hire(client: TestClient, member_id: str, identity: Any, **more: Any) -> Any:
    hire_input = {
        "requestId": request_id(),
        "memberId": member_id,
        "identity": identity,
        "hireDate": "2024-02-01",
        "terms": a_contract(),
        **more,
    }
    return data(client, HIRE, {"input": hire_input})["hireEmployee"]


def test_a_nir_hired_twice_is_refused_on_its_field(client: TestClient) -> None:
    member_id = register_member(client)
    marie = an_identity("Marie")
    assert hire(client, member_id, marie)["__typename"] == "HireEmployeeSuccess"

    again = hire(client, member_id, marie | {"firstName": "Maria"}, confirmHomonym=True)

    assert (again["__typename"], again["code"], again["field"]) == (
        "RuleViolationError",
        "NIR_ALREADY_HIRED",
        "nir",
    )
    assert marie["nir"] not in again["message"]


def test_a_homonym_is_hired_once_the_user_confirms(client: TestClient) -> None:
    member_id = register_member(client)
    no_nir = an_identity("Marie") | {"nir": None}
    hire(client, member_id, no_nir)

    flagged = hire(client, member_id, no_nir)
    confirmed = hire(client, member_id, no_nir, confirmHomonym=True)

    assert (flagged["code"], flagged["field"]) == ("POSSIBLE_DUPLICATE", "confirmHomonym")
    assert "confirmHomonym" in flagged["message"]
    assert confirmed["__typename"] == "HireEmployeeSuccess"


def test_a_refused_batch_names_each_refused_hire_and_records_none(client: TestClient) -> None:
    member_id = register_member(client)
    ana, lou = an_identity("Ana"), an_identity("Lou")
    hires = [
        {"identity": ana, "hireDate": "2024-02-01", "terms": a_contract()},
        {"identity": lou, "hireDate": "2024-02-01", "terms": a_contract()},
        {"identity": lou, "hireDate": "2024-02-01", "terms": a_contract()},
        {"identity": an_identity("Zoé"), "hireDate": "1980-02-01", "terms": a_contract()},
    ]
    bulk = {"requestId": request_id(), "memberId": member_id, "hires": hires}

    refused = data(client, BULK, {"input": bulk})["hireEmployees"]

    assert (refused["__typename"], refused["code"]) == ("RuleViolationError", "BATCH_REFUSED")
    message = refused["message"]
    assert message.startswith("Rien n'a été enregistré (tout ou rien) : 2 embauches refusées.")
    assert "Embauche n° 3, champ nir :" in message
    assert "Embauche n° 4, champ birthDate :" in message
    bulk = {"requestId": request_id(), "memberId": member_id, "hires": hires[:2]}
    assert data(client, BULK, {"input": bulk})["hireEmployees"]["__typename"] == (
        "HireEmployeesSuccess"
    )

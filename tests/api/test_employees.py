"""Employees through the API: read-your-writes, filters, search, pagination, headcount."""

from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.workforce.employee import MAX_HIRES_AT_ONCE
from tests.api.graphql_client import (
    a_contract,
    an_identity,
    data,
    graphql,
    hire,
    mutate,
    register_member,
    request_id,
)

EMPLOYEES = """
query Employees(
  $memberId: UUID!, $status: EmployeeStatus, $category: FollowUp, $contractType: ContractType,
  $branchCode: String, $search: String, $first: Int = 50, $after: String
) {
  employees(
    memberId: $memberId, status: $status, category: $category, contractType: $contractType,
    branchCode: $branchCode, search: $search, first: $first, after: $after
  ) {
    edges { cursor node { id firstName status contractType category branchCode } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def employees(client: TestClient, member_id: str, **arguments: Any) -> Any:
    return data(client, EMPLOYEES, {"memberId": member_id, **arguments})["employees"]


def first_names(client: TestClient, member_id: str, **arguments: Any) -> list[str]:
    return [e["node"]["firstName"] for e in employees(client, member_id, **arguments)["edges"]]


def test_the_reply_has_the_new_employee_and_the_next_query_sees_it(client: TestClient) -> None:
    member_id = register_member(client)

    reply = hire(client, member_id, "Marie")

    assert reply["version"] == 1
    assert reply["employee"] == {
        "id": reply["aggregateId"],
        "firstName": "Marie",
        "birthName": "MARTIN",
        "status": "ACTIVE",
        "contractType": "CDI",
        "category": "SI",
    }
    assert first_names(client, member_id) == ["Marie"]


def test_a_bulk_hire_answers_with_every_employee(client: TestClient) -> None:
    member_id = register_member(client)
    hires = [
        {"identity": an_identity(name), "hireDate": "2024-02-01", "terms": a_contract()}
        for name in ("Zoé", "Adam")
    ]
    query = """
    mutation($input: HireEmployeesInput!) {
      hireEmployees(input: $input) {
        ... on HireEmployeesSuccess { employeeIds employees { firstName } }
      }
    }"""

    reply = data(
        client, query, {"input": {"requestId": request_id(), "memberId": member_id, "hires": hires}}
    )["hireEmployees"]

    assert len(reply["employeeIds"]) == 2
    assert reply["employees"] == [{"firstName": "Zoé"}, {"firstName": "Adam"}]
    assert first_names(client, member_id) == ["Adam", "Zoé"]


def test_filters_by_status_category_contract_type_and_branch(client: TestClient) -> None:
    member_id = register_member(client)
    address = {"lines": ["1 place Bellecour"], "postalCode": "69002", "city": "Lyon"}
    mutate(
        client,
        "openBranch",
        "OpenBranchInput",
        {"memberId": member_id, "name": "Atelier", "address": address},
    )
    hire(client, member_id, "Anne", birth_name="Petit")
    left = hire(client, member_id, "Bruno", birth_name="Roux")["aggregateId"]
    night = hire(client, member_id, "Chloé", birth_name="Simon")["aggregateId"]
    hire(
        client,
        member_id,
        "David",
        birth_name="Thomas",
        terms=a_contract("CDD", plannedEnd=years_from_today(client, 3).isoformat()),
    )
    hire(client, member_id, "Emma", birth_name="Vidal", terms=a_contract(branchCode="00010-2"))
    closed = mutate(
        client,
        "closeContract",
        "CloseContractInput",
        {"employeeId": left, "lastDay": "2024-06-30", "reason": "RESIGNATION"},
    )
    declared = mutate(
        client,
        "declareDeterminant",
        "DeclareDeterminantInput",
        {"employeeId": night, "determinant": "ASBESTOS", "startedOn": "2024-03-01"},
    )

    assert (closed["__typename"], declared["__typename"]) == (
        "CloseContractSuccess",
        "DeclareDeterminantSuccess",
    )
    assert first_names(client, member_id, status="INACTIVE") == ["Bruno"]
    assert first_names(client, member_id, status="ACTIVE") == ["Anne", "Chloé", "David", "Emma"]
    assert first_names(client, member_id, category="SIR") == ["Chloé"]
    assert first_names(client, member_id, contractType="CDD") == ["David"]
    assert first_names(client, member_id, branchCode="00010-2") == ["Emma"]


def test_search_ignores_accents_and_case(client: TestClient) -> None:
    member_id = register_member(client)
    hire(client, member_id, "Élodie", birth_name="Lefèvre")
    hire(client, member_id, "Paul", birth_name="Durand")

    assert first_names(client, member_id, search="elodie") == ["Élodie"]
    assert first_names(client, member_id, search="LEFEVRE") == ["Élodie"]


def test_pages_follow_their_cursors_to_the_end(client: TestClient) -> None:
    member_id = register_member(client)
    for name in ("Alice", "Bruno", "Chloé", "David", "Emma"):
        hire(client, member_id, name, birth_name=name)

    seen: list[str] = []
    page = employees(client, member_id, first=2)
    pages = 1
    while True:
        seen += [edge["node"]["firstName"] for edge in page["edges"]]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        page = employees(client, member_id, first=2, after=page["pageInfo"]["endCursor"])
        pages += 1

    assert seen == ["Alice", "Bruno", "Chloé", "David", "Emma"]
    assert pages == 3


def test_first_is_capped_at_100_and_a_full_page_knows_more_follow(client: TestClient) -> None:
    member_id = register_member(client)
    hires = [
        {"identity": an_identity(f"Prénom{n:03d}"), "hireDate": "2024-02-01", "terms": a_contract()}
        for n in range(101)
    ]
    query = "mutation($input: HireEmployeesInput!) { hireEmployees(input: $input) { __typename } }"
    data(
        client, query, {"input": {"requestId": request_id(), "memberId": member_id, "hires": hires}}
    )

    page = employees(client, member_id, first=500)
    rest = employees(client, member_id, first=500, after=page["pageInfo"]["endCursor"])

    assert (len(page["edges"]), page["pageInfo"]["hasNextPage"]) == (100, True)
    assert (len(rest["edges"]), rest["pageInfo"]["hasNextPage"]) == (1, False)


def test_a_bad_cursor_is_a_visible_graphql_error(client: TestClient) -> None:
    member_id = register_member(client)

    body = graphql(client, EMPLOYEES, {"memberId": member_id, "after": "not-a-cursor"})

    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_CURSOR"]


def years_from_today(client: TestClient, years: int) -> date:
    """A day `years` years ahead of the service's today: as far as a planned end may lie."""
    today: date = client.app.state.services.clock.today()
    return today.replace(year=today.year + years, day=min(today.day, 28))


def test_headcount_by_category_and_contract_type(client: TestClient) -> None:
    member_id = register_member(client)
    hire(client, member_id, "Anne")
    planned_end = years_from_today(client, 3).isoformat()
    hire(client, member_id, "Bruno", terms=a_contract("CDD", plannedEnd=planned_end))
    coming = client.app.state.services.clock.today() + timedelta(days=200)
    hire(client, member_id, "Chloé", hire_date=coming)
    query = """
    query($memberId: UUID!, $validOn: Date) {
      headcount(memberId: $memberId, validOn: $validOn) {
        validOn total byCategory { key count } byContractType { key count }
      }
    }"""

    today = data(client, query, {"memberId": member_id})["headcount"]
    on = (coming + timedelta(days=10)).isoformat()
    later = data(client, query, {"memberId": member_id, "validOn": on})["headcount"]

    assert (today["total"], today["byCategory"]) == (2, [{"key": "SI", "count": 2}])
    assert today["byContractType"] == [{"key": "CDD", "count": 1}, {"key": "CDI", "count": 1}]
    assert (later["validOn"], later["total"]) == (on, 3)


@pytest.mark.parametrize("count", [0, MAX_HIRES_AT_ONCE + 1])
def test_a_bulk_hire_of_no_one_or_of_too_many_is_refused_and_records_nothing(
    client: TestClient, count: int
) -> None:
    member_id = register_member(client)
    hires = [
        {"identity": an_identity(f"Prénom{n:04d}"), "hireDate": "2024-02-01", "terms": a_contract()}
        for n in range(count)
    ]
    query = """
    mutation($input: HireEmployeesInput!) {
      hireEmployees(input: $input) { ... on ValidationError { code field } }
    }"""

    reply = data(
        client, query, {"input": {"requestId": request_id(), "memberId": member_id, "hires": hires}}
    )["hireEmployees"]

    assert reply == {"code": "INVALID_HIRE_COUNT", "field": "hires"}
    assert first_names(client, member_id) == []

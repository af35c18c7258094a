"""The cost of a query is bounded before it runs (issue 10, item 10).

Fifteen aliases of `employees(first: 100)` with each employee's history answered 45 MB and held
the server for seconds. Each field now counts once for every time it will be answered (list
sizes multiplied down the selection); a query above `MAX_COST` is refused with QUERY_TOO_COSTLY
before any resolver runs, while the pages the portal asks for pass. Depth and aliases are
limited too.
"""

from typing import Any

import pytest
from graphql import get_introspection_query, parse
from litestar.testing import TestClient

from api.query_cost import ASSUMED_LIST, MAX_COST, operation_cost
from api.schema import MAX_ALIASES
from api.services import Services
from contexts import SCHEMA
from tests.api.graphql_client import data, graphql, hire, register_member

NODE = "id firstName birthName birthDate category status"
HISTORY = "history { summary changes }"


def employees(alias: str, first: str, node: str = NODE) -> str:
    return (
        f"{alias}: employees(memberId: $member, first: {first})"
        f" {{ edges {{ node {{ {node} }} }} pageInfo {{ hasNextPage endCursor }} }}"
    )


def aliased(count: int, first: str = "100", node: str = f"{NODE} {HISTORY}") -> str:
    pages = " ".join(employees(f"page{n}", first, node) for n in range(count))
    page_size = ", $first: Int!" if first == "$first" else ""
    return f"query($member: UUID!{page_size}) {{ {pages} }}"


def cost(document: str, variables: dict[str, Any] | None = None) -> int:
    return operation_cost(SCHEMA._schema, parse(document), None, variables)


@pytest.fixture
def member_id(client: TestClient) -> str:
    member = register_member(client)
    for name in ("Alice", "Bruno"):
        hire(client, member, name, birth_name=name)
    return member


@pytest.fixture
def reads(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each read of the workforce's page, as it happens."""
    calls: list[object] = []
    read = services.workforce.employees

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return read(*args, **kwargs)

    monkeypatch.setattr(services.workforce, "employees", counted)
    return calls


def test_fifteen_aliased_pages_with_their_history_are_refused_before_running(
    client: TestClient, member_id: str, reads: list[object]
) -> None:
    query = aliased(MAX_ALIASES)

    body = graphql(client, query, {"member": member_id})

    (error,) = body["errors"]
    assert body.get("data") is None
    assert error["extensions"] == {
        "code": "QUERY_TOO_COSTLY",
        "cost": cost(query),
        "maxCost": MAX_COST,
    }
    assert error["message"].startswith(
        f"Requête trop coûteuse : coût {cost(query)}, limite {MAX_COST}"
    )
    assert reads == []


def test_a_page_of_a_hundred_employees_with_their_history_passes(
    client: TestClient, member_id: str
) -> None:
    query = aliased(1)

    page = data(client, query, {"member": member_id})["page0"]

    assert [edge["node"]["firstName"] for edge in page["edges"]] == ["Alice", "Bruno"]
    assert cost(query) <= MAX_COST


def test_a_page_size_given_by_a_variable_counts_as_given(
    client: TestClient, member_id: str
) -> None:
    query = aliased(4, first="$first")

    small = graphql(client, query, {"member": member_id, "first": 5})
    large = graphql(client, query, {"member": member_id, "first": 100})

    assert "errors" not in small, small["errors"]
    assert [e["extensions"]["code"] for e in large["errors"]] == ["QUERY_TOO_COSTLY"]


def test_each_field_counts_once_per_item_of_the_lists_above_it() -> None:
    page = "query($member: UUID!) { employees(memberId: $member, first: 100) { edges { node {"
    assert cost(f"{page} id firstName }} }} }} }}") == 1 + 100 * (1 + 1 + 2)
    with_history = 1 + 100 * (1 + 1 + 2 + ASSUMED_LIST * (1 + 2))
    assert cost(f"{page} id firstName {HISTORY} }} }} }} }}") == with_history


def test_page_sizes_count_as_the_resolvers_cap_them_and_default_them() -> None:
    capped = aliased(1, first="100000")
    default = "query($member: UUID!) { employees(memberId: $member) { edges { node { id } } } }"

    by_default = aliased(1, first="$first").replace("$first: Int!", "$first: Int! = 100")

    assert cost(capped) == cost(by_default) == cost(aliased(1, first="100"))
    assert cost(default) == 1 + 50 * (1 + 1 + 1)


def test_fragments_count_as_their_fields() -> None:
    spread = """
    query($member: UUID!) { employees(memberId: $member, first: 10) { ...Page } }
    fragment Page on EmployeeConnection { edges { node { ... on Employee { id firstName } } } }"""
    inline = """
    query($member: UUID!) { employees(memberId: $member, first: 10) {
      edges { node { id firstName } } } }"""

    assert cost(spread) == cost(inline) == 1 + 10 * (1 + 1 + 2)


def test_the_introspection_of_graphiql_passes(client: TestClient) -> None:
    found = data(client, get_introspection_query())

    assert found["__schema"]["queryType"]["name"] == "Query"


def test_more_aliases_than_the_limit_are_refused(client: TestClient) -> None:
    fields = " ".join(f"c{n}: campaigns {{ year }}" for n in range(MAX_ALIASES + 1))

    body = graphql(client, f"{{ {fields} }}")

    assert body.get("data") is None
    assert "aliases" in body["errors"][0]["message"]

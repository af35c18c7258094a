"""A date the client wrote wrong is refused with a typed error in French (issue 15): its code
`INVALID_DATE`, the input field it was given for, never the value it carried."""

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.graphql_client import register_member

HIRE = "mutation($input: HireEmployeeInput!) { hireEmployee(input: $input) { __typename } }"
FORMAT = "Une date s'écrit AAAA-MM-JJ, par exemple 1990-05-14."
NONEXISTENT = "Cette date n'existe pas dans le calendrier."


def hire(member_id: str, birth_date: Any) -> dict[str, Any]:
    return {
        "input": {
            "requestId": "demande-1",
            "memberId": member_id,
            "identity": {
                "birthName": "Martin",
                "firstName": "Léa",
                "birthDate": birth_date,
                "sex": "F",
            },
            "hireDate": "2024-01-15",
            "terms": {"jobTitle": "Soudeuse", "contractType": "CDI"},
        }
    }


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("14/05/1990", FORMAT),
        ("10000", FORMAT),
        ("10000-01-01", FORMAT),
        (10000, FORMAT),
        ("1990-W20-1", FORMAT),
        ("2024-02-30", NONEXISTENT),
    ],
)
def test_a_date_variable_written_wrong_is_a_typed_french_error(
    client: TestClient, written: Any, message: str
) -> None:
    member_id = register_member(client)

    response = client.post("/graphql", json={"query": HIRE, "variables": hire(member_id, written)})

    (error,) = response.json()["errors"]
    assert (error["message"], error["extensions"]) == (
        message,
        {"code": "INVALID_DATE", "field": "birthDate"},
    )


def test_a_date_literal_written_wrong_is_a_french_error_with_its_code(client: TestClient) -> None:
    member_id = register_member(client)
    query = (
        'mutation { amendContract(input: {requestId: "r",'
        f' employeeId: "{member_id}", effectiveOn: "2024-02-30", terms: {{}}}})'
        " { __typename } }"
    )

    response = client.post("/graphql", json={"query": query})

    (error,) = response.json()["errors"]
    assert (error["message"], error["extensions"]) == (
        NONEXISTENT,
        {"code": "INVALID_DATE", "field": None},
    )

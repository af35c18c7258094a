"""Talking to the API as a client does: a GraphQL helper and the few mutations most tests need."""

import zlib
from datetime import date
from typing import Any
from uuid import uuid4

from litestar.testing import TestClient
from stdnum.fr import nir

MEMBER_CODE = "00010"
DECLARANT_NUMBER = "12345678"
SIRET = "73282932000074"
HIRE_DATE = date(2024, 1, 15)


def graphql(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The response body (`data`, and `errors` when there are some)."""
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.json()


def data(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    """`data` of a response that must have no `errors`."""
    body = graphql(client, query, variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


FAILURES = """
  ... on ValidationError { code message field }
  ... on NotFoundError { code message }
  ... on ConflictError { code message currentVersion }
  ... on RuleViolationError { code message field }
"""


def mutate(client: TestClient, name: str, input_type: str, fields: dict[str, Any]) -> Any:
    """Runs a mutation with its request id; returns its result (success or failure)."""
    query = f"""
    mutation Change($input: {input_type}!) {{
      {name}(input: $input) {{ __typename {FAILURES} }}
    }}"""
    body = graphql(client, query, {"input": {"requestId": request_id(), **fields}})
    assert "errors" not in body, body["errors"]
    return body["data"][name]


def request_id() -> str:
    return str(uuid4())


def a_nir(sex: str, birth_date: date, names: str = "") -> str:
    """A valid NIR of that sex and birth date; its place and order follow the names, so that
    two people of the tests do not share one (a NIR is hired once per member)."""
    place = "75056123"
    if names:
        drawn = zlib.crc32(names.encode("utf-8", "surrogatepass"))
        place = f"{drawn % 95 + 1:02d}{drawn // 95 % 999 + 1:03d}{drawn // 94905 % 999 + 1:03d}"
    body = f"{1 if sex == 'M' else 2}{birth_date:%y%m}{place}"
    return body + nir.calc_check_digits(body)


REGISTER = """
mutation Register($input: RegisterMemberInput!) {
  registerMember(input: $input) {
    __typename
    ... on RegisterMemberSuccess { aggregateId version member { id memberCode legalName } }
    ... on ValidationError { code message field }
  }
}"""

HIRE = """
mutation Hire($input: HireEmployeeInput!) {
  hireEmployee(input: $input) {
    __typename
    ... on HireEmployeeSuccess {
      aggregateId version
      employee { id firstName birthName status contractType category }
    }
    ... on ValidationError { code message field }
    ... on RuleViolationError { code message field }
  }
}"""


def register_member(client: TestClient, member_code: str = MEMBER_CODE) -> str:
    reply = data(
        client,
        REGISTER,
        {
            "input": {
                "requestId": request_id(),
                "memberCode": member_code,
                "declarantNumber": DECLARANT_NUMBER,
                "legalName": "Martin SAS",
                "siret": SIRET,
            }
        },
    )["registerMember"]
    assert reply["__typename"] == "RegisterMemberSuccess", reply
    member_id: str = reply["aggregateId"]
    return member_id


def an_identity(first_name: str = "Marie", birth_name: str = "Martin", **changes: Any) -> Any:
    birth_date = changes.pop("birth_date", date(1990, 5, 12))
    sex = changes.pop("sex", "F")
    return {
        "birthName": birth_name,
        "firstName": first_name,
        "birthDate": birth_date.isoformat(),
        "sex": sex,
        "nir": a_nir(sex, birth_date, f"{birth_name} {first_name}"),
        **changes,
    }


def a_contract(contract_type: str = "CDI", **changes: Any) -> Any:
    return {"jobTitle": "Soudeuse", "contractType": contract_type, **changes}


def hire(client: TestClient, member_id: str, first_name: str = "Marie", **changes: Any) -> Any:
    """Hires someone; returns the success of the mutation (with the new employee)."""
    hire_input = {
        "requestId": request_id(),
        "memberId": member_id,
        "identity": an_identity(first_name, changes.pop("birth_name", "Martin")),
        "hireDate": changes.pop("hire_date", HIRE_DATE).isoformat(),
        "terms": changes.pop("terms", a_contract()),
    }
    reply = data(client, HIRE, {"input": hire_input | changes})["hireEmployee"]
    assert reply["__typename"] == "HireEmployeeSuccess", reply
    return reply

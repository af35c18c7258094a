"""Errors about what a request sent never echo its values (issue 10, item 5).

graphql-core and strawberry write the refused value in their messages: a `hireEmployee`
without `terms` answered "…, found: {… 'nir': '284077505632118'}" and logged it. Over a corpus
of bad requests carrying a NIR, names and birth dates — refused by coercion of variables, by
validation of literals, by the parser, by the application — neither the answer nor any log
record holds them, and the messages keep what the schema says.
"""

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from api.input_errors import without_values
from tests.api.graphql_client import register_member

NIR = "284077505632118"
BIRTH_NAME = "Dupontel"
FIRST_NAME = "Zéphyrine"
BIRTH_DATE = "1984-07-12"
FRENCH_BIRTH_DATE = "12/07/1984"
PERSONAL = (NIR, BIRTH_NAME, FIRST_NAME, BIRTH_DATE, FRENCH_BIRTH_DATE, "19840712")

HIRE = "mutation($input: HireEmployeeInput!) { hireEmployee(input: $input) { __typename } }"
HIRE_MANY = "mutation($input: HireEmployeesInput!) { hireEmployees(input: $input) { __typename } }"
EMPLOYEES = """
query($member: UUID!, $search: String, $first: Int!) {
  employees(memberId: $member, search: $search, first: $first) { edges { node { id } } }
}"""
Case = Callable[[str], tuple[str, dict[str, Any]]]


def identity(**changes: Any) -> dict[str, Any]:
    base = {
        "birthName": BIRTH_NAME,
        "firstName": FIRST_NAME,
        "birthDate": BIRTH_DATE,
        "sex": "F",
        "nir": NIR,
    }
    return base | changes


def hire_input(member_id: str, **changes: Any) -> dict[str, Any]:
    base = {
        "requestId": "demande-1",
        "memberId": member_id,
        "identity": identity(),
        "hireDate": "2024-01-15",
        "terms": {"jobTitle": "Soudeuse", "contractType": "CDI"},
    }
    return {"input": {**base, **changes}}


def without_terms(member_id: str) -> dict[str, Any]:
    variables = hire_input(member_id)
    del variables["input"]["terms"]
    return variables


CASES: dict[str, Case] = {
    "a required field left out": lambda m: (HIRE, without_terms(m)),
    "a date written the French way": lambda m: (
        HIRE,
        hire_input(m, identity=identity(birthDate=FRENCH_BIRTH_DATE)),
    ),
    "a date as a number": lambda m: (HIRE, hire_input(m, identity=identity(birthDate=19840712))),
    "a NIR as a number": lambda m: (HIRE, hire_input(m, identity=identity(nir=int(NIR)))),
    "a name as the sex": lambda m: (HIRE, hire_input(m, identity=identity(sex=BIRTH_NAME))),
    "a field the input does not have": lambda m: (
        HIRE,
        hire_input(m, identity=identity(nom=BIRTH_NAME)),
    ),
    "a name as the identity": lambda m: (HIRE, hire_input(m, identity=BIRTH_NAME)),
    "a name as the member's id": lambda m: (HIRE, hire_input(BIRTH_NAME)),
    "a NIR as the page size": lambda m: (
        EMPLOYEES,
        {"member": m, "search": BIRTH_NAME, "first": int(NIR)},
    ),
    "a bad line among several hires": lambda m: (
        HIRE_MANY,
        {
            "input": {
                "requestId": "demande-2",
                "memberId": m,
                "hires": [{"identity": identity(birthDate=FRENCH_BIRTH_DATE)}],
            }
        },
    ),
    "literals of the wrong type": lambda m: (
        f"""mutation {{ hireEmployee(input: {{ requestId: "r", memberId: "{m}",
          identity: {{ birthName: "{BIRTH_NAME}", firstName: "{FIRST_NAME}",
                       birthDate: {NIR}, sex: {BIRTH_NAME}, nir: {NIR} }},
          hireDate: "{BIRTH_DATE}" }}) {{ __typename }} }}""",
        {},
    ),
    "a literal date the French way": lambda m: (
        f"""mutation {{ hireEmployee(input: {{ requestId: "r", memberId: "{m}",
          identity: {{ birthName: "{BIRTH_NAME}", firstName: "{FIRST_NAME}",
                       birthDate: "{FRENCH_BIRTH_DATE}", sex: F, nir: "{NIR}" }},
          hireDate: "2024-01-15", terms: {{ jobTitle: "Soudeuse", contractType: CDI }} }})
          {{ __typename }} }}""",
        {},
    ),
    "a syntax error on a name": lambda m: (f"{{ employees(search: {BIRTH_NAME} {NIR}) }}", {}),
    "a syntax error on a string": lambda m: (f'{{ employees "{BIRTH_NAME} {NIR}" }}', {}),
    "a NIR whose key is wrong": lambda m: (
        HIRE,
        hire_input(m, identity=identity(nir=NIR[:-2] + "00")),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_no_error_echoes_the_personal_data_a_request_carried(
    client: TestClient, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    member_id = register_member(client)
    query, variables = CASES[case](member_id)
    caplog.clear()

    with caplog.at_level(logging.DEBUG):
        response = client.post("/graphql", json={"query": query, "variables": variables})

    assert response.status_code < 500
    answer = json.dumps(response.json(), ensure_ascii=False)
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    shown_personal = [value for value in PERSONAL if value in answer or value in response.text]
    logged_personal = [value for value in PERSONAL if value in logged]
    assert (shown_personal, logged_personal) == ([], []), (answer, logged)


def test_a_coercion_error_keeps_its_structure_without_the_value(client: TestClient) -> None:
    member_id = register_member(client)

    response = client.post("/graphql", json={"query": HIRE, "variables": without_terms(member_id)})

    (error,) = response.json()["errors"]
    assert error["message"] == (
        "Variable '$input' has invalid value: Expected value of type 'HireEmployeeInput'"
        " to include required field 'terms'."
    )


def test_a_refusal_is_logged_without_the_value(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    member_id = register_member(client)
    bad_date = hire_input(member_id, identity=identity(birthDate=FRENCH_BIRTH_DATE))

    with caplog.at_level(logging.INFO, logger="api.schema"):
        client.post("/graphql", json={"query": HIRE, "variables": bad_date})

    (refused,) = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refused.endswith("refused: Une date s'écrit AAAA-MM-JJ, par exemple 1990-05-14.")


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        ("Syntax Error: Expected Name, found String 'Dupontel'.", "Expected Name, found String."),
        (
            "Value 'Dupontel' does not exist in 'Sex' enum. Did you mean the enum value 'F'?",
            "Value does not exist in 'Sex' enum. Did you mean the enum value 'F'?",
        ),
        (
            "Expected value of type 'IdentityInput' not to include unknown field 'nom'."
            " Did you mean 'nir'? Found: {'nom': 'Dupontel'}.",
            "Expected value of type 'IdentityInput' not to include unknown field 'nom'."
            " Did you mean 'nir'?",
        ),
        ("Cannot query field 'nope' on type 'Member'.", "Cannot query field 'nope' on type"),
    ],
)
def test_messages_keep_what_the_schema_says(message: str, kept: str) -> None:
    assert kept in without_values(message, {BIRTH_NAME})


def test_a_value_in_a_message_of_an_unknown_form_is_hidden_all_the_same() -> None:
    message = f"Something went wrong with {BIRTH_NAME}, born on {BIRTH_DATE}."

    assert without_values(message, {BIRTH_NAME, BIRTH_DATE, "F"}) == (
        "Something went wrong with …, born on …."
    )

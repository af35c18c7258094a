"""Every mutation, once, in a plausible life of a member and an employee: each must succeed,
which checks how each passes its input to its command."""

from typing import Any

from litestar.testing import TestClient

from tests.api.graphql_client import (
    MEMBER_CODE,
    REGISTER,
    a_contract,
    an_identity,
    graphql,
    hire,
    mutate,
    register_member,
)

ADDRESS = {"lines": ["1 place Bellecour"], "postalCode": "69002", "city": "Lyon"}
CONTACT = {"lastName": "Durand", "firstName": "Paul", "email": "paul@durand.fr"}
MANDATE = {
    "reference": "RUM-1",
    "iban": "FR1420041010050500013M02606",
    "signedOn": "2025-01-02",
    "debtorName": "Martin SAS",
}
AGENT = {"kind": "PROCESS", "name": "Poussières de bois"}

MEMBER_STEPS: list[tuple[str, dict[str, Any]]] = [
    ("changeAdministrativeInformation", {"legalName": "Martin & Fils", "hasCse": True}),
    ("changeAddress", {"kind": "BILLING", "address": ADDRESS}),
    ("reissueDeclarantNumber", {"declarantNumber": "87654321"}),
    (
        "declareSituationChange",
        {"kind": "NEW_ACTIVITY", "description": "Menuiserie", "effectiveOn": "2025-03-01"},
    ),
    ("openBranch", {"name": "Atelier", "address": ADDRESS}),
    ("changeBranch", {"number": 2, "name": "Atelier bois", "address": ADDRESS}),
    ("openBranch", {"name": "Dépôt", "address": ADDRESS}),
    ("closeBranch", {"number": 3, "lastDay": "2025-06-30"}),
    ("addContact", {"contact": CONTACT}),
    ("changeContact", {"contactId": 1, "contact": CONTACT | {"function": "Gérant"}}),
    ("addContact", {"contact": CONTACT | {"lastName": "Roux"}}),
    ("assignInterlocutor", {"role": "CSE", "contactId": 2}),
    ("unassignInterlocutor", {"role": "CSE"}),
    ("removeContact", {"contactId": 2}),
    ("signSepaMandate", {"mandate": MANDATE}),
    ("revokeSepaMandate", {"revokedOn": "2025-02-01"}),
    ("suspendMembership", {"reason": "Impayés", "effectiveOn": "2025-04-01"}),
    ("resumeMembership", {"effectiveOn": "2025-05-01"}),
]

EMPLOYEE_STEPS: list[tuple[str, dict[str, Any]]] = [
    ("correctIdentity", {"identity": an_identity("Marie-Anne")}),
    (
        "amendContract",
        {"terms": a_contract(jobTitle="Cheffe d'atelier"), "effectiveOn": "2024-09-01"},
    ),
    ("correctContract", {"hireDate": "2024-01-16", "terms": a_contract(pcsCode="344b")}),
    ("declareDeterminant", {"determinant": "NIGHT_WORK", "startedOn": "2024-03-01"}),
    ("withdrawDeterminant", {"determinantId": 1, "lastDay": "2024-12-31"}),
    ("declareDeterminant", {"determinant": "ASBESTOS", "startedOn": "2024-03-01"}),
    ("retractDeterminant", {"determinantId": 2, "errorNote": "Saisi sur le mauvais salarié"}),
    ("recordExposure", {"agent": AGENT, "startedOn": "2024-03-01", "degree": "LOW"}),
    ("endExposure", {"exposureId": 1, "lastDay": "2024-05-31"}),
    ("recordExposure", {"agent": AGENT, "startedOn": "2024-06-01"}),
    ("withdrawExposure", {"exposureId": 2, "errorNote": "Doublon"}),
    ("closeContract", {"lastDay": "2025-01-31", "reason": "END_OF_TRIAL_PERIOD"}),
    ("rehireEmployee", {"hireDate": "2025-03-01", "terms": a_contract("APPRENTICESHIP")}),
    ("eraseIdentity", {}),
]


def input_type(mutation: str) -> str:
    return mutation[0].upper() + mutation[1:] + "Input"


def run_steps(client: TestClient, steps: list[tuple[str, dict[str, Any]]], **target: str) -> None:
    for name, fields in steps:
        reply = mutate(client, name, input_type(name), target | fields)
        assert reply["__typename"] == input_type(name).replace("Input", "Success"), (name, reply)


def test_every_mutation_succeeds_in_a_plausible_order(client: TestClient) -> None:
    member_id = register_member(client)
    run_steps(client, MEMBER_STEPS, memberId=member_id)
    employee_id = hire(client, member_id)["aggregateId"]
    run_steps(client, EMPLOYEE_STEPS, employeeId=employee_id)
    run_steps(
        client,
        [("terminateMembership", {"reason": "Cessation", "effectiveOn": "2026-01-01"})],
        memberId=member_id,
    )


def test_a_blank_request_id_is_a_validation_error(client: TestClient) -> None:
    fields = {"memberCode": MEMBER_CODE, "declarantNumber": "12345678", "legalName": "Martin SAS"}
    body = graphql(client, REGISTER, {"input": {"requestId": " ", **fields}})

    assert "errors" not in body
    reply = body["data"]["registerMember"]
    assert (reply["__typename"], reply["code"], reply["field"]) == (
        "ValidationError",
        "INVALID_REQUEST_ID",
        "requestId",
    )

"""Members through the API: registration, reads, and the typed failures of mutations."""

from typing import Any
from uuid import uuid4

from litestar.testing import TestClient

from tests.api.graphql_client import (
    MEMBER_CODE,
    REGISTER,
    SIRET,
    data,
    graphql,
    mutate,
    register_member,
    request_id,
)

IBAN = "FR1420041010050500013M02606"
MEMBER_FIELDS = """
  id memberCode legalName siret status version
  addresses { kind address { lines postalCode city confirmed } }
  branches { number code name }
  contacts { contactId lastName firstName email }
  interlocutors { role contact { contactId lastName } }
  sepaMandate { reference maskedIban active }
"""


def member(client: TestClient, member_id: str) -> Any:
    return data(
        client, f"query($id: UUID!) {{ member(id: $id) {{ {MEMBER_FIELDS} }} }}", {"id": member_id}
    )["member"]


def test_a_registered_member_is_in_the_reply_and_found_by_id_and_code(client: TestClient) -> None:
    member_id = register_member(client)

    by_code = data(
        client,
        "query($code: String!) { memberByCode(code: $code) { id legalName } }",
        {"code": MEMBER_CODE},
    )["memberByCode"]

    assert by_code == {"id": member_id, "legalName": "Martin SAS"}
    found = member(client, member_id)
    assert (found["memberCode"], found["siret"], found["status"], found["version"]) == (
        MEMBER_CODE,
        SIRET,
        "ACTIVE",
        1,
    )


def test_an_invalid_siret_is_a_validation_error_not_a_graphql_error(client: TestClient) -> None:
    variables = {
        "input": {
            "requestId": request_id(),
            "memberCode": MEMBER_CODE,
            "declarantNumber": "12345678",
            "legalName": "Martin SAS",
            "siret": "732 829 320 00075",
        }
    }

    body = graphql(client, REGISTER, variables)

    assert "errors" not in body
    reply = body["data"]["registerMember"]
    assert (reply["__typename"], reply["code"], reply["field"]) == (
        "ValidationError",
        "INVALID_SIRET",
        "siret",
    )
    assert "SIRET" in reply["message"]


def test_a_taken_member_code_is_a_rule_violation(client: TestClient) -> None:
    register_member(client)

    reply = mutate(
        client,
        "registerMember",
        "RegisterMemberInput",
        {"memberCode": MEMBER_CODE, "declarantNumber": "12345678", "legalName": "Autre"},
    )

    assert (reply["__typename"], reply["code"], reply["field"]) == (
        "RuleViolationError",
        "MEMBER_CODE_TAKEN",
        "memberCode",
    )


def test_a_stale_expected_version_is_a_conflict_with_the_current_version(
    client: TestClient,
) -> None:
    member_id = register_member(client)
    contact = {"lastName": "Durand", "firstName": "Paul", "email": "paul@durand.fr"}
    mutate(client, "addContact", "AddContactInput", {"memberId": member_id, "contact": contact})

    reply = mutate(
        client,
        "changeAdministrativeInformation",
        "ChangeAdministrativeInformationInput",
        {"memberId": member_id, "expectedVersion": 1, "legalName": "Martin & Fils"},
    )

    assert (reply["__typename"], reply["code"], reply["currentVersion"]) == (
        "ConflictError",
        "CONFLICT",
        2,
    )


def test_an_unknown_member_is_not_found(client: TestClient) -> None:
    reply = mutate(
        client,
        "suspendMembership",
        "SuspendMembershipInput",
        {"memberId": str(uuid4()), "reason": "Impayés", "effectiveOn": "2025-01-01"},
    )

    assert (reply["__typename"], reply["code"]) == ("NotFoundError", "MEMBER_NOT_FOUND")
    assert data(client, "query($id: UUID!) { member(id: $id) { id } }", {"id": str(uuid4())}) == {
        "member": None
    }


def test_contacts_interlocutors_addresses_and_mandate_read_back(client: TestClient) -> None:
    member_id = register_member(client)
    contact = {"lastName": "Durand", "firstName": "Paul", "email": "paul@durand.fr"}
    added = mutate(
        client, "addContact", "AddContactInput", {"memberId": member_id, "contact": contact}
    )
    address = {"lines": ["12 rue des Lilas"], "postalCode": "69 003", "city": "Lyon"}
    steps = [
        (
            "assignInterlocutor",
            "AssignInterlocutorInput",
            {"role": "LEGAL_REPRESENTATIVE", "contactId": 1},
        ),
        ("changeAddress", "ChangeAddressInput", {"kind": "BILLING", "address": address}),
        ("openBranch", "OpenBranchInput", {"name": "Atelier", "address": address}),
        (
            "signSepaMandate",
            "SignSepaMandateInput",
            {
                "mandate": {
                    "reference": "RUM-1",
                    "iban": IBAN,
                    "signedOn": "2025-01-02",
                    "debtorName": "Martin SAS",
                }
            },
        ),
    ]
    replies = [
        mutate(client, name, kind, {"memberId": member_id, **fields})
        for name, kind, fields in steps
    ]

    assert added["__typename"] == "AddContactSuccess"
    assert [r["__typename"] for r in replies] == [
        "AssignInterlocutorSuccess",
        "ChangeAddressSuccess",
        "OpenBranchSuccess",
        "SignSepaMandateSuccess",
    ]
    found = member(client, member_id)
    assert found["contacts"] == [
        {"contactId": 1, "lastName": "DURAND", "firstName": "Paul", "email": "paul@durand.fr"}
    ]
    assert found["interlocutors"] == [
        {"role": "LEGAL_REPRESENTATIVE", "contact": {"contactId": 1, "lastName": "DURAND"}}
    ]
    assert found["addresses"] == [
        {
            "kind": "BILLING",
            "address": {
                "lines": ["12 rue des Lilas"],
                "postalCode": "69003",
                "city": "Lyon",
                "confirmed": False,
            },
        }
    ]
    assert found["branches"] == [{"number": 2, "code": "00010-2", "name": "Atelier"}]
    assert found["sepaMandate"] == {
        "reference": "RUM-1",
        "maskedIban": "*" * (len(IBAN) - 4) + IBAN[-4:],
        "active": True,
    }


def test_a_success_carries_the_created_id_and_the_fresh_member(client: TestClient) -> None:
    member_id = register_member(client)
    query = """
    mutation($input: OpenBranchInput!) {
      openBranch(input: $input) {
        ... on OpenBranchSuccess { aggregateId version createdId member { branches { code } } }
      }
    }"""
    address = {"lines": ["1 place Bellecour"], "postalCode": "69002", "city": "Lyon"}
    variables = {
        "input": {
            "requestId": request_id(),
            "memberId": member_id,
            "expectedVersion": 1,
            "name": "Boutique",
            "address": address,
        }
    }

    reply = data(client, query, variables)["openBranch"]

    assert reply == {
        "aggregateId": member_id,
        "version": 2,
        "createdId": 2,
        "member": {"branches": [{"code": "00010-2"}]},
    }


def test_an_unconfirmed_worksite_address_names_the_coordinates(client: TestClient) -> None:
    member_id = register_member(client)
    address = {"lines": ["12 rue des Lilas"], "postalCode": "69003", "city": "Lyon"}

    reply = mutate(
        client,
        "changeAddress",
        "ChangeAddressInput",
        {"memberId": member_id, "kind": "WORKSITE", "address": address},
    )

    assert (reply["__typename"], reply["code"], reply["field"]) == (
        "ValidationError",
        "WORKSITE_NOT_CONFIRMED",
        "latitude",  # the input's field; the domain says coordinates
    )

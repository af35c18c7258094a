"""Data that can be trusted, through the API (issue 15): an amendment keeps the terms it does
not give, a contact keeps every field of the seed's form, and bad values are typed refusals."""

from typing import Any

from litestar.testing import TestClient

from tests.api.graphql_client import a_contract, data, hire, mutate, register_member

EMPLOYEE = """
query($id: UUID!, $on: Date) {
  employee(id: $id, validOn: $on) { jobTitle trialEnd plannedEnd contractType }
}"""
CONTACTS = """
query($id: UUID!) {
  member(id: $id) {
    contacts {
      lastName firstName contactType company department mobile fax phone email
      address { lines postalCode city }
    }
  }
}"""


def amend(client: TestClient, employee_id: str, effective_on: str, **terms: Any) -> Any:
    fields = {"employeeId": employee_id, "effectiveOn": effective_on, "terms": terms}
    return mutate(client, "amendContract", "AmendContractInput", fields)


def test_an_amendment_keeps_the_terms_it_does_not_give(client: TestClient) -> None:
    """The trial end was dropped when an amendment did not repeat it (issue 15)."""
    member_id = register_member(client)
    terms = a_contract(trialEnd="2024-03-15", pcsCode="636c")
    employee_id = hire(client, member_id, terms=terms)["aggregateId"]

    changed = amend(client, employee_id, "2024-02-01", jobTitle="Cheffe d'atelier")
    employee = data(client, EMPLOYEE, {"id": employee_id, "on": "2024-02-01"})["employee"]

    assert changed["__typename"] == "AmendContractSuccess"
    assert employee == {
        "jobTitle": "Cheffe d'atelier",
        "trialEnd": "2024-03-15",
        "plannedEnd": None,
        "contractType": "CDI",
    }


def test_an_amendment_clears_a_term_set_to_null_and_refuses_to_clear_a_required_one(
    client: TestClient,
) -> None:
    member_id = register_member(client)
    terms = a_contract(trialEnd="2024-03-15")
    employee_id = hire(client, member_id, terms=terms)["aggregateId"]

    cleared = amend(client, employee_id, "2024-02-01", trialEnd=None)
    refused = amend(client, employee_id, "2024-02-01", jobTitle=None)
    employee = data(client, EMPLOYEE, {"id": employee_id, "on": "2024-02-01"})["employee"]

    assert cleared["__typename"] == "AmendContractSuccess"
    assert (employee["jobTitle"], employee["trialEnd"]) == ("Soudeuse", None)
    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "ValidationError",
        "REQUIRED_TERM",
        "jobTitle",
    )


def test_a_contact_keeps_every_field_of_the_seed_form(client: TestClient) -> None:
    """Seed 004, « Créer un contact »: type, company, department, address, mobile, fax."""
    member_id = register_member(client)
    contact = {
        "lastName": "Leroy",
        "firstName": "Paul",
        "contactType": "HUMAN_RESOURCES",
        "company": "Paie Conseil",
        "department": "Paie",
        "address": {"lines": ["3 rue des Forges"], "postalCode": "29200", "city": "Brest"},
        "mobile": "06 12 34 56 78",
        "fax": "01 23 45 67 89",
    }

    added = mutate(
        client, "addContact", "AddContactInput", {"memberId": member_id, "contact": contact}
    )
    (shown,) = data(client, CONTACTS, {"id": member_id})["member"]["contacts"]

    assert added["__typename"] == "AddContactSuccess"
    assert shown == {
        "lastName": "LEROY",
        "firstName": "Paul",
        "contactType": "HUMAN_RESOURCES",
        "company": "Paie Conseil",
        "department": "Paie",
        "mobile": "+33612345678",
        "fax": "+33123456789",
        "phone": None,
        "email": None,
        "address": {"lines": ["3 rue des Forges"], "postalCode": "29200", "city": "Brest"},
    }


def test_a_bad_fax_is_refused_under_its_own_name(client: TestClient) -> None:
    member_id = register_member(client)
    contact = {"lastName": "Leroy", "firstName": "Paul", "email": "p@leroy.fr", "fax": "12"}

    refused = mutate(
        client, "addContact", "AddContactInput", {"memberId": member_id, "contact": contact}
    )

    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "ValidationError",
        "INVALID_PHONE",
        "fax",
    )


def test_a_branch_of_another_company_and_a_short_declarant_number_are_refused(
    client: TestClient,
) -> None:
    member_id = register_member(client)
    address = {"lines": ["1 quai de la Douane"], "postalCode": "29200", "city": "Brest"}
    branch = {"memberId": member_id, "name": "Brest", "address": address}

    other = mutate(client, "openBranch", "OpenBranchInput", branch | {"siret": "55210055400021"})
    same = mutate(client, "openBranch", "OpenBranchInput", branch | {"siret": "73282932000090"})
    short = mutate(
        client,
        "registerMember",
        "RegisterMemberInput",
        {"memberCode": "00020", "declarantNumber": "short", "legalName": "Boulangerie Petit"},
    )

    assert (other["__typename"], other["code"], other["field"]) == (
        "ValidationError",
        "BRANCH_OF_ANOTHER_COMPANY",
        "siret",
    )
    assert same["__typename"] == "OpenBranchSuccess"
    assert (short["__typename"], short["code"], short["field"]) == (
        "ValidationError",
        "INVALID_DECLARANT_NUMBER",
        "declarantNumber",
    )
    assert "short" not in short["message"], "a declarant number is a secret"

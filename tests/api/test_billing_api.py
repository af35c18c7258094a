"""Billing through the API: the service's settings, the invoices its processes issue after a
member registers and after a declaration is confirmed, payments, credit notes, the échéancier."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import TestClient

from api.services import Services
from tests.api.confirmed_declaration import confirm_a_declaration, confirmations
from tests.api.graphql_client import data, hire, mutate, register_member, request_id

INVOICES = """
query($memberId: UUID!, $asOf: Date) {
  invoices(memberId: $memberId, asOf: $asOf) {
    id number kind kindLabel year issuedOn dueOn amountHt vat amountTtc outstanding status
    corrects
  }
}"""
SCHEDULE = """
query($memberId: UUID!, $asOf: Date) {
  accountSchedule(memberId: $memberId, asOf: $asOf) {
    entries { number label debit credit } totalDebit totalCredit balance
  }
}"""
INVOICE_FIELDS = "... on InvoiceRecorded { invoice { number kind amountTtc status outstanding } }"


def set_up_billing(client: TestClient, year: int) -> None:
    seller = {
        "legalName": "Service de santé au travail de test",
        "siret": "73282932000074",
        "vatNumber": "FR44732829320",
        "address": {"lines": ["12 rue de la Santé"], "postalCode": "13001", "city": "Marseille"},
        "creditorId": "FR72ZZZ123456",
        "iban": "FR7630006000011234567890189",
        "bic": "AGRIFRPP",
        "electronicAddress": "732829320",
    }
    changed = mutate(client, "changeSeller", "ChangeSellerInput", {"seller": seller})
    assert changed["__typename"] == "BillingSettingsChanged", changed
    terms = {
        "year": year,
        "membershipFee": "13",
        "paymentDays": 30,
        "penaltyRate": "12.15",
        "discountRate": "7",
        "discountDeadline": date(year, 2, 15).isoformat(),
    }
    set_terms = mutate(client, "setBillingTerms", "SetBillingTermsInput", {"terms": terms})
    assert set_terms["__typename"] == "BillingSettingsChanged", set_terms


def invoices(client: TestClient, member_id: str) -> list[Any]:
    found: list[Any] = data(client, INVOICES, {"memberId": member_id})["invoices"]
    return found


def run(client: TestClient, name: str, fields: dict[str, Any]) -> Any:
    query = f"""
    mutation($input: {name[0].upper()}{name[1:]}Input!) {{
      {name}(input: $input) {{ __typename {INVOICE_FIELDS} ... on ValidationError {{ code }} }}
    }}"""
    return data(client, query, {"input": {"requestId": request_id(), **fields}})[name]


@pytest.fixture
def year(services: Services) -> int:
    return services.clock.today().year


def test_a_new_member_receives_its_membership_invoice(
    client: TestClient, services: Services, year: int
) -> None:
    set_up_billing(client, year)

    member_id = register_member(client)
    services.settle()

    (membership,) = invoices(client, member_id)
    assert (membership["kind"], membership["kindLabel"]) == ("MEMBERSHIP", "Facture d'adhésion")
    assert (membership["amountHt"], membership["amountTtc"]) == ("13.00", "15.60")
    assert membership["status"] == "UNPAID"


def test_a_confirmed_declaration_is_billed_once_with_its_recap(
    client: TestClient, services: Services, year: int
) -> None:
    set_up_billing(client, year)
    member_id = register_member(client)
    for name in ("Marie", "Paul", "Léa"):
        hire(client, member_id, name, hire_date=date(year - 2, 3, 1))

    confirm_a_declaration(client, services, member_id)
    services.settle()
    services.settle()

    recap = confirmations(client, member_id, year)[0]["content"]["recap"]
    contributions = [i for i in invoices(client, member_id) if i["kind"] == "CONTRIBUTION"]
    assert len(contributions) == 1
    assert recap["billedHeadcount"] == 3
    assert Decimal(contributions[0]["amountTtc"]) == Decimal(recap["amountTtc"])
    assert Decimal(contributions[0]["amountHt"]) == Decimal(recap["amountHt"])


def test_payments_and_credit_notes_show_in_the_schedule(
    client: TestClient, services: Services, year: int
) -> None:
    set_up_billing(client, year)
    member_id = register_member(client)
    services.settle()
    (membership,) = invoices(client, member_id)

    paid = run(
        client,
        "recordPayment",
        {
            "invoiceId": membership["id"],
            "amount": "10.00",
            "paidOn": services.clock.today().isoformat(),
            "method": "TRANSFER",
            "reference": "VIR 42",
        },
    )
    credit = run(
        client,
        "issueCreditNote",
        {"invoiceId": membership["id"], "reason": "Adhésion offerte la première année"},
    )
    schedule = data(client, SCHEDULE, {"memberId": member_id})["accountSchedule"]

    assert paid["invoice"]["status"] == "PARTLY_PAID"
    assert paid["invoice"]["outstanding"] == "5.60"
    assert credit["invoice"]["kind"] == "CREDIT_NOTE"
    assert credit["invoice"]["amountTtc"] == "-15.60"
    assert [(e["label"], e["debit"], e["credit"]) for e in schedule["entries"]] == [
        ("Facture d'adhésion", "15.60", None),
        ("Paiement", None, "10.00"),
        ("Avoir", None, "15.60"),
    ]
    assert schedule["balance"] == "-10.00"  # overpaid: a credit on the account
    (_, corrected) = invoices(client, member_id)
    assert corrected["status"] == "PAID"


def test_bad_amounts_are_refused_with_a_typed_error(
    client: TestClient, services: Services, year: int
) -> None:
    set_up_billing(client, year)
    member_id = register_member(client)
    services.settle()
    (membership,) = invoices(client, member_id)

    refused = run(
        client,
        "recordPayment",
        {
            "invoiceId": membership["id"],
            "amount": "-3",
            "paidOn": services.clock.today().isoformat(),
            "method": "CHEQUE",
        },
    )

    assert refused == {"__typename": "ValidationError", "code": "INVALID_AMOUNT"}

"""A hostile probe of billing (issue 12): each test is a defect found, stated as the house
standards want it (README, docs/GUARANTEES.md): bad input gets a typed French error and changes
nothing, amounts and dates are plausible, texts refuse invisible characters and are bounded, no
answer double-counts a debt, concurrent edits are detected."""

from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from api.services import Services
from tests.api.graphql_client import FAILURES, graphql, mutate, register_member, request_id
from tests.api.test_billing_api import invoices, set_up_billing
from tests.api.test_sepa_api import collect

INVOICE = "... on InvoiceRecorded { invoice { id number kind amountTtc status outstanding } }"
SETTINGS = "... on BillingSettingsChanged { version }"
SCHEDULE = "query($m: UUID!) { accountSchedule(memberId: $m) { balance } }"
SELLER = {
    "legalName": "Service de santé au travail de test",
    "siret": "73282932000074",
    "vatNumber": "FR44732829320",
    "address": {"lines": ["12 rue de la Santé"], "postalCode": "13001", "city": "Marseille"},
    "creditorId": "FR72ZZZ123456",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "electronicAddress": "732829320",
}
CAMT_054 = (
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>'
    "<GrpHdr><MsgId>M</MsgId></GrpHdr><Ntfctn><Ntry><BookgDt><Dt>2026-01-01</Dt></BookgDt>"
    "<NtryDtls><TxDtls><Refs><EndToEndId>{}</EndToEndId></Refs>"
    "<RtrInf><Rsn><Cd>AM04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry></Ntfctn>"
    "</BkToCstmrDbtCdtNtfctn></Document>"
)


def send(client: TestClient, name: str, fields: dict[str, Any]) -> Any:
    """The mutation's answer (success or typed failure); a GraphQL error fails the test."""
    success = SETTINGS if name in ("setBillingTerms", "changeSeller") else INVOICE
    query = f"""
    mutation($input: {name[0].upper()}{name[1:]}Input!) {{
      {name}(input: $input) {{ __typename {success} {FAILURES} }}
    }}"""
    body = graphql(client, query, {"input": {"requestId": request_id(), **fields}})
    assert "errors" not in body, body["errors"]
    return body["data"][name]


def terms(year: int, **changes: Any) -> dict[str, Any]:
    fields = {
        "year": year,
        "membershipFee": "13",
        "paymentDays": 30,
        "penaltyRate": "12.15",
        "discountRate": "7",
        "discountDeadline": date(year, 2, 15).isoformat(),
    }
    return {"terms": {**fields, **changes}}


def adjustment(member_id: str, year: int, **line: Any) -> dict[str, Any]:
    fields = {"label": "Frais de dossier", "quantity": "1", "unitPrice": "20", **line}
    return {"memberId": member_id, "year": year, "reason": "Dossier", "lines": [fields]}


@pytest.fixture
def year(services: Services) -> int:
    return services.clock.today().year


@pytest.fixture
def member(client: TestClient, services: Services, year: int) -> str:
    """A member with its membership invoice (15,60 € TTC), the service's settings set."""
    set_up_billing(client, year)
    member_id = register_member(client)
    services.settle()
    return member_id


@pytest.mark.parametrize("field", ["quantity", "vatRate"])
@pytest.mark.parametrize("value", ["NaN", "sNaN"])
def test_a_line_of_nan_is_refused_with_a_typed_error(
    client: TestClient, member: str, year: int, field: str, value: str
) -> None:
    # Today: INTERNAL_ERROR (decimal.InvalidOperation comparing NaN in InvoiceLine).
    answer = send(client, "issueAdjustmentInvoice", adjustment(member, year, **{field: value}))

    assert answer["__typename"] == "ValidationError", answer


@pytest.mark.parametrize("field", ["penaltyRate", "discountRate"])
def test_terms_of_nan_are_refused_with_a_typed_error(
    client: TestClient, member: str, year: int, field: str
) -> None:
    # Today: INTERNAL_ERROR (decimal.InvalidOperation in BillingTerms.validated).
    answer = send(client, "setBillingTerms", terms(year, **{field: "NaN"}))

    assert answer["__typename"] == "ValidationError", answer


def test_a_membership_fee_no_invoice_may_bill_is_refused(
    client: TestClient, member: str, year: int
) -> None:
    # Today accepted: every new member's membership invoice is then refused (INVALID_PRICE)
    # inside the reaction, logged and skipped: the fee is silently never billed.
    answer = send(client, "setBillingTerms", terms(year, membershipFee="1e25"))

    assert answer["__typename"] == "ValidationError", answer


def test_an_implausible_payment_is_refused(
    client: TestClient, services: Services, member: str
) -> None:
    (invoice,) = invoices(client, member)
    paid_on = services.clock.today().isoformat()

    # Today accepted: outstanding -9999999999999999999999984.40, a credit on the account.
    answer = send(
        client,
        "recordPayment",
        {"invoiceId": invoice["id"], "amount": "1e25", "paidOn": paid_on, "method": "CHEQUE"},
    )

    assert answer["__typename"] == "ValidationError", answer


def test_a_payment_dated_in_year_9999_is_refused(client: TestClient, member: str) -> None:
    (invoice,) = invoices(client, member)

    answer = send(
        client,
        "recordPayment",
        {"invoiceId": invoice["id"], "amount": "1", "paidOn": "9999-12-31", "method": "CHEQUE"},
    )

    assert answer["__typename"] == "ValidationError", answer


@pytest.mark.parametrize("campaign", [1, 9999])
def test_terms_of_an_implausible_year_are_refused(
    client: TestClient, member: str, campaign: int
) -> None:
    # Today accepted, and an adjustment invoice of year 1 or 9999 then takes a gapless number.
    answer = send(client, "setBillingTerms", terms(campaign))

    assert answer["__typename"] == "ValidationError", answer


def test_a_credit_note_of_nothing_is_refused(client: TestClient, member: str) -> None:
    (invoice,) = invoices(client, member)
    line = {"label": "Rien", "quantity": "1", "unitPrice": "0"}

    # Today: credit note AV0000001 of 0,00 € issued, a number of the series spent on nothing.
    answer = send(
        client, "issueCreditNote", {"invoiceId": invoice["id"], "reason": "r", "lines": [line]}
    )

    assert answer["__typename"] in ("ValidationError", "RuleViolationError"), answer


@pytest.mark.parametrize("character", ["\u202e", "\u200b", "\ufeff", "\x1b"])
def test_the_seller_s_address_refuses_invisible_characters(
    client: TestClient, member: str, character: str
) -> None:
    # Seller.validated() never calls Address.checked(): printed on every invoice.
    address = {**SELLER["address"], "lines": [f"12 rue{character} de la Santé"]}  # type: ignore[dict-item]

    answer = send(client, "changeSeller", {"seller": {**SELLER, "address": address}})

    assert answer["__typename"] == "ValidationError", answer


@pytest.mark.parametrize("returned_on", ["0001-01-01", "today"])
def test_a_debit_returned_before_it_was_collected_never_doubles_the_debt(
    client: TestClient, services: Services, returned_on: str
) -> None:
    today = services.clock.today()
    set_up_billing(client, today.year)
    member_id = register_member(client)
    mandate = {
        "reference": "RUM-00010-1",
        "iban": "FR1420041010050500013M02606",
        "signedOn": today.isoformat(),
        "debtorName": "Boulangerie Martin",
    }
    mutate(
        client,
        "signSepaMandate",
        "SignSepaMandateInput",
        {"memberId": member_id, "mandate": mandate},
    )
    invoice = send(client, "issueAdjustmentInvoice", adjustment(member_id, today.year))["invoice"]
    collected = collect(client, (today + timedelta(days=14)).isoformat(), request_id())
    assert collected["__typename"] == "DebitsCollected", collected
    day = today.isoformat() if returned_on == "today" else returned_on

    # Today accepted: the invoice of 24,00 € shows 48,00 € outstanding, and the balance is
    # 63,60 € though 39,60 € was invoiced (the return counts before the debit it undoes).
    answer = send(
        client,
        "recordDebitReturn",
        {"invoiceId": invoice["id"], "reason": "AM04", "returnedOn": day},
    )
    services.settle()
    balance = graphql(client, SCHEDULE, {"m": member_id})["data"]["accountSchedule"]["balance"]

    if answer["__typename"] == "InvoiceRecorded":
        assert answer["invoice"]["outstanding"] == invoice["amountTtc"], answer
    assert balance == "39.60"


def test_a_return_file_s_reference_is_not_echoed_with_invisible_characters(
    client: TestClient, member: str
) -> None:
    content = CAMT_054.format("F000\u202e0001-20260101").encode()

    reported = client.post("/billing/returns", content=content)

    assert reported.status_code in (200, 422), reported.text
    assert "\u202e" not in reported.text


def test_a_return_file_s_reference_is_not_echoed_without_a_bound(
    client: TestClient, member: str
) -> None:
    # An EndToEndId is 35 characters at most (ISO 20022); today this one comes back twice.
    content = CAMT_054.format("F" * 4_000_000 + "-1").encode()

    reported = client.post("/billing/returns", content=content)

    assert reported.status_code in (200, 422), reported.text
    assert len(reported.content) < 100_000


def test_a_receipt_of_an_absurd_year_is_not_found(client: TestClient, member: str) -> None:
    # SQLite today: 500 (OverflowError binding the year).
    found = client.get(f"/declarations/{member}/99999999999999999999/receipt.pdf")

    assert found.status_code == 404, found.text


def test_a_change_of_the_billing_terms_on_a_stale_version_is_a_conflict(
    client: TestClient, member: str, year: int
) -> None:
    # Two staff editing the terms at once: the second silently wins today, since the inputs
    # of changeSeller and setBillingTerms have no expectedVersion (a GraphQL error).
    query = """
    mutation($input: SetBillingTermsInput!) {
      setBillingTerms(input: $input) { __typename ... on ConflictError { code } }
    }"""
    stale = {"requestId": request_id(), "expectedVersion": 1, **terms(year, paymentDays=45)}

    body = graphql(client, query, {"input": stale})

    answer = (body.get("data") or {}).get("setBillingTerms") or body
    assert answer.get("__typename") == "ConflictError", answer

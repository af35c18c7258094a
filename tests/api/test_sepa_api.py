"""SEPA direct debits through the API: the service's staff collects the debits due on a day and
receives their pain.008.001.08 file; a retried request receives the same file, nothing is
presented twice, and the debit shows in the member's account schedule."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import sepaxml
import xmlschema
from litestar.testing import TestClient

from api.services import Services
from tests.api.graphql_client import data, mutate, register_member, request_id
from tests.api.test_billing_api import SCHEDULE, invoices, set_up_billing

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.08.xsd"
COLLECT = """
mutation($input: CollectDebitsInput!) {
  collectDebits(input: $input) {
    __typename
    ... on DebitsCollected { collectionDate count total fileName content }
    ... on RuleViolationError { code }
  }
}"""


def collect(client: TestClient, collection_date: str, request: str) -> Any:
    fields = {"requestId": request, "collectionDate": collection_date}
    return data(client, COLLECT, {"input": fields})["collectDebits"]


def test_staff_collects_the_debits_due_and_receives_their_file(
    client: TestClient, services: Services
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
    signed = mutate(
        client,
        "signSepaMandate",
        "SignSepaMandateInput",
        {"memberId": member_id, "mandate": mandate},
    )
    assert "Success" in signed["__typename"], signed
    line = {"label": "Frais de dossier", "quantity": "1", "unitPrice": "20"}
    issued = mutate(
        client,
        "issueAdjustmentInvoice",
        "IssueAdjustmentInvoiceInput",
        {"memberId": member_id, "year": today.year, "lines": [line], "reason": "Dossier"},
    )
    assert issued["__typename"] == "InvoiceRecorded", issued
    debit_on = (today + timedelta(days=14)).isoformat()
    request = request_id()

    collected = collect(client, debit_on, request)
    retried = collect(client, debit_on, request)

    assert collected["__typename"] == "DebitsCollected", collected
    assert (collected["count"], collected["total"]) == (1, "24.00")
    assert collected["fileName"] == f"prelevements-{debit_on}.xml"
    xmlschema.XMLSchema(str(XSD)).validate(collected["content"])
    assert retried == collected
    assert collect(client, debit_on, request_id()) == {
        "__typename": "RuleViolationError",
        "code": "NOTHING_TO_COLLECT",
    }
    adjustment = next(i for i in invoices(client, member_id) if i["kind"] == "ADJUSTMENT")
    assert adjustment["number"] in collected["content"]
    schedule = data(client, SCHEDULE, {"memberId": member_id, "asOf": debit_on})
    debited = schedule["accountSchedule"]["entries"][-1]
    assert (debited["number"], debited["label"]) == (adjustment["number"], "Prélèvement")
    assert debited["credit"] == "24.00"

"""The bank's file of returned debits uploaded by the service's staff (`POST /billing/returns`), on
both stores: the invoice reopens, the reduction lost is billed by the reaction, the member's
billing users get a mail; the same file again records nothing; only staff may upload."""

from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient

from api.services import Services
from application.billing.commands import ChangeSeller, SetBillingTerms
from domain.billing.invoice import Invoice
from domain.billing.kinds import InvoiceKind
from messaging.mailer import OutboxMailer
from tests.api.sessions import MovableClock
from tests.api.test_role_matrix import add_user
from tests.integration.test_billing import SELLER, TERMS, YEAR, contribution_invoice, staff
from tests.integration.test_debit_returns import camt_054
from tests.integration.test_sepa_debits import DEBIT_ON, ISSUED_ON, collect, debited_member

BILLING_EMAIL = "facturation@martin.fr"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(ISSUED_ON.year, ISSUED_ON.month, ISSUED_ON.day, 10, tzinfo=UTC))


def test_staff_uploads_a_return_file(
    client: TestClient, services: Services, outbox: OutboxMailer
) -> None:
    app = services.app
    app.handle(staff(), ChangeSeller(seller=SELLER))
    app.handle(staff(), SetBillingTerms(terms=TERMS))
    member_id = debited_member(app)
    add_user(client, str(member_id), BILLING_EMAIL, "BILLING")
    invoice = contribution_invoice(app, member_id)
    collect(app, DEBIT_ON, invoice)
    content = camt_054(invoice, REASON="AM04")
    headers = {"Content-Type": "application/xml"}

    first = client.post("/billing/returns", content=content, headers=headers)
    services.settle()
    again = client.post("/billing/returns", content=content, headers=headers)
    services.settle()

    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["recorded"], report["refused"], report["fileMessage"]) == (1, 0, "camt.054")
    (line,) = report["lines"]
    assert (line["outcome"], line["reasonCode"]) == ("RECORDED", "AM04")
    assert again.json()["alreadyRecorded"] == 1
    subjects = [m["Subject"] for m in outbox.messages() if m["To"] == BILLING_EMAIL]
    rejected = f"Prélèvement rejeté : facture n° {invoice.issued.number} de Boulangerie Martin"
    assert subjects.count(rejected) == 1
    returned = app.repository.get(invoice.id)
    assert returned.discount_lost
    assert returned.outstanding == invoice.issued.totals.ttc
    lost = app.repository.get(Invoice.id_of(f"discount/{invoice.issued.number}"))
    assert lost.issued.kind is InvoiceKind.ADJUSTMENT
    assert lost.issued.year == YEAR


def test_a_foreign_file_is_refused_in_french(client: TestClient) -> None:
    refused = client.post("/billing/returns", content=b"<Document/>")

    assert refused.status_code == 422
    assert refused.json()["code"] == "RETURN_FILE_UNKNOWN_MESSAGE"
    assert refused.json()["message"].startswith("Le fichier n'est ni")


def test_only_staff_may_upload(anonymous_client: TestClient) -> None:
    assert anonymous_client.post("/billing/returns", content=b"<x/>").status_code == 401

"""An invoice's documents and the account schedule through the API, on both stores: the PDF is
rendered once after the issue and kept, every download returns it byte for byte with its
SHA-256, a replayed reaction renders nothing again, and who may download what (the member's
billing and administrator users, staff and auditors; another member's user is answered as for a
missing invoice)."""

import hashlib
import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pypdf
import pytest
from litestar.testing import TestClient

from api.services import Services
from application.billing import document_keeping
from application.billing.reactions import InvoiceDocumentKeeping
from application.side_effects import open_side_effects
from domain.accounts.access import AccountKind
from messaging.mailer import OutboxMailer
from tests.api.graphql_client import data, register_member
from tests.api.sessions import STAFF_EMAIL, create_first_account, open_service_account, sign_in
from tests.api.test_billing_api import set_up_billing
from tests.api.test_role_matrix import add_user

A_CODE, B_CODE = "00010", "00020"
ADMIN_EMAIL = "direction@martin.fr"
BILLING_EMAIL = "facturation@martin.fr"
CONVOCATION_EMAIL = "convocation@martin.fr"
OTHER_ADMIN_EMAIL = "direction@autre.fr"
AUDITOR_EMAIL = "auditrice@controle.fr"
INVOICES = """
query($memberId: UUID!) { invoices(memberId: $memberId) { id number amountTtc documentSha256 } }"""


@dataclass
class World:
    client: TestClient
    outbox: OutboxMailer
    services: Services
    member_id: str
    invoice: Any
    """Member A's membership invoice, as staff reads it (with its document's SHA-256)."""

    def sign_in(self, email: str) -> None:
        sign_in(self.client, self.outbox, email)

    def url(self, extension: str = "pdf", number: str | None = None) -> str:
        return f"/billing/{self.member_id}/invoices/{number or self.invoice['number']}.{extension}"


@pytest.fixture
def world(client: TestClient, outbox: OutboxMailer, services: Services) -> World:
    """Members A and B, each with its membership invoice; A's administrator, billing and
    convocation users, B's administrator, an auditor. The client stays signed in as staff."""
    set_up_billing(client, services.clock.today().year)
    member_id = register_member(client, A_CODE)
    register_member(client, B_CODE)
    settle_twice(services)  # the invoices are issued, then their documents kept
    open_service_account(services, AUDITOR_EMAIL, AccountKind.AUDITOR)
    for code, email in ((A_CODE, ADMIN_EMAIL), (B_CODE, OTHER_ADMIN_EMAIL)):
        first = create_first_account(client, code, email)
        assert first["__typename"] == "FirstAccountCreated", first
    world = World(client, outbox, services, member_id, invoice=None)
    world.sign_in(ADMIN_EMAIL)
    add_user(client, member_id, BILLING_EMAIL, "BILLING")
    add_user(client, member_id, CONVOCATION_EMAIL, "CONVOCATION")
    world.sign_in(STAFF_EMAIL)
    (world.invoice,) = data(client, INVOICES, {"memberId": member_id})["invoices"]
    return world


def settle_twice(services: Services) -> None:
    services.settle()
    services.settle()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_an_invoice_downloads_as_kept_byte_for_byte(world: World) -> None:
    first = world.client.get(world.url())
    second = world.client.get(world.url())
    xml = world.client.get(world.url("xml"))

    assert (first.status_code, second.status_code, xml.status_code) == (200, 200, 200)
    assert first.content == second.content
    assert first.content.startswith(b"%PDF")
    assert first.headers["content-type"] == "application/pdf"
    sha256 = hashlib.sha256(first.content).hexdigest()
    assert sha256 == world.invoice["documentSha256"] == first.headers["x-content-sha256"]
    assert first.headers["etag"] == f'"{sha256}"'
    assert world.invoice["number"] in pdf_text(first.content)
    assert xml.content.startswith(b"<?xml")
    assert xml.headers["x-content-sha256"] == hashlib.sha256(xml.content).hexdigest()


def test_a_replayed_reaction_renders_and_keeps_nothing_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = world.services
    rendered: list[str] = []
    render = document_keeping.invoice_document

    def counted(issued: Any) -> Any:
        rendered.append(issued.number)
        return render(issued)

    monkeypatch.setattr(document_keeping, "invoice_document", counted)
    with services.access_store.sql.transaction() as tx:  # as if the position had been lost
        tx.execute(
            "UPDATE reaction_positions SET position = 0 WHERE name = ?",
            (InvoiceDocumentKeeping.name,),
        )
    _, again = open_side_effects(
        services.app,
        services.access_store.sql,
        world.outbox,
        services.clock,
        [InvoiceDocumentKeeping],
    )
    again.settle()

    assert rendered == []
    kept = services.access_store.sql.read("SELECT number, pdf_sha256 FROM invoice_documents")
    assert len(kept) == 2  # one row per invoice, members A and B
    assert (world.invoice["number"], world.invoice["documentSha256"]) in kept
    files = [p for p in (services.documents.folder / "invoices").rglob("*") if p.is_file()]
    assert len(files) == 4  # the PDF and the XML of each


def test_a_document_not_rendered_yet_is_not_rendered_by_the_download(world: World) -> None:
    with world.services.access_store.sql.transaction() as tx:  # the reaction is behind
        tx.execute("DELETE FROM invoice_documents WHERE number = ?", (world.invoice["number"],))

    response = world.client.get(world.url())

    assert response.status_code == 409
    assert response.json()["extra"] == {"code": "DOCUMENT_NOT_READY"}
    assert "réessayez" in response.json()["detail"]
    assert response.headers["retry-after"] == "5"
    kept = world.services.access_store.sql.read("SELECT number FROM invoice_documents")
    assert (world.invoice["number"],) not in kept


def test_another_member_s_user_is_answered_as_for_a_missing_invoice(world: World) -> None:
    world.sign_in(ADMIN_EMAIL)
    missing = world.client.get(world.url(number="F9999999"))
    world.sign_in(OTHER_ADMIN_EMAIL)
    outsider = world.client.get(world.url())
    outsider_xml = world.client.get(world.url("xml"))
    outsider_schedule = world.client.get(f"/billing/{world.member_id}/schedule.pdf")

    assert missing.status_code == 404
    assert missing.json()["extra"] == {"code": "INVOICE_NOT_FOUND"}
    assert (outsider.status_code, outsider.json()) == (missing.status_code, missing.json())
    assert (outsider_xml.status_code, outsider_xml.json()) == (404, missing.json())
    assert outsider_schedule.status_code == 404


@pytest.mark.parametrize(
    ("email", "status"),
    [
        (ADMIN_EMAIL, 200),
        (BILLING_EMAIL, 200),
        (AUDITOR_EMAIL, 200),
        (CONVOCATION_EMAIL, 403),
        (None, 401),
    ],
)
def test_who_may_download(world: World, email: str | None, status: int) -> None:
    if email is None:
        world.client.headers.pop("Authorization", None)
    else:
        world.sign_in(email)

    invoice = world.client.get(world.url())
    schedule = world.client.get(f"/billing/{world.member_id}/schedule.pdf")

    assert (invoice.status_code, schedule.status_code) == (status, status)
    if status == 200:
        assert hashlib.sha256(invoice.content).hexdigest() == world.invoice["documentSha256"]


def test_the_schedule_prints_its_lines_totals_and_balance(world: World) -> None:
    today = world.services.clock.today()
    url = f"/billing/{world.member_id}/schedule.pdf"

    printed = world.client.get(url)
    before = world.client.get(url, params={"asOf": (today - timedelta(days=1)).isoformat()})

    assert printed.status_code == 200
    assert printed.headers["content-type"] == "application/pdf"
    assert printed.headers["x-content-sha256"] == hashlib.sha256(printed.content).hexdigest()
    text = pdf_text(printed.content)
    assert world.invoice["number"] in text
    assert "Facture d'adhésion" in text.replace("’", "'")
    assert "Solde débiteur 15,60 €" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert world.invoice["number"] not in pdf_text(before.content)


def test_a_damaged_kept_file_is_refused_rather_than_served(world: World) -> None:
    sha256 = world.invoice["documentSha256"]
    kept = world.services.documents.within("invoices").path_of(sha256)
    kept.write_bytes(b"%PDF-1.7 altered")

    response = world.client.get(world.url())

    assert response.status_code == 500
    assert response.json()["extra"] == {"code": "DOCUMENT_UNAVAILABLE"}
    assert "altéré" in response.json()["detail"]

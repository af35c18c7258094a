"""The e-invoice transmission port (`application.billing.transmission`), on both stores: it is
handed each invoice's documents once, when they are kept, and never again when the keeping
reaction replays the log."""

import pytest
from litestar.testing import TestClient

from api.services import Services
from application.billing.reactions import InvoiceDocumentKeeping
from application.billing.transmission import NoPlatform
from application.side_effects import open_side_effects
from messaging.mailer import OutboxMailer
from tests.api.graphql_client import register_member
from tests.api.test_billing_api import set_up_billing
from tests.api.test_invoice_documents_api import settle_twice


class RecordingPlatform:
    """A platform that records what it is sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bytes]] = []

    def transmit(self, invoice_number: str, pdf: bytes, xml: bytes) -> str | None:
        self.sent.append((invoice_number, pdf, xml))
        return f"PLATFORM-{len(self.sent)}"


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> RecordingPlatform:
    recording = RecordingPlatform()
    monkeypatch.setattr(InvoiceDocumentKeeping, "transmission", recording)
    return recording


def test_each_invoice_kept_is_transmitted_once(
    client: TestClient, outbox: OutboxMailer, services: Services, platform: RecordingPlatform
) -> None:
    set_up_billing(client, services.clock.today().year)
    register_member(client, "00010")
    register_member(client, "00020")
    settle_twice(services)  # the invoices are issued, then their documents kept

    kept = services.access_store.sql.read("SELECT number FROM invoice_documents ORDER BY number")
    assert sorted(number for number, _, _ in platform.sent) == [number for (number,) in kept]
    assert len(kept) == 2
    assert all(
        pdf.startswith(b"%PDF") and xml.startswith(b"<?xml") for _, pdf, xml in platform.sent
    )

    with services.access_store.sql.transaction() as tx:  # as if the position had been lost
        tx.execute(
            "UPDATE reaction_positions SET position = 0 WHERE name = ?",
            (InvoiceDocumentKeeping.name,),
        )
    _, again = open_side_effects(
        services.app, services.access_store.sql, outbox, services.clock, [InvoiceDocumentKeeping]
    )
    again.settle()

    assert len(platform.sent) == 2


def test_no_platform_is_plugged_in() -> None:
    """Nothing transmitted, and no reference invented."""
    transmission = InvoiceDocumentKeeping.transmission

    assert isinstance(transmission, NoPlatform)
    assert transmission.transmit("F-2026-000001", b"%PDF", b"<?xml") is None

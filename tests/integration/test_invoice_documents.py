"""The documents of the invoices the application issues: a contribution reduced for its direct
debit, the credit note against it and a membership invoice, each a Factur-X PDF whose XML passes
the XSD and the EN 16931 and French schematrons."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from facturx import get_facturx_xml_from_pdf

from application.billing.commands import IssueMembershipInvoice
from application.billing.documents.document import invoice_document
from application.registre import Registre
from domain.calendar import SetClock
from storage.settings import StoreSettings
from tests.einvoice import check_xsd, schematron_findings
from tests.integration.billing_scenario import every_billing_event, staff


@pytest.fixture
def app(sqlite_store: StoreSettings) -> Iterator[Registre]:
    application = Registre(sqlite_store, clock=SetClock(datetime(2025, 1, 10, 10, tzinfo=UTC)))
    yield application
    application.close()


def test_the_invoices_issued_are_valid_factur_x_invoices(app: Registre, tmp_path: Path) -> None:
    _, member_id, invoice_id, credit_note_id, *_ = every_billing_event(app)
    membership_id = app.handle(
        staff(), IssueMembershipInvoice(member_id=member_id, year=2025)
    ).aggregate_id
    issued = [app.repository.get(i).issued for i in (invoice_id, credit_note_id, membership_id)]
    assert issued[0].discount is not None, "the contribution is reduced for its direct debit"
    documents = {invoice.number: invoice_document(invoice) for invoice in issued}

    for document in documents.values():
        check_xsd(document.xml)
        assert get_facturx_xml_from_pdf(document.pdf, check_xsd=False)[1] == document.xml
    xmls = {number: document.xml for number, document in documents.items()}
    for number, findings in schematron_findings(xmls, tmp_path).items():
        for stylesheet, found in findings.items():
            assert found["failures"] == [], f"{number}, {stylesheet}"

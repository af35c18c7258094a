"""Gapless numbering under concurrency: threads of one process and two processes issue invoices
on one store at once; the numbers are 1 to N, each once, in the order the invoices were saved.
"""

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from application.billing.commands import ChangeSeller, IssueAdjustmentInvoice, SetBillingTerms
from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from domain.billing.invoice import Invoice
from domain.billing.lines import InvoiceLine
from domain.calendar import SetClock
from domain.errors import Conflict, InvalidValue
from domain.identifiers import Siret
from domain.money import Money
from storage.settings import StoreSettings
from tests.integration.billing_scenario import SELLER, terms_of

YEAR = 2025
THREADS = 6
EACH = 8
LINE = InvoiceLine("Frais de dossier", Decimal(1), Money.euros(20))


@pytest.fixture
def app(store: StoreSettings) -> Iterator[Registre]:
    application = Registre(store, clock=SetClock(datetime(YEAR, 3, 2, 9, tzinfo=UTC)))
    application.handle(Request.by(str(uuid4()), "staff"), ChangeSeller(seller=SELLER))
    application.handle(Request.by(str(uuid4()), "staff"), SetBillingTerms(terms=terms_of(YEAR)))
    yield application
    application.close()


def a_member(app: Registre) -> UUID:
    return app.handle(
        Request.by(str(uuid4()), "staff"),
        RegisterMember(
            member_code="00010",
            declarant_number="12345678",
            legal_name="Boulangerie Martin",
            siret=Siret("73282932000033"),
        ),
    ).aggregate_id


def issue_many(app: Registre, member_id: UUID, count: int) -> list[UUID]:
    """`count` adjustments, each sent again with its request id after a race lost."""
    issued = []
    for _ in range(count):
        request = Request.by(str(uuid4()), "staff")
        message = IssueAdjustmentInvoice(
            member_id=member_id, year=YEAR, lines=(LINE,), reason="Frais de dossier"
        )
        while True:
            try:
                issued.append(app.handle(request, message).aggregate_id)
                break
            except Conflict:
                continue
    return issued


def numbers_of(app: Registre) -> list[int]:
    invoices = [
        app.repository.get(n.originator_id)
        for n in app.recorder.select_notifications(start=1, limit=100_000)
        if n.topic.endswith("Invoice.InvoiceIssued")
    ]
    assert all(isinstance(invoice, Invoice) for invoice in invoices)
    return [int(invoice.issued.number.removeprefix("F")) for invoice in invoices]


def test_threads_issuing_at_once_leave_no_gap_and_no_double(app: Registre) -> None:
    member_id = a_member(app)
    results: list[list[UUID]] = []
    threads = [
        threading.Thread(target=lambda: results.append(issue_many(app, member_id, EACH)))
        for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    issued = [invoice_id for batch in results for invoice_id in batch]
    assert len(set(issued)) == THREADS * EACH
    assert numbers_of(app) == list(range(1, THREADS * EACH + 1))  # in log order, no gap


ISSUER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID
from application.registre import Registre
from domain.calendar import SetClock
from storage.settings import StoreSettings
from tests.integration.test_invoice_numbering import YEAR, issue_many

url, folder, member_id, count, name = sys.argv[1:]
clock = SetClock(datetime(YEAR, 3, 2, 9, tzinfo=UTC))
app = Registre(StoreSettings(url=url, data_dir=Path(folder)), clock=clock)
(Path(folder) / f"ready-{name}").touch()
while not (Path(folder) / "go").exists():
    time.sleep(0.01)
issue_many(app, UUID(member_id), int(count))
app.close()
"""


@pytest.mark.postgres
def test_two_processes_issuing_at_once_leave_no_gap_and_no_double(
    postgres_store: StoreSettings, tmp_path: Path
) -> None:
    app = Registre(postgres_store, clock=SetClock(datetime(YEAR, 3, 2, 9, tzinfo=UTC)))
    try:
        app.handle(Request.by(str(uuid4()), "staff"), ChangeSeller(seller=SELLER))
        app.handle(Request.by(str(uuid4()), "staff"), SetBillingTerms(terms=terms_of(YEAR)))
        member_id = a_member(app)
        args = [postgres_store.url, str(tmp_path), str(member_id), str(EACH * 2)]
        processes = []
        for name in ("a", "b"):  # opened one after the other, then let go at once
            processes.append(
                subprocess.Popen([sys.executable, "-c", ISSUER, *args, name], cwd=Path.cwd())
            )
            wait_for(tmp_path / f"ready-{name}", processes[-1])
        (tmp_path / "go").touch()
        assert [process.wait(timeout=120) for process in processes] == [0, 0]

        assert numbers_of(app) == list(range(1, EACH * 4 + 1))
    finally:
        app.close()


def wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert process.poll() is None, "the issuing process stopped before it was ready"
        assert time.monotonic() < deadline, "the issuing process was not ready in time"
        time.sleep(0.01)


def test_an_issue_refused_after_its_number_was_taken_leaves_no_hole(app: Registre) -> None:
    member_id = a_member(app)
    issue_many(app, member_id, 1)
    with pytest.raises(InvalidValue) as refused:  # refused once the series gave its number
        app.handle(
            Request.by(str(uuid4()), "staff"),
            IssueAdjustmentInvoice(member_id=member_id, year=YEAR, lines=(), reason="Vide"),
        )
    issue_many(app, member_id, 1)

    assert refused.value.code == "INVALID_LINES"
    assert numbers_of(app) == [1, 2]

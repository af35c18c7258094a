"""SEPA direct debits: the debits due on a day presented once each, first then recurring under a
mandate, never under a revoked or lapsed one, and their pain.008.001.08 file, from the
application and from `registre billing sepa-file`."""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
import sepaxml
import xmlschema

from application.billing.commands import (
    ChangeSeller,
    IssueAdjustmentInvoice,
    RecordDebitReturn,
    SetBillingTerms,
)
from application.billing.sepa.collection import CollectDebits, Collection
from application.billing.sepa.pain008 import debit_file
from application.members.commands import RevokeSepaMandate, SignSepaMandate
from application.registre import Registre
from application.requests import Request
from cli.main import main
from domain.billing.invoice import Invoice
from domain.billing.kinds import InvoiceStatus, ReturnReason, SequenceType
from domain.billing.lines import InvoiceLine
from domain.calendar import SetClock
from domain.errors import RuleViolation
from domain.identifiers import Iban
from domain.members.organisation import SepaMandate
from domain.money import Money
from storage.settings import StoreSettings
from tests.integration.billing_scenario import terms_of
from tests.integration.test_billing import (
    SELLER,
    TERMS,
    YEAR,
    at,
    contribution_invoice,
    register,
    staff,
)

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.08.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"}
ISSUED_ON = date(YEAR, 1, 10)
DEBIT_ON = date(YEAR, 1, 24)
"""14 days' notice after the issue."""


@pytest.fixture
def clock() -> SetClock:
    return SetClock(at(ISSUED_ON))


@pytest.fixture
def app(store: StoreSettings, clock: SetClock) -> Iterator[Registre]:
    application = Registre(store, clock=clock)
    application.handle(staff(), ChangeSeller(seller=SELLER))
    application.handle(staff(), SetBillingTerms(terms=TERMS))
    yield application
    application.close()


def debited_member(
    app: Registre, code: str = "00010", signed_on: date = date(YEAR - 1, 11, 2)
) -> UUID:
    member_id = register(app, code)
    mandate = SepaMandate(
        reference=f"RUM-{code}-1",
        iban=Iban("FR1420041010050500013M02606"),
        signed_on=signed_on,
        debtor_name="Boulangerie Martin",
        bic="PSSTFRPP",
    )
    app.handle(staff(), SignSepaMandate(member_id=member_id, mandate=mandate))
    return member_id


def adjustment(app: Registre, member_id: UUID, year: int = YEAR) -> Invoice:
    line = InvoiceLine("Frais de dossier", Decimal(1), Money.euros(20))
    issued = app.handle(
        staff(),
        IssueAdjustmentInvoice(member_id=member_id, year=year, lines=(line,), reason="Dossier"),
    )
    return app.repository.get(issued.aggregate_id)


def collect(
    app: Registre, day: date, *invoices: Invoice, request: Request | None = None
) -> Collection:
    message = CollectDebits(collection_date=day, candidates=tuple(i.id for i in invoices))
    return app.handle(request or staff(), message)


def reloaded(app: Registre, invoice: Invoice) -> Invoice:
    return app.repository.get(invoice.id)


def sequence_of(app: Registre, invoice: Invoice) -> SequenceType:
    collected = reloaded(app, invoice).collected
    assert collected is not None
    return collected.sequence


def nothing_to_collect(app: Registre, day: date, *invoices: Invoice) -> bool:
    with pytest.raises(RuleViolation) as refused:
        collect(app, day, *invoices)
    return refused.value.code == "NOTHING_TO_COLLECT"


def test_the_first_debit_under_a_mandate_is_first_the_next_recurring(
    app: Registre, clock: SetClock
) -> None:
    member_id = debited_member(app)
    first = contribution_invoice(app, member_id)
    collect(app, DEBIT_ON, first)
    clock.set(at(date(YEAR, 3, 1)))
    second = adjustment(app, member_id)

    collect(app, date(YEAR, 3, 15), second)

    assert sequence_of(app, first) is SequenceType.FIRST
    assert sequence_of(app, second) is SequenceType.RECURRING
    paid = reloaded(app, first)
    assert paid.status_on(DEBIT_ON) is InvoiceStatus.PAID
    assert not paid.discount_lost


def test_an_invoice_is_presented_once(app: Registre) -> None:
    invoice = contribution_invoice(app, debited_member(app))
    request = staff()

    first = collect(app, DEBIT_ON, invoice, request=request)
    retried = collect(app, DEBIT_ON, request=request)

    assert retried == first
    assert first.invoice_ids == (invoice.id,)
    assert nothing_to_collect(app, DEBIT_ON, invoice)
    assert nothing_to_collect(app, date(YEAR, 2, 24), invoice)
    assert reloaded(app, invoice).outstanding == Money.zero()


def test_a_debit_is_presented_on_its_day_or_later_never_earlier(app: Registre) -> None:
    invoice = contribution_invoice(app, debited_member(app))

    assert nothing_to_collect(app, date(YEAR, 1, 20), invoice)
    collect(app, date(YEAR, 1, 31), invoice)

    collected = reloaded(app, invoice).collected
    assert collected is not None
    assert collected.collection_date == date(YEAR, 1, 31)


def test_a_revoked_mandate_is_never_debited(app: Registre) -> None:
    member_id = debited_member(app)
    invoice = contribution_invoice(app, member_id)
    app.handle(staff(), RevokeSepaMandate(member_id=member_id, revoked_on=date(YEAR, 1, 15)))

    assert nothing_to_collect(app, DEBIT_ON, invoice)
    assert reloaded(app, invoice).outstanding == invoice.issued.totals.ttc
    assert adjustment(app, member_id).issued.debit is None


def test_a_mandate_unused_for_36_months_lapses(app: Registre) -> None:
    never_used = debited_member(app, "00011", signed_on=date(YEAR - 3, 1, 23))
    lapsing = debited_member(app, "00012", signed_on=date(YEAR - 3, 1, 25))

    paid_by_transfer = contribution_invoice(app, never_used).issued
    planned = contribution_invoice(app, lapsing)

    assert paid_by_transfer.debit is None
    assert paid_by_transfer.discount is None
    assert paid_by_transfer.due_on == date(YEAR, 2, 9)
    assert planned.issued.debit is not None
    assert nothing_to_collect(app, date(YEAR, 1, 25), planned)
    collect(app, DEBIT_ON, planned)


def test_a_debit_keeps_the_mandate_alive_for_36_months(app: Registre, clock: SetClock) -> None:
    member_id = debited_member(app, signed_on=date(YEAR - 4, 6, 1))
    clock.set(at(date(YEAR - 3, 3, 1)))
    collect(app, date(YEAR - 3, 3, 15), adjustment(app, member_id))

    clock.set(at(ISSUED_ON))
    alive = contribution_invoice(app, member_id).issued
    clock.set(at(date(YEAR, 3, 2)))
    lapsed = adjustment(app, member_id).issued

    assert alive.debit is not None
    assert lapsed.debit is None


def test_collected_after_the_discount_deadline_loses_the_reduction(app: Registre) -> None:
    invoice = contribution_invoice(app, debited_member(app))
    assert invoice.issued.discount is not None

    collect(app, date(YEAR, 2, 16), invoice)

    assert reloaded(app, invoice).discount_lost


def test_a_returned_debit_reopens_the_invoice_and_loses_the_reduction(app: Registre) -> None:
    invoice = contribution_invoice(app, debited_member(app))
    collect(app, DEBIT_ON, invoice)

    app.handle(
        staff(),
        RecordDebitReturn(
            invoice_id=invoice.id, reason=ReturnReason.AM04, returned_on=date(YEAR, 1, 28)
        ),
    )

    returned = reloaded(app, invoice)
    assert returned.outstanding == invoice.issued.totals.ttc
    assert returned.discount_lost
    assert returned.status_on(date(YEAR, 2, 1)) is InvoiceStatus.OVERDUE
    assert nothing_to_collect(app, date(YEAR, 2, 3), invoice)


def test_the_file_groups_first_and_recurring_debits_and_is_valid(
    app: Registre, clock: SetClock
) -> None:
    known = debited_member(app)
    collect(app, DEBIT_ON, contribution_invoice(app, known))
    clock.set(at(date(YEAR, 3, 1)))
    recurring = adjustment(app, known)
    first = adjustment(app, debited_member(app, "00011"))
    request = staff()

    collection = collect(app, date(YEAR, 3, 15), recurring, first, request=request)
    content = debit_file(app, collection).content

    xmlschema.XMLSchema(str(XSD)).validate(content.decode())
    document = ET.fromstring(content)
    batches = document.findall("p:CstmrDrctDbtInitn/p:PmtInf", NS)
    assert [b.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS) for b in batches] == ["FRST", "RCUR"]
    assert document.findtext(".//p:CdtrSchmeId//p:Othr/p:Id", namespaces=NS) == "FR72ZZZ123456"
    assert document.findtext(".//p:CdtrAcct//p:IBAN", namespaces=NS) == SELLER.iban
    (debit,) = batches[0].findall("p:DrctDbtTxInf", NS)
    assert debit.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == (
        f"{first.issued.number}-{YEAR}0315"
    )
    assert debit.findtext("p:InstdAmt", namespaces=NS) == "24.00"
    assert debit.findtext(".//p:MndtId", namespaces=NS) == "RUM-00011-1"
    assert debit.findtext(".//p:DtOfSgntr", namespaces=NS) == f"{YEAR - 1}-11-02"
    assert debit.findtext("p:DbtrAgt//p:BICFI", namespaces=NS) == "PSSTFRPP"
    assert debit.findtext("p:Dbtr/p:Nm", namespaces=NS) == "Boulangerie Martin"
    address = debit.find("p:Dbtr/p:PstlAdr", NS)
    assert address is not None
    assert [(e.tag.split("}")[1], e.text) for e in address] == [
        ("StrtNm", "3 place du Marche"),
        ("PstCd", "13002"),
        ("TwnNm", "Marseille"),
        ("Ctry", "FR"),
    ]
    assert debit.findtext("p:DbtrAcct//p:IBAN", namespaces=NS) == "FR1420041010050500013M02606"
    assert first.issued.number in (debit.findtext(".//p:Ustrd", namespaces=NS) or "")
    assert debit_file(app, collect(app, date(YEAR, 3, 15), request=request)).content == content


def test_the_command_line_writes_the_file_and_the_same_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'registre.sqlite3'}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    with closing(Registre()) as app:
        year = app.today().year
        app.handle(staff(), ChangeSeller(seller=SELLER))
        app.handle(staff(), SetBillingTerms(terms=terms_of(year)))
        member_id = debited_member(app, signed_on=app.today())
        planned = adjustment(app, member_id, year).issued
    assert planned.debit is not None
    output = tmp_path / "prelevements.xml"
    arguments = ["billing", "sepa-file", "--collection-date", f"{planned.debit.debit_on}"]

    assert main([*arguments, "--output", str(output)]) == 0
    written = output.read_bytes()
    output.unlink()
    assert main([*arguments, "--output", str(output)]) == 0

    assert output.read_bytes() == written
    xmlschema.XMLSchema(str(XSD)).validate(written.decode())
    assert planned.number.encode() in written
    assert "1 prélèvement(s) présenté(s) pour 24,00" in capsys.readouterr().out

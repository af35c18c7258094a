"""The bank's files of returned direct debits (pain.002 rejects, camt.054 returns) imported on both
stores: each returned debit reopens its invoice and loses its reduction, the same file imported
twice records nothing twice, what cannot be recorded is reported line by line, and hostile files
are refused; from the application and from `registre billing import-returns`."""

from contextlib import closing
from datetime import date
from pathlib import Path
from string import Template

import pytest

from application.billing.commands import ChangeSeller, SetBillingTerms
from application.billing.sepa.return_files import MAX_FILE_BYTES
from application.billing.sepa.returns import ImportedReturns, Outcome, import_returns
from application.registre import Registre
from cli.main import main
from domain.actor import SYSTEM
from domain.billing.invoice import Invoice
from domain.billing.kinds import InvoiceStatus
from domain.errors import InvalidValue
from tests.integration import test_sepa_debits
from tests.integration.billing_scenario import terms_of
from tests.integration.test_billing import SELLER, YEAR, contribution_invoice, staff
from tests.integration.test_sepa_debits import (
    DEBIT_ON,
    adjustment,
    collect,
    debited_member,
    reloaded,
)

clock, app = test_sepa_debits.clock, test_sepa_debits.app
"""The same fixtures: billing set up, the clock on the day of the issue."""
BANK_FILES = Path(__file__).parent / "bank_files"
RETURNED_ON = date(YEAR, 1, 28)


def pain_002(
    first: Invoice, second: Invoice, *, accepted: str = "F9999999-20250124", **changes: str
) -> bytes:
    fields = {
        "MSG_ID": "20250127-0001",
        "REPORTED_ON": "2025-01-27",
        "COLLECTED_ON": f"{DEBIT_ON:%Y%m%d}",
        "COLLECTED_DAY": DEBIT_ON.isoformat(),
        "FIRST_E2E": end_to_end_id(first),
        "FIRST_REASON": "AM04",
        "FIRST_AMOUNT": str(first.issued.totals.ttc.amount),
        "ACCEPTED_E2E": accepted,
        "SECOND_E2E": end_to_end_id(second),
        "SECOND_REASON": "AC04",
        "SECOND_AMOUNT": str(second.issued.totals.ttc.amount),
    }
    return bank_file("pain002_reject.xml", {**fields, **changes})


def camt_054(invoice: Invoice, **changes: str) -> bytes:
    fields = {
        "MSG_ID": "20250128-0042",
        "RETURNED_ON": RETURNED_ON.isoformat(),
        "COLLECTED_ON": f"{DEBIT_ON:%Y%m%d}",
        "E2E": end_to_end_id(invoice),
        "AMOUNT": str(invoice.issued.totals.ttc.amount),
        "REASON": "MD06",
    }
    return bank_file("camt054_return.xml", {**fields, **changes})


def bank_file(name: str, fields: dict[str, str]) -> bytes:
    return Template((BANK_FILES / name).read_text()).substitute(fields).encode()


def end_to_end_id(invoice: Invoice) -> str:
    return f"{invoice.issued.number}-{DEBIT_ON:%Y%m%d}"


def imported(app: Registre, content: bytes, *invoices: Invoice) -> ImportedReturns:
    numbers = {invoice.issued.number: invoice.id for invoice in invoices}
    return import_returns(app, SYSTEM, content, numbers.get)


def outcomes(result: ImportedReturns) -> list[tuple[str, Outcome, str | None]]:
    return [(line.returned.end_to_end_id, line.outcome, line.code) for line in result.outcomes]


def two_debits_collected(app: Registre) -> tuple[Invoice, Invoice]:
    first = contribution_invoice(app, debited_member(app, "00010"))
    second = contribution_invoice(app, debited_member(app, "00011"))
    collect(app, DEBIT_ON, first, second)
    return reloaded(app, first), reloaded(app, second)


def test_a_pain_002_reject_reopens_its_invoices_and_loses_their_reduction(app: Registre) -> None:
    first, second = two_debits_collected(app)

    result = imported(app, pain_002(first, second), first, second)

    assert outcomes(result) == [
        (end_to_end_id(first), Outcome.RECORDED, None),
        (end_to_end_id(second), Outcome.RECORDED, None),
    ]
    assert result.summary == (
        "Fichier pain.002 STS-20250127-0001 : 2 rejet(s) enregistré(s), 0 déjà enregistré(s),"
        " 0 refusé(s)."
    )
    for invoice in (first, second):
        returned = reloaded(app, invoice)
        assert returned.outstanding == invoice.issued.totals.ttc
        assert returned.discount_lost
        assert returned.status_on(date(YEAR, 2, 1)) is InvoiceStatus.OVERDUE


def test_a_camt_054_return_reopens_its_invoice(app: Registre) -> None:
    first, _ = two_debits_collected(app)

    result = imported(app, camt_054(first), first)

    ((_, outcome, _),) = outcomes(result)
    assert outcome is Outcome.RECORDED
    assert "rouverte : Remboursement demandé par le débiteur" in result.outcomes[0].message
    returned = reloaded(app, first)
    assert returned.outstanding == first.issued.totals.ttc
    assert returned.discount_lost


def test_the_same_file_twice_records_nothing_twice(app: Registre) -> None:
    first, second = two_debits_collected(app)
    content = pain_002(first, second)
    imported(app, content, first, second)
    versions = [reloaded(app, i).version for i in (first, second)]

    again = imported(app, content, first, second)
    returned_later = imported(app, camt_054(first), first)

    assert {line.outcome for line in again.outcomes} == {Outcome.ALREADY_RECORDED}
    assert {line.outcome for line in returned_later.outcomes} == {Outcome.ALREADY_RECORDED}
    assert [reloaded(app, i).version for i in (first, second)] == versions


def test_what_cannot_be_recorded_is_reported_and_the_rest_recorded(app: Registre) -> None:
    first, second = two_debits_collected(app)
    never_presented = adjustment(app, debited_member(app, "00012"))
    content = pain_002(
        first, second, FIRST_E2E=end_to_end_id(never_presented), SECOND_REASON="XX99"
    )
    third = contribution_invoice(app, debited_member(app, "00013"))
    collect(app, DEBIT_ON, third)

    unknown = imported(app, content, first, second, never_presented)
    wrong_amount = imported(app, camt_054(third, AMOUNT="1.00"), third)
    recorded = imported(app, camt_054(first), first)

    assert outcomes(unknown) == [
        (end_to_end_id(never_presented), Outcome.REFUSED, "UNKNOWN_END_TO_END_ID"),
        (end_to_end_id(second), Outcome.REFUSED, "UNKNOWN_RETURN_REASON"),
    ]
    assert "motifs connus : AC01, AC04" in unknown.outcomes[1].message
    assert outcomes(wrong_amount) == [(end_to_end_id(third), Outcome.REFUSED, "AMOUNT_MISMATCH")]
    assert "diffère du prélèvement présenté" in wrong_amount.outcomes[0].message
    assert outcomes(recorded) == [(end_to_end_id(first), Outcome.RECORDED, None)]
    assert reloaded(app, second).outstanding.is_zero
    assert reloaded(app, third).outstanding.is_zero


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&secret;</Document>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">&lol2;</Document>"""
PAIN_008 = b"""<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"><CstmrDrctDbtInitn/></Document>"""


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (XXE, "RETURN_FILE_DTD"),
        (LAUGHS, "RETURN_FILE_DTD"),
        (PAIN_008, "RETURN_FILE_UNKNOWN_MESSAGE"),
        (b"Date;Montant\n", "RETURN_FILE_UNREADABLE"),
        (b" " * (MAX_FILE_BYTES + 1), "RETURN_FILE_TOO_LARGE"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>',
            "RETURN_FILE_INCOMPLETE",
        ),
    ],
)
def test_hostile_or_foreign_files_are_refused(app: Registre, content: bytes, code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        imported(app, content)

    assert refused.value.code == code
    assert refused.value.message.startswith("Le fichier")
    assert "root:" not in refused.value.message


def test_the_command_line_reports_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'registre.sqlite3'}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    with closing(Registre()) as app:
        year = app.today().year
        app.handle(staff(), ChangeSeller(seller=SELLER))
        app.handle(staff(), SetBillingTerms(terms=terms_of(year)))
        invoice = adjustment(app, debited_member(app, signed_on=app.today()), year)
        assert invoice.issued.debit is not None
        collect(app, invoice.issued.debit.debit_on, invoice)
        collected = reloaded(app, invoice).collected
    assert collected is not None
    bank = tmp_path / "retours.xml"
    content = camt_054(invoice, E2E=collected.end_to_end_id, AMOUNT="24.00", REASON="AC04")
    bank.write_bytes(content)
    unknown = tmp_path / "inconnu.xml"
    unknown.write_bytes(camt_054(invoice, E2E="F0000042-20250101", AMOUNT="24.00"))

    assert main(["billing", "import-returns", str(bank)]) == 0
    recorded = capsys.readouterr().out
    assert main(["billing", "import-returns", str(bank)]) == 0
    again = capsys.readouterr().out
    assert main(["billing", "import-returns", str(unknown)]) == 1
    refused = capsys.readouterr().out

    assert f"{invoice.issued.number} rouverte : Compte clôturé" in recorded
    assert "1 rejet(s) enregistré(s), 0 déjà enregistré(s), 0 refusé(s)." in recorded
    assert "0 rejet(s) enregistré(s), 1 déjà enregistré(s), 0 refusé(s)." in again
    assert "« F0000042-20250101 » ne désigne aucun prélèvement présenté" in refused
    with closing(Registre()) as app:
        assert reloaded(app, invoice).outstanding.amount > 0

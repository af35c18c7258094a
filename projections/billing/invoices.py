"""INVOICES read model: each member's invoices and credit notes, and the movements of its account
(the échéancier), readable as of any date.

`invoices` holds one row per invoice or credit note as issued (amounts as decimal text, dates as
day ordinals). `movements` holds what changed what is owed, each on its day: an invoice's issue
(+TTC), a credit note's (−TTC), a payment or a debit collected (−), a returned debit (+), and,
on the invoice a credit note corrects, the credit (−, `on_account` false: the credit note's own
row already credits the account); a movement names its invoice, whose row names the member. As
of a date, an invoice's outstanding amount and the account's balance are sums of the movements
of that day and before.
"""

from collections.abc import Sequence
from typing import Any

from domain.billing.invoice import Invoice
from domain.billing.kinds import InvoiceKind
from domain.calendar import paris_date
from domain.money import Money
from projections.model import Envelope, ReadModel
from projections.store import Row, Tx
from projections.timeline import day

INVOICE_COLUMNS = (
    "invoice_id",
    "member_id",
    "number",
    "kind",
    "year",
    "issued_on",
    "due_on",
    "ht",
    "vat",
    "ttc",
    "debit_on",
    "discount",
    "corrects",
    "purchase_order",
    "reason",
)
MOVEMENT_COLUMNS = ("position", "invoice_id", "on_day", "kind", "amount", "on_account")


class Invoices(ReadModel):
    name = "invoices"
    reads = (Invoice.Event,)
    tables = ("invoices", "movements")

    def create(self, tx: Tx) -> None:
        invoices, movements = self.table("invoices"), self.table("movements")
        bigint = self.store.bigint
        tx.execute(
            f"CREATE TABLE {invoices} (invoice_id TEXT PRIMARY KEY, member_id TEXT NOT NULL,"
            " number TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, year INTEGER NOT NULL,"
            " issued_on INTEGER NOT NULL, due_on INTEGER NOT NULL, ht TEXT NOT NULL,"
            " vat TEXT NOT NULL, ttc TEXT NOT NULL, debit_on INTEGER, discount TEXT,"
            " corrects TEXT, purchase_order TEXT, reason TEXT)"
        )
        tx.execute(f"CREATE INDEX {invoices}_member ON {invoices} (member_id, issued_on)")
        tx.execute(f"CREATE INDEX {invoices}_debit ON {invoices} (debit_on)")
        tx.execute(
            f"CREATE TABLE {movements} (position {bigint} NOT NULL, invoice_id TEXT NOT NULL,"
            " on_day INTEGER NOT NULL, kind TEXT NOT NULL,"
            " amount TEXT NOT NULL, on_account INTEGER NOT NULL,"
            " PRIMARY KEY (position, invoice_id))"
        )
        tx.execute(f"CREATE INDEX {movements}_invoice ON {movements} (invoice_id, on_day)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        invoices: list[Row] = []
        movements: list[Row] = []
        for envelope in envelopes:
            event = envelope.event
            if not isinstance(event, Invoice.Event):
                continue
            if envelope.event_name == "InvoiceIssued":
                invoices.append(_invoice_row(event))
            movements.extend(_movements(envelope))
        if invoices:
            tx.insert_rows(self.table("invoices"), INVOICE_COLUMNS, invoices)
        if movements:
            tx.insert_rows(self.table("movements"), MOVEMENT_COLUMNS, movements)


def _invoice_row(event: Any) -> Row:
    issued = event.issued
    return (
        str(event.originator_id),
        str(issued.member_id),
        issued.number,
        issued.kind.value,
        issued.year,
        day(issued.issued_on),
        day(issued.due_on),
        _text(issued.totals.ht),
        _text(issued.totals.vat),
        _text(issued.totals.ttc),
        None if issued.debit is None else day(issued.debit.debit_on),
        None if issued.discount is None else _text(issued.discount.amount),
        None if issued.corrects is None else issued.corrects.number,
        issued.purchase_order,
        issued.reason,
    )


def _movements(envelope: Envelope) -> list[Row]:
    event = envelope.event
    name = envelope.event_name
    if name == "InvoiceIssued":
        ttc = event.issued.totals.ttc
        credit_note = event.issued.kind is InvoiceKind.CREDIT_NOTE
        moved = (event.issued.issued_on, -ttc if credit_note else ttc, True)
    elif name == "PaymentRecorded":
        moved = (event.paid_on, -event.amount, True)
    elif name == "DebitCollected":
        moved = (event.debit.collection_date, -event.debit.amount, True)
    elif name == "DebitReturned":
        moved = (event.returned_on, event.amount, True)
    elif name == "InvoiceCredited":
        moved = (paris_date(event.timestamp), -event.amount, False)
    else:
        return []
    on, amount, on_account = moved
    row = (envelope.position, str(event.originator_id), day(on), name, _text(amount))
    return [(*row, int(on_account))]


def _text(amount: Money) -> str:
    return str(amount.amount)

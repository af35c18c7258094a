"""Queries of the INVOICES read model: a member's invoices and its account schedule (échéancier)
as of a date, one invoice, and the invoices whose direct debit falls on a day."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

import msgspec

from domain.billing.invoice import settlement_status
from domain.billing.kinds import InvoiceKind, InvoiceStatus
from domain.money import Money
from projections.billing.invoices import INVOICE_COLUMNS
from projections.model import Queries
from projections.store import Row
from projections.timeline import day


class InvoiceView(msgspec.Struct, frozen=True, kw_only=True):
    invoice_id: UUID
    member_id: UUID
    number: str
    kind: InvoiceKind
    year: int
    issued_on: date
    due_on: date
    ht: Money
    vat: Money
    ttc: Money
    debit_on: date | None
    discount: Money | None
    corrects: str | None
    purchase_order: str | None
    reason: str | None
    outstanding: Money
    status: InvoiceStatus

    @property
    def signed_ttc(self) -> Money:
        """As the portal lists it: a credit note is negative."""
        return -self.ttc if self.kind is InvoiceKind.CREDIT_NOTE else self.ttc


class ScheduleLine(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    issued_on: date
    due_on: date | None
    label: str
    debit: Money | None
    credit: Money | None
    year: int


class Schedule(msgspec.Struct, frozen=True, kw_only=True):
    lines: list[ScheduleLine]
    total_debit: Money
    total_credit: Money

    @property
    def balance(self) -> Money:
        """Positive: the member owes it (solde débiteur); negative: a credit (solde créditeur)."""
        return self.total_debit - self.total_credit


MOVEMENT_LABELS = {
    "PaymentRecorded": "Paiement",
    "DebitCollected": "Prélèvement",
    "DebitReturned": "Prélèvement rejeté",
}


class InvoiceQueries(Queries):
    name = "invoices"

    def invoices(self, member_id: UUID, as_of: date, year: int | None = None) -> list[InvoiceView]:
        """Newest first, as the portal lists them."""
        where, params = "member_id = ? AND issued_on <= ?", [str(member_id), day(as_of)]
        if year is not None:
            where, params = f"{where} AND year = ?", [*params, year]
        return self._views(where, params, as_of)

    def invoice(self, invoice_id: UUID, as_of: date) -> InvoiceView | None:
        found = self._views("invoice_id = ?", [str(invoice_id)], as_of)
        return found[0] if found else None

    def invoice_id_of(self, number: str) -> UUID | None:
        """The invoice of a number (as a bank's end-to-end id names it), None if none has it."""
        table = self.table("invoices")
        rows = self.store.read(f"SELECT invoice_id FROM {table} WHERE number = ?", [number])
        return UUID(rows[0][0]) if rows else None

    def due_for_debit(self, collection_date: date) -> list[InvoiceView]:
        """The invoices whose direct debit falls on that day or before, never presented and
        still owed, by number."""
        due = self._views(
            f"debit_on <= ? AND invoice_id NOT IN (SELECT invoice_id FROM"
            f" {self.table('movements')} WHERE kind = 'DebitCollected')",
            [day(collection_date)],
            collection_date,
        )
        return sorted((v for v in due if v.outstanding.amount > 0), key=lambda v: v.number)

    def schedule(self, member_id: UUID, as_of: date) -> Schedule:
        """Every movement of the account up to `as_of`, in the order it happened."""
        invoices = {v.invoice_id: v for v in self.invoices(member_id, as_of)}
        lines = []
        for invoice_id, on, kind, amount in self._movements(list(invoices), as_of):
            invoice = invoices[invoice_id]
            issue = kind == "InvoiceIssued"
            lines.append(
                ScheduleLine(
                    number=invoice.number,
                    issued_on=on,
                    due_on=invoice.due_on if issue and not amount.is_negative else None,
                    label=invoice.kind.label if issue else MOVEMENT_LABELS[kind],
                    debit=None if amount.is_negative else amount,
                    credit=-amount if amount.is_negative else None,
                    year=invoice.year,
                )
            )
        return Schedule(
            lines=lines,
            total_debit=sum((line.debit or Money.zero() for line in lines), Money.zero()),
            total_credit=sum((line.credit or Money.zero() for line in lines), Money.zero()),
        )

    # Inside ------------------------------------------------------------------------------------

    def _views(self, where: str, params: list[object], as_of: date) -> list[InvoiceView]:
        rows = self.store.read(
            f"SELECT {', '.join(INVOICE_COLUMNS)} FROM {self.table('invoices')}"
            f" WHERE {where} ORDER BY issued_on DESC, number DESC",
            params,
        )
        owed = self._owed([UUID(row[0]) for row in rows], as_of)
        return [_view(row, owed[UUID(row[0])], as_of) for row in rows]

    def _owed(self, invoice_ids: list[UUID], as_of: date) -> dict[UUID, Money]:
        """What changed each invoice's amount owed since its issue, as of `as_of`."""
        owed: dict[UUID, Money] = defaultdict(Money.zero)
        for movement in self._movement_rows(invoice_ids, as_of):
            if movement.kind != "InvoiceIssued":
                owed[movement.invoice_id] += movement.amount
        return owed

    def _movements(
        self, invoice_ids: list[UUID], as_of: date
    ) -> list[tuple[UUID, date, str, Money]]:
        """The account's movements, by day then in log order."""
        found = [m for m in self._movement_rows(invoice_ids, as_of) if m.on_account]
        found.sort(key=lambda m: (m.on_day, m.position))
        return [(m.invoice_id, m.on_day, m.kind, m.amount) for m in found]

    def _movement_rows(self, invoice_ids: list[UUID], as_of: date) -> list["Movement"]:
        found = []
        for chunk in _chunks(invoice_ids):
            rows = self.store.read(
                f"SELECT invoice_id, on_day, kind, amount, position, on_account"
                f" FROM {self.table('movements')}"
                f" WHERE on_day <= ? AND invoice_id IN ({', '.join('?' * len(chunk))})",
                [day(as_of), *(str(i) for i in chunk)],
            )
            found += [
                Movement(UUID(i), _date(d), kind, Money(Decimal(a)), p, bool(on_account))
                for i, d, kind, a, p, on_account in rows
            ]
        return found


class Movement(NamedTuple):
    invoice_id: UUID
    on_day: date
    kind: str
    amount: Money
    position: int
    on_account: bool


def _view(row: Row, settled: Money, as_of: date) -> InvoiceView:
    (invoice_id, member_id, number, kind, year, issued_on, due_on, ht, vat, ttc) = row[:10]
    debit_on, discount, corrects, purchase_order, reason = row[10:]
    invoice_kind = InvoiceKind(kind)
    total = Money(Decimal(ttc))
    outstanding = Money.zero() if invoice_kind is InvoiceKind.CREDIT_NOTE else total + settled
    return InvoiceView(
        invoice_id=UUID(invoice_id),
        member_id=UUID(member_id),
        number=number,
        kind=invoice_kind,
        year=year,
        issued_on=_date(issued_on),
        due_on=_date(due_on),
        ht=Money(Decimal(ht)),
        vat=Money(Decimal(vat)),
        ttc=total,
        debit_on=None if debit_on is None else _date(debit_on),
        discount=None if discount is None else Money(Decimal(discount)),
        corrects=corrects,
        purchase_order=purchase_order,
        reason=reason,
        outstanding=outstanding,
        status=settlement_status(outstanding, total, _date(due_on), as_of),
    )


def _date(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def _chunks(ids: list[UUID], size: int = 500) -> list[list[UUID]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]

"""Collecting the direct debits due on a day (BILLING.md §3), by the service's staff.

Every invoice whose pre-notified debit falls on that day or before, never presented and still
owed, is debited for what it owes under its mandate: first (FRST) or recurring (RCUR) as the
mandate's use says — unless the mandate was revoked, replaced or lapsed meanwhile (the invoice
is then paid by another means). An invoice is presented once at most, whatever retries, races or
later collections do.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

import msgspec

from application.base import RegistreApplication
from application.billing.issuing import INVOICE_NOT_FOUND, find_mandate_use, settings_of
from application.commands import Command, Decision
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import Request
from domain.billing.invoice import Invoice
from domain.billing.kinds import SequenceType
from domain.billing.mandate_use import MandateUse, may_debit, sequence_of
from domain.billing.parties import Seller
from domain.calendar import current_stamp
from domain.errors import InvalidValue, RuleViolation
from domain.members.member import Member


class DueInvoice(Protocol):
    @property
    def invoice_id(self) -> UUID: ...


DueInvoices = Callable[[date], Iterable[DueInvoice]]
"""The read side's list of the invoices due for debit on a day (`InvoiceQueries`)."""


class Collection(msgspec.Struct, frozen=True, kw_only=True):
    """What a collection presented: its invoices in the order of its file, and when."""

    collection_date: date
    collected_at: datetime
    invoice_ids: tuple[UUID, ...]


class CollectDebits(Command[Collection], frozen=True, kw_only=True):
    """`candidates` are the invoices the read side listed as due; each is checked again on its
    own record, and two collections racing for one invoice are decided again, the later one
    passing it by."""

    result_type = Collection
    decide_again_on_race = True

    collection_date: date
    candidates: tuple[UUID, ...]

    def fingerprinted(self) -> Any:
        """A retry lists the candidates again and finds fewer (those presented are due no more):
        it is the same request all the same, answered with the first result."""
        return {"collection_date": self.collection_date}

    def decide(self, app: RegistreApplication, request: Request) -> Decision[Collection]:
        if self.collection_date < app.today():
            raise InvalidValue(
                "La date de prélèvement ne peut être passée.",
                code="INVALID_COLLECTION_DATE",
                field="collection_date",
            )
        collecting = _Collecting(app, request, self.collection_date)
        for invoice_id in self.candidates:
            collecting.present(app.load(Invoice, invoice_id, INVOICE_NOT_FOUND))
        return collecting.decision()


def collect_debits(
    app: RegistreApplication, request: Request, collection_date: date, due: DueInvoices
) -> Collection:
    """Collect what the read side lists as due on `collection_date`."""
    candidates = tuple(invoice.invoice_id for invoice in due(collection_date))
    message = CollectDebits(collection_date=collection_date, candidates=candidates)
    return app.handle(request, message)


class _Collecting:
    """One collection being decided: the creditor, and the members and mandate uses loaded."""

    def __init__(self, app: RegistreApplication, request: Request, collection_date: date):
        self.app = app
        self.actor = request.actor
        self.collection_date = collection_date
        self.creditor: Seller = settings_of(app).current_seller()
        self.members: dict[UUID, Member] = {}
        self.uses: dict[str, MandateUse | None] = {}
        self.recorded_uses: dict[str, MandateUse] = {}
        self.collected: list[Invoice] = []

    def present(self, invoice: Invoice) -> None:
        planned = invoice.issued.debit
        if planned is None or not invoice.is_due_for_debit_on(self.collection_date):
            return
        reference = planned.mandate_reference
        mandate = self._member(invoice.member_id).sepa_mandate
        use = self._use(reference)
        if mandate is None or not may_debit(mandate, reference, use, self.collection_date):
            return
        sequence = sequence_of(mandate, use, self.collection_date)
        invoice.collect_debit(self.collection_date, sequence, mandate, self.creditor, self.actor)
        if use is None:
            use = MandateUse(reference=reference, member_id=invoice.member_id, actor=self.actor)
            self.uses[reference] = use
        use.record(self.collection_date, invoice.issued.number, sequence, self.actor)
        self.recorded_uses[reference] = use
        self.collected.append(invoice)

    def decision(self) -> Decision[Collection]:
        if not self.collected:
            raise RuleViolation(
                f"Aucun prélèvement à présenter le {self.collection_date:%d/%m/%Y}.",
                code="NOTHING_TO_COLLECT",
            )
        in_file_order = sorted(self.collected, key=_file_order)
        collection = Collection(
            collection_date=self.collection_date,
            collected_at=current_stamp() or self.app.clock.now(),
            invoice_ids=tuple(invoice.id for invoice in in_file_order),
        )
        return [*in_file_order, *self.recorded_uses.values()], collection

    def _member(self, member_id: UUID) -> Member:
        if member_id not in self.members:
            self.members[member_id] = self.app.load(Member, member_id, MEMBER_NOT_FOUND)
        return self.members[member_id]

    def _use(self, reference: str) -> MandateUse | None:
        if reference not in self.uses:
            self.uses[reference] = find_mandate_use(self.app, reference)
        return self.uses[reference]


def _file_order(invoice: Invoice) -> tuple[bool, str]:
    """First debits, then recurring ones, each by invoice number."""
    assert invoice.collected is not None
    return invoice.collected.sequence is SequenceType.RECURRING, invoice.issued.number

"""Issuing an invoice: the number taken from its series and the invoice recorded, in one save.

Every kind of invoice goes through `issue`: the seller and the terms as they stand in the
service's settings, the member as billed today (legal name, SIREN, VAT number, billing address
— the worksite address when it has none), the next number of the kind's series. The invoice's
`source` names what it bills (`declaration/<id>/<edition>`, `membership/<member id>`…): its id
follows from it, so the same source is never billed twice, whatever retries or workers do.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.base import RegistreApplication, result_of
from application.commands import Decision
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from domain.billing.invoice import (
    DiscountCondition,
    Invoice,
    InvoiceReference,
    IssuedInvoice,
    PlannedDebit,
)
from domain.billing.kinds import InvoiceKind, Series
from domain.billing.lines import InvoiceLine, Totals
from domain.billing.mandate_use import MandateUse, may_debit
from domain.billing.parties import Buyer
from domain.billing.series import InvoiceSeries
from domain.billing.settings import SETTINGS_ID, BillingSettings
from domain.billing.terms import BillingTerms
from domain.errors import NotFound, RuleViolation
from domain.members.member import Member
from domain.money import Money

A = TypeVar("A", bound=Aggregate)
INVOICE_NOT_FOUND = NotFound("Cette facture n'existe pas.", code="INVOICE_NOT_FOUND")
SETTINGS_NOT_SET = NotFound(
    "Les paramètres de facturation du service ne sont pas renseignés.",
    code="BILLING_SETTINGS_NOT_SET",
)


@dataclass(frozen=True, kw_only=True)
class Draft:
    """What to bill; `issue` adds the parties, the dates, the terms and the number."""

    source: str
    kind: InvoiceKind
    member_id: UUID
    year: int
    lines: tuple[InvoiceLine, ...]
    reason: str | None = None
    purchase_order: str | None = None
    corrects: InvoiceReference | None = None
    discountable: tuple[int, ...] = ()
    """The lines the direct-debit reduction applies to (the contribution's per-employee part)."""


def settings_of(app: RegistreApplication) -> BillingSettings:
    return app.load(BillingSettings, SETTINGS_ID, SETTINGS_NOT_SET)


def find_mandate_use(app: RegistreApplication, reference: str) -> MandateUse | None:
    return app.find(MandateUse, MandateUse.create_id(reference))


def buyer_of(member: Member) -> Buyer:
    return Buyer(
        legal_name=member.legal_name,
        siren=None if member.siret is None else member.siret.siren,
        vat_number=member.vat_number,
        address=member.billing_address or member.worksite_address,
    )


def debit_plan(
    member: Member, use: MandateUse | None, terms: BillingTerms, issued_on: date
) -> PlannedDebit | None:
    """The member pays by direct debit when its mandate (`use`: how it was used so far), neither
    revoked nor lapsed, allows a debit on the first day the pre-notification does: the debit
    falls then."""
    mandate = member.sepa_mandate
    if mandate is None:
        return None
    debit_on = terms.debit_on(issued_on)
    if not may_debit(mandate, mandate.reference, use, debit_on):
        return None
    return PlannedDebit(mandate_reference=mandate.reference, iban=mandate.iban, debit_on=debit_on)


def issue(app: RegistreApplication, request: Request, draft: Draft) -> Decision[CommandResult]:
    """Issue the invoice `draft` describes: save its series and itself."""
    issuing = Issuing(app, request)
    issuing.numbered(draft)
    return issuing.decision()


class Issuing:
    """The invoices one command issues: each numbered from its series, every series and invoice
    saved together (a command issuing a thousand invoices saves each series once, and reads
    the members it bills together when told them beforehand: `prefetch`)."""

    def __init__(self, app: RegistreApplication, request: Request):
        self.app = app
        self.request = request
        self.aggregates: list[Aggregate] = []
        self.issued: list[Invoice] = []
        self._series: dict[Series, InvoiceSeries] = {}
        self._sources: set[str] = set()
        self._billing_settings: BillingSettings | None = None
        self._read: dict[UUID, Aggregate | None] = {}
        """Aggregates read beforehand by id (None: none has that id)."""

    def prefetch(self, member_ids: Iterable[UUID], sources: Iterable[str]) -> None:
        """Read together the members about to be billed, their mandates' uses and the invoices
        of `sources`: billing each then asks the store nothing more."""
        members = self.app.load_many(Member, member_ids)
        mandates = [
            MandateUse.create_id(member.sepa_mandate.reference)
            for member in members.values()
            if member.sepa_mandate is not None
        ]
        invoices = [Invoice.id_of(source) for source in sources]
        read: dict[UUID, Aggregate] = {
            **members,
            **self.app.load_many(MandateUse, mandates),
            **self.app.load_many(Invoice, invoices),
        }
        for aggregate_id in chain(members, mandates, invoices):
            self._read[aggregate_id] = read.get(aggregate_id)

    def has_issued(self, source: str) -> bool:
        """Whether `source` is billed already, by an earlier command or by this one."""
        return source in self._sources or self.find(Invoice, Invoice.id_of(source)) is not None

    def find(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, read beforehand or now; None when none of its kind has that id."""
        if aggregate_id not in self._read:
            return self.app.find(kind, aggregate_id)
        aggregate = self._read[aggregate_id]
        return aggregate if isinstance(aggregate, kind) else None

    def numbered(self, draft: Draft) -> Invoice:
        """The invoice `draft` describes, numbered."""
        if self.has_issued(draft.source):
            raise RuleViolation("Cette facture a déjà été émise.", code="INVOICE_ALREADY_ISSUED")
        app, request = self.app, self.request
        settings = self._settings()
        terms = settings.terms_of(draft.year)
        member = self.find(Member, draft.member_id)
        if member is None:
            raise MEMBER_NOT_FOUND.fresh()
        issued_on = app.today()
        debit = None if draft.kind is InvoiceKind.CREDIT_NOTE else self._debit(member, terms)
        lines, discount = _with_discount(draft, terms, debit)
        totals = Totals.of(lines)  # refused before a number is taken
        if totals.ttc.is_zero:
            raise RuleViolation(
                "Une facture ou un avoir de 0,00 € n'est pas émis.", code="NOTHING_TO_BILL"
            )
        series = self._series_of(draft.kind.series)
        issued = IssuedInvoice(
            number=series.take(f"{draft.kind.value} {draft.member_id}", request.actor),
            kind=draft.kind,
            member_id=draft.member_id,
            year=draft.year,
            issued_on=issued_on,
            due_on=debit.debit_on if debit is not None else terms.due_on(issued_on),
            lines=lines,
            totals=totals,
            seller=settings.current_seller(),
            buyer=buyer_of(member),
            penalty_rate=terms.penalty_rate,
            discount=discount,
            debit=debit,
            purchase_order=draft.purchase_order,
            corrects=draft.corrects,
            reason=draft.reason,
            source=draft.source,
        )
        invoice = Invoice.issue(issued, request.actor)
        self.aggregates.append(invoice)
        self.issued.append(invoice)
        self._sources.add(draft.source)
        return invoice

    def credit(
        self, corrected: Invoice, lines: tuple[InvoiceLine, ...], *, reason: str, source: str
    ) -> Invoice:
        """A credit note of `lines` against `corrected`, recorded on both."""
        credit_note = self.numbered(
            Draft(
                source=source,
                kind=InvoiceKind.CREDIT_NOTE,
                member_id=corrected.issued.member_id,
                year=corrected.issued.year,
                lines=lines,
                reason=reason,
                corrects=InvoiceReference(corrected.issued.number, corrected.issued.issued_on),
            )
        )
        corrected.credit(credit_note, self.request.actor)
        if corrected not in self.aggregates:
            self.aggregates.append(corrected)
        return credit_note

    def decision(self) -> Decision[CommandResult]:
        if not self.issued:
            raise RuleViolation("Aucune facture à émettre.", code="NOTHING_TO_BILL")
        return self.aggregates, result_of(self.issued[0])

    def _settings(self) -> BillingSettings:
        """The service's settings, loaded once for every invoice of the command."""
        if self._billing_settings is None:
            self._billing_settings = settings_of(self.app)
        return self._billing_settings

    def _debit(self, member: Member, terms: BillingTerms) -> PlannedDebit | None:
        mandate = member.sepa_mandate
        use_id = None if mandate is None else MandateUse.create_id(mandate.reference)
        use = None if use_id is None else self.find(MandateUse, use_id)
        return debit_plan(member, use, terms, self.app.today())

    def _series_of(self, series: Series) -> InvoiceSeries:
        found = self._series.get(series)
        if found is None:
            loaded = self.app.find(InvoiceSeries, InvoiceSeries.create_id(series))
            found = self._series[series] = loaded or InvoiceSeries.start(series, self.request.actor)
            self.aggregates.append(found)
        return found


def _with_discount(
    draft: Draft, terms: BillingTerms, debit: PlannedDebit | None
) -> tuple[tuple[InvoiceLine, ...], DiscountCondition | None]:
    if not draft.discountable or debit is None or not terms.earns_discount(debit.debit_on):
        return draft.lines, None
    reduced = tuple(
        _reduced(line, terms) if index in draft.discountable else line
        for index, line in enumerate(draft.lines)
    )
    amount = sum((line.allowance for line in reduced), Money.zero())
    return reduced, DiscountCondition(terms.discount_rate, terms.discount_deadline, amount)


def _reduced(line: InvoiceLine, terms: BillingTerms) -> InvoiceLine:
    return InvoiceLine(
        label=line.label,
        quantity=line.quantity,
        unit_price=line.unit_price,
        vat_rate=line.vat_rate,
        allowance_rate=terms.discount_rate,
    )

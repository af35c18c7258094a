"""Billing in the application: the service's settings, invoices of every kind numbered without
gap, the direct-debit reduction earned and lost, payments, credit notes."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast
from uuid import UUID, uuid4

import pytest

from application.billing.commands import (
    BillLostDiscount,
    ChangeSeller,
    IssueAdjustmentInvoice,
    IssueCreditNote,
    IssueMembershipInvoice,
    RecordDebitReturn,
    RecordPayment,
    SetBillingTerms,
)
from application.billing.contributions import (
    ConfirmedContribution,
    IssueContributionInvoice,
    IssueContributionInvoices,
    changed_lines,
)
from application.billing.reactions import ContributionInvoicing
from application.members.commands import ChangeAddress, RegisterMember, SignSepaMandate
from application.registre import Registre
from application.requests import Request
from domain.address import Address
from domain.billing.invoice import Invoice
from domain.billing.kinds import InvoiceKind, InvoiceStatus, PaymentMethod, ReturnReason
from domain.billing.lines import InvoiceLine
from domain.billing.terms import BillingTerms
from domain.calendar import SetClock
from domain.declaration.contribution import Contribution
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.identifiers import Iban, Siret
from domain.members.organisation import AddressKind, SepaMandate
from domain.money import Money
from storage.settings import StoreSettings
from tests.integration.billing_scenario import SEED_000, SELLER

YEAR = 2025
TERMS = BillingTerms(
    year=YEAR,
    membership_fee=Money.euros(13),
    payment_days=30,
    penalty_rate=Decimal("0.1215"),
    discount_rate=Decimal("0.07"),
    discount_deadline=date(YEAR, 2, 15),
)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


@pytest.fixture
def clock() -> SetClock:
    return SetClock(at(date(YEAR, 1, 10)))


@pytest.fixture
def app(store: StoreSettings, clock: SetClock) -> Iterator[Registre]:
    application = Registre(store, clock=clock)
    application.handle(staff(), ChangeSeller(seller=SELLER))
    application.handle(staff(), SetBillingTerms(terms=TERMS))
    yield application
    application.close()


def staff() -> Request:
    return Request.by(str(uuid4()), "staff-1")


def register(app: Registre, code: str = "00010") -> UUID:
    member_id = app.handle(
        staff(),
        RegisterMember(
            member_code=code,
            declarant_number="12345678",
            legal_name="Boulangerie Martin",
            siret=Siret("73282932000033"),
        ),
    ).aggregate_id
    app.handle(
        staff(),
        ChangeAddress(
            member_id=member_id,
            kind=AddressKind.BILLING,
            address=Address(("3 place du Marché",), "13002", "Marseille"),
        ),
    )
    return member_id


def contribution_invoice(
    app: Registre, member_id: UUID, edition: int = 1, contribution: Contribution = SEED_000
) -> Invoice:
    declaration_id = UUID(int=member_id.int ^ YEAR)
    result = app.handle(
        staff(),
        IssueContributionInvoice(
            declaration_id=declaration_id,
            member_id=member_id,
            year=YEAR,
            edition=edition,
            contribution=contribution,
            reference_date=date(YEAR - 1, 12, 31),
        ),
    )
    return app.repository.get(result.aggregate_id)


def test_seed_000_recap_gives_its_invoice(app: Registre) -> None:
    member_id = register(app)

    invoice = contribution_invoice(app, member_id)

    issued = invoice.issued
    assert issued.kind is InvoiceKind.CONTRIBUTION
    assert issued.number == "F0000001"
    assert (issued.totals.ht, issued.totals.vat, issued.totals.ttc) == (
        Money.euros(387),
        Money.euros("77.40"),
        Money.euros("464.40"),
    )
    assert issued.discount is None
    assert issued.debit is None
    assert issued.due_on == date(YEAR, 2, 9)
    assert issued.seller == SELLER
    assert issued.buyer.siren == "732829320"
    assert issued.buyer.address is not None
    assert issued.buyer.address.city == "Marseille"


def test_numbers_follow_each_other_per_series_and_a_retry_takes_none(app: Registre) -> None:
    member_id = register(app)
    membership = staff()
    first = app.handle(membership, IssueMembershipInvoice(member_id=member_id, year=YEAR))
    again = app.handle(membership, IssueMembershipInvoice(member_id=member_id, year=YEAR))
    contribution = contribution_invoice(app, member_id)
    credit_note = app.handle(
        staff(), IssueCreditNote(invoice_id=contribution.id, reason="Erreur d'effectif")
    )

    assert again == first
    assert app.repository.get(first.aggregate_id).issued.number == "F0000001"
    assert contribution.issued.number == "F0000002"
    assert app.repository.get(credit_note.aggregate_id).issued.number == "AV0000001"
    with pytest.raises(RuleViolation) as refused:
        app.handle(staff(), IssueMembershipInvoice(member_id=member_id, year=YEAR))
    assert refused.value.code == "INVOICE_ALREADY_ISSUED"


def test_a_failed_issue_takes_no_number(app: Registre) -> None:
    member_id = register(app)
    with pytest.raises(NotFound):
        app.handle(staff(), IssueMembershipInvoice(member_id=member_id, year=YEAR + 1))

    first = app.handle(staff(), IssueMembershipInvoice(member_id=member_id, year=YEAR))

    assert app.repository.get(first.aggregate_id).issued.number == "F0000001"


def test_direct_debit_by_the_deadline_earns_the_reduction_on_the_per_employee_part(
    app: Registre,
) -> None:
    member_id = register(app)
    mandate = SepaMandate(
        reference="RUM-00010-1",
        iban=Iban("FR1420041010050500013M02606"),
        signed_on=date(YEAR - 1, 11, 2),
        debtor_name="Boulangerie Martin",
    )
    app.handle(staff(), SignSepaMandate(member_id=member_id, mandate=mandate))

    issued = contribution_invoice(app, member_id).issued

    assert issued.debit is not None
    assert issued.debit.debit_on == date(YEAR, 1, 24)
    assert issued.due_on == issued.debit.debit_on
    assert issued.discount is not None
    assert issued.discount.amount == Money.euros("16.59")  # 7 % of 3 × 79 €
    assert issued.lines[1].allowance.is_zero  # not on the optional tool
    assert issued.totals.ht == Money.euros("370.41")
    assert issued.totals.ttc == Money.euros("444.49")


def test_a_rejected_debit_loses_the_reduction_which_is_billed_again(app: Registre) -> None:
    member_id = register(app)
    mandate = SepaMandate(
        reference="RUM-00010-1",
        iban=Iban("FR1420041010050500013M02606"),
        signed_on=date(YEAR - 1, 11, 2),
        debtor_name="Boulangerie Martin",
    )
    app.handle(staff(), SignSepaMandate(member_id=member_id, mandate=mandate))
    invoice = contribution_invoice(app, member_id)
    total = invoice.issued.totals.ttc
    app.handle(
        staff(),
        RecordPayment(
            invoice_id=invoice.id,
            amount=total,
            paid_on=date(YEAR, 1, 24),
            method=PaymentMethod.DIRECT_DEBIT,
        ),
    )
    assert app.repository.get(invoice.id).status_on(date(YEAR, 1, 25)) is InvoiceStatus.PAID

    app.handle(
        staff(),
        RecordDebitReturn(
            invoice_id=invoice.id, reason=ReturnReason.AM04, returned_on=date(YEAR, 1, 28)
        ),
    )
    returned = app.repository.get(invoice.id)
    adjustment = app.handle(staff(), BillLostDiscount(invoice_id=invoice.id))

    assert returned.discount_lost
    assert returned.outstanding == total
    assert returned.status_on(date(YEAR, 2, 1)) is InvoiceStatus.OVERDUE
    billed_again = app.repository.get(adjustment.aggregate_id).issued
    assert billed_again.kind is InvoiceKind.ADJUSTMENT
    assert billed_again.totals.ht == Money.euros("16.59")


def test_partial_payments_then_overpayment(app: Registre) -> None:
    member_id = register(app)
    invoice = contribution_invoice(app, member_id)

    def pay(amount: str, day: date) -> Invoice:
        app.handle(
            staff(),
            RecordPayment(
                invoice_id=invoice.id,
                amount=Money.euros(amount),
                paid_on=day,
                method=PaymentMethod.TRANSFER,
                reference="VIR 123",
            ),
        )
        return app.repository.get(invoice.id)

    assert pay("100", date(YEAR, 1, 20)).status_on(date(YEAR, 1, 20)) is InvoiceStatus.PARTLY_PAID
    after = pay("400", date(YEAR, 1, 30))
    assert after.status_on(date(YEAR, 3, 1)) is InvoiceStatus.PAID
    assert after.outstanding == Money.euros("-35.60")


def test_a_changed_contribution_bills_and_credits_each_part() -> None:
    """Reopened declarations (journeys in features/facturation.feature): one employee more at the
    reduction the first invoice holds, the tool dropped."""
    after = Contribution(4, Money.euros(79), None)

    more, less = changed_lines(SEED_000, after, Decimal("0.07"))

    assert [(line.quantity, line.net) for line in more] == [(Decimal(1), Money.euros("73.47"))]
    assert [line.net for line in less] == [Money.euros(150)]
    assert changed_lines(SEED_000, SEED_000, Decimal(0)) == ((), ())


def test_staff_adjustment_needs_a_reason(app: Registre) -> None:
    member_id = register(app)
    line = InvoiceLine("Frais de dossier", Decimal(1), Money.euros(20))

    with pytest.raises(InvalidValue) as refused:
        app.handle(
            staff(),
            IssueAdjustmentInvoice(member_id=member_id, year=YEAR, lines=(line,), reason=" "),
        )
    issued = app.handle(
        staff(),
        IssueAdjustmentInvoice(
            member_id=member_id, year=YEAR, lines=(line,), reason="Dossier incomplet"
        ),
    )

    assert refused.value.code == "INVALID_TEXT"
    assert app.repository.get(issued.aggregate_id).issued.number == "F0000001"


def confirmation(member_id: UUID, contribution: Contribution = SEED_000) -> ConfirmedContribution:
    return ConfirmedContribution(
        declaration_id=uuid4(),
        member_id=member_id,
        year=YEAR,
        edition=1,
        contribution=contribution,
        reference_date=date(YEAR - 1, 12, 31),
    )


def test_many_confirmations_are_billed_by_one_command_and_none_twice(app: Registre) -> None:
    members = [register(app, f"0001{n}") for n in range(3)]
    first = [confirmation(member_id) for member_id in members]
    nothing = confirmation(members[0], Contribution(0, Money.euros(79), None))

    later = confirmation(members[2])

    app.handle(staff(), IssueContributionInvoices(confirmations=(*first, nothing)))
    app.handle(staff(), IssueContributionInvoices(confirmations=(*first[1:], later)))
    with pytest.raises(RuleViolation) as again:
        app.handle(staff(), IssueContributionInvoices(confirmations=(*first, later)))

    numbers = [app.repository.get(Invoice.id_of(c.source)).issued.number for c in (*first, later)]
    assert numbers == ["F0000001", "F0000002", "F0000003", "F0000004"]
    assert Invoice.id_of(nothing.source) not in app.repository
    assert again.value.code == "NOTHING_TO_BILL"


def test_the_process_bills_a_batch_and_passes_over_the_confirmation_at_fault(
    app: Registre,
) -> None:
    member_id = register(app)
    good, bad = confirmation(member_id), confirmation(uuid4())  # a member that does not exist
    events = [
        (position, SimpleNamespace(originator_id=c.declaration_id, **_fields(c)))
        for position, c in ((7, good), (8, bad))
    ]

    ContributionInvoicing(app, cast(Any, None)).send_all(events)

    assert app.repository.get(Invoice.id_of(good.source)).issued.number == "F0000001"
    assert Invoice.id_of(bad.source) not in app.repository


def _fields(c: ConfirmedContribution) -> dict[str, Any]:
    return {name: getattr(c, name) for name in c.__struct_fields__ if name != "declaration_id"}

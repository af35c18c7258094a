"""A billing scenario that records every billing event: the service's settings, both numbering
series, and invoices debited, returned, paid and credited, the mandate's use (used by the
round-trip tests)."""

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from application.billing.commands import (
    ChangeSeller,
    IssueCreditNote,
    RecordDebitReturn,
    RecordPayment,
    SetBillingTerms,
)
from application.billing.contributions import IssueContributionInvoice
from application.billing.sepa.collection import CollectDebits
from application.members.commands import ChangeAddress, RegisterMember, SignSepaMandate
from application.registre import Registre
from application.requests import Request
from domain.address import Address
from domain.billing.kinds import PaymentMethod, ReturnReason, Series
from domain.billing.mandate_use import MandateUse
from domain.billing.parties import Bic, CreditorId, Seller
from domain.billing.series import InvoiceSeries
from domain.billing.terms import BillingTerms
from domain.declaration.contribution import Contribution
from domain.identifiers import Iban, Siret, VatNumber
from domain.members.organisation import AddressKind, SepaMandate
from domain.money import Money

SELLER = Seller(
    legal_name="Service de santé au travail de test",
    siret=Siret("73282932000074"),
    vat_number=VatNumber("FR44732829320"),
    address=Address(("12 rue de la Santé",), "13001", "Marseille"),
    creditor_id=CreditorId("FR72ZZZ123456"),
    iban=Iban("FR7630006000011234567890189"),
    bic=Bic("AGRIFRPP"),
    electronic_address="732829320",
)
SEED_000 = Contribution(
    billed_headcount=3, rate_per_capita=Money.euros(79), tool_price=Money.euros(150)
)


def terms_of(year: int) -> BillingTerms:
    """Terms whose reduction can still be earned this year and the next."""
    return BillingTerms(
        year=year,
        membership_fee=Money.euros(13),
        payment_days=30,
        penalty_rate=Decimal("0.1215"),
        discount_rate=Decimal("0.07"),
        discount_deadline=date(year + 1, 12, 31),
    )


def staff() -> Request:
    return Request.by(str(uuid4()), "staff-1")


def every_billing_event(app: Registre) -> list[UUID]:
    """The ids of the settings, the member billed, its invoice and credit note, the two series
    and the mandate's use."""
    year = app.today().year
    settings = app.handle(staff(), ChangeSeller(seller=SELLER)).aggregate_id
    app.handle(staff(), SetBillingTerms(terms=terms_of(year)))
    member_id = app.handle(
        staff(),
        RegisterMember(
            member_code="00077",
            declarant_number="55555555",
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
    mandate = SepaMandate(
        reference="RUM-00077-1",
        iban=Iban("FR1420041010050500013M02606"),
        signed_on=date(year - 1, 11, 2),
        debtor_name="Boulangerie Martin",
    )
    app.handle(staff(), SignSepaMandate(member_id=member_id, mandate=mandate))
    invoice_id = app.handle(
        staff(),
        IssueContributionInvoice(
            declaration_id=uuid4(),
            member_id=member_id,
            year=year,
            edition=1,
            contribution=SEED_000,
            reference_date=date(year - 1, 12, 31),
        ),
    ).aggregate_id
    invoice = app.repository.get(invoice_id)
    assert invoice.issued.debit is not None, "the member pays by direct debit"
    debit_on = invoice.issued.debit.debit_on
    app.handle(staff(), CollectDebits(collection_date=debit_on, candidates=(invoice_id,)))
    app.handle(
        staff(),
        RecordDebitReturn(invoice_id=invoice_id, reason=ReturnReason.AM04, returned_on=debit_on),
    )
    app.handle(
        staff(),
        RecordPayment(
            invoice_id=invoice_id,
            amount=Money.euros(100),
            paid_on=debit_on,
            method=PaymentMethod.TRANSFER,
        ),
    )
    credit_note_id = app.handle(
        staff(), IssueCreditNote(invoice_id=invoice_id, reason="Erreur d'effectif")
    ).aggregate_id
    series = {app.repository.get(i).issued.number[:1] for i in (invoice_id, credit_note_id)}
    assert series == {"F", "A"}
    series_ids = [InvoiceSeries.create_id(series) for series in Series]
    use_id = MandateUse.create_id(mandate.reference)
    return [settings, member_id, invoice_id, credit_note_id, *series_ids, use_id]

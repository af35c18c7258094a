"""The use of a SEPA mandate: first or recurring debits, and the lapse after 36 months unused."""

from dataclasses import replace
from datetime import date
from uuid import uuid4

from domain.actor import SYSTEM
from domain.billing.kinds import SequenceType
from domain.billing.mandate_use import MandateUse, may_debit, sequence_of
from domain.identifiers import Iban
from domain.members.organisation import SepaMandate

MANDATE = SepaMandate(
    reference="RUM-00010-1",
    iban=Iban("FR1420041010050500013M02606"),
    signed_on=date(2022, 1, 24),
    debtor_name="Boulangerie Martin",
)


def used_on(*days: date) -> MandateUse:
    use = MandateUse(reference=MANDATE.reference, member_id=uuid4(), actor=SYSTEM)
    for day in days:
        use.record(day, "F0000001", SequenceType.RECURRING, SYSTEM)
    return use


def test_a_mandate_unused_lapses_36_months_after_its_signature() -> None:
    assert may_debit(MANDATE, MANDATE.reference, None, date(2025, 1, 23))
    assert not may_debit(MANDATE, MANDATE.reference, None, date(2025, 1, 24))


def test_each_debit_keeps_the_mandate_for_36_months_more() -> None:
    use = used_on(date(2023, 6, 5))

    assert may_debit(MANDATE, MANDATE.reference, use, date(2026, 6, 4))
    assert not may_debit(MANDATE, MANDATE.reference, use, date(2026, 6, 5))


def test_a_mandate_signed_on_29_february_lapses_on_28_february() -> None:
    leap = replace(MANDATE, signed_on=date(2024, 2, 29))

    assert may_debit(leap, leap.reference, None, date(2027, 2, 27))
    assert not may_debit(leap, leap.reference, None, date(2027, 2, 28))


def test_a_revoked_or_replaced_mandate_is_not_debited() -> None:
    revoked = replace(MANDATE, revoked_on=date(2023, 1, 1))

    assert not may_debit(revoked, MANDATE.reference, None, date(2022, 6, 1))
    assert not may_debit(MANDATE, "RUM-00010-0", None, date(2022, 6, 1))
    assert not may_debit(None, MANDATE.reference, None, date(2022, 6, 1))


def test_first_until_another_collection_used_the_mandate_since_its_signature() -> None:
    day = date(2025, 3, 15)

    assert sequence_of(MANDATE, None, day) is SequenceType.FIRST
    assert sequence_of(MANDATE, used_on(day), day) is SequenceType.FIRST
    assert sequence_of(MANDATE, used_on(date(2025, 1, 24)), day) is SequenceType.RECURRING
    signed_again = replace(MANDATE, signed_on=date(2025, 2, 1))
    assert sequence_of(signed_again, used_on(date(2025, 1, 24)), day) is SequenceType.FIRST

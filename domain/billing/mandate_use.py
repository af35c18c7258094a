"""The service's use of a SEPA mandate (BILLING.md §3): the days it presented a debit under the
mandate's reference (RUM), one record per reference, saved with the invoices it debited.

They tell the sequence type of a debit — first (FRST) when no other collection presented one
since the mandate was signed, recurring (RCUR) after — and when the mandate lapses: unused for
36 months, it is debited no more (invoices are paid by transfer until a new mandate is signed).
"""

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.billing.kinds import SequenceType
from domain.members.organisation import SepaMandate

MANDATE_USE_NAMESPACE = UUID("1721ed55-a0d1-4fcd-9961-3aac24ec5546")
LAPSE_YEARS = 3
"""A mandate unused for 36 months lapses."""


class MandateUse(RegistreAggregate):
    reference: str
    member_id: UUID
    """The member that signed the mandate."""
    used_on: tuple[date, ...]

    @staticmethod
    def create_id(reference: str, **_: Any) -> UUID:
        return uuid5(MANDATE_USE_NAMESPACE, reference)

    @event("MandateUseStarted")
    def __init__(self, reference: str, member_id: UUID, actor: Actor) -> None:
        self.reference = reference
        self.member_id = member_id
        self.used_on = ()

    def record(
        self, collection_date: date, invoice_number: str, sequence: SequenceType, actor: Actor
    ) -> None:
        self._used(
            collection_date=collection_date,
            invoice_number=invoice_number,
            sequence=sequence,
            actor=actor,
        )

    @event("MandateUsed")
    def _used(
        self, collection_date: date, invoice_number: str, sequence: SequenceType, actor: Actor
    ) -> None:
        self.used_on = (*self.used_on, collection_date)


def sequence_of(mandate: SepaMandate, use: MandateUse | None, collection: date) -> SequenceType:
    """First when no other collection presented a debit under the mandate since its signature
    (the debits of one collection share its sequence)."""
    used = any(day >= mandate.signed_on and day != collection for day in _used_on(use))
    return SequenceType.RECURRING if used else SequenceType.FIRST


def may_debit(
    mandate: SepaMandate | None, reference: str, use: MandateUse | None, debit_on: date
) -> bool:
    """Whether a debit under `reference` may fall on `debit_on`: the member's mandate is that
    one, it was not revoked, and it was used (or signed) less than 36 months before."""
    if mandate is None or mandate.reference != reference or not mandate.is_active:
        return False
    last_used = max((mandate.signed_on, *_used_on(use)))
    return debit_on < _years_after(last_used, LAPSE_YEARS)


def _used_on(use: MandateUse | None) -> tuple[date, ...]:
    return () if use is None else use.used_on


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)

"""A numbering series: the next number of invoices (or of credit notes) is its version.

Issuing an invoice saves the series and the invoice in one transaction; a concurrent issue saves
the same version of the series and is refused by the store (then decided again on the new
version), and an issue that fails saves nothing: numbers are continuous, without gap or double
(CGI annexe II art. 242 nonies A; BILLING.md §1).
"""

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.billing.kinds import Series

SERIES_NAMESPACE = UUID("7a0e5c3b-2d41-5f6a-8b9c-1e2d3f4a5b6c")
DIGITS = 7


class InvoiceSeries(RegistreAggregate):
    series: Series
    last: int

    @staticmethod
    def create_id(series: Series, **_: Any) -> UUID:
        return uuid5(SERIES_NAMESPACE, series.value)

    @classmethod
    def start(cls, series: Series, actor: Actor) -> "InvoiceSeries":
        return cls(series=series, actor=actor)

    @event("InvoiceSeriesOpened")
    def __init__(self, series: Series, actor: Actor) -> None:
        self.series = series
        self.last = 0

    def take(self, invoice_number_for: str, actor: Actor) -> str:
        """The next number, recorded with what it numbers (`invoice_number_for`: the member and
        the kind, for the audit trail)."""
        number = f"{self.series.prefix}{self.last + 1:0{DIGITS}d}"
        self._number_taken(number=number, taken_for=invoice_number_for, actor=actor)
        return number

    @event("InvoiceNumberTaken")
    def _number_taken(self, number: str, taken_for: str, actor: Actor) -> None:
        self.last += 1

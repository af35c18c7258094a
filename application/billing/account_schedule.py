"""The account schedule (échéancier) printed as a PDF, as seed 004 §2.4 shows it: number, issue
and due dates, kind of document, debit, credit and period of every movement, the totals and the
balance ("Solde débiteur 3 066,00 €").

The schedule itself is the read side's (`projections.billing.queries.Schedule`); it is taken here
by its shape, so the application does not read the read models. The page is laid out by
`account_schedule.typ` by `application.documents.typeset`, dated by the
day the schedule is drawn up to: the same schedule on the same day gives the same bytes.
"""

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from application.billing.documents.mentions import french_date
from application.billing.documents.pdf import issue_moment
from application.documents import typeset
from domain.money import Money

TEMPLATE = Path(__file__).with_name("account_schedule.typ")


class ScheduleLine(Protocol):
    @property
    def number(self) -> str: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def label(self) -> str: ...
    @property
    def debit(self) -> Money | None: ...
    @property
    def credit(self) -> Money | None: ...
    @property
    def year(self) -> int: ...


class Schedule(Protocol):
    @property
    def lines(self) -> Sequence[ScheduleLine]: ...
    @property
    def total_debit(self) -> Money: ...
    @property
    def total_credit(self) -> Money: ...
    @property
    def balance(self) -> Money: ...


def account_schedule_pdf(
    schedule: Schedule, legal_name: str, member_code: str, as_of: date
) -> bytes:
    page = {
        "title": f"Échéancier au {french_date(as_of)}",
        "member": legal_name,
        "member_code": f"Adhérent n° {member_code}",
        "lines": [_line(line) for line in schedule.lines],
        "total_debit": str(schedule.total_debit),
        "total_credit": str(schedule.total_credit),
        "balance_label": _balance_label(schedule.balance),
        "balance": str(Money(abs(schedule.balance.amount))),
    }
    return typeset(TEMPLATE, "schedule", page, issue_moment(as_of))


def _balance_label(balance: Money) -> str:
    """Positive: the member owes it; negative: a credit on its account."""
    if balance.is_zero:
        return "Solde"
    return "Solde créditeur" if balance.is_negative else "Solde débiteur"


def _line(line: ScheduleLine) -> dict[str, Any]:
    return {
        "number": line.number,
        "issued_on": french_date(line.issued_on),
        "due_on": "" if line.due_on is None else french_date(line.due_on),
        "label": line.label,
        "debit": "" if line.debit is None else str(line.debit),
        "credit": "" if line.credit is None else str(line.credit),
        "period": f"Année {line.year}",
    }

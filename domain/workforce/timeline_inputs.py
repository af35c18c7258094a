"""What an employee's state over time is drawn from (`TimelineInputs`), and the first day a
change of it may touch: the read models that draw an employee's timeline or follow-up file draw
again only from that day, not the whole history at each event."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.workforce.employee import Employee
from domain.workforce.employment import Contract
from domain.workforce.health import DeterminantPeriod, Exposure


@dataclass(frozen=True, slots=True)
class TimelineInputs:
    """What an employee's state over time is drawn from. The aggregate replaces what it
    changes, so what an event left alone is the very same object before and after it."""

    contracts: tuple[Contract, ...]
    birth_date: date | None
    periods: tuple[DeterminantPeriod | Exposure, ...]

    @classmethod
    def of(cls, employee: Employee) -> "TimelineInputs":
        identity = employee.identity
        return cls(
            employee.contracts,
            None if identity is None else identity.birth_date,
            (*(employee.determinants or ()), *(employee.exposures or ())),
        )

    def changed_from(self, after: "TimelineInputs") -> date | None:
        """The first day whose state the change to `after` may touch (None: none): a
        contract's from its hire, a determinant's or exposure's from its start, every day
        when the birth date changes."""
        if self.birth_date != after.birth_date:
            return date.min
        days = [c.hire_date for c in _replaced(self.contracts, after.contracts)]
        days += [p.started_on for p in _replaced(self.periods, after.periods)]
        return min(days, default=None)


UNDRAWN = TimelineInputs((), None, ())
"""What an employee not drawn yet was drawn from: nothing."""


def _replaced(before: tuple[Any, ...], after: tuple[Any, ...]) -> list[Any]:
    """What is in one and not the other, by identity."""
    if before is after:
        return []
    before_ids, after_ids = {id(x) for x in before}, {id(x) for x in after}
    return [x for x in before if id(x) not in after_ids] + [
        x for x in after if id(x) not in before_ids
    ]

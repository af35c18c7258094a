"""When an employee's data may no longer be kept (see `domain.retention`)."""

from datetime import date
from typing import TYPE_CHECKING

from domain.retention import CMR_RETENTION_YEARS, years_after

if TYPE_CHECKING:
    from domain.workforce.employee import Employee


def retention_ends_on(employee: "Employee") -> date | None:
    """40 years after the last day of the last contract and of the last CMR exposure; None while
    a contract or an exposure is still open (a withdrawn exposure, recorded by error, counts not).
    Exposures whose health key is already gone count not either."""
    last_days = [contract.last_day() for contract in employee.contracts]
    exposures = [e for e in employee.exposures or () if not e.withdrawn]
    ends = [*last_days, *(e.ended_on for e in exposures)]
    if not ends or any(day is None for day in ends):
        return None
    return years_after(max(day for day in ends if day is not None), CMR_RETENTION_YEARS)

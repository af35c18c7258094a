"""The read side as the API asks it: blocking functions, run in worker threads.

The GraphQL employees page and the plain JSON endpoint share `employee_page`, so the benchmark
compares the same query.
"""

from datetime import date, datetime, time, timedelta
from uuid import UUID

from api.pagination import Page, bad_cursor, decode_cursor, encode_cursor, fetch_page
from api.services import Services
from domain.calendar import PARIS
from projections.audit import AuditEntry
from projections.workforce.workforce_queries import WorkforceFilter, WorkforceRow

EmployeeKey = tuple[str, UUID]


def employee_cursor(row: WorkforceRow) -> str:
    return encode_cursor(row.sort_key, str(row.employee_id))


def _employee_key(cursor: str) -> EmployeeKey:
    sort_key, employee_id = decode_cursor(cursor, 2)
    try:
        return str(sort_key), UUID(str(employee_id))
    except ValueError:
        raise bad_cursor() from None


def employee_page(  # noqa: PLR0917
    services: Services,
    member_id: UUID,
    valid_on: date,
    known_at: int,
    where: WorkforceFilter,
    first: int,
    after: str | None,
) -> Page[WorkforceRow]:
    """A member's employees by name, as of `valid_on` and as known at `known_at`."""

    def fetch(key: EmployeeKey | None, limit: int) -> list[WorkforceRow]:
        return services.workforce.employees(
            member_id, valid_on, known_at, where, after=key, limit=limit
        )

    start = None if after is None else _employee_key(after)
    return fetch_page(fetch, lambda r: (r.sort_key, r.employee_id), employee_cursor, first, start)


def audit_cursor(entry: AuditEntry) -> str:
    return encode_cursor(entry.position)


def _position(cursor: str) -> int:
    (position,) = decode_cursor(cursor, 1)
    if not isinstance(position, int):
        raise bad_cursor()
    return position


def audit_page(  # noqa: PLR0917
    services: Services,
    member_id: UUID | None,
    aggregate_id: UUID | None,
    actor: str | None,
    days: tuple[date | None, date | None],
    first: int,
    after: str | None,
) -> Page[AuditEntry]:
    """Entries recorded from the first day to the last day (Paris days, both included), newest
    first."""
    first_day, last_day = days

    def fetch(position: int | None, limit: int) -> list[AuditEntry]:
        return services.audit.entries(
            member_id=member_id,
            aggregate_id=aggregate_id,
            actor=actor,
            recorded_from=None if first_day is None else paris_midnight(first_day),
            recorded_to=None
            if last_day is None or last_day == date.max
            else paris_midnight(last_day + timedelta(1)),
            after_position=position,
            limit=limit,
        )

    start = None if after is None else _position(after)
    return fetch_page(fetch, lambda e: e.position, audit_cursor, first, start)


def paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PARIS)

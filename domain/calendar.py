"""The service's time: instants in UTC, calendar dates as they are in Paris.

Every "now" and "today" comes from a `Clock` injected where the service is put together (the
system's clock in service, a `SetClock` in the tests), never from `datetime.now()`: a date shown
to a user, or compared with a business date, is the Paris calendar date of the clock's instant.

Events are stamped with the instant of the command that decided them (`stamping_at`, set by the
application around `decide`), so that an event's timestamp and the "today" the command compared
dates with are the same moment of the same clock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def moved(day: date, delta: timedelta) -> date:
    """`day` moved by `delta`, held at the first or the last day of the calendar."""
    if delta >= timedelta(0):
        return day + delta if day <= date.max - delta else date.max
    return day + delta if day >= date.min - delta else date.min


def paris_date(instant: datetime) -> date:
    """The calendar day an instant falls on in Paris."""
    return instant.astimezone(PARIS).date()


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """The current calendar date in Paris."""
        ...


class SystemClock:
    """The machine's clock: the service's time in production."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return paris_date(self.now())


class SetClock:
    """A clock standing still at an instant until it is set or moved forward (tests, demo)."""

    def __init__(self, at: datetime):
        self._at = _utc(at)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return paris_date(self._at)

    def set(self, at: datetime) -> None:
        self._at = _utc(at)

    def advance(self, delta: timedelta | None = None, /, **duration: float) -> None:
        """Moves forward by `delta`, or by `timedelta(**duration)` (`advance(minutes=31)`)."""
        self._at += (delta or timedelta()) + timedelta(**duration)


SYSTEM_CLOCK = SystemClock()


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError(f"an instant needs its time zone: {at!r}")
    return at.astimezone(UTC)


# The instant events are stamped with ------------------------------------------------------------

_stamp: ContextVar[datetime | None] = ContextVar("registre_event_stamp", default=None)


@contextmanager
def stamping_at(instant: datetime) -> Iterator[None]:
    """Events created inside are stamped with `instant` (the instant of the command deciding
    them); the stamp is this thread's (and task's) alone."""
    token = _stamp.set(_utc(instant))
    try:
        yield
    finally:
        _stamp.reset(token)


def current_stamp() -> datetime | None:
    """The instant of the command being decided in this thread, if any."""
    return _stamp.get()


def event_stamp() -> datetime:
    """The timestamp of an event created now: the deciding command's instant, or, outside any
    command (domain unit tests), the system's clock."""
    return _stamp.get() or SYSTEM_CLOCK.now()

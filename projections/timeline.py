"""How the read tables store time: validity dates as day ordinals, knowledge as UTC microseconds.

A row is valid on the days [valid_from, valid_to] (both included) and was the service's
knowledge during [known_from, known_to) — from the moment the event that wrote it was recorded
until the moment a later event replaced it.
"""

from datetime import UTC, date, datetime, time, timedelta

from domain.calendar import PARIS
from storage import sql

OPEN_END = date.max.toordinal()
NEVER = 2**62
"""known_to of the rows that are still the current knowledge."""

instant = sql.instant
from_instant = sql.from_instant
"""Instants as the tables store them (UTC microseconds), here too for the read models."""


def day(value: date) -> int:
    return value.toordinal()


def from_day(ordinal: int) -> date | None:
    return None if ordinal >= OPEN_END else date.fromordinal(ordinal)


def known_by_end_of(day_in_paris: date) -> int:
    """The knowledge instant "as recorded by the end of that day, Paris time"."""
    midnight = datetime.combine(day_in_paris + timedelta(days=1), time(0), tzinfo=PARIS)
    return instant(midnight.astimezone(UTC)) - 1


def knowledge(known_on: date | None) -> int:
    """`known_on` as a knowledge instant; None, or the last day of the calendar, means now
    (everything recorded so far)."""
    if known_on is None or known_on >= date.max - timedelta(days=1):
        return NEVER - 1
    return known_by_end_of(known_on)


def known_at_moment(moment: datetime) -> int:
    """An aware instant as a knowledge instant (one still to come means now)."""
    return min(instant(moment.astimezone(UTC)), NEVER - 1)

"""The knowledge argument of the bitemporal queries: `knownAt`, a day (what had been recorded by
the end of that Paris day), or `knownAtInstant`, an instant (two corrections of one day told
apart). Rows are known during [known_from, known_to), in UTC microseconds."""

from datetime import date, datetime
from typing import Annotated

import strawberry

from api.failures import InvalidArgument
from domain.calendar import Clock
from projections.timeline import knowledge, known_at_moment

KnownAtInstant = Annotated[
    datetime | None,
    strawberry.argument(
        description="Selon ce qui était enregistré à cet instant (ISO 8601 avec son fuseau,"
        " par exemple 2025-03-14T10:42:07.250+01:00) ; à la place de knownAt."
    ),
]
BOTH = "Donnez knownAt (un jour) ou knownAtInstant (un instant), pas les deux."
NO_OFFSET = "knownAtInstant doit indiquer son fuseau horaire (par exemple Z ou +01:00 à la fin)."


def known_at(known_on: date | None, known_at_instant: datetime | None = None) -> int:
    """The knowledge instant of a query: by the end of `known_on` (Paris), at
    `known_at_instant`, or now when neither is given."""
    if known_at_instant is None:
        return knowledge(known_on)
    if known_on is not None:
        raise InvalidArgument(BOTH, code="BAD_ARGUMENTS")
    if known_at_instant.tzinfo is None:
        raise InvalidArgument(NO_OFFSET, code="INVALID_INSTANT")
    return known_at_moment(known_at_instant)


def dates_asked(
    clock: Clock, valid_on: date | None, known_on: date | None, known_at_instant: datetime | None
) -> tuple[date, int]:
    """The day a bitemporal query is about (`validOn`, default today in Paris) and its knowledge
    instant (see `known_at`)."""
    return valid_on or clock.today(), known_at(known_on, known_at_instant)

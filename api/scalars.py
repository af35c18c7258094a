"""Scalars of the schema:

- `Date`, an ISO 8601 calendar day written `AAAA-MM-JJ` (Europe/Paris days everywhere in this
  API): ours, so that a date the client wrote wrong (`14/05/1990`, `10000`, `2024-02-30`) is
  refused with a French message and the code `INVALID_DATE`, never repeating the value;
- strawberry's own `DateTime` (ISO 8601 with offset, UTC) for `datetime.datetime`;
- `Decimal`, sent as a string so no precision is lost (`"7.5"` hours per week);
- `UUID`, the ids of members and employees;
- `JSON`, for the free-form values: an audit entry's `changes`, a declaration's `prevention`, a
  confirmed copy's `content`, the prevention `answers` a client sends. Their field names are in
  camelCase as everywhere else, their keys that are data (question ids, codes) as they are:
  the API spells them so where it builds them (`api.json_names.camel_keys`).
"""

import datetime as dt
import re
from typing import Any

from graphql import GraphQLError
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition, scalar

__all__ = ["JSON", "SCALAR_OVERRIDES", "InvalidDate"]

_ISO_DAY = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})\Z")
INVALID_DATE = "INVALID_DATE"


class InvalidDate(GraphQLError):
    """A `Date` the client wrote wrong. In a variable, `api.input_errors` names the input field
    (`field`); in a literal of the query, graphql-core gives no path, and `field` stays null."""

    def __init__(self, message: str):
        super().__init__(message, extensions={"code": INVALID_DATE, "field": None})


def parse_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not (match := _ISO_DAY.match(value)):
        raise InvalidDate("Une date s'écrit AAAA-MM-JJ, par exemple 1990-05-14.")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise InvalidDate("Cette date n'existe pas dans le calendrier.") from None


Date: ScalarDefinition = scalar(
    name="Date",
    description="Jour du calendrier (Europe/Paris), écrit AAAA-MM-JJ (ISO 8601).",
    serialize=dt.date.isoformat,
    parse_value=parse_date,
)

SCALAR_OVERRIDES: dict[object, Any] = {dt.date: Date}

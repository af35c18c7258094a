"""Scalars of the schema, all strawberry's own:

- `Date` (ISO 8601 calendar day, Europe/Paris days everywhere in this API) and `DateTime`
  (ISO 8601 with offset, UTC) for `datetime.date` / `datetime.datetime`;
- `Decimal`, sent as a string so no precision is lost (`"7.5"` hours per week);
- `UUID`, the ids of members and employees;
- `JSON`, for the free-form `changes` of an audit entry.
"""

from strawberry.scalars import JSON

__all__ = ["JSON"]

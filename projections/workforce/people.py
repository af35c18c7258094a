"""Who employees are, for the lists that must name them: the one way the read side turns a set of
employee ids into names and birth dates.

Lists of health data (CMR exposures, their exports) keep their rows keyed by the pseudonymous
employee id and ask here, page by page, for the identities of the ids on the page. Where and how
identities are stored (in clear, sealed under each person's identity key) is this module's
business only: an erased person comes back without identity, never as an error.
"""

from collections.abc import Iterable
from datetime import date
from uuid import UUID

import msgspec

from projections.model import Queries, table_prefix
from projections.personal import open_identities

WORKFORCE = "workforce"


class PersonIdentity(msgspec.Struct, frozen=True):
    """An employee's current identity; every field None once the identity was erased."""

    employee_id: UUID
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None


def identities_of(read: Queries, employee_ids: Iterable[UUID]) -> dict[UUID, PersonIdentity]:
    """The identities of `employee_ids` (unknown ids left out), read through the store and active
    generations of any read model's queries `read`: one query for the sealed identities, one for
    their keys (`projections.personal`)."""
    wanted = [str(i) for i in dict.fromkeys(employee_ids)]
    if not wanted:
        return {}
    people = table_prefix(WORKFORCE, read.generations.of(WORKFORCE)) + "people"
    rows = read.store.read(
        f"SELECT employee_id, identity FROM {people}"
        f" WHERE employee_id IN ({', '.join('?' * len(wanted))})",
        wanted,
    )
    opened = open_identities(read.store, read.store.read, {UUID(r[0]): r[1] for r in rows})
    return {
        employee_id: PersonIdentity(
            employee_id, i.birth_name, i.usage_name, i.first_name, i.birth_date
        )
        for employee_id, i in opened.items()
    }

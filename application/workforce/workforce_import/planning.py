"""The dry run: each person of the file matched to the member's employees, and what applying
would change.

A person is the employee of the same NIR; without a NIR on either side, the employee of the same
names and birth date. Same names and birth date but another NIR: a new hire, flagged as a
possible duplicate for the user to confirm. The same NIR twice in the file is an error of the
second row. A value left blank in the file (usage name, NIR) keeps the recorded one.
"""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from uuid import UUID

from application.workforce.workforce_import.model import (
    Change,
    Field,
    Person,
    PlannedRow,
    RowError,
    WorkforcePlan,
)
from domain.search import search_key
from domain.workforce.employee import Employee
from domain.workforce.employment import Identity

Names = tuple[str, str, date]


def names_of(identity: Identity) -> Names:
    return search_key(identity.birth_name), search_key(identity.first_name), identity.birth_date


def plan(
    *,
    member_id: UUID,
    digest: str,
    persons: Sequence[Person],
    errors: Sequence[RowError],
    employees: Iterable[Employee],
    today: date,
) -> WorkforcePlan:
    known = [e for e in employees if e.identity is not None]
    by_nir = {e.identity.nir.value: e for e in known if e.identity and e.identity.nir}
    by_names: dict[Names, list[Employee]] = {}
    for one in known:
        assert one.identity is not None
        by_names.setdefault(names_of(one.identity), []).append(one)
    found_errors = list(errors)
    rows: list[PlannedRow] = []
    nir_rows: dict[str, int] = {}
    new_names: set[Names] = set()
    matched: dict[UUID, int] = {}
    for person in persons:
        nir = person.identity.nir
        if nir is not None:
            if nir.value in nir_rows:
                found_errors.append(_twice(person.row, nir_rows[nir.value], Field.NIR))
                continue
            nir_rows[nir.value] = person.row
        employee, duplicate = _match(person.identity, by_nir, by_names)
        if employee is None:
            names = names_of(person.identity)
            flagged = duplicate or names in new_names
            new_names.add(names)
            changes = (Change.POSSIBLE_DUPLICATE if flagged else Change.HIRE,)
            exit_change = (Change.EXIT,) if person.exit_date is not None else ()
            rows.append(PlannedRow(person, None, changes + exit_change))
            continue
        if employee.id in matched:
            found_errors.append(_twice(person.row, matched[employee.id], None))
            continue
        matched[employee.id] = person.row
        kept = _keeping_recorded(person, employee)
        rows.append(PlannedRow(kept, employee.id, _changes(kept, employee)))
    rows_errors = tuple(sorted(found_errors, key=lambda e: (e.row, e.column or "")))
    not_in_file = tuple(
        e.id for e in known if e.id not in matched and e.contract.is_active_on(today)
    )
    return WorkforcePlan(member_id, digest, tuple(rows), rows_errors, not_in_file)


def _match(
    identity: Identity, by_nir: dict[str, Employee], by_names: dict[Names, list[Employee]]
) -> tuple[Employee | None, bool]:
    """The employee a person is, and whether a namesake of another NIR exists."""
    if identity.nir is not None and identity.nir.value in by_nir:
        return by_nir[identity.nir.value], False
    namesakes = by_names.get(names_of(identity), [])
    for employee in namesakes:
        assert employee.identity is not None
        if identity.nir is None or employee.identity.nir is None:
            return employee, False
    return None, bool(namesakes)


def _keeping_recorded(person: Person, employee: Employee) -> Person:
    recorded = employee.identity
    assert recorded is not None
    identity = person.identity
    if identity.nir is None and recorded.nir is not None:
        identity = replace(identity, nir=recorded.nir)
    if identity.usage_name is None and recorded.usage_name is not None:
        identity = replace(identity, usage_name=recorded.usage_name)
    return replace(person, identity=identity)


def _changes(person: Person, employee: Employee) -> tuple[Change, ...]:
    changes: list[Change] = []
    if person.identity != employee.identity:
        changes.append(Change.IDENTITY)
    contract = employee.contract
    if contract.closed_on is not None and person.hire_date > contract.closed_on:
        changes.append(Change.REHIRE)
    elif person.hire_date != contract.hire_date or person.terms != contract.terms:
        changes.append(Change.CONTRACT)
    reopened = Change.REHIRE in changes
    if person.exit_date is not None and (contract.closed_on is None or reopened):
        changes.append(Change.EXIT)
    return tuple(changes)


def _twice(row: int, first: int, value: Field | None) -> RowError:
    what = "Ce NIR est déjà celui" if value is Field.NIR else "Cette personne est déjà celle"
    return RowError(
        row,
        None if value is None else value.title,
        "PERSON_TWICE_IN_FILE",
        f"{what} de la ligne {first} : une personne ne figure qu'une fois dans le fichier.",
    )

"""Queries of the WORKFORCE read model (`projections.workforce.workforce`): a member's employees
by name, as of a validity date and a knowledge instant, found by name through the blind index,
their identities opened (`projections.personal`)."""

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.search import page_size
from projections.model import Queries
from projections.personal import NameOrder, NameOrders, SealedIdentity, open_identities, seal_of
from projections.store import Row
from projections.timeline import day, from_day
from projections.workforce.workforce import SEGMENT_COLUMNS, DeterminantPeriodRow

WALKED_MORE = 10
"""A page without filter reads the rows of that many ids more than it shows (some may not be
on the list that day): most pages take one query."""
_PERIODS_DECODER = msgspec.json.Decoder(tuple[DeterminantPeriodRow, ...])


class WorkforceRow(msgspec.Struct, frozen=True):
    """An employee as of a validity date and a knowledge instant."""

    employee_id: UUID
    member_id: UUID
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None
    sex: str | None
    active: bool
    contract_number: int | None
    contract_type: str | None
    job_title: str | None
    pcs_code: str | None
    branch_code: str | None
    hire_date: date | None
    last_day: date | None
    trial_end: date | None
    planned_end: date | None
    category: str | None
    visit_before_assignment: bool
    determinants: tuple[str, ...]
    valid_from: date | None
    valid_to: date | None
    sort_key: str
    version: int
    determinant_periods: tuple[DeterminantPeriodRow, ...]


class WorkforceFilter(msgspec.Struct, frozen=True):
    active: bool | None = None
    category: str | None = None
    contract_type: str | None = None
    branch_code: str | None = None
    search: str | None = None


class WorkforceQueries(Queries):
    name = "workforce"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._orders = NameOrders()

    def employees(
        self,
        member_id: UUID,
        valid_on: date,
        known_at: int,
        where: "WorkforceFilter | None" = None,
        *,
        after: tuple[str, UUID] | None = None,
        limit: int = 50,
    ) -> list[WorkforceRow]:
        """A page of a member's employees (those hired by `valid_on`), by name: the member's
        order of names, unsealed once (`NameOrders`), narrowed to the names searched (the
        blind index), walked from the cursor, the rows of a page's ids read at once."""
        where = where or WorkforceFilter()
        order = self._orders.of(self.store, self.table("people"), member_id)
        ordered = order.ordered
        named = self._named(member_id, where.search)
        if named is not None:
            ordered = order.among(named)
        start = None if after is None else (after[0], str(after[1]))
        index = 0 if start is None else bisect_right(ordered, start)
        size = page_size(limit)
        chunk_size = size + WALKED_MORE
        found: list[Sequence[Any]] = []
        while len(found) < size and index < len(ordered):
            chunk = ordered[index : index + chunk_size]
            index += len(chunk)
            chunk_size *= 2  # a filter few employees pass: few queries all the same
            ids = [employee_id for _, employee_id in chunk]
            rows = {r[0]: r for r in self._sealed_rows(ids, valid_on, known_at, where)}
            found += [rows[i] for i in ids if i in rows]
        return self._opened(found[:size], order)

    def _named(self, member_id: UUID, search: str | None) -> set[str] | None:
        """The ids of the member's employees whose names hold every word searched (None: no
        search)."""
        tokens = seal_of(self.store).search_tokens(member_id, search)
        if not tokens:
            return None
        table = self.table("name_tokens")
        if len(tokens) == 1:
            query = f"SELECT employee_id FROM {table} WHERE member_id = ? AND token = ?"
            return {r[0] for r in self.store.read(query, [str(member_id), tokens[0]])}
        rows = self.store.read(
            f"SELECT employee_id FROM {table}"
            f" WHERE member_id = ? AND token IN ({', '.join('?' * len(tokens))})"
            " GROUP BY employee_id HAVING count(*) = ?",
            [str(member_id), *tokens, len(tokens)],
        )
        return {r[0] for r in rows}

    def employees_by_ids(
        self, ids: Sequence[UUID], valid_on: date, known_at: int
    ) -> dict[UUID, WorkforceRow]:
        found = self._opened(self._sealed_rows([str(i) for i in ids], valid_on, known_at))
        return {row.employee_id: row for row in found}

    def _sealed_rows(
        self,
        ids: Sequence[str],
        valid_on: date,
        known_at: int,
        where: "WorkforceFilter | None" = None,
    ) -> list[Row]:
        if not ids:
            return []
        among, params = self.store.among("s.employee_id", ids)
        conditions, filtered = _filter(where or WorkforceFilter())
        day_on = day(valid_on)
        return self.store.read(
            f"{self._select()} WHERE {among} AND {_AS_OF}"
            f"{''.join(' AND ' + c for c in conditions)}",
            [*params, known_at, known_at, day_on, day_on, *filtered],
        )

    def _opened(
        self, rows: Sequence[Sequence[Any]], order: NameOrder | None = None
    ) -> list[WorkforceRow]:
        """The rows with their identities opened, or taken as the member's order opened them
        when the caller has it and they are unchanged (opening costs more than the query)."""
        ids = {r[0]: UUID(r[0]) for r in rows}
        identities = order.unchanged({r[0]: r[2] for r in rows}) if order else {}
        sealed = {ids[r[0]]: r[2] for r in rows if r[0] not in identities}
        if sealed:
            opened = open_identities(self.store, self.store.read, sealed)
            identities |= {str(i): identity for i, identity in opened.items()}
        keys = order.keys if order else {}
        members = {r[1]: UUID(r[1]) for r in rows}
        return [_row(r, ids[r[0]], members[r[1]], identities[r[0]], keys.get(r[0])) for r in rows]

    def employee(self, employee_id: UUID, valid_on: date, known_at: int) -> WorkforceRow | None:
        return self.employees_by_ids([employee_id], valid_on, known_at).get(employee_id)

    def member_of(self, employee_id: UUID) -> UUID | None:
        rows = self.store.read(
            f"SELECT member_id FROM {self.table('people')} WHERE employee_id = ?",
            (str(employee_id),),
        )
        return UUID(rows[0][0]) if rows else None

    def _select(self) -> str:
        return (
            f"SELECT s.employee_id, s.member_id, p.identity, {_QUALIFIED_SEGMENT_COLUMNS},"
            f" p.version, p.determinant_periods FROM {self.table('segments')} s"
            f" JOIN {self.table('people')} p ON p.employee_id = s.employee_id"
        )


_QUALIFIED_SEGMENT_COLUMNS = ", ".join("s." + c.strip() for c in SEGMENT_COLUMNS.split(","))
_AS_OF = "s.known_from <= ? AND ? < s.known_to AND s.valid_from <= ? AND ? <= s.valid_to"


def _filter(where: WorkforceFilter) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    if where.active is not None:
        conditions.append("s.active = ?")
        params.append(int(where.active))
    for column in ("category", "contract_type", "branch_code"):
        value = getattr(where, column)
        if value is not None:
            conditions.append(f"s.{column} = ?")
            params.append(value)
    return conditions, params


def _row(
    r: Sequence[Any],
    employee_id: UUID,
    member_id: UUID,
    identity: SealedIdentity,
    sort_key: str | None,
) -> WorkforceRow:
    """A row of `_select`, built by position (a page builds a hundred): the employee, the
    member, the sealed identity, the segment's columns in `SEGMENT_FIELDS`' order, the
    version and the determinants' periods."""
    (
        _,
        _,
        _,
        valid_from,
        valid_to,
        active,
        contract_number,
        contract_type,
        job_title,
        pcs_code,
        branch_code,
        hire_date,
        last_day,
        trial_end,
        planned_end,
        category,
        visit_before_assignment,
        determinants,
        version,
        determinant_periods,
    ) = r
    return WorkforceRow(
        employee_id,
        member_id,
        identity.birth_name,
        identity.usage_name,
        identity.first_name,
        identity.birth_date,
        identity.sex,
        bool(active),
        contract_number,
        contract_type,
        job_title,
        pcs_code,
        branch_code,
        _day(hire_date),
        _day(last_day),
        _day(trial_end),
        _day(planned_end),
        category,
        bool(visit_before_assignment),
        tuple(d for d in determinants.split(",") if d),
        from_day(valid_from),
        from_day(valid_to),
        identity.sort_key() if sort_key is None else sort_key,
        version,
        _PERIODS_DECODER.decode(determinant_periods),
    )


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else from_day(ordinal)

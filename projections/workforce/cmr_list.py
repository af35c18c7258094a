"""The CMR list of décret 2024-307 as regulators, auditors, members and workers read it: for one
member or the whole service, on a validity date as known at an instant, or as transmitted with a
confirmed declaration; named, one worker's own, or anonymised.

Lists are read in pages (keyset on employee id then exposure number, member by member in code
order) and yielded line by line, so that a list of the whole service is never held in memory.
Rows stay keyed by the pseudonymous employee id: names and birth dates are joined page by page
through `projections.workforce.people.identities_of`, never selected here.

The ANONYMISED list (what workers and the CSE may see, art. R4412-93-2 of the Code du travail)
gives, per member, work situation (job title) and agent, how many workers were exposed, by which
routes, at which degree, and the span of their exposure periods. Left out because they identify
a person or may: names, birth dates, the NIR (never in any list), the employee id (stable, so
linkable across lists), the free comment (may name someone), the weekly hours and the individual
dates (those of one worker). A work situation held by one worker still shows with a count of 1:
the law asks for the list without identities, which the job title alone is not.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec

from domain.search import MAX_PAGE
from domain.workforce.health import AgentKind, ExposureDegree, ExposureRoute
from projections.members.members import MemberDirectoryQueries, MemberView
from projections.model import Queries
from projections.rows import struct_of
from projections.timeline import day, from_day, knowledge, known_at_moment
from projections.workforce.exposures import AS_OF, ROUTE_SEPARATOR, ExposureVersion
from projections.workforce.people import PersonIdentity, identities_of
from projections.workforce.workforce_queries import WorkforceQueries

HealthReadLog = Callable[[UUID, set[UUID]], None]
"""Records that the exposures of these employees of this member were read."""


class CmrEntry(ExposureVersion, frozen=True):
    """The version of an exposure in force on a day, as known at an instant: no identity."""


class CmrLine(msgspec.Struct, frozen=True):
    """One line of the named list: who, in which work situation, to what, how, since when."""

    member_code: str
    employee_id: UUID
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None
    job_title: str | None
    agent_kind: AgentKind
    agent_name: str
    cas_number: str | None
    routes: tuple[ExposureRoute, ...]
    hours_per_week: Decimal | None
    degree: ExposureDegree | None
    comment: str | None
    started_on: date
    ended_on: date | None


class AnonymisedCmrLine(msgspec.Struct, frozen=True):
    """One line of the anonymised list: a work situation exposed to an agent, and how many."""

    member_code: str
    work_situation: str | None
    agent_kind: AgentKind
    agent_name: str
    cas_number: str | None
    routes: tuple[ExposureRoute, ...]
    degree: ExposureDegree | None
    workers: int
    first_day: date
    last_day: date | None


class CmrListQueries(Queries):
    """Pages of the exposures read model without its identity columns."""

    name = "exposures"

    def page(
        self,
        *,
        member_id: UUID,
        valid_on: date,
        known_at: int,
        employee_id: UUID | None = None,
        after: tuple[UUID, int] | None = None,
        limit: int = MAX_PAGE,
    ) -> list[CmrEntry]:
        where, params = self._where(member_id, valid_on, known_at, employee_id)
        if after is not None:
            where += " AND (employee_id > ? OR (employee_id = ? AND exposure_id > ?))"
            params += [str(after[0]), str(after[0]), after[1]]
        fields = ", ".join(CmrEntry.__struct_fields__)
        rows = self.store.read(
            f"SELECT {fields} FROM {self.table('versions')} WHERE {where}"
            " ORDER BY employee_id, exposure_id LIMIT ?",
            [*params, limit],
        )
        return [_entry(row) for row in rows]

    def count(self, *, member_id: UUID | None, valid_on: date, known_at: int) -> int:
        """How many lines the named list holds (every member's when `member_id` is None)."""
        where, params = self._where(member_id, valid_on, known_at, None)
        sql = f"SELECT COUNT(*) FROM {self.table('versions')} WHERE {where}"
        return int(self.store.read(sql, params)[0][0])

    def _where(
        self, member_id: UUID | None, valid_on: date, known_at: int, employee_id: UUID | None
    ) -> tuple[str, list[Any]]:
        conditions = [AS_OF]
        params: list[Any] = [known_at, known_at, day(valid_on), day(valid_on)]
        for column, value in (("member_id", member_id), ("employee_id", employee_id)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(str(value))
        return " AND ".join(conditions), params


def _entry(row: Any) -> CmrEntry:
    return struct_of(
        CmrEntry,
        row,
        routes=lambda routes: tuple(ExposureRoute(r) for r in routes.split(ROUTE_SEPARATOR) if r),
        valid_to=from_day,
    )


@dataclass(frozen=True, slots=True)
class ListScope:
    """Which list: one member's (or every member's, `member_id` None), one worker's own (with
    `employee_id`), on `valid_on` as known at the instant `known_at`."""

    valid_on: date
    known_at: int
    member_id: UUID | None = None
    employee_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class CmrListReader:
    members: MemberDirectoryQueries
    workforce: WorkforceQueries
    exposures: CmrListQueries
    log_read: HealthReadLog
    page_size: int = MAX_PAGE
    on_page: Callable[[int], None] = lambda lines: None
    """Told how many lines each page read held (a progress bar)."""

    def count(self, scope: ListScope) -> int:
        return self.exposures.count(
            member_id=scope.member_id, valid_on=scope.valid_on, known_at=scope.known_at
        )

    def lines(self, scope: ListScope) -> Iterator[CmrLine]:
        """The named list, member by member in code order, each page's reading logged."""
        for member in self._members(scope.member_id):
            after: tuple[UUID, int] | None = None
            while True:
                page = self.exposures.page(
                    member_id=member.member_id,
                    valid_on=scope.valid_on,
                    known_at=scope.known_at,
                    employee_id=scope.employee_id,
                    after=after,
                    limit=self.page_size,
                )
                yield from self._named(member, page, scope)
                if len(page) < self.page_size:
                    break
                after = (page[-1].employee_id, page[-1].exposure_id)

    def anonymised(self, scope: ListScope) -> Iterator[AnonymisedCmrLine]:
        """The anonymised list, member by member: only one member's groups are held at once."""
        for member in self._members(scope.member_id):
            member_scope = ListScope(
                scope.valid_on, scope.known_at, member.member_id, scope.employee_id
            )
            yield from anonymise(self.lines(member_scope))

    def transmitted(self, member: MemberView, frozen: str) -> list[CmrLine]:
        """The list as transmitted with a confirmed declaration (its frozen copy, whose size is
        one member's): who is named as they are now — an erased worker is no longer named."""
        content = msgspec.json.decode(frozen)
        jobs = {row["employee_id"]: row.get("job_title") for row in content.get("workforce", [])}
        entries = [
            # the frozen copy numbers no exposure: its lines are numbered in their order
            msgspec.convert(
                {**row, "member_id": str(member.member_id), "exposure_id": number},
                CmrEntry,
                strict=False,
            )
            for number, row in enumerate(content.get("cmr_exposures", []), start=1)
        ]
        people = identities_of(self.exposures, [e.employee_id for e in entries])
        if entries:
            self.log_read(member.member_id, {e.employee_id for e in entries})
        return [
            _line(member, entry, people.get(entry.employee_id), jobs.get(str(entry.employee_id)))
            for entry in entries
        ]

    def _members(self, member_id: UUID | None) -> Iterator[MemberView]:
        if member_id is not None:
            found = self.members.member(member_id)
            if found is not None:
                yield found
            return
        after: str | None = None
        while True:
            page = self.members.members(after=after, limit=MAX_PAGE)
            yield from page
            if len(page) < MAX_PAGE:
                return
            after = page[-1].member_code

    def _named(self, member: MemberView, page: list[CmrEntry], scope: ListScope) -> list[CmrLine]:
        if not page:
            return []
        ids = {entry.employee_id for entry in page}
        people = identities_of(self.exposures, ids)
        rows = self.workforce.employees_by_ids(list(ids), scope.valid_on, scope.known_at)
        self.log_read(member.member_id, ids)
        self.on_page(len(page))
        return [
            _line(
                member,
                entry,
                people.get(entry.employee_id),
                None if entry.employee_id not in rows else rows[entry.employee_id].job_title,
            )
            for entry in page
        ]


def _line(
    member: MemberView, entry: CmrEntry, person: PersonIdentity | None, job_title: str | None
) -> CmrLine:
    return CmrLine(
        member_code=member.member_code,
        employee_id=entry.employee_id,
        birth_name=None if person is None else person.birth_name,
        usage_name=None if person is None else person.usage_name,
        first_name=None if person is None else person.first_name,
        birth_date=None if person is None else person.birth_date,
        job_title=job_title,
        agent_kind=entry.agent_kind,
        agent_name=entry.agent_name,
        cas_number=entry.cas_number,
        routes=entry.routes,
        hours_per_week=entry.hours_per_week,
        degree=entry.degree,
        comment=entry.comment,
        started_on=entry.valid_from,
        ended_on=entry.valid_to,
    )


_GroupKey = tuple[str | None, AgentKind, str, str | None, tuple[ExposureRoute, ...], Any]


@dataclass(slots=True)
class _Group:
    member_code: str
    first_day: date
    last_day: date | None
    workers: set[UUID] = field(default_factory=set)

    def add(self, line: CmrLine) -> None:
        self.workers.add(line.employee_id)
        self.first_day = min(self.first_day, line.started_on)
        if self.last_day is not None:
            self.last_day = None if line.ended_on is None else max(self.last_day, line.ended_on)


def anonymise(lines: Iterable[CmrLine]) -> list[AnonymisedCmrLine]:
    """Lines grouped by work situation and agent (routes and degree too), workers counted once:
    the group's first day is its earliest, its last day open while one exposure is."""
    groups: dict[_GroupKey, _Group] = {}
    for line in lines:
        routes = tuple(sorted(line.routes, key=lambda r: r.value))
        key = (line.job_title, line.agent_kind, line.agent_name, line.cas_number, routes,
               line.degree)  # fmt: skip
        group = groups.setdefault(key, _Group(line.member_code, line.started_on, date.min))
        group.add(line)
    ordered = sorted(groups.items(), key=lambda item: _order(item[0]))
    return [
        AnonymisedCmrLine(
            member_code=group.member_code,
            work_situation=job,
            agent_kind=kind,
            agent_name=agent,
            cas_number=cas,
            routes=routes,
            degree=degree,
            workers=len(group.workers),
            first_day=group.first_day,
            last_day=group.last_day,
        )
        for (job, kind, agent, cas, routes, degree), group in ordered
    ]


def _order(key: _GroupKey) -> tuple[str, ...]:
    job, kind, agent, cas, routes, degree = key
    return (agent, cas or "", kind.value, job or "", ",".join(r.value for r in routes),
            "" if degree is None else degree.value)  # fmt: skip


def known_at_of(text: str | None) -> int:
    """A knowledge instant from `AAAA-MM-JJ` (by the end of that Paris day) or an ISO instant
    with its offset; None: now."""
    if text is None:
        return knowledge(None)
    if len(text) == len("2024-01-31"):
        return knowledge(date.fromisoformat(text))
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    return known_at_moment(moment)

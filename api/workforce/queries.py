"""Queries of a member's records: each reads one read model, in a worker thread.

Dates: `validOn` is the day the answer is about (default: today in Paris); `knownAt` the Paris
day whose end the answer is known by (default: now), for "what did we know then" questions.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import Rule, Scope, query
from api.context import GraphQLInfo
from api.enums import ContractType, EmployeeStatus, FollowUp
from api.from_structs import converted
from api.knowledge import KnownAtInstant, dates_asked
from api.knowledge import known_at as known_at_of
from api.members.types import Member
from api.pagination import DEFAULT_PAGE, Connection, connection, page_size
from api.threads import blocking
from api.workforce.reads import audit_cursor, audit_page, employee_cursor, employee_page
from api.workforce.rules import (
    READS_AUDIT_TRAIL,
    READS_CMR_HISTORY,
    READS_CMR_LIST,
    READS_EMPLOYEE,
    READS_EMPLOYEES,
)
from api.workforce.types import (
    AuditEntry,
    CmrExposure,
    Employee,
    Headcount,
    KnownAt,
    ValidOn,
    load_employee,
)
from domain.accounts.access import Right
from projections.members.members import MemberDirectoryQueries, MemberView
from projections.workforce.workforce_queries import WorkforceFilter


@strawberry.type
class RecordQueries:
    @query(
        "Un adhérent par son identifiant.",
        Rule(Right.READ_COMPANY, scope=Scope(member="id")),
    )
    async def member(self, info: GraphQLInfo, id: UUID) -> Member | None:
        return await _member(info, lambda members: members.member(id))

    @query(
        "Un adhérent par son code adhérent (ex. 00010).",
        Rule(Right.READ_COMPANY, scope=Scope(member_code="code")),
    )
    async def member_by_code(self, info: GraphQLInfo, code: str) -> Member | None:
        return await _member(info, lambda members: members.by_code(code))

    @query(
        "Les salariés d'un adhérent, par nom.",
        READS_EMPLOYEES,
    )
    async def employees(
        self,
        info: GraphQLInfo,
        *,
        member_id: UUID,
        valid_on: ValidOn = None,
        known_at: KnownAt = None,
        known_at_instant: KnownAtInstant = None,
        status: EmployeeStatus | None = None,
        category: FollowUp | None = None,
        contract_type: ContractType | None = None,
        branch_code: str | None = None,
        search: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Employee]:
        day, known = dates_asked(info.context.services.clock, valid_on, known_at, known_at_instant)
        where = WorkforceFilter(
            active=None if status is None else status is EmployeeStatus.ACTIVE,
            category=None if category is None else category.value,
            contract_type=None if contract_type is None else contract_type.value,
            branch_code=branch_code,
            search=search,
        )
        services, size = info.context.services, page_size(first)
        page = await blocking(
            lambda: employee_page(services, member_id, day, known, where, size, after)
        )
        return connection(page, employee_cursor, lambda row: Employee.of(row, day, known))

    @query(
        "Un salarié : contrat, suivi, déterminants, expositions.",
        READS_EMPLOYEE,
    )
    async def employee(
        self,
        info: GraphQLInfo,
        id: UUID,
        valid_on: ValidOn = None,
        known_at: KnownAt = None,
        known_at_instant: KnownAtInstant = None,
    ) -> Employee | None:
        return await load_employee(info, id, valid_on, known_at_of(known_at, known_at_instant))

    @query(
        "Effectif d'un adhérent, par catégorie et type de contrat.",
        Rule(Right.READ_WORKFORCE, scope=Scope(member="member_id")),
    )
    async def headcount(
        self,
        info: GraphQLInfo,
        member_id: UUID,
        valid_on: ValidOn = None,
        known_at: KnownAt = None,
        known_at_instant: KnownAtInstant = None,
    ) -> Headcount:
        day, known = dates_asked(info.context.services.clock, valid_on, known_at, known_at_instant)
        counts = await blocking(
            lambda: info.context.services.headcounts.headcount(member_id, day, known)
        )
        return Headcount.of(counts)

    @query(
        "Salariés exposés à des agents CMR (décret 2024-307).",
        READS_CMR_LIST,
    )
    async def cmr_exposures(
        self,
        info: GraphQLInfo,
        member_id: UUID,
        valid_on: ValidOn = None,
        known_at: KnownAt = None,
        known_at_instant: KnownAtInstant = None,
    ) -> list[CmrExposure]:
        day, known = dates_asked(info.context.services.clock, valid_on, known_at, known_at_instant)
        rows = await blocking(
            lambda: info.context.services.exposures.exposures(
                member_id=member_id, valid_on=day, known_at=known
            )
        )
        return [converted(CmrExposure, row) for row in rows]

    @query(
        "Toutes les versions des expositions CMR d'un salarié.",
        READS_CMR_HISTORY,
    )
    async def cmr_exposure_history(self, info: GraphQLInfo, employee_id: UUID) -> list[CmrExposure]:
        rows = await blocking(lambda: info.context.services.exposures.history(employee_id))
        return [converted(CmrExposure, row) for row in rows]

    @query(
        "Journal d'audit, du plus récent ; jours de Paris inclus.",
        READS_AUDIT_TRAIL,
    )
    async def audit_trail(
        self,
        info: GraphQLInfo,
        *,
        member_id: UUID | None = None,
        aggregate_id: UUID | None = None,
        actor: str | None = None,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        services, size = info.context.services, page_size(first)
        page = await blocking(
            lambda: audit_page(services, member_id, aggregate_id, actor, (from_, to), size, after)
        )
        return connection(page, audit_cursor, AuditEntry.of)


async def _member(
    info: GraphQLInfo, find: Callable[[MemberDirectoryQueries], MemberView | None]
) -> Member | None:
    members = info.context.services.members
    view = await blocking(lambda: find(members))
    return None if view is None else Member.of(view)

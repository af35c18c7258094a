"""Output types of the workforce: employees, CMR exposures, headcounts, audit entries.

Each is built once from its read-model struct (`of`); its leaf fields are plain attributes, so
strawberry resolves them without calling anything. Only `Employee.exposures` and
`Employee.history` are resolvers, batched by the request's DataLoaders.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

import strawberry

from api.context import GraphQLInfo
from api.decorators import field
from api.enums import (
    AgentKind,
    ContractType,
    EmployeeStatus,
    ExposureDegree,
    ExposureRoute,
    FollowUp,
    FollowUpDeterminant,
    Sex,
)
from api.scalars import JSON
from api.shaping import shaped
from api.threads import blocking
from api.workforce.loaders import Loaders
from projections import audit
from projections.timeline import knowledge
from projections.workforce import exposures, headcount, workforce

ValidOn = Annotated[
    date | None, strawberry.argument(description="Date de validité ; par défaut aujourd'hui.")
]
KnownAt = Annotated[
    date | None,
    strawberry.argument(
        description="Selon ce qui était enregistré à la fin de ce jour ; par défaut maintenant."
    ),
]


@strawberry.type(description="Déterminant de suivi déclaré, avec sa période.")
class DeterminantPeriod:
    determinant_id: int
    determinant: FollowUpDeterminant
    started_on: date
    ended_on: date | None
    note: str | None

    @classmethod
    def of(cls, row: workforce.DeterminantPeriodRow) -> Self:
        return shaped(cls, row, determinant=FollowUpDeterminant(row.determinant))


@strawberry.type(description="Exposition d'un salarié à un agent CMR (une version de celle-ci).")
class CmrExposure:
    employee_id: UUID
    member_id: UUID
    exposure_id: int
    agent_kind: AgentKind
    agent_name: str
    cas_number: str | None
    routes: list[ExposureRoute]
    hours_per_week: Decimal | None
    degree: ExposureDegree | None
    comment: str | None
    valid_from: date
    valid_to: date | None
    known_from: datetime
    known_to: datetime | None
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None

    @classmethod
    def of(cls, row: exposures.ExposureRow) -> Self:
        return shaped(cls, row, routes=list(row.routes))


@strawberry.type(description="Un événement du journal : qui, quand, quoi.")
class AuditEntry:
    position: int
    recorded_at: datetime
    aggregate_type: str
    aggregate_id: UUID
    aggregate_version: int
    member_id: UUID | None
    event_type: str
    actor: str
    on_behalf_of: UUID | None
    effective_on: date | None
    summary: str
    changes: JSON

    @classmethod
    def of(cls, entry: audit.AuditEntry) -> Self:
        return shaped(cls, entry, changes=JSON(entry.changes))


@strawberry.type(
    description="Salarié à la date de validité, selon ce qui était connu alors (contrat,"
    " statut, catégorie, déterminants en vigueur). L'identité affichée est l'identité actuelle"
    " (effacée après un droit à l'effacement). Après une sortie, le dernier contrat reste"
    " visible, sans catégorie de suivi."
)
class Employee:
    id: UUID
    member_id: UUID
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None
    sex: Sex | None
    status: EmployeeStatus
    contract_number: int | None
    contract_type: ContractType | None
    job_title: str | None
    pcs_code: str | None
    branch_code: str | None
    hire_date: date | None
    last_day: date | None
    trial_end: date | None
    planned_end: date | None
    category: FollowUp | None
    visit_before_assignment: bool
    determinants: list[FollowUpDeterminant]
    valid_from: date | None
    valid_to: date | None
    version: int = strawberry.field(
        description="Version actuelle de la fiche (quelle que soit la date de connaissance) :"
        " à renvoyer comme expectedVersion d'une modification."
    )
    determinant_periods: list[DeterminantPeriod] = strawberry.field(
        description="Déterminants déclarés, tels qu'enregistrés aujourd'hui, avec leur"
        " identifiant (pour les retirer) ; `determinants` donne ceux en vigueur à la date"
        " demandée, selon ce qui était connu alors."
    )
    valid_on: strawberry.Private[date]
    known_at: strawberry.Private[int]

    @field(description="Expositions CMR en cours à la date de validité.")
    async def exposures(self, info: GraphQLInfo) -> list[CmrExposure]:
        rows = await info.context.loader(Loaders).exposures.load(
            (self.id, self.valid_on, self.known_at)
        )
        return [CmrExposure.of(row) for row in rows]

    @field(description="Historique du salarié (journal d'audit), du plus récent.")
    async def history(self, info: GraphQLInfo) -> list[AuditEntry]:
        entries = await info.context.loader(Loaders).history.load(self.id)
        return [AuditEntry.of(entry) for entry in entries]

    @classmethod
    def of(cls, row: workforce.WorkforceRow, valid_on: date, known_at: int) -> Self:
        return shaped(
            cls,
            row,
            id=row.employee_id,
            sex=None if row.sex is None else Sex(row.sex),
            status=EmployeeStatus.ACTIVE if row.active else EmployeeStatus.INACTIVE,
            contract_type=None if row.contract_type is None else ContractType(row.contract_type),
            category=None if row.category is None else FollowUp(row.category),
            determinants=[FollowUpDeterminant(d) for d in row.determinants],
            determinant_periods=[DeterminantPeriod.of(p) for p in row.determinant_periods],
            valid_on=valid_on,
            known_at=known_at,
        )


async def load_employees(
    info: GraphQLInfo, ids: list[UUID], valid_on: date | None, known_on: date | None
) -> list[Employee]:
    """Employees on `valid_on` (default today, Paris) as known by the end of `known_on` (default
    now), in the order of `ids`; those without a record on that day are left out."""
    day, known = valid_on or info.context.services.clock.today(), knowledge(known_on)
    workforce_queries = info.context.services.workforce
    rows = await blocking(lambda: workforce_queries.employees_by_ids(ids, day, known))
    return [Employee.of(rows[i], day, known) for i in ids if i in rows]


async def load_employee(
    info: GraphQLInfo, employee_id: UUID, valid_on: date | None, known_on: date | None
) -> Employee | None:
    found = await load_employees(info, [employee_id], valid_on, known_on)
    return found[0] if found else None


@strawberry.type(description="Un effectif pour une valeur (catégorie de suivi, type de contrat).")
class CountByKey:
    key: str
    count: int


@strawberry.type(description="Effectif : salariés présents à la date de validité.")
class Headcount:
    valid_on: date
    total: int
    by_category: list[CountByKey]
    by_contract_type: list[CountByKey]

    @classmethod
    def of(cls, counts: headcount.Headcount) -> Self:
        return cls(
            valid_on=counts.valid_on,
            total=counts.total,
            by_category=_counts(counts.by_category),
            by_contract_type=_counts(counts.by_contract_type),
        )


def _counts(counts: dict[str, int]) -> list[CountByKey]:
    return [CountByKey(key=key, count=count) for key, count in sorted(counts.items())]

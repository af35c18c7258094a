"""Output types of the workforce: employees, CMR exposures, headcounts, audit entries.

Each takes its fields from its read-model struct and is built once from it
(`api.from_structs`); its leaf fields are plain attributes, so strawberry resolves them without
calling anything. Only `Employee.exposures` and `Employee.history` are resolvers, batched by the
request's DataLoaders.
"""

from datetime import date
from typing import Annotated, Self
from uuid import UUID

import strawberry

from api.context import GraphQLInfo
from api.counts import CountByKey, by_category_and_contract
from api.decorators import field
from api.enums import (
    ContractType,
    EmployeeStatus,
    ExposureRoute,
    FollowUp,
    FollowUpDeterminant,
    Sex,
)
from api.from_structs import converted, fields_of
from api.json_names import camel_keys
from api.scalars import JSON
from api.threads import blocking
from api.workforce.loaders import Loaders
from projections import audit
from projections.timeline import knowledge
from projections.workforce import exposures, headcount, workforce, workforce_queries

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
@fields_of(workforce.DeterminantPeriodRow)
class DeterminantPeriod:
    determinant: FollowUpDeterminant


@strawberry.type(description="Exposition d'un salarié à un agent CMR (une version de celle-ci).")
@fields_of(exposures.ExposureRow)
class CmrExposure:
    routes: list[ExposureRoute]


CHANGES_DATA_MAPS = frozenset({"answers"})
"""The event fields whose value is a map keyed by data, kept as it is in an audit entry's
`changes`: a declaration's prevention answers, by question id (`PreventionAnswered`)."""


@strawberry.type(description="Un événement du journal : qui, quand, quoi.")
@fields_of(audit.AuditEntry)
class AuditEntry:
    changes: JSON = strawberry.field(
        description="Les champs de l'événement, nommés en camelCase ; les clés qui sont des"
        " données (identifiants des questions de prévention) restent telles quelles."
    )

    @classmethod
    def of(cls, entry: audit.AuditEntry) -> Self:
        return converted(cls, entry, changes=JSON(camel_keys(entry.changes, CHANGES_DATA_MAPS)))


@strawberry.type(
    description="Salarié à la date de validité, selon ce qui était connu alors (contrat,"
    " statut, catégorie, déterminants en vigueur). L'identité affichée est l'identité actuelle"
    " (effacée après un droit à l'effacement). Après une sortie, le dernier contrat reste"
    " visible, sans catégorie de suivi."
)
@fields_of(
    workforce_queries.WorkforceRow,
    renamed={"employee_id": "id", "active": "status"},
    left_out=("sort_key",),
)
class Employee:
    id: UUID
    sex: Sex | None
    status: EmployeeStatus
    contract_type: ContractType | None
    category: FollowUp | None
    determinants: list[FollowUpDeterminant]
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
        return [converted(CmrExposure, row) for row in rows]

    @field(description="Historique du salarié (journal d'audit), du plus récent.")
    async def history(self, info: GraphQLInfo) -> list[AuditEntry]:
        entries = await info.context.loader(Loaders).history.load(self.id)
        return [AuditEntry.of(entry) for entry in entries]

    @classmethod
    def of(cls, row: workforce_queries.WorkforceRow, valid_on: date, known_at: int) -> Self:
        return converted(
            cls,
            row,
            id=row.employee_id,
            status=EmployeeStatus.ACTIVE if row.active else EmployeeStatus.INACTIVE,
            valid_on=valid_on,
            known_at=known_at,
        )


async def load_employees(
    info: GraphQLInfo, ids: list[UUID], valid_on: date | None, known_at: int | None
) -> list[Employee]:
    """Employees on `valid_on` (default today, Paris) as known at the instant `known_at`
    (default now), in the order of `ids`; those without a record on that day are left out."""
    day = valid_on or info.context.services.clock.today()
    known = knowledge(None) if known_at is None else known_at
    workforce_queries = info.context.services.workforce
    rows = await blocking(lambda: workforce_queries.employees_by_ids(ids, day, known))
    return [Employee.of(rows[i], day, known) for i in ids if i in rows]


async def load_employee(
    info: GraphQLInfo, employee_id: UUID, valid_on: date | None, known_at: int | None
) -> Employee | None:
    found = await load_employees(info, [employee_id], valid_on, known_at)
    return found[0] if found else None


@strawberry.type(description="Effectif : salariés présents à la date de validité.")
@fields_of(headcount.Headcount)
class Headcount:
    by_category: list[CountByKey]
    by_contract_type: list[CountByKey]

    @classmethod
    def of(cls, counts: headcount.Headcount) -> Self:
        return converted(cls, counts, **by_category_and_contract(CountByKey, counts))

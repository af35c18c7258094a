"""CMR EXPOSURES read model, bitemporal: who was exposed to what on day V, as recorded at T.

`versions` holds one row per version of each exposure: valid on the days
[valid_from, valid_to] and known during [known_from, known_to) (`projections.timeline`). A
recorded exposure opens a version; its end closes that version and opens one with the last
day; a withdrawal (recorded in error) only closes it, so it disappears from later knowledge and
stays in earlier knowledge.

Each row also carries the employee's current names and birth date for the lists regulators
read — never the NIR —, sealed under the person's identity key (`projections.personal`) and
opened by the queries. A correction of the identity seals it again on all of that employee's
rows (display follows the latest identity); an erasure wipes it (and the key's destruction
alone makes it unreadable), while the exposures themselves, health data, stay in clear, tied to
the pseudonymous employee id, for their 40-year retention.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec

from domain.search import search_key
from domain.workforce.employee import Employee
from domain.workforce.health import AgentKind, Exposure, ExposureDegree, ExposureRoute
from projections.aggregates import shared_folder
from projections.model import Envelope, Queries, ReadModel
from projections.personal import SealedIdentity, open_identities, seal_identity, seal_of
from projections.rows import struct_of
from projections.store import Row, Tx
from projections.timeline import NEVER, OPEN_END, day, from_day, from_instant

EXPOSURE_FIELDS = (
    "agent_kind",
    "agent_name",
    "cas_number",
    "routes",
    "hours_per_week",
    "degree",
    "comment",
)
"""The exposure itself: to what agent, by which routes, how much."""
COLUMNS = (
    "employee_id",
    "member_id",
    "exposure_id",
    "known_from",
    "known_to",
    "valid_from",
    "valid_to",
    *EXPOSURE_FIELDS,
    "identity",
)
IDENTITY_FIELDS = ("birth_name", "usage_name", "first_name", "birth_date")
ROUTE_SEPARATOR = ","
Handler = Callable[[Tx, Employee, Any, int], None]


class CmrExposures(ReadModel):
    name = "exposures"
    by_record = True
    reads = (Employee.Event,)
    tables = ("versions",)
    revision = 2  # identities sealed

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.employees = shared_folder(self.source, Employee)
        self._handlers: dict[str, Handler] = {
            "CmrExposureRecorded": self._recorded,
            "CmrExposureEnded": self._ended,
            "CmrExposureWithdrawn": self._withdrawn,
            "IdentityCorrected": self._identity_changed,
            "IdentityErased": self._identity_changed,
        }

    def create(self, tx: Tx) -> None:
        versions, bigint = self.table("versions"), self.store.bigint
        tx.execute(
            f"CREATE TABLE {versions} (employee_id TEXT NOT NULL, member_id TEXT NOT NULL,"
            f" exposure_id INTEGER NOT NULL, known_from {bigint} NOT NULL,"
            f" known_to {bigint} NOT NULL, valid_from INTEGER NOT NULL,"
            " valid_to INTEGER NOT NULL, agent_kind TEXT NOT NULL, agent_name TEXT NOT NULL,"
            " cas_number TEXT, routes TEXT NOT NULL, hours_per_week TEXT, degree TEXT,"
            " comment TEXT, identity TEXT)"
        )
        tx.execute(f"CREATE INDEX {versions}_employee ON {versions} (employee_id, exposure_id)")

    def index(self, tx: Tx) -> None:
        versions = self.table("versions")
        tx.execute(
            f"CREATE INDEX {versions}_member ON {versions} (member_id, known_from, known_to)"
        )

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        for envelope in envelopes:
            if not isinstance(envelope.event, Employee.Event):
                continue
            employee: Employee = self.employees.apply(envelope.event)
            handler = self._handlers.get(envelope.event_name)
            if handler is not None:
                handler(tx, employee, envelope.event, envelope.recorded_at)

    # Handlers: the employee is already in its state after the event ------------------------

    def _recorded(self, tx: Tx, employee: Employee, event: Any, at: int) -> None:
        self._insert(tx, employee, employee.exposures_recorded, at)

    def _ended(self, tx: Tx, employee: Employee, event: Any, at: int) -> None:
        self._close(tx, employee, event.exposure_id, at)
        self._insert(tx, employee, event.exposure_id, at)

    def _withdrawn(self, tx: Tx, employee: Employee, event: Any, at: int) -> None:
        self._close(tx, employee, event.exposure_id, at)

    def _identity_changed(self, tx: Tx, employee: Employee, event: Any, at: int) -> None:
        self._set_identity(tx, employee)

    def erase(self, tx: Tx, erased: Envelope) -> None:
        tx.execute(
            f"UPDATE {self.table('versions')} SET identity = NULL WHERE employee_id = ?",
            (str(erased.aggregate_id),),
        )

    def _set_identity(self, tx: Tx, employee: Employee) -> None:
        tx.execute(
            f"UPDATE {self.table('versions')} SET identity = ? WHERE employee_id = ?",
            (self._sealed_identity(tx, employee), str(employee.id)),
        )

    def _sealed_identity(self, tx: Tx, employee: Employee) -> str | None:
        if employee.identity is None:
            return None
        key = seal_of(self.store).keys(tx.execute, [employee.id]).get(employee.id)
        return seal_identity(key, employee.identity)

    def _insert(self, tx: Tx, employee: Employee, exposure_id: int, known_from: int) -> None:
        exposure = _exposure(employee, exposure_id)
        if exposure is None:  # health data unreadable: nothing to show
            return
        tx.execute(
            f"INSERT INTO {self.table('versions')} ({', '.join(COLUMNS)})"
            f" VALUES ({', '.join('?' * len(COLUMNS))})",
            (*_values(employee, exposure, known_from), self._sealed_identity(tx, employee)),
        )

    def _close(self, tx: Tx, employee: Employee, exposure_id: int, known_to: int) -> None:
        tx.execute(
            f"UPDATE {self.table('versions')} SET known_to = ?"
            " WHERE employee_id = ? AND exposure_id = ? AND known_to = ?",
            (known_to, str(employee.id), exposure_id, NEVER),
        )


def _exposure(employee: Employee, exposure_id: int) -> Exposure | None:
    return next((e for e in employee.exposures or () if e.exposure_id == exposure_id), None)


def _values(employee: Employee, exposure: Exposure, known_from: int) -> tuple[Any, ...]:
    agent = exposure.agent
    return (
        str(employee.id),
        str(employee.member_id),
        exposure.exposure_id,
        known_from,
        NEVER,
        day(exposure.started_on),
        OPEN_END if exposure.ended_on is None else day(exposure.ended_on),
        agent.kind.value,
        agent.name,
        None if agent.cas_number is None else str(agent.cas_number),
        ROUTE_SEPARATOR.join(route.value for route in exposure.routes),
        None if exposure.hours_per_week is None else str(exposure.hours_per_week),
        None if exposure.degree is None else exposure.degree.value,
        exposure.comment,
    )


# Queries -------------------------------------------------------------------------------------


class ExposureVersion(msgspec.Struct, frozen=True):
    """One version of an exposure, valid from `valid_from` to `valid_to` (None: open): no
    identity."""

    employee_id: UUID
    member_id: UUID
    exposure_id: int
    agent_kind: AgentKind
    agent_name: str
    cas_number: str | None
    routes: tuple[ExposureRoute, ...]
    hours_per_week: Decimal | None
    degree: ExposureDegree | None
    comment: str | None
    valid_from: date
    valid_to: date | None


class ExposureRow(ExposureVersion, frozen=True):
    """One version of an exposure, known from `known_from` until `known_to` (None: still the
    current knowledge), both UTC."""

    known_from: datetime
    known_to: datetime | None
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None


AS_OF = "known_from <= ? AND ? < known_to AND valid_from <= ? AND ? <= valid_to"


class CmrExposureQueries(Queries):
    name = "exposures"

    def exposures(
        self,
        *,
        member_id: UUID | None,
        valid_on: date,
        known_at: int,
        employee_id: UUID | None = None,
    ) -> list[ExposureRow]:
        """Who was exposed to what on `valid_on`, as known at the instant `known_at`
        (`projections.timeline.knowledge`); every member's when `member_id` is None."""
        conditions, params = [AS_OF], _as_of(valid_on, known_at)
        for column, value in (("member_id", member_id), ("employee_id", employee_id)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(str(value))
        return _by_name(self._rows(" AND ".join(conditions), params))

    def history(self, employee_id: UUID) -> list[ExposureRow]:
        """Every version of every exposure of an employee, withdrawn ones included."""
        return self._rows("employee_id = ? ORDER BY exposure_id, known_from", [str(employee_id)])

    def exposures_for_employees(
        self, ids: Iterable[UUID], valid_on: date, known_at: int
    ) -> dict[UUID, list[ExposureRow]]:
        """`exposures` of several employees in one query (a DataLoader's batch)."""
        found: dict[UUID, list[ExposureRow]] = {i: [] for i in ids}
        if found:
            marks = ", ".join("?" * len(found))
            params = [*(str(i) for i in found), *_as_of(valid_on, known_at)]
            for row in _by_name(self._rows(f"employee_id IN ({marks}) AND {AS_OF}", params)):
                found[row.employee_id].append(row)
        return found

    def _rows(self, where: str, params: Sequence[Any]) -> list[ExposureRow]:
        fields = ", ".join(f for f in ExposureRow.__struct_fields__ if f not in IDENTITY_FIELDS)
        sql = f"SELECT {fields}, identity FROM {self.table('versions')} WHERE {where}"
        rows = self.store.read(sql, params)
        identities = open_identities(self.store, self.store.read, {UUID(r[0]): r[-1] for r in rows})
        return [_row(r[:-1], identities[UUID(r[0])]) for r in rows]


def _as_of(valid_on: date, known_at: int) -> list[Any]:
    return [known_at, known_at, day(valid_on), day(valid_on)]


def _by_name(rows: list[ExposureRow]) -> list[ExposureRow]:
    """By employee name then agent, accents and case ignored: the same order on both stores."""
    return sorted(
        rows,
        key=lambda r: (
            search_key(r.usage_name or r.birth_name or ""),
            search_key(r.first_name or ""),
            str(r.employee_id),
            search_key(r.agent_name),
            r.exposure_id,
            r.known_from,
        ),
    )


def _row(row: Row, identity: SealedIdentity) -> ExposureRow:
    names = (identity.birth_name, identity.usage_name, identity.first_name, identity.birth_date)
    return struct_of(
        ExposureRow,
        (*row, *names),
        routes=lambda routes: tuple(ExposureRoute(r) for r in routes.split(ROUTE_SEPARATOR) if r),
        valid_to=from_day,
        known_to=lambda known_to: None if known_to >= NEVER else from_instant(known_to),
        birth_date=lambda birth_date: birth_date,
    )

"""DataLoaders, made per request: a list of employees reads their exposures and histories in
one worker-thread call per batch, not one query per employee (no N+1)."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from strawberry.dataloader import DataLoader

from api.services import Services
from api.threads import blocking
from projections.audit import AuditEntry
from projections.workforce.exposures import ExposureRow

HISTORY_LIMIT = 100
"""Newest entries of an employee's own history shown on the employee."""

ExposureKey = tuple[UUID, date, int]
"""Employee id, validity date, knowledge instant."""


class Loaders:
    def __init__(self, services: Services):
        self._services = services
        self.exposures = DataLoader[ExposureKey, list[ExposureRow]](load_fn=self._exposures)
        self.history = DataLoader[UUID, list[AuditEntry]](load_fn=self._history)

    async def _exposures(self, keys: Sequence[ExposureKey]) -> list[list[ExposureRow]]:
        return await blocking(lambda: self._exposures_of(keys))

    def _exposures_of(self, keys: Sequence[ExposureKey]) -> list[list[ExposureRow]]:
        moments: dict[tuple[date, int], list[UUID]] = {}
        for employee_id, valid_on, known_at in keys:
            moments.setdefault((valid_on, known_at), []).append(employee_id)
        found: dict[ExposureKey, list[ExposureRow]] = {}
        for (valid_on, known_at), ids in moments.items():
            rows = self._services.exposures.exposures_for_employees(ids, valid_on, known_at)
            found |= {(i, valid_on, known_at): rows.get(i, []) for i in ids}
        return [found[key] for key in keys]

    async def _history(self, ids: Sequence[UUID]) -> list[list[AuditEntry]]:
        audit = self._services.audit
        # One query per employee: the audit trail's queries have no batch form yet.
        return await blocking(
            lambda: [audit.entries(aggregate_id=i, limit=HISTORY_LIMIT) for i in ids]
        )

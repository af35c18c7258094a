"""What the workforce import reads of the records (`WorkforceRecords`): the member's employee
ids, from the workforce read model (the import then loads them from the event log)."""

from collections.abc import Callable
from datetime import date
from uuid import UUID

from domain.search import MAX_PAGE
from projections.timeline import knowledge
from projections.workforce.workforce_queries import WorkforceQueries


class ReadModelWorkforce:
    def __init__(self, workforce: WorkforceQueries, settle: Callable[[], None]):
        self.workforce = workforce
        self._settle = settle

    def settle(self) -> None:
        self._settle()

    def employee_ids(self, member_id: UUID) -> list[UUID]:
        found: list[UUID] = []
        after: tuple[str, UUID] | None = None
        while True:
            page = self.workforce.employees(
                member_id, date.max, knowledge(None), after=after, limit=MAX_PAGE
            )
            found += [row.employee_id for row in page]
            if len(page) < MAX_PAGE:
                return found
            after = (page[-1].sort_key, page[-1].employee_id)

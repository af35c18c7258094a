"""What the CMR exposures import reads of the records (`ImportRecords`), answered by the workforce
and exposure read models."""

from datetime import date
from uuid import UUID

from api.from_structs import converted
from api.services import Services
from application.workforce.exposure_import import EmployeeFacts, ExposureImport, KnownExposure
from domain.identifiers import CasNumber
from domain.search import MAX_PAGE
from domain.workforce.health import CmrAgent
from projections.timeline import knowledge
from projections.workforce.exposures import ExposureRow
from projections.workforce.workforce_queries import WorkforceRow


def exposure_import(services: Services) -> ExposureImport:
    return ExposureImport(services.app, ReadModelRecords(services), services.access)


class ReadModelRecords:
    def __init__(self, services: Services):
        self.services = services

    def settle(self) -> None:
        self.services.settle()

    def employees(self, member_id: UUID, day: date) -> list[EmployeeFacts]:
        found: list[EmployeeFacts] = []
        after: tuple[str, UUID] | None = None
        while True:
            page = self.services.workforce.employees(
                member_id, day, knowledge(None), after=after, limit=MAX_PAGE
            )
            found += [_facts(row) for row in page]
            if len(page) < MAX_PAGE:
                return found
            after = (page[-1].sort_key, page[-1].employee_id)

    def member_of(self, employee_id: UUID) -> UUID | None:
        return self.services.workforce.member_of(employee_id)

    def employee(self, employee_id: UUID) -> EmployeeFacts | None:
        rows = self.services.workforce.employees_by_ids([employee_id], date.max, knowledge(None))
        row = rows.get(employee_id)
        return None if row is None else _facts(row)

    def current_exposures(self, member_id: UUID, day: date) -> list[KnownExposure]:
        rows = self.services.exposures.exposures(
            member_id=member_id, valid_on=day, known_at=knowledge(None)
        )
        return [_known(row) for row in rows]

    def recorded_exposures(self, employee_id: UUID) -> list[KnownExposure]:
        history = self.services.exposures.history(employee_id)
        return [_known(row) for row in history if row.known_to is None]


def _facts(row: WorkforceRow) -> EmployeeFacts:
    # the first contract's hire date; a rehired employee's first one is not in this row
    first_hire_date = row.hire_date if row.contract_number == 1 else None
    return converted(EmployeeFacts, row, first_hire_date=first_hire_date)


def _known(row: ExposureRow) -> KnownExposure:
    cas_number = None if row.cas_number is None else CasNumber(row.cas_number)
    return converted(
        KnownExposure,
        row,
        agent=CmrAgent(row.agent_kind, row.agent_name, cas_number),
        started_on=row.valid_from,
        ended_on=row.valid_to,
    )

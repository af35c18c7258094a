"""The import of a workforce as the entry points call it: the dry run of a file (CSV, XLSX or
DSN, told apart by their content) against the member's employees, then its application.

The member's employees are found through `WorkforceRecords` (the read models, wired by the
entry point), then loaded from the event log (identities, contracts), so the plan compares
with what is recorded, not with a copy. The caller has checked the right (MANAGE_WORKFORCE)."""

from typing import Protocol
from uuid import UUID

from application.base import RegistreApplication
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import Request
from application.workforce.exposure_import.model import digest_of
from application.workforce.workforce_import.applying import apply
from application.workforce.workforce_import.dsn import is_dsn, read_dsn
from application.workforce.workforce_import.model import (
    ImportOutcome,
    Person,
    RowError,
    SourceRow,
    WorkforcePlan,
)
from application.workforce.workforce_import.parsing import read_person
from application.workforce.workforce_import.planning import plan
from application.workforce.workforce_import.tabular import read_csv, read_xlsx
from domain.calendar import stamping_at
from domain.members.member import Member
from domain.workforce.employee import Employee


class WorkforceRecords(Protocol):
    def settle(self) -> None:
        """Wait until the records show every change recorded so far."""
        ...

    def employee_ids(self, member_id: UUID) -> list[UUID]:
        """Every employee of the member, present or gone."""
        ...


class WorkforceImport:
    def __init__(self, app: RegistreApplication, records: WorkforceRecords):
        self.app = app
        self.records = records

    def plan(self, member_id: UUID, content: bytes) -> WorkforcePlan:
        """The dry run; raises `ImportFileError` for a file that is none of the three."""
        member = self.app.load(Member, member_id, MEMBER_NOT_FOUND)
        open_codes = {member.branch_code(b.number) for b in member.branches if b.closed_on is None}
        rows, errors = self._rows(member, content)
        persons: list[Person] = []
        with stamping_at(self.app.clock.now()):
            for row in rows:
                read = read_person(row, open_codes)
                if isinstance(read, Person):
                    persons.append(read)
                else:
                    errors += read
        self.records.settle()
        ids = self.records.employee_ids(member_id)
        employees = self.app.load_many(Employee, ids).values()
        return plan(
            member_id=member_id,
            digest=digest_of(content),
            persons=persons,
            errors=errors,
            employees=employees,
            today=self.app.clock.today(),
        )

    def apply(
        self, planned: WorkforcePlan, request: Request, confirmed: frozenset[int] = frozenset()
    ) -> ImportOutcome:
        outcome = apply(planned, self.app, request, confirmed)
        self.records.settle()
        return outcome

    @staticmethod
    def _rows(member: Member, content: bytes) -> tuple[list[SourceRow], list[RowError]]:
        if content.startswith(b"PK"):
            return read_xlsx(content), []
        if is_dsn(content):
            siren = None if member.siret is None else str(member.siret.siren)
            branches = {
                str(b.siret): member.branch_code(b.number)
                for b in member.branches
                if b.siret is not None
            }
            return read_dsn(content, siren, branches)
        return read_csv(content), []

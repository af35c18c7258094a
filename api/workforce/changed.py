"""What an employee's mutation answers: the employee, read at the validity date asked."""

from typing import Self
from uuid import UUID

import strawberry

from api.context import GraphQLInfo
from api.decorators import field
from api.services import Services
from api.workforce.types import Employee, ValidOn, load_employee
from application.requests import CommandResult


@strawberry.type
class EmployeeChanged:
    aggregate_id: UUID
    version: int
    created_id: int | None

    @field(description="Le salarié à la date de validité (par défaut aujourd'hui).")
    async def employee(self, info: GraphQLInfo, valid_on: ValidOn = None) -> Employee | None:
        return await load_employee(info, self.aggregate_id, valid_on, None)

    @classmethod
    def read(cls, services: Services, result: CommandResult) -> Self:
        return cls(
            aggregate_id=result.aggregate_id, version=result.version, created_id=result.created_id
        )

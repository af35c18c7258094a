"""Mutations of employees' employment: hires (one or many), identity, contracts, erasure."""

from datetime import date
from typing import Annotated, Self
from uuid import UUID

import strawberry

from api.authorization import mutation
from api.commands import ChangeInput, CommandInput, send
from api.context import GraphQLInfo
from api.decorators import field
from api.enums import ExitReason
from api.failures import Failure
from api.inputs import ContractTermsInput, IdentityInput, NewHireInput
from api.rules import SERVICE
from api.services import Services
from api.workforce.changed import EmployeeChanged
from api.workforce.rules import CHANGES_WORKFORCE
from api.workforce.types import Employee, ValidOn, load_employees
from application.requests import CommandResult
from application.workforce.commands import (
    AmendContract,
    CloseContract,
    CorrectContract,
    CorrectIdentity,
    EraseIdentity,
    HireEmployee,
    HireEmployees,
    RehireEmployee,
)


@strawberry.input
class HireEmployeeInput(CommandInput):
    member_id: UUID
    identity: IdentityInput
    hire_date: date
    terms: ContractTermsInput


@strawberry.input(description="Embauche groupée (import) : tous les salariés, ou aucun.")
class HireEmployeesInput(CommandInput):
    member_id: UUID
    hires: list[NewHireInput]


@strawberry.input
class CorrectIdentityInput(ChangeInput):
    employee_id: UUID
    identity: IdentityInput


@strawberry.input(description="Avenant : nouvelles conditions à compter d'une date.")
class AmendContractInput(ChangeInput):
    employee_id: UUID
    terms: ContractTermsInput
    effective_on: date


@strawberry.input(description="Correction d'une erreur de saisie du contrat en cours.")
class CorrectContractInput(ChangeInput):
    employee_id: UUID
    hire_date: date
    terms: ContractTermsInput


@strawberry.input
class CloseContractInput(ChangeInput):
    employee_id: UUID
    last_day: date
    reason: ExitReason


@strawberry.input
class RehireEmployeeInput(CorrectContractInput): ...


@strawberry.input
class EraseIdentityInput(ChangeInput):
    employee_id: UUID


@strawberry.type
class HireEmployeeSuccess(EmployeeChanged): ...


@strawberry.type(description="Salariés embauchés, dans l'ordre des lignes reçues.")
class HireEmployeesSuccess:
    employee_ids: list[UUID]

    @field(description="Les salariés à la date de validité (par défaut aujourd'hui).")
    async def employees(self, info: GraphQLInfo, valid_on: ValidOn = None) -> list[Employee]:
        return await load_employees(info, self.employee_ids, valid_on, None)

    @classmethod
    def read(cls, services: Services, results: tuple[CommandResult, ...]) -> Self:
        return cls(employee_ids=[result.aggregate_id for result in results])


@strawberry.type
class CorrectIdentitySuccess(EmployeeChanged): ...


@strawberry.type
class AmendContractSuccess(EmployeeChanged): ...


@strawberry.type
class CorrectContractSuccess(EmployeeChanged): ...


@strawberry.type
class CloseContractSuccess(EmployeeChanged): ...


@strawberry.type
class RehireEmployeeSuccess(EmployeeChanged): ...


@strawberry.type
class EraseIdentitySuccess(EmployeeChanged): ...


HireEmployeeResult = Annotated[
    HireEmployeeSuccess | Failure, strawberry.union("HireEmployeeResult")
]
HireEmployeesResult = Annotated[
    HireEmployeesSuccess | Failure, strawberry.union("HireEmployeesResult")
]
CorrectIdentityResult = Annotated[
    CorrectIdentitySuccess | Failure, strawberry.union("CorrectIdentityResult")
]
AmendContractResult = Annotated[
    AmendContractSuccess | Failure, strawberry.union("AmendContractResult")
]
CorrectContractResult = Annotated[
    CorrectContractSuccess | Failure, strawberry.union("CorrectContractResult")
]
CloseContractResult = Annotated[
    CloseContractSuccess | Failure, strawberry.union("CloseContractResult")
]
RehireEmployeeResult = Annotated[
    RehireEmployeeSuccess | Failure, strawberry.union("RehireEmployeeResult")
]
EraseIdentityResult = Annotated[
    EraseIdentitySuccess | Failure, strawberry.union("EraseIdentityResult")
]


@strawberry.type
class EmploymentMutations:
    @mutation(
        "Embaucher un salarié.",
        CHANGES_WORKFORCE,
    )
    async def hire_employee(
        self, info: GraphQLInfo, input: HireEmployeeInput
    ) -> HireEmployeeResult:
        return await send(
            info,
            input,
            HireEmployee(
                member_id=input.member_id,
                identity=input.identity.to_domain(),
                hire_date=input.hire_date,
                terms=input.terms.to_domain(),
            ),
            HireEmployeeSuccess.read,
        )

    @mutation(
        "Embaucher plusieurs salariés en une fois (import).",
        CHANGES_WORKFORCE,
    )
    async def hire_employees(
        self, info: GraphQLInfo, input: HireEmployeesInput
    ) -> HireEmployeesResult:
        return await send(
            info,
            input,
            HireEmployees(
                member_id=input.member_id, hires=[hire.to_domain() for hire in input.hires]
            ),
            HireEmployeesSuccess.read,
        )

    @mutation(
        "Corriger l'état civil d'un salarié.",
        CHANGES_WORKFORCE,
    )
    async def correct_identity(
        self, info: GraphQLInfo, input: CorrectIdentityInput
    ) -> CorrectIdentityResult:
        return await send(
            info,
            input,
            CorrectIdentity(employee_id=input.employee_id, identity=input.identity.to_domain()),
            CorrectIdentitySuccess.read,
        )

    @mutation(
        "Modifier le contrat à compter d'une date (avenant).",
        CHANGES_WORKFORCE,
    )
    async def amend_contract(
        self, info: GraphQLInfo, input: AmendContractInput
    ) -> AmendContractResult:
        return await send(
            info,
            input,
            AmendContract(
                employee_id=input.employee_id,
                terms=input.terms.to_domain(),
                effective_on=input.effective_on,
            ),
            AmendContractSuccess.read,
        )

    @mutation(
        "Corriger le contrat en cours (erreur de saisie).",
        CHANGES_WORKFORCE,
    )
    async def correct_contract(
        self, info: GraphQLInfo, input: CorrectContractInput
    ) -> CorrectContractResult:
        return await send(
            info,
            input,
            CorrectContract(
                employee_id=input.employee_id,
                hire_date=input.hire_date,
                terms=input.terms.to_domain(),
            ),
            CorrectContractSuccess.read,
        )

    @mutation(
        "Sortie du salarié : clôturer son contrat.",
        CHANGES_WORKFORCE,
    )
    async def close_contract(
        self, info: GraphQLInfo, input: CloseContractInput
    ) -> CloseContractResult:
        return await send(
            info,
            input,
            CloseContract(
                employee_id=input.employee_id, last_day=input.last_day, reason=input.reason
            ),
            CloseContractSuccess.read,
        )

    @mutation(
        "Réembaucher un ancien salarié (nouveau contrat).",
        CHANGES_WORKFORCE,
    )
    async def rehire_employee(
        self, info: GraphQLInfo, input: RehireEmployeeInput
    ) -> RehireEmployeeResult:
        return await send(
            info,
            input,
            RehireEmployee(
                employee_id=input.employee_id,
                hire_date=input.hire_date,
                terms=input.terms.to_domain(),
            ),
            RehireEmployeeSuccess.read,
        )

    @mutation(
        "Droit à l'effacement : détruire l'état civil du salarié.",
        SERVICE,
    )
    async def erase_identity(
        self, info: GraphQLInfo, input: EraseIdentityInput
    ) -> EraseIdentityResult:
        return await send(
            info,
            input,
            EraseIdentity(employee_id=input.employee_id),
            EraseIdentitySuccess.read,
        )

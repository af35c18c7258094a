"""Mutations of employees' employment: hires (one or many), identity, contracts, erasure."""

from datetime import date
from typing import Self
from uuid import UUID

import strawberry

from api.commands import ChangeInput, CommandInput
from api.context import GraphQLInfo
from api.decorators import field
from api.enums import ContractType, ExitReason
from api.inputs import (
    CONFIRM_HOMONYM,
    ContractTermsInput,
    IdentityInput,
    NewHireInput,
    optional,
)
from api.message_mutations import answer, own_success, sends
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
from domain.identifiers import PcsCode
from domain.workforce.employment import AMENDABLE_TERMS, TermsAmendment


@strawberry.input
class HireEmployeeInput(CommandInput):
    member_id: UUID
    identity: IdentityInput
    hire_date: date
    terms: ContractTermsInput
    confirm_homonym: bool = strawberry.field(default=False, description=CONFIRM_HOMONYM)


@strawberry.input(description="Embauche groupée (import) : tous les salariés, ou aucun.")
class HireEmployeesInput(CommandInput):
    member_id: UUID
    hires: list[NewHireInput]


@strawberry.input
class CorrectIdentityInput(ChangeInput):
    employee_id: UUID
    identity: IdentityInput


@strawberry.input(
    description="Conditions que change un avenant : une condition absente reste telle qu'elle"
    " était ; une condition facultative mise à null est effacée."
)
class ContractAmendmentInput:
    job_title: str | None = strawberry.UNSET
    contract_type: ContractType | None = strawberry.UNSET
    pcs_code: str | None = strawberry.UNSET
    branch_code: str | None = strawberry.UNSET
    trial_end: date | None = strawberry.UNSET
    planned_end: date | None = strawberry.UNSET

    def to_domain(self) -> TermsAmendment:
        given = {
            name: getattr(self, name)
            for name in AMENDABLE_TERMS
            if getattr(self, name) is not strawberry.UNSET
        }
        cleared = tuple(name for name, value in given.items() if value in (None, ""))
        values = {name: value for name, value in given.items() if name not in cleared}
        if "pcs_code" in values:
            values["pcs_code"] = optional(PcsCode, values["pcs_code"], "pcs_code")
        return TermsAmendment(**values, cleared=cleared)


@strawberry.input(description="Avenant : nouvelles conditions à compter d'une date.")
class AmendContractInput(ChangeInput):
    employee_id: UUID
    terms: ContractAmendmentInput
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
class EmploymentMutations:
    hire_employee = sends(
        HireEmployee,
        HireEmployeeInput,
        own_success(EmployeeChanged, "HireEmployee"),
        "Embaucher un salarié.",
        CHANGES_WORKFORCE,
    )
    hire_employees = sends(
        HireEmployees,
        HireEmployeesInput,
        answer("HireEmployeesResult", HireEmployeesSuccess, HireEmployeesSuccess.read),
        "Embaucher plusieurs salariés en une fois (import).",
        CHANGES_WORKFORCE,
    )
    correct_identity = sends(
        CorrectIdentity,
        CorrectIdentityInput,
        own_success(EmployeeChanged, "CorrectIdentity"),
        "Corriger l'état civil d'un salarié.",
        CHANGES_WORKFORCE,
    )
    amend_contract = sends(
        AmendContract,
        AmendContractInput,
        own_success(EmployeeChanged, "AmendContract"),
        "Modifier le contrat à compter d'une date (avenant).",
        CHANGES_WORKFORCE,
    )
    correct_contract = sends(
        CorrectContract,
        CorrectContractInput,
        own_success(EmployeeChanged, "CorrectContract"),
        "Corriger le contrat en cours (erreur de saisie).",
        CHANGES_WORKFORCE,
    )
    close_contract = sends(
        CloseContract,
        CloseContractInput,
        own_success(EmployeeChanged, "CloseContract"),
        "Sortie du salarié : clôturer son contrat.",
        CHANGES_WORKFORCE,
    )
    rehire_employee = sends(
        RehireEmployee,
        RehireEmployeeInput,
        own_success(EmployeeChanged, "RehireEmployee"),
        "Réembaucher un ancien salarié (nouveau contrat).",
        CHANGES_WORKFORCE,
    )
    erase_identity = sends(
        EraseIdentity,
        EraseIdentityInput,
        own_success(EmployeeChanged, "EraseIdentity"),
        "Droit à l'effacement : détruire l'état civil du salarié.",
        SERVICE,
    )

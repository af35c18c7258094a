"""Correction de l'identité, modification et clôture du contrat, réembauche."""

from datetime import date
from uuid import UUID

from pytest_bdd import scenarios, then, when
from pytest_bdd import step as given_or_when

from application.registre import Registre
from application.workforce.commands import CloseContract, RehireEmployee
from domain.workforce.employment import ContractTerms, ContractType, ExitReason
from features.steps.vocabulary import EMPLOYER, Answer, phrase, request_by

scenarios("correction_et_sortie.feature")


@given_or_when(
    phrase(
        "l'employeur clôture le contrat, dernier jour le {last_day:Date},"
        " motif « {reason:ExitReason} »"
    )
)
def close_contract(
    registre: Registre, answer: Answer, employee_id: UUID, last_day: date, reason: ExitReason
) -> None:
    request = request_by(EMPLOYER, {})
    answer.submit(
        lambda: registre.handle(
            request, CloseContract(employee_id=employee_id, last_day=last_day, reason=reason)
        )
    )


@when(
    phrase(
        "l'employeur la réembauche en {contract:Contract} le {hire_date:Date}{planned_end:Until}"
        " au poste « {job_title} »"
    )
)
def rehire(  # noqa: PLR0917
    registre: Registre,
    answer: Answer,
    employee_id: UUID,
    contract: ContractType,
    hire_date: date,
    planned_end: date | None,
    job_title: str,
) -> None:
    request = request_by(EMPLOYER, {})
    terms = ContractTerms(job_title, contract, planned_end=planned_end)
    answer.submit(
        lambda: registre.handle(
            request, RehireEmployee(employee_id=employee_id, hire_date=hire_date, terms=terms)
        )
    )


@then(phrase("la salariée a eu {count:d} contrats, sur la même fiche"))
def contracts(registre: Registre, answer: Answer, employee_id: UUID, count: int) -> None:
    assert answer.result is not None
    assert answer.result.aggregate_id == employee_id
    assert len(registre.employee(employee_id).contracts) == count

"""Catégorie de suivi individuel (SI, SIA, SIR) selon les déterminants déclarés."""

from datetime import date
from uuid import UUID

from pytest_bdd import scenarios, then, when

from application.registre import Registre
from application.workforce.commands import DeclareDeterminant, WithdrawDeterminant
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from features.steps.vocabulary import EMPLOYER, Answer, phrase, request_by

scenarios("suivi.feature")


@when(phrase("l'employeur déclare le déterminant « {determinant:Determinant} » {period:Period}"))
def declare_determinant(
    registre: Registre,
    answer: Answer,
    employee_id: UUID,
    determinant: FollowUpDeterminant,
    period: tuple[date, date | None],
) -> None:
    """Declared from the first day; a period with an end is then withdrawn after its last day."""
    started_on, last_day = period
    declaring, withdrawing = request_by(EMPLOYER, {}), request_by(EMPLOYER, {})
    declared = answer.submit(
        lambda: registre.handle(
            declaring,
            DeclareDeterminant(
                employee_id=employee_id, determinant=determinant, started_on=started_on
            ),
        )
    )
    if declared is not None and last_day is not None:
        determinant_id = declared.created_id
        assert determinant_id is not None
        answer.submit(
            lambda: registre.handle(
                withdrawing,
                WithdrawDeterminant(
                    employee_id=employee_id, determinant_id=determinant_id, last_day=last_day
                ),
            )
        )
    assert answer.refusal is None, answer.refusal


@then(phrase("le {day:Date}, la salariée relève du suivi {follow_up:FollowUp}"))
def follow_up(registre: Registre, employee_id: UUID, day: date, follow_up: FollowUp) -> None:
    assert registre.employee(employee_id).follow_up_on(day).category is follow_up


@then(phrase("le {day:Date}, une visite avant l'affectation {required:Required}"))
def visit_before_assignment(
    registre: Registre, employee_id: UUID, day: date, required: bool
) -> None:
    assert registre.employee(employee_id).follow_up_on(day).visit_before_assignment is required

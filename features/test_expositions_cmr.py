"""Expositions d'un salarié aux agents CMR (décret n° 2024-307)."""

from datetime import date
from uuid import UUID

from pytest_bdd import scenarios, then, when
from pytest_bdd import step as given_or_when

from application.registre import Registre
from application.workforce.commands import EndExposure, RecordExposure, WithdrawExposure
from domain.identifiers import CasNumber
from domain.workforce.health import AgentKind, CmrAgent
from features.steps.vocabulary import EMPLOYER, Answer, phrase, request_by

scenarios("expositions_cmr.feature")


@given_or_when(
    phrase(
        "l'employeur déclare une exposition à la substance « {name} »{cas:Cas},"
        " à partir du {started_on:Date}"
    ),
    target_fixture="exposure_id",
)
def record_exposure(  # noqa: PLR0917
    registre: Registre,
    answer: Answer,
    employee_id: UUID,
    name: str,
    cas: str | None,
    started_on: date,
) -> int | None:
    request = request_by(EMPLOYER, {})
    result = answer.submit(
        lambda: registre.handle(
            request,
            RecordExposure(
                employee_id=employee_id,
                agent=CmrAgent(AgentKind.SUBSTANCE, name, CasNumber(cas) if cas else None),
                started_on=started_on,
            ),
        )
    )
    return result.created_id if result else None


@when(phrase("l'employeur met fin à cette exposition, dernier jour le {last_day:Date}"))
def end_exposure(
    registre: Registre, answer: Answer, employee_id: UUID, exposure_id: int, last_day: date
) -> None:
    request = request_by(EMPLOYER, {})
    answer.submit(
        lambda: registre.handle(
            request,
            EndExposure(employee_id=employee_id, exposure_id=exposure_id, last_day=last_day),
        )
    )


@when(phrase("l'employeur retire cette exposition, saisie par erreur : « {error_note} »"))
def withdraw_exposure(
    registre: Registre, answer: Answer, employee_id: UUID, exposure_id: int, error_note: str
) -> None:
    request = request_by(EMPLOYER, {})
    answer.submit(
        lambda: registre.handle(
            request,
            WithdrawExposure(
                employee_id=employee_id, exposure_id=exposure_id, error_note=error_note
            ),
        )
    )


@then(phrase("le {day:Date}, la salariée {exposed_to:ExposedTo}"))
def exposures_on(registre: Registre, employee_id: UUID, day: date, exposed_to: str | None) -> None:
    shown = [
        f"{exposure.agent.name} (CAS {exposure.agent.cas_number})"
        for exposure in registre.employee(employee_id).exposures_on(day)
    ]
    assert shown == ([exposed_to] if exposed_to else [])


@then(phrase("l'exposition au « {name} » figure toujours sur la fiche, marquée comme retirée"))
def withdrawn_exposure_kept(
    registre: Registre, employee_id: UUID, exposure_id: int, name: str
) -> None:
    exposures = registre.employee(employee_id).exposures or ()
    kept = next(exposure for exposure in exposures if exposure.exposure_id == exposure_id)
    assert kept.agent.name == name
    assert kept.withdrawn

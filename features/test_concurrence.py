"""Conflits entre deux utilisateurs, et demandes renvoyées (idempotence)."""

from uuid import UUID

from pytest_bdd import given, scenarios, then, when

from application.registre import Registre
from application.requests import CommandResult
from domain.errors import Conflict
from features.steps.vocabulary import Answer, phrase

scenarios("concurrence.feature")


@given(
    phrase("{first:Who} et {second:Who} ouvrent la fiche de la salariée"),
    target_fixture="opened_versions",
)
def open_record(registre: Registre, employee_id: UUID, first: str, second: str) -> dict[str, int]:
    version = registre.employee(employee_id).version
    return {first: version, second: version}


@when(
    "le portail renvoie la même demande, avec le même identifiant de requête",
    target_fixture="first_result",
)
def resend(answer: Answer) -> CommandResult | None:
    first = answer.result
    answer.resend()
    return first


@then("la réponse est celle de la première demande")
def same_answer(answer: Answer, first_result: CommandResult) -> None:
    assert answer.refusal is None, answer.refusal
    assert answer.result == first_result


@then("le refus donne la version actuelle de la fiche")
def conflict_gives_version(registre: Registre, answer: Answer, employee_id: UUID) -> None:
    assert isinstance(answer.refusal, Conflict)
    assert answer.refusal.current_version == registre.employee(employee_id).version

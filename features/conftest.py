"""Fixtures and steps shared by the specs: the adhérent, the salariée, the answers of the portal.

Each spec module (`test_*.py`) binds its feature file and holds the steps only it uses.

The service's clock starts at `service_instant`: now, or, for the scenarios tagged
`@toute_heure` (those whose outcome depends on the day), at each instant of `EDGE_INSTANTS` in
turn, where the UTC day is not the Paris day, a year ends, or the legal time changes.
"""

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from pytest_bdd import given, then
from pytest_bdd import step as given_or_when
from pytest_bdd.parser import Step

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import AmendContract, CorrectIdentity, HireEmployee
from domain.calendar import PARIS, SYSTEM_CLOCK, SetClock
from domain.workforce.employment import ContractTerms, ContractType, Sex
from features.steps.vocabulary import (
    EMPLOYER,
    EVENT_LABELS,
    Answer,
    Person,
    phrase,
    request_by,
)
from storage.settings import StoreSettings

DECLARANT_NUMBER = "12345678"
AT_ANY_HOUR = "toute_heure"
EDGE_INSTANTS = {
    "31-12-23h30-UTC": datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # 1 January 00:30 in Paris
    "31-12-00h30-Paris": datetime(2026, 12, 31, 0, 30, tzinfo=PARIS),  # still 30/12 in UTC
    "heure-d-ete": datetime(2027, 3, 28, 0, 30, tzinfo=UTC),  # 01:30, the night clocks go on
    "heure-d-hiver": datetime(2027, 10, 31, 0, 30, tzinfo=UTC),  # 02:30, the night they go back
}
"""Instants after every date the specs write (2025, 2026), so each scenario reads the same."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{AT_ANY_HOUR}: the scenario also runs with the clock at each edge instant"
    )


def pytest_bdd_apply_tag(tag: str, function: Callable[..., Any]) -> Callable[..., Any] | None:
    """`@toute_heure` also makes the scenario ask for `service_instant` (pytest-bdd asks for the
    steps' fixtures only while it runs), so that it can be parametrised below."""
    if tag != AT_ANY_HOUR:
        return None
    marked: Callable[..., Any] = pytest.mark.usefixtures("service_instant")(function)
    return getattr(pytest.mark, AT_ANY_HOUR)(marked)  # type: ignore[no-any-return]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker(AT_ANY_HOUR):
        instants = {"maintenant": None, **EDGE_INSTANTS}
        metafunc.parametrize("service_instant", list(instants.values()), ids=list(instants))


@pytest.fixture
def service_instant() -> datetime | None:
    """Where the service's clock stands when the scenario starts (None: now)."""
    return None


@pytest.fixture
def registre(sqlite_store: StoreSettings, service_instant: datetime | None) -> Iterator[Registre]:
    clock = SYSTEM_CLOCK if service_instant is None else SetClock(service_instant)
    application = Registre(sqlite_store, clock=clock)
    yield application
    application.close()


@pytest.fixture
def answer(registre: Registre) -> Answer:
    return Answer(registre)


@pytest.fixture
def opened_versions() -> dict[str, int]:
    """The version of the salariée's record each user has opened (none until they open it)."""
    return {}


def pytest_bdd_after_step(request: pytest.FixtureRequest, step: Step) -> None:
    """A "Soit" describes the situation: the portal must have accepted it."""
    if step.type == "given" and "answer" in request.fixturenames:
        refusal = request.getfixturevalue("answer").refusal
        if refusal is not None:
            pytest.fail(f"« {step.name} » a été refusé : {refusal.code} — {refusal.message}")


# Situation ------------------------------------------------------------------------------------


@given(
    phrase("l'adhérent « {member_code} », raison sociale « {legal_name} »"),
    target_fixture="member_id",
)
def member(registre: Registre, member_code: str, legal_name: str) -> UUID:
    result = registre.handle(
        Request(f"register-{member_code}"),
        RegisterMember(
            member_code=member_code, declarant_number=DECLARANT_NUMBER, legal_name=legal_name
        ),
    )
    return result.aggregate_id


@given(
    phrase(
        "la personne {first_name} {birth_name}, {sex:Born} le {birth_date:Date}, de NIR « {nir} »"
    ),
    target_fixture="person",
)
def person(first_name: str, birth_name: str, sex: Sex, birth_date: date, nir: str) -> Person:
    return Person(first_name, birth_name, birth_date, sex, nir)


# Commands -------------------------------------------------------------------------------------


@given_or_when(
    phrase(
        "l'employeur l'embauche en {contract:Contract} le {hire_date:Date}{planned_end:Until}"
        " au poste « {job_title} »"
    ),
    target_fixture="employee_id",
)
def hire(  # noqa: PLR0917
    registre: Registre,
    answer: Answer,
    member_id: UUID,
    person: Person,
    contract: ContractType,
    hire_date: date,
    planned_end: date | None,
    job_title: str,
) -> UUID | None:
    request = request_by(EMPLOYER, {})
    terms = ContractTerms(job_title, contract, planned_end=planned_end)
    result = answer.submit(
        lambda: registre.handle(
            request,
            HireEmployee(
                member_id=member_id, identity=person.identity(), hire_date=hire_date, terms=terms
            ),
        )
    )
    return result.aggregate_id if result else None


@given_or_when(phrase("{who:Who} corrige le {field:IdentityField} de la salariée en « {value} »"))
def correct_identity(  # noqa: PLR0917
    registre: Registre,
    answer: Answer,
    opened_versions: dict[str, int],
    employee_id: UUID,
    who: str,
    field: str,
    value: str,
) -> None:
    """A typo in the identity: the record is corrected as if it had always been so."""
    request = request_by(who, opened_versions)
    identity = registre.employee(employee_id).identity
    assert identity is not None
    corrected = replace(identity, **{field: value})
    answer.submit(
        lambda: registre.handle(
            request, CorrectIdentity(employee_id=employee_id, identity=corrected)
        )
    )


@given_or_when(
    phrase("{who:Who} modifie le contrat à compter du {effective_on:Date} : poste « {job_title} »")
)
def amend_contract(  # noqa: PLR0917
    registre: Registre,
    answer: Answer,
    opened_versions: dict[str, int],
    employee_id: UUID,
    who: str,
    effective_on: date,
    job_title: str,
) -> None:
    """A real change of the contract (new post), effective from a date on."""
    request = request_by(who, opened_versions)
    terms = replace(registre.employee(employee_id).contract.terms, job_title=job_title)
    answer.submit(
        lambda: registre.handle(
            request, AmendContract(employee_id=employee_id, terms=terms, effective_on=effective_on)
        )
    )


# Outcomes -------------------------------------------------------------------------------------


@then("la modification est enregistrée")
def saved(answer: Answer) -> None:
    assert answer.refusal is None, answer.refusal
    assert answer.new_events > 0


@then(phrase("la demande est refusée avec le code {code}"))
def refused(answer: Answer, code: str) -> None:
    assert answer.refusal is not None, "la demande a été acceptée"
    assert answer.refusal.code == code
    assert answer.refusal.message.strip(), "le refus doit s'expliquer à l'utilisateur"


@then(phrase("le message affiché contient « {excerpt} »"))
def message_says(answer: Answer, excerpt: str) -> None:
    assert answer.refusal is not None
    assert excerpt in answer.refusal.message


@then("rien n'est enregistré")
def nothing_saved(answer: Answer) -> None:
    assert answer.new_events == 0


@then("l'historique de la salariée est :")
def history(registre: Registre, employee_id: UUID, datatable: list[list[str]]) -> None:
    """The events of the record, oldest first, under their French names."""
    names = [type(event).__name__ for event in registre.events.get(employee_id)]
    assert [EVENT_LABELS.get(name, name) for name in names] == [row[0] for row in datatable]


@then(phrase("la salariée {active:Is} active le {day:Date}"))
def activity(registre: Registre, employee_id: UUID, active: bool, day: date) -> None:
    assert registre.employee(employee_id).is_active_on(day) is active


@then(phrase("le poste de la salariée est « {job_title} » le {day:Date}"))
def job_on(registre: Registre, employee_id: UUID, job_title: str, day: date) -> None:
    contract = registre.employee(employee_id).contract_on(day)
    assert contract is not None, "aucun contrat en cours à cette date"
    assert contract.terms_on(day).job_title == job_title


@then(phrase("le {field:IdentityField} de la salariée est « {value} »"))
def identity_field(registre: Registre, employee_id: UUID, field: str, value: str) -> None:
    identity = registre.employee(employee_id).identity
    assert identity is not None
    assert getattr(identity, field) == value

"""Confirmation composes its frozen copy through the application's own port, without the API:
an application given the read side's composer (`DeclaredSources`) confirms a declaration with
the real composition of everything declared; one given no composer refuses and records nothing.
"""

import json
from datetime import date
from uuid import UUID

import pytest

from application.declaration.commands import ConfirmDeclaration
from application.registre import Registre
from contexts import READ_MODELS
from domain.declaration.composed import content_hash
from domain.declaration.steps import DeclarationStatus
from domain.errors import RuleViolation
from projections.declaration.declarations import DeclarationQueries
from projections.declaration.declared import DeclaredSources
from projections.members.members import MemberDirectoryQueries
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.workforce.exposures import CmrExposureQueries
from projections.workforce.headcount import HeadcountQueries
from projections.workforce.workforce_queries import WorkforceQueries
from tests.integration.test_application import hire
from tests.integration.test_declarations_read_model import (
    REQUIRED,
    a_request,
    complete,
    open_campaign,
    register,
)


@pytest.fixture
def runner(app: Registre, read_store: ReadStore) -> ProjectionRunner:
    projection_runner = ProjectionRunner(app, read_store, READ_MODELS)
    projection_runner.setup()
    return projection_runner


@pytest.fixture
def generations(read_store: ReadStore) -> ActiveGenerations:
    return ActiveGenerations(read_store, refresh_seconds=0)


@pytest.fixture
def composer(
    read_store: ReadStore, generations: ActiveGenerations, runner: ProjectionRunner
) -> DeclaredSources:
    return DeclaredSources(
        MemberDirectoryQueries(read_store, generations),
        WorkforceQueries(read_store, generations),
        HeadcountQueries(read_store, generations),
        CmrExposureQueries(read_store, generations),
        runner.catch_up,
    )


def ready_to_confirm(app: Registre) -> tuple[UUID, int]:
    """A member with one employee, every required step of last year's declaration complete
    (its campaign opened on a past day, whatever the day, and is still open)."""
    year = app.today().year - 1
    open_campaign(app, year)
    member_id = register(app)
    hire(app, member_id, hire_date=date(year - 1, 9, 1))
    complete(app, member_id, year, *REQUIRED)
    return member_id, year


def test_the_application_confirms_with_the_read_sides_composition(
    app: Registre,
    composer: DeclaredSources,
    runner: ProjectionRunner,
    read_store: ReadStore,
    generations: ActiveGenerations,
) -> None:
    app.compose_declarations_with(composer)
    member_id, year = ready_to_confirm(app)

    result = app.handle(a_request(), ConfirmDeclaration(member_id=member_id, year=year))

    runner.catch_up()
    (confirmation,) = DeclarationQueries(read_store, generations).confirmations(member_id, year)
    assert confirmation.declaration_id == result.aggregate_id
    opened = DeclarationQueries(read_store, generations).opened(confirmation)
    assert opened is not None
    copy = json.loads(opened)
    assert (copy["year"], copy["edition"]) == (year, 1)
    assert copy["member"]["legal_name"] == "Boulangérie du Parc"
    assert [e["first_name"] for e in copy["workforce"]] == ["Marie"], "composed by the composer"
    assert copy["declaration"]["risks"] == ["noise"]
    assert copy["recap"]["declared_headcount"] == 1
    assert confirmation.content_hash == content_hash(confirmation.frozen)
    declaration = app.declaration(member_id, year, a_request())
    assert declaration.status is DeclarationStatus.CONFIRMED


def test_a_retried_confirmation_is_answered_with_the_first_result(
    app: Registre, composer: DeclaredSources
) -> None:
    app.compose_declarations_with(composer)
    member_id, year = ready_to_confirm(app)
    request = a_request()

    first = app.handle(request, ConfirmDeclaration(member_id=member_id, year=year))
    retried = app.handle(request, ConfirmDeclaration(member_id=member_id, year=year))

    assert retried == first
    with pytest.raises(RuleViolation):
        app.handle(a_request(), ConfirmDeclaration(member_id=member_id, year=year))


def test_an_application_given_no_composer_confirms_nothing(app: Registre) -> None:
    member_id, year = ready_to_confirm(app)
    before = app.declaration(member_id, year, a_request()).version

    with pytest.raises(RuntimeError, match="no declaration composer"):
        app.handle(a_request(), ConfirmDeclaration(member_id=member_id, year=year))

    assert app.declaration(member_id, year, a_request()).version == before

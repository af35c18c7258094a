"""The steps of `effacement.feature`: an employee named and declared, erased, then searched for
everywhere the service keeps data (`tests.api.erasure_everywhere`), on the API over SQLite."""

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from pytest_bdd import given, parsers, then, when

from api.services import Services
from contexts import create_app, open_services
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.erasure_everywhere import (
    BIRTH_NAME,
    Story,
    cmr_list,
    declared_copy,
    erase,
    found_by_name,
    named_and_declared,
    traces,
)
from tests.api.sessions import STAFF_EMAIL, MovableClock, open_service_account, sign_in


@pytest.fixture
def erasure_services(sqlite_store: StoreSettings, tmp_path: Path) -> Iterator[Services]:
    mailer = OutboxMailer(tmp_path / "outbox")
    opened = open_services(sqlite_store, run_projections=True, mailer=mailer, clock=MovableClock())
    opened.test_mailer = mailer  # type: ignore[attr-defined]
    yield opened
    opened.close()


@pytest.fixture
def erasure_client(erasure_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(erasure_services)) as client:
        open_service_account(erasure_services, STAFF_EMAIL)
        sign_in(client, erasure_services.test_mailer, STAFF_EMAIL)  # type: ignore[attr-defined]
        yield client


@given(
    parsers.re(
        r"Séraphine DUPONT, née le 14/05/1990, exposée au « Trichloréthylène », est nommée"
        r" dans la déclaration confirmée de son employeur"
    ),
    target_fixture="story",
)
def a_named_employee(
    erasure_client: TestClient, erasure_services: Services, caplog: pytest.LogCaptureFixture
) -> Story:
    caplog.set_level(logging.DEBUG)
    story = named_and_declared(erasure_client, erasure_services)
    assert BIRTH_NAME.upper() in declared_copy(erasure_client, story)
    return story


@given(parsers.parse("le service la trouve en cherchant « {search} »"))
def found_with(erasure_client: TestClient, story: Story, search: str) -> None:
    assert found_by_name(erasure_client, story, search) == [str(story.employee_id)]


@when("le service efface son identité")
def erased(erasure_services: Services, story: Story) -> None:
    erase(erasure_services, story)


@then(
    "ni son nom, ni son prénom, ni sa date de naissance, ni son NIR ne se trouvent plus dans"
    " aucune table, aucun événement, aucun document, aucun courrier ni aucun journal"
)
def found_nowhere(erasure_services: Services, caplog: pytest.LogCaptureFixture) -> None:
    assert traces(erasure_services, caplog.text) == []


@then(parsers.parse("la recherche « {search} » ne trouve plus personne"))
def nobody_found_with(erasure_client: TestClient, story: Story, search: str) -> None:
    assert found_by_name(erasure_client, story, search) == []


@then("la déclaration confirmée ne la nomme plus")
def named_by_no_declaration(erasure_client: TestClient, story: Story) -> None:
    assert BIRTH_NAME.upper() not in declared_copy(erasure_client, story)


@then(parsers.parse("la liste CMR garde son exposition au « {agent} », sans nom"))
def kept_by_law(erasure_client: TestClient, story: Story, agent: str) -> None:
    assert cmr_list(erasure_client, story) == [
        {"employeeId": str(story.employee_id), "agentName": agent, "birthName": None}
    ]


__all__ = ["erasure_client", "erasure_services"]
__all__ += [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]
"""The fixtures, and the step definitions, whose names pytest-bdd makes."""

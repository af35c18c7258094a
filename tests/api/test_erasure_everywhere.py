"""An erased employee disappears from every place the service keeps data (docs/PERSONAL_DATA.md)
but from what the law keeps: the exposures and follow-up, pseudonymised, for 40 years."""

import logging

import pytest
from litestar.testing import TestClient

from api.services import Services
from tests.api.erasure_everywhere import (
    AGENT,
    BIRTH_NAME,
    cmr_list,
    declared_copy,
    erase,
    found_by_name,
    named_and_declared,
    tables_holding,
    traces,
)


def test_an_erased_employee_is_found_nowhere_but_in_what_the_law_keeps(
    client: TestClient, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    story = named_and_declared(client, services)
    assert found_by_name(client, story, "dup") == [str(story.employee_id)]
    assert found_by_name(client, story, "SERAPHINE dupont") == [str(story.employee_id)]
    assert BIRTH_NAME.upper() in declared_copy(client, story)
    assert traces(services, caplog.text, opening_events=False) == [], "sealed, even before"
    assert {"members_g1_members", "declarations_g1_confirmations"} <= tables_holding(
        services, "Boulangérie du Parc"
    ), "the search reads the read tables (the member's name is no person's)"

    erase(services, story)

    assert traces(services, caplog.text) == []
    assert found_by_name(client, story, "dup") == []
    assert BIRTH_NAME.upper() not in declared_copy(client, story)
    (kept,) = cmr_list(client, story)
    assert kept == {
        "employeeId": str(story.employee_id),
        "agentName": AGENT.name,
        "birthName": None,
    }

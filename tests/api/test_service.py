"""The API as a service: committed SDL, a mutation per command, limits, masked errors, /health,
and the plain JSON baseline."""

import logging
from pathlib import Path

import pytest
from litestar.testing import TestClient

from api.schema import MAX_DEPTH
from api.services import Services
from contexts import COMMANDS, READ_MODELS, SCHEMA, create_app_from_environment
from contexts.export_schema import SDL_PATH, sdl
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.graphql_client import data, graphql, hire, register_member
from tests.api.sessions import STAFF_EMAIL, open_service_account, sign_in


def test_the_committed_sdl_is_up_to_date() -> None:
    assert Path(SDL_PATH).read_text(encoding="utf-8") == sdl(), (
        "api/schema.graphql is out of date: run `python -m contexts.export_schema`"
    )


def command_names() -> set[str]:
    """The public commands of the bounded contexts: their messages."""
    return {message.command_name() for message in COMMANDS}


def test_every_command_of_the_application_has_its_mutation() -> None:
    mutation_type = SCHEMA.get_type_by_name("Mutation")
    assert mutation_type is not None
    mutations = {field.python_name for field in mutation_type.fields}  # type: ignore[union-attr]

    recorded_by_the_sign_in_steps = {"record_login", "record_failed_login", "record_logout"}
    sent_by_the_billing_processes = {
        "issue_contribution_invoice",
        "issue_contribution_invoices",
        "issue_membership_invoice",
        "bill_lost_discount",
        "issue_no_show_invoice",
    }
    sent_by_the_retention_process = {"end_account_retention"}
    access_steps = {
        "request_login_code",
        "login_with_code",
        "login_with_password",
        "request_password_reset",
        "logout",
        "switch_member",
        "choose_my_notifications",
        "open_service_account",
    }

    internal = recorded_by_the_sign_in_steps | sent_by_the_billing_processes | {"open_account"}
    internal |= sent_by_the_retention_process
    assert command_names() - internal == (mutations - access_steps)
    assert len(mutations) == 126


def test_a_query_deeper_than_the_limit_is_refused_before_running(client: TestClient) -> None:
    nested = "id"
    for _ in range(MAX_DEPTH):
        nested = f"edges {{ node {{ {nested} }} }}"
    query = f'{{ employees(memberId: "00000000-0000-0000-0000-000000000000") {{ {nested} }} }}'

    body = graphql(client, query)

    assert body.get("data") is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_validation_errors_stay_visible(client: TestClient) -> None:
    body = graphql(client, "{ member(id: 3) { nope } }")

    messages = " ".join(e["message"] for e in body["errors"])
    assert "nope" in messages
    assert "Erreur inattendue" not in messages


def test_an_unexpected_error_is_masked_and_logged_with_its_request_id(
    client: TestClient,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(member_code: str) -> None:
        raise RuntimeError("secret detail of the database")

    monkeypatch.setattr(services.members, "by_code", broken)

    with caplog.at_level(logging.ERROR, logger="api.schema"):
        body = graphql(client, '{ memberByCode(code: "00010") { id } }')

    (error,) = body["errors"]
    assert "secret" not in error["message"]
    assert error["extensions"]["code"] == "INTERNAL_ERROR"
    request_id = error["extensions"]["requestId"]
    assert any(request_id in record.getMessage() and record.exc_info for record in caplog.records)


def test_health_reports_the_store_and_each_read_model(client: TestClient) -> None:
    register_member(client)

    response = client.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body["storeReachable"] is True
    names = {p["name"]: p for p in body["projections"]}
    assert set(names) == {model.name for model in READ_MODELS}
    assert {"accounts", "audit", "declarations", "exposures", "invoices", "members"} <= set(names)
    assert all(p["lagEvents"] == 0 for p in names.values())


def test_health_is_503_when_the_store_is_unreachable(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(services, "check_store", unreachable)

    response = client.get("/health")

    assert response.status_code == 503
    assert response.json()["storeReachable"] is False


def test_the_plain_endpoint_answers_the_same_page_as_graphql(client: TestClient) -> None:
    member_id = register_member(client)
    for name in ("Alice", "Bruno", "Chloé"):
        hire(client, member_id, name, birth_name=name)
    query = """
    query($memberId: UUID!) {
      employees(memberId: $memberId, first: 2) { edges { node { id } } pageInfo { endCursor } }
    }"""

    page = data(client, query, {"memberId": member_id})["employees"]
    response = client.get("/plain/employees", params={"member": member_id, "first": 2})

    assert response.status_code == 200
    plain = response.json()
    assert [row["employeeId"] for row in plain["rows"]] == [
        edge["node"]["id"] for edge in page["edges"]
    ]
    assert (plain["hasNextPage"], plain["endCursor"]) == (True, page["pageInfo"]["endCursor"])


def test_the_app_from_the_environment_opens_its_services_at_start_up(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", store.url)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(store.data_dir))

    with TestClient(create_app_from_environment()) as client:
        open_service_account(client.app.state.services, STAFF_EMAIL)
        sign_in(client, OutboxMailer(store.data_dir / "outbox"), STAFF_EMAIL)
        member_id = register_member(client)
        found = data(client, "query($id: UUID!) { member(id: $id) { id } }", {"id": member_id})
        assert client.get("/health").status_code == 200

    assert found == {"member": {"id": member_id}}


def test_the_plain_endpoint_refuses_a_bad_cursor_with_400(client: TestClient) -> None:
    member_id = register_member(client)

    response = client.get("/plain/employees", params={"member": member_id, "after": "bad"})

    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_CURSOR"

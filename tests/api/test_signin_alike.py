"""The public operations of access answer a known e-mail as they answer an unknown one: the
same content, the same waits (a refusal does not wait for the read models), and a floor that
every answer but a successful sign-in is held to. The floor is checked with a stopped clock and
a recorded sleep, never timed."""

import dataclasses
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar.testing import TestClient

from api.accounts import access_mutations
from api.services import Services
from domain.actor import Actor
from messaging.mailer import OutboxMailer
from tests.account_ids import account_id
from tests.api.graphql_client import FAILURES, data
from tests.api.sessions import code_in, open_service_account

KNOWN = "agent@service-sante.fr"
UNKNOWN = "personne@ailleurs.example"
FLOOR = timedelta(milliseconds=400)
CODE_MAIL = "Votre code de connexion au portail adhérent"

OPERATIONS = {
    "requestLoginCode": "mutation($email: String!) { requestLoginCode(email: $email) {"
    f" __typename ... on MailSent {{ message }} {FAILURES} }} }}",
    "loginWithCode": "mutation($email: String!, $secret: String!) {"
    f" loginWithCode(email: $email, code: $secret) {{ __typename {FAILURES} }} }}",
    "loginWithPassword": "mutation($email: String!, $secret: String!) {"
    f" loginWithPassword(email: $email, password: $secret) {{ __typename {FAILURES} }} }}",
    "requestPasswordReset": "mutation($email: String!) { requestPasswordReset(email: $email) {"
    f" __typename ... on MailSent {{ message }} {FAILURES} }} }}",
    "resetPassword": "mutation($secret: String!) {"
    ' resetPassword(token: $secret, newPassword: "Un-Nouveau-Mot-2025") {'
    f" __typename {FAILURES} }} }}",
}


@pytest.fixture
def known(services: Services) -> UUID:
    """An account with a password, a code and a reset link pending; its id."""
    open_service_account(services, KNOWN)
    known_id = account_id(services.app, KNOWN)
    services.access.issue_password(known_id, Actor("test"))
    services.access.request_login_code(KNOWN, "192.0.2.1")
    services.access.request_password_reset(KNOWN, "192.0.2.1")
    return known_id


def wrong(operation: str, email: str, account: UUID | None = None) -> dict[str, str]:
    """The variables of a wrong try of `operation` for `email` (of id `account`, if known)."""
    if operation in {"requestLoginCode", "requestPasswordReset"}:
        return {"email": email}
    if operation == "resetPassword":
        return {"secret": f"{account or uuid4()}.{uuid4().hex}"}
    return {"email": email, "secret": "00000000"}


def pending_code(outbox: OutboxMailer) -> str:
    [mail] = [m for m in outbox.messages() if m["Subject"] == CODE_MAIL and m["To"] == KNOWN]
    return code_in(mail)


def answer(client: TestClient, operation: str, variables: dict[str, str]) -> Any:
    return data(client, OPERATIONS[operation], variables)[operation]


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits of the floor, with the clock stopped: each is the whole floor."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(access_mutations, "monotonic", lambda: 1000.0)
    monkeypatch.setattr(access_mutations, "sleep", sleep)
    return waits


@pytest.fixture
def floor(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataclasses.replace(services.access.settings, answer_floor=FLOOR)
    monkeypatch.setattr(services.access, "settings", settings)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_known_and_an_unknown_email_get_the_same_answer(
    anonymous_client: TestClient, known: UUID, operation: str
) -> None:
    on_known = answer(anonymous_client, operation, wrong(operation, KNOWN, known))
    on_unknown = answer(anonymous_client, operation, wrong(operation, UNKNOWN))

    assert on_known == on_unknown
    assert on_known["__typename"] in {"MailSent", "RuleViolationError"}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_answer_but_a_sign_in_is_held_to_the_floor_for_both(
    anonymous_client: TestClient, known: UUID, floor: None, slept: list[float], operation: str
) -> None:
    answer(anonymous_client, operation, wrong(operation, KNOWN, known))
    answer(anonymous_client, operation, wrong(operation, UNKNOWN))

    assert slept == pytest.approx([FLOOR.total_seconds()] * 2)


def test_a_successful_sign_in_is_not_held(
    anonymous_client: TestClient, outbox: OutboxMailer, known: UUID, floor: None, slept: list[float]
) -> None:
    code = pending_code(outbox)

    signed_in = answer(anonymous_client, "loginWithCode", {"email": KNOWN, "secret": code})

    assert signed_in["__typename"] == "SignedIn"
    assert slept == []


def test_a_refused_sign_in_does_not_wait_for_the_read_models(
    anonymous_client: TestClient,
    services: Services,
    outbox: OutboxMailer,
    known: UUID,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A failure on an account is an event the read models apply, one on no account is not:
    waiting for them would answer a known e-mail later."""
    settled: list[None] = []
    settle = services.settle
    monkeypatch.setattr(services, "settle", lambda: settled.append(settle()))
    code = pending_code(outbox)

    for email in (KNOWN, UNKNOWN):
        refused = answer(anonymous_client, "loginWithCode", {"email": email, "secret": "0"})
        assert refused["code"] == "LOGIN_REFUSED"
    assert settled == []
    answer(anonymous_client, "loginWithCode", {"email": KNOWN, "secret": code})
    assert len(settled) == 1

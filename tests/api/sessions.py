"""Signing in as the portal's users do: codes and passwords read from the outbox the API mails
to, first accounts made with the member's postal codes."""

import re
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from uuid import uuid4

from litestar.testing import TestClient

from api.services import Services
from application.accounts.commands import NewAccount, OpenAccount
from application.requests import Request
from domain.accounts.access import AccountKind
from domain.calendar import SYSTEM_CLOCK, SetClock
from domain.contact_details import Email
from messaging.mailer import OutboxMailer
from tests.api.graphql_client import DECLARANT_NUMBER, data, graphql, request_id

STAFF_EMAIL = "agent@service-sante.fr"


class MovableClock(SetClock):
    """The service's clock, which a test moves forward (a code's 30 minutes, throttling):
    standing at `at`, by default the system's time when it is made."""

    def __init__(self, at: datetime | None = None):
        super().__init__(at or SYSTEM_CLOCK.now())


def last_mail_to(outbox: OutboxMailer, address: str) -> EmailMessage:
    mails = [m for m in outbox.messages() if m["To"] == address]
    assert mails, f"no mail to {address}"
    return mails[-1]


def body(mail: EmailMessage) -> str:
    content = mail.get_content()
    assert isinstance(content, str)
    return content


def code_in(mail: EmailMessage) -> str:
    found = re.search(r"code de connexion : (\d+)", body(mail))
    assert found, body(mail)
    return found.group(1)


def password_in(mail: EmailMessage) -> str:
    found = re.search(r"Mot de passe : (\S+)", body(mail))
    assert found, body(mail)
    return found.group(1)


LOGIN_WITH_CODE = """
mutation Login($email: String!, $code: String!) {
  loginWithCode(email: $email, code: $code) {
    __typename
    ... on SignedIn { token accountId passwordChangeRequired expiresAt }
    ... on RuleViolationError { code message }
    ... on ValidationError { code message field }
  }
}"""

REQUEST_CODE = """
mutation Code($email: String!) {
  requestLoginCode(email: $email) {
    __typename ... on MailSent { message } ... on RuleViolationError { code message }
  }
}"""


def request_code(client: TestClient, email: str) -> Any:
    return data(client, REQUEST_CODE, {"email": email})["requestLoginCode"]


def login_with_code(client: TestClient, email: str, code: str) -> Any:
    return data(client, LOGIN_WITH_CODE, {"email": email, "code": code})["loginWithCode"]


def sign_in(client: TestClient, outbox: OutboxMailer, email: str) -> str:
    """Signs in with a code received by e-mail; the client then sends that session's token."""
    client.headers.pop("Authorization", None)
    assert request_code(client, email)["__typename"] == "MailSent"
    reply = login_with_code(client, email, code_in(last_mail_to(outbox, email)))
    assert reply["__typename"] == "SignedIn", reply
    token: str = reply["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return token


def open_service_account(
    services: Services, email: str, kind: AccountKind = AccountKind.SERVICE_STAFF
) -> None:
    """An account of the service, opened as `registre users create-staff` does."""
    person = NewAccount(
        email=Email(email), last_name="Agent", first_name="Alex", function="Gestionnaire"
    )
    services.app.handle(Request(f"open-{uuid4().hex}"), OpenAccount(person=person, kind=kind))
    services.settle()


CREATE_FIRST_ACCOUNT = """
mutation First($input: CreateFirstAccountInput!) {
  createFirstAccount(input: $input) {
    __typename
    ... on FirstAccountCreated { accountId message }
    ... on ValidationError { code message field }
    ... on RuleViolationError { code message }
  }
}"""


def create_first_account(
    client: TestClient,
    member_code: str,
    email: str,
    *,
    declarant_number: str = DECLARANT_NUMBER,
    third_party_declarant: bool = False,
) -> Any:
    first_input = {
        "requestId": request_id(),
        "memberCode": member_code,
        "declarantNumber": declarant_number,
        "lastName": "Durand",
        "firstName": "Claire",
        "function": "Gérante",
        "email": email,
        "emailConfirmation": email,
        "thirdPartyDeclarant": third_party_declarant,
    }
    saved = client.headers.pop("Authorization", None)
    try:
        body_ = graphql(client, CREATE_FIRST_ACCOUNT, {"input": first_input})
    finally:
        if saved is not None:
            client.headers["Authorization"] = saved
    assert "errors" not in body_, body_
    return body_["data"]["createFirstAccount"]

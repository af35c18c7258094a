"""The portal as its users meet it, end to end through the GraphQL API: the service's staff, the
people of the members, their e-mails and the service's clock.

Specs of accounts and rights (`test_premier_compte.py`, `test_connexion_par_code.py`,
`test_cabinet_comptable.py`, `test_droits_facturation.py`) take the fixtures and the steps below
with `from features.steps.accounts import *`: `__all__` lists exactly the fixtures and the step
definitions, which pytest-bdd registers in this module under generated names. Their own steps
stay in their module.

Each person of a scenario is known by their first name (« Claire ») and signs in from their
own browser: the portal keeps their session token and sends it with each of their requests.
What the portal last showed (a success, or a refusal with its code and French message) is
`Portal.reply`. The service's staff (« le service ») are signed in from the start: they register
the members and read the audit trail and the access log.

The service's clock (`MovableClock`) is the one the API's access control reads: the validity of
codes (30 minutes), throttling, sessions. « 31 minutes passent » moves it forward.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import parse
import pytest
from litestar.testing import TestClient
from pytest_bdd import given, parsers, then
from pytest_bdd import step as given_or_when

from api.services import Services
from contexts import create_app, open_services
from features.steps.vocabulary import TYPES
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.graphql_client import a_nir, request_id
from tests.api.sessions import STAFF_EMAIL, MovableClock, open_service_account, sign_in

STAFF = "le service"
NEW_PASSWORD = "Portail-Adherent-2025"
"""The password people of the scenarios choose when they do not say which."""
ROLES = {
    "Administrateur": "ADMIN",
    "Facturation": "BILLING",
    "Déclaration": "DECLARATION",
    "Convocation": "CONVOCATION",
}
ROLE_NAMES = {name: label for label, name in ROLES.items()}


# The people and the members of a scenario ----------------------------------------------------


@dataclass
class User:
    """A person of a member: what they type in the forms, and what they know."""

    first_name: str
    last_name: str
    email: str
    function: str
    password: str | None = None
    """The password they sign in with: the one mailed by the service, then their own."""
    token: str | None = None
    """Their browser's session, once signed in."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Company:
    member_id: str
    member_code: str
    legal_name: str
    declarant_number: str
    """The one of the service's last letter."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What the portal shows after an action: a success, or a refusal (code and message)."""

    typename: str | None
    """The GraphQL type of a mutation's result; None for a query."""
    code: str | None
    message: str | None
    content: Any

    @property
    def refused(self) -> bool:
        return self.code is not None

    @classmethod
    def of_result(cls, result: dict[str, Any]) -> "Reply":
        return cls(result["__typename"], result.get("code"), result.get("message"), result)

    @classmethod
    def of_query(cls, body: dict[str, Any], name: str) -> "Reply":
        errors = body.get("errors")
        if errors:
            error = errors[0]
            return cls(None, error.get("extensions", {}).get("code"), error["message"], None)
        return cls(None, None, None, body["data"][name])

    def describe(self) -> str:
        return f"{self.code} — {self.message}" if self.refused else f"{self.typename} (accepté)"


@dataclass
class Portal:
    """The API, its outbox and its clock, as the people of a scenario use them."""

    client: TestClient
    outbox: OutboxMailer
    clock: MovableClock
    staff_token: str
    people: dict[str, User] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    """By legal name."""
    employees: dict[str, str] = field(default_factory=dict)
    """Employees hired in the scenario, by name (« Camille DURAND »): their id."""
    reply: Reply | None = None
    current: User | None = None
    """The person who signed in last (« elle », « lui » in the specs)."""

    # Sending ----------------------------------------------------------------------------------

    def send(self, token: str | None, query: str, variables: dict[str, Any]) -> Any:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    def staff(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """What the service's staff are answered (never refused)."""
        body = self.send(self.staff_token, query, variables or {})
        assert "errors" not in body, body["errors"]
        return body["data"]

    def mutation(self, who: User | None, query: str, variables: dict[str, Any], name: str) -> Reply:
        """A form sent by `who` (None: someone not signed in); its result is shown."""
        body = self.send(None if who is None else who.token, query, variables)
        assert "errors" not in body, body["errors"]
        self.reply = Reply.of_result(body["data"][name])
        return self.reply

    def query(self, who: User, query: str, variables: dict[str, Any], name: str) -> Reply:
        """A page `who` opens: its content, or the refusal shown instead."""
        self.reply = Reply.of_query(self.send(who.token, query, variables), name)
        return self.reply

    # Who and what -----------------------------------------------------------------------------

    def person(self, first_name: str) -> User:
        assert first_name in self.people, f"{first_name} n'a pas été présenté(e) dans ce scénario"
        return self.people[first_name]

    def company(self, legal_name: str) -> Company:
        assert legal_name in self.companies, f"l'adhérent « {legal_name} » n'est pas enregistré"
        return self.companies[legal_name]

    def company_of(self, member_id: str | None) -> str:
        """The legal name of a member of the scenario (its id when unknown)."""
        names = {c.member_id: c.legal_name for c in self.companies.values()}
        return "" if member_id is None else names.get(member_id, member_id)

    def account_id(self, who: User) -> str:
        """The id of `who`'s account, as the service's staff read it on the list of users."""
        for company in self.companies.values():
            for user in self.staff(MEMBER_USERS, {"memberId": company.member_id})["memberUsers"]:
                if user["email"] == who.email:
                    account: str = user["accountId"]
                    return account
        pytest.fail(f"{who.first_name} n'est utilisateur d'aucun adhérent")

    # Mail -------------------------------------------------------------------------------------

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.outbox.messages() if m["To"] == address]

    def last_mail_to(self, address: str) -> EmailMessage:
        mails = self.mails_to(address)
        assert mails, f"aucun e-mail n'a été envoyé à {address}"
        return mails[-1]


def accepted(reply: Reply, what: str) -> None:
    """A step that describes the situation must have been accepted by the portal."""
    if reply.refused:
        pytest.fail(f"« {what} » a été refusé : {reply.describe()}")


def body(mail: EmailMessage) -> str:
    content = mail.get_content()
    assert isinstance(content, str)
    return content


def one_line(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


def code_in(mail: EmailMessage) -> str:
    found = re.search(r"code de connexion : (\d+)", body(mail))
    assert found, body(mail)
    return found.group(1)


def password_in(mail: EmailMessage) -> str:
    found = re.search(r"Mot de passe : (\S+)", body(mail))
    assert found, body(mail)
    return found.group(1)


# The API's words ------------------------------------------------------------------------------

FAILURES = """
  ... on ValidationError { code message field }
  ... on NotFoundError { code message }
  ... on ConflictError { code message }
  ... on RuleViolationError { code message field }
  ... on ForbiddenError { code message }
"""
REGISTER_MEMBER = f"""
mutation($input: RegisterMemberInput!) {{
  registerMember(input: $input) {{
    __typename ... on RegisterMemberSuccess {{ aggregateId }} {FAILURES}
  }}
}}"""
CREATE_FIRST_ACCOUNT = f"""
mutation($input: CreateFirstAccountInput!) {{
  createFirstAccount(input: $input) {{
    __typename ... on FirstAccountCreated {{ accountId message }} {FAILURES}
  }}
}}"""
LOGIN_WITH_PASSWORD = f"""
mutation($email: String!, $password: String!) {{
  loginWithPassword(email: $email, password: $password) {{
    __typename ... on SignedIn {{ token accountId passwordChangeRequired }} {FAILURES}
  }}
}}"""
LOGIN_WITH_CODE = f"""
mutation($email: String!, $code: String!) {{
  loginWithCode(email: $email, code: $code) {{
    __typename ... on SignedIn {{ token accountId passwordChangeRequired }} {FAILURES}
  }}
}}"""
REQUEST_CODE = f"""
mutation($email: String!) {{
  requestLoginCode(email: $email) {{ __typename ... on MailSent {{ message }} {FAILURES} }}
}}"""
CHANGE_PASSWORD = f"""
mutation($current: String!, $new: String!) {{
  changePassword(currentPassword: $current, newPassword: $new) {{
    __typename ... on SignedIn {{ token passwordChangeRequired }} {FAILURES}
  }}
}}"""
ME = """
{
  me {
    accountId email firstName lastName function kind currentMemberId roles rights
    memberships { memberId memberCode legalName roles thirdPartyDeclarant }
  }
}"""
MEMBER = "query($id: UUID!) { member(id: $id) { id memberCode legalName } }"
MEMBER_USERS = """
query($memberId: UUID!) {
  memberUsers(memberId: $memberId) {
    accountId email lastName firstName function mobile roles thirdPartyDeclarant
  }
}"""
EMPLOYEES = """
query($memberId: UUID!) {
  employees(memberId: $memberId, first: 100) { edges { node { id firstName birthName } } }
}"""
HIRE = f"""
mutation($input: HireEmployeeInput!) {{
  hireEmployee(input: $input) {{
    __typename ... on HireEmployeeSuccess {{ aggregateId }} {FAILURES}
  }}
}}"""


# Forms and pages ------------------------------------------------------------------------------


def register_member(portal: Portal, member_code: str, legal_name: str, number: str) -> None:
    answer = portal.staff(
        REGISTER_MEMBER,
        {
            "input": {
                "requestId": request_id(),
                "memberCode": member_code,
                "declarantNumber": number,
                "legalName": legal_name,
            }
        },
    )["registerMember"]
    accepted(Reply.of_result(answer), f"l'enregistrement de l'adhérent {member_code}")
    portal.companies[legal_name] = Company(answer["aggregateId"], member_code, legal_name, number)


def create_first_account(portal: Portal, form: dict[str, Any]) -> Reply:
    """The « Créer votre compte » form, sent by someone not signed in yet."""
    variables = {"input": {"requestId": request_id(), **form}}
    return portal.mutation(None, CREATE_FIRST_ACCOUNT, variables, "createFirstAccount")


def account_form(
    who: User, member_code: str, declarant_number: str, *, third_party: bool = False
) -> dict[str, Any]:
    """The form as `who` fills it in: their own details, their e-mail typed twice alike."""
    return {
        "memberCode": member_code,
        "declarantNumber": declarant_number,
        "lastName": who.last_name,
        "firstName": who.first_name,
        "function": who.function,
        "email": who.email,
        "emailConfirmation": who.email,
        "thirdPartyDeclarant": third_party,
    }


def receive_password(portal: Portal, who: User) -> None:
    """`who` reads the password the service mailed them."""
    who.password = password_in(portal.last_mail_to(who.email))


def login_with_password(portal: Portal, who: User, password: str | None) -> Reply:
    assert password is not None, f"{who.first_name} n'a pas de mot de passe"
    variables = {"email": who.email, "password": password}
    reply = portal.mutation(None, LOGIN_WITH_PASSWORD, variables, "loginWithPassword")
    if not reply.refused:
        who.token, portal.current = reply.content["token"], who
    return reply


def change_password(portal: Portal, who: User, new_password: str) -> Reply:
    assert who.password is not None, f"{who.first_name} n'a pas de mot de passe"
    variables = {"current": who.password, "new": new_password}
    reply = portal.mutation(who, CHANGE_PASSWORD, variables, "changePassword")
    if not reply.refused:
        who.password, who.token = new_password, reply.content["token"]
    return reply


def request_code(portal: Portal, address: str) -> Reply:
    return portal.mutation(None, REQUEST_CODE, {"email": address}, "requestLoginCode")


def login_with_code(portal: Portal, who: User, code: str) -> Reply:
    variables = {"email": who.email, "code": code}
    reply = portal.mutation(None, LOGIN_WITH_CODE, variables, "loginWithCode")
    if not reply.refused:
        who.token, portal.current = reply.content["token"], who
    return reply


def sign_in_with_code(portal: Portal, who: User) -> None:
    """Asks a code, reads it in the mail, types it: what `who` does to sign in."""
    accepted(request_code(portal, who.email), f"la demande de code de {who.first_name}")
    accepted(
        login_with_code(portal, who, code_in(portal.last_mail_to(who.email))),
        f"la connexion de {who.first_name}",
    )


def me(portal: Portal, who: User) -> Any:
    reply = portal.query(who, ME, {}, "me")
    accepted(reply, f"la page « Mon compte » de {who.first_name}")
    return reply.content


def employees_of(portal: Portal, who: User | None, company: Company) -> Reply:
    """The page « Liste de vos salariés » of `company`, as `who` (None: the staff) opens it."""
    variables = {"memberId": company.member_id}
    if who is None:
        return Reply.of_query({"data": portal.staff(EMPLOYEES, variables)}, "employees")
    return portal.query(who, EMPLOYEES, variables, "employees")


def names_in(reply: Reply) -> list[str]:
    return [f"{e['node']['firstName']} {e['node']['birthName']}" for e in reply.content["edges"]]


def hire(portal: Portal, who: User, company: Company, name: str) -> Reply:
    """The « Nouveau salarié » form: `name` (« Camille DURAND »), in CDI, born in 1990."""
    first_name, birth_name = name.split(" ", 1)
    born = date(1990, 5, 17)
    identity = {
        "birthName": birth_name,
        "firstName": first_name,
        "birthDate": born.isoformat(),
        "sex": "F",
        "nir": a_nir("F", born, name),
    }
    hire_input = {
        "requestId": request_id(),
        "memberId": company.member_id,
        "identity": identity,
        "hireDate": "2025-01-06",
        "terms": {"jobTitle": "Mécanicienne", "contractType": "CDI"},
    }
    reply = portal.mutation(who, HIRE, {"input": hire_input}, "hireEmployee")
    if not reply.refused:
        portal.employees[name] = reply.content["aggregateId"]
    return reply


def become_administrator(portal: Portal, who: User, company: Company) -> None:
    """Seed 001 from end to end: the first account, the mailed password, a password of one's
    own. `who` is then signed in."""
    form = account_form(who, company.member_code, company.declarant_number)
    accepted(create_first_account(portal, form), f"la création du compte de {who.first_name}")
    receive_password(portal, who)
    accepted(login_with_password(portal, who, who.password), f"la connexion de {who.first_name}")
    accepted(change_password(portal, who, NEW_PASSWORD), f"le mot de passe de {who.first_name}")


# Words of these specs -------------------------------------------------------------------------


@parse.with_pattern(r"[A-Z][a-zéèëï]+(?:-[A-Z][a-zéèëï]+)?")
def _first_name(text: str) -> str:
    return text


@parse.with_pattern(r"une minute passe|\d+ minutes passent")
def _minutes(text: str) -> int:
    return 1 if text.startswith("une") else int(text.split(maxsplit=1)[0])


@parse.with_pattern("administratrice|administrateur")
def _administrator(text: str) -> str:
    return text


def phrase(text: str) -> parsers.parse:
    """The parser of a step, with the types of the vocabulary and those of these specs."""
    extra = {**TYPES, "Name": _first_name, "Minutes": _minutes, "Admin": _administrator}
    return parsers.parse(text, extra_types=extra, case_sensitive=True)


# Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def clock(service_instant: datetime | None) -> MovableClock:
    """The service's clock, standing at the scenario's start (`features.conftest`)."""
    return MovableClock(service_instant)


@pytest.fixture
def outbox(tmp_path: Path) -> OutboxMailer:
    return OutboxMailer(tmp_path / "outbox")


@pytest.fixture
def services(
    sqlite_store: StoreSettings, outbox: OutboxMailer, clock: MovableClock
) -> Iterator[Services]:
    opened = open_services(sqlite_store, run_projections=True, mailer=outbox, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def portal(services: Services, outbox: OutboxMailer, clock: MovableClock) -> Iterator[Portal]:
    """The portal, the service's staff signed in."""
    with TestClient(create_app(services)) as client:
        open_service_account(services, STAFF_EMAIL)
        token = sign_in(client, outbox, STAFF_EMAIL)
        client.headers.pop("Authorization", None)
        yield Portal(client, outbox, clock, token)


# Situation ------------------------------------------------------------------------------------


@given(
    phrase(
        "le service a enregistré l'adhérent « {member_code} », raison sociale « {legal_name} »,"
        " et lui a envoyé par courrier le n° télédéclarant « {declarant_number} »"
    )
)
def registered_member(portal: Portal, member_code: str, legal_name: str, declarant_number: str):
    register_member(portal, member_code, legal_name, declarant_number)


@given(
    phrase(
        "{first_name:Name} {last_name}, {function}, a pour adresse e-mail « {email} »",
    )
)
def a_person(portal: Portal, first_name: str, last_name: str, function: str, email: str) -> None:
    portal.people[first_name] = User(
        first_name, last_name, email, function[:1].upper() + function[1:]
    )


@given(phrase("{first_name:Name} a créé le premier compte de « {legal_name} »"))
def first_account_created(portal: Portal, first_name: str, legal_name: str) -> None:
    who, company = portal.person(first_name), portal.company(legal_name)
    form = account_form(who, company.member_code, company.declarant_number)
    accepted(create_first_account(portal, form), f"la création du compte de {first_name}")
    receive_password(portal, who)


@given(phrase("{first_name:Name} est {admin:Admin} de « {legal_name} »"))
def administrator(portal: Portal, first_name: str, admin: str, legal_name: str) -> None:
    become_administrator(portal, portal.person(first_name), portal.company(legal_name))


@given_or_when(phrase("{minutes:Minutes}"))
def time_passes(portal: Portal, minutes: int) -> None:
    portal.clock.advance(minutes=minutes)


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("la demande est refusée avec le code {code}"))
def refused_with(portal: Portal, code: str) -> None:
    """Same words as the other specs (features/conftest.py), said of the portal's last reply."""
    reply = portal.reply
    assert reply is not None, "le portail n'a rien répondu"
    assert reply.refused, f"la demande a été acceptée : {reply.describe()}"
    assert reply.code == code, reply.describe()
    assert reply.message, "le refus doit s'expliquer à l'utilisateur"
    assert reply.message.strip(), "le refus doit s'expliquer à l'utilisateur"


@then(phrase("le message affiché contient « {excerpt} »"))
def message_says(portal: Portal, excerpt: str) -> None:
    reply = portal.reply
    assert reply is not None, "le portail n'a rien répondu"
    assert reply.message is not None, f"aucun message : {reply.describe()}"
    assert excerpt in reply.message, reply.message


@then(phrase("le portail affiche « {message} »"))
def portal_shows(portal: Portal, message: str) -> None:
    reply = portal.reply
    assert reply is not None, "le portail n'a rien répondu"
    assert not reply.refused, reply.describe()
    assert reply.content.get("message") == message, reply.content


@then(phrase("{first_name:Name} ne reçoit aucun e-mail"))
def no_mail(portal: Portal, first_name: str) -> None:
    assert portal.mails_to(portal.person(first_name).email) == []


__all__ = ["clock", "outbox", "portal", "services"]
__all__ += [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]
"""The fixtures, and the step definitions, whose names pytest-bdd makes."""

"""Signing in and out through `Access`, on both stores, with mail going to an outbox and the
service's clock in the test's hands: one-time codes, passwords, reset links, sessions, first
accounts from the postal pair, further members, roles read at each request, throttling, and
secrets kept out of the tables and the logs."""

import logging
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.services import Services
from application.accounts.access import NewSession
from application.accounts.access_store import AccessEvent
from application.accounts.commands import (
    AddMemberUser,
    ChangeMemberUserRoles,
    NewAccount,
    RemoveMemberUser,
)
from application.members.commands import RegisterMember, ReissueDeclarantNumber
from application.requests import Request
from contexts import READ_MODELS, open_services
from domain.accounts.access import AccountKind, Right, Role
from domain.accounts.account import LoginFailure, LoginMethod, account_id_of
from domain.actor import Actor
from domain.contact_details import Email
from domain.errors import DomainError
from messaging.mailer import OutboxMailer
from projections.model import table_prefix
from storage.settings import StoreSettings
from tests.account_ids import account_id as id_of_account
from tests.api.sessions import MovableClock, body, code_in, last_mail_to, password_in

ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.23"
SERVICE_CONTACT = "le service Santé-Travail Rhône : 04 72 00 00 00, portail@sst-rhone.example"
MEMBER_CODE, DECLARANT_NUMBER = "00010", "73915284"
OTHER_CODE, OTHER_DECLARANT_NUMBER = "00020", "48201937"
CLAIRE = "claire.durand@boulangerie.fr"
PAUL = "paul.martin@boulangerie.fr"
STAFF = "agent@sst-rhone.example"
NEW_PASSWORD = "Tartes-aux-Fraises-2025"
OTHER_PASSWORD = "Croissants-du-Matin-77"
RESET_LINK = re.compile(r"(\S+/mot-de-passe/nouveau\?jeton=)(\S+)")


# Fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REGISTRE_SESSION_HOURS", "REGISTRE_PORTAL_URL", "REGISTRE_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGISTRE_SERVICE_CONTACT", SERVICE_CONTACT)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def outbox(tmp_path: Path) -> OutboxMailer:
    return OutboxMailer(tmp_path / "outbox")


@pytest.fixture
def services(store: StoreSettings, outbox: OutboxMailer, clock: MovableClock) -> Iterator[Services]:
    opened = open_services(store, run_projections=True, mailer=outbox, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def member_id(services: Services) -> UUID:
    return register(services, MEMBER_CODE, DECLARANT_NUMBER, "Boulangerie Durand")


@pytest.fixture
def claire(services: Services, member_id: UUID) -> UUID:
    """The member's first administrator, whose issued password is in the outbox."""
    return first_account(services, CLAIRE)


def register(services: Services, member_code: str, declarant_number: str, legal_name: str) -> UUID:
    return services.app.handle(
        Request(f"register-{uuid4().hex}"),
        RegisterMember(
            member_code=member_code, declarant_number=declarant_number, legal_name=legal_name
        ),
    ).aggregate_id


def person(email: str, first_name: str = "Claire", last_name: str = "Durand") -> NewAccount:
    return NewAccount(
        email=Email(email), last_name=last_name, first_name=first_name, function="Gérante"
    )


def first_account(
    services: Services,
    email: str,
    *,
    member_code: str = MEMBER_CODE,
    declarant_number: str = DECLARANT_NUMBER,
    address: str = ADDRESS,
    third_party_declarant: bool = False,
) -> UUID:
    account_id = services.access.create_first_account(
        request_id=f"first-{uuid4().hex}",
        member_code=member_code,
        declarant_number=declarant_number,
        person=person(email),
        email_confirmation=email.upper(),
        third_party_declarant=third_party_declarant,
        address=address,
    )
    services.settle()
    return account_id


def add_user(services: Services, member_id: UUID, by: UUID, email: str, *roles: Role) -> UUID:
    """An administrator (`by`) gives someone access to the member."""
    services.app.handle(
        Request.by(f"add-{uuid4().hex}", str(by), on_behalf_of=member_id),
        AddMemberUser(
            member_id=member_id,
            person=person(email, "Paul", "Martin"),
            roles=frozenset(roles),
            third_party_declarant=False,
        ),
    )
    services.settle()
    return id_of_account(services.app, email)


def open_staff(services: Services, email: str = STAFF) -> UUID:
    result = services.access.open_service_account(
        Request(f"staff-{uuid4().hex}"), person(email, "Alex", "Agent"), AccountKind.SERVICE_STAFF
    )
    return result.aggregate_id


def mailed_code(
    services: Services, outbox: OutboxMailer, email: str, address: str = ADDRESS
) -> str:
    services.access.request_login_code(email, address)
    return code_in(last_mail_to(outbox, email))


def sign_in(
    services: Services, outbox: OutboxMailer, email: str, address: str = ADDRESS
) -> NewSession:
    code = mailed_code(services, outbox, email, address)
    return services.access.login_with_code(email, code, address)


def refusal(action: Callable[[], Any]) -> DomainError:
    with pytest.raises(DomainError) as refused:
        action()
    return refused.value


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**8:08d}"


def events_of(services: Services, aggregate_id: UUID) -> list[Any]:
    return list(services.app.events.get(aggregate_id))


def event_names(services: Services, aggregate_id: UUID) -> list[str]:
    return [type(event).__name__ for event in events_of(services, aggregate_id)]


def mails_to(outbox: OutboxMailer, address: str) -> int:
    return len([m for m in outbox.messages() if m["To"] == address])


def reset_token(outbox: OutboxMailer, email: str) -> str:
    found = RESET_LINK.search(body(last_mail_to(outbox, email)))
    assert found, body(last_mail_to(outbox, email))
    return found.group(2)


# One-time codes ---------------------------------------------------------------------------------


def test_a_code_of_eight_digits_is_mailed_and_opens_a_session(
    services: Services, outbox: OutboxMailer, clock: MovableClock, claire: UUID, member_id: UUID
) -> None:
    services.access.request_login_code(CLAIRE, ADDRESS)

    mail = last_mail_to(outbox, CLAIRE)
    assert mail["Subject"] == "Votre code de connexion au portail adhérent"
    assert "valable 30 minutes" in body(mail)
    code = code_in(mail)
    assert re.fullmatch(r"\d{8}", code)

    signed_in = services.access.login_with_code(CLAIRE, code, ADDRESS)

    assert signed_in.account_id == claire
    assert not signed_in.password_change_required
    assert signed_in.expires_at == clock.now() + services.access.settings.session_lifetime
    session = services.access.session(signed_in.token)
    assert session is not None
    assert (session.account_id, session.member_id) == (claire, member_id)
    principal = services.access.principal(session)
    assert (principal.kind, principal.member_id) == (AccountKind.MEMBER_USER, member_id)
    assert principal.roles == {Role.ADMIN}


def test_the_email_is_matched_whatever_its_case(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    services.access.request_login_code(CLAIRE.upper(), ADDRESS)
    code = code_in(last_mail_to(outbox, CLAIRE))

    assert (
        services.access.login_with_code(f" {CLAIRE.title()} ", code, ADDRESS).account_id == claire
    )


def test_a_code_is_valid_for_30_minutes(
    services: Services, outbox: OutboxMailer, clock: MovableClock, claire: UUID
) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    clock.advance(minutes=29)

    assert services.access.login_with_code(CLAIRE, code, ADDRESS).account_id == claire


def test_a_code_is_refused_after_30_minutes(
    services: Services, outbox: OutboxMailer, clock: MovableClock, claire: UUID
) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    clock.advance(minutes=31)

    refused = refusal(lambda: services.access.login_with_code(CLAIRE, code, ADDRESS))

    assert refused.code == "CODE_EXPIRED"
    assert "30 minutes" in refused.message
    failed = events_of(services, claire)[-1]
    assert type(failed).__name__ == "LoginFailed"
    assert (failed.method, failed.failure) == (LoginMethod.ONE_TIME_CODE, LoginFailure.EXPIRED_CODE)


def test_a_code_serves_once(services: Services, outbox: OutboxMailer, claire: UUID) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    services.access.login_with_code(CLAIRE, code, ADDRESS)

    refused = refusal(lambda: services.access.login_with_code(CLAIRE, code, ADDRESS))

    assert refused.code in {"LOGIN_REFUSED", "CODE_EXPIRED"}
    assert event_names(services, claire).count("LoggedIn") == 1
    assert event_names(services, claire)[-1] == "LoginFailed"


def test_a_new_code_replaces_the_last(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    first = mailed_code(services, outbox, CLAIRE)
    second = mailed_code(services, outbox, CLAIRE)
    assert first != second

    assert refusal(lambda: services.access.login_with_code(CLAIRE, first, ADDRESS)).code == (
        "LOGIN_REFUSED"
    )
    assert services.access.login_with_code(CLAIRE, second, ADDRESS).account_id == claire


def test_an_unknown_email_gets_no_error_and_a_mail_naming_the_service_contact(
    services: Services, outbox: OutboxMailer
) -> None:
    stranger = "inconnu@ailleurs.fr"

    services.access.request_login_code(stranger, ADDRESS)
    services.access.request_password_reset(stranger, ADDRESS)

    for mail in outbox.messages():
        assert mail["To"] == stranger
        assert mail["Subject"] == "Portail adhérent : adresse inconnue"
        text = " ".join(body(mail).split())
        assert "n'est associée à aucun compte" in text
        assert SERVICE_CONTACT in text
        assert not re.search(r"\d{8}", text)
        assert "jeton" not in text
    assert len(outbox.messages()) == 2
    assert services.app.find_account(Email(stranger)) is None


def test_an_unknown_and_a_known_email_are_refused_alike(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    services.access.request_login_code("inconnu@ailleurs.fr", ADDRESS)

    answers = [
        refusal(lambda: services.access.login_with_code(CLAIRE, wrong_code(code), ADDRESS)),
        refusal(lambda: services.access.login_with_code("inconnu@ailleurs.fr", code, ADDRESS)),
        refusal(lambda: services.access.login_with_password(CLAIRE, "Pas-le-bon-1", ADDRESS)),
        refusal(
            lambda: services.access.login_with_password("inconnu@ailleurs.fr", "X-1a", ADDRESS)
        ),
    ]

    assert {(a.code, a.message) for a in answers} == {
        ("LOGIN_REFUSED", "Adresse e-mail, code ou mot de passe incorrect.")
    }


def test_failures_and_sign_ins_of_an_account_are_in_its_history(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    refusal(lambda: services.access.login_with_code(CLAIRE, wrong_code(code), ADDRESS))
    refusal(lambda: services.access.login_with_password(CLAIRE, "Pas-le-bon-mdp-1", ADDRESS))
    services.access.login_with_code(CLAIRE, code, ADDRESS)

    events = events_of(services, claire)[-3:]

    assert [type(e).__name__ for e in events] == ["LoginFailed", "LoginFailed", "LoggedIn"]
    assert [(e.method, getattr(e, "failure", None)) for e in events] == [
        (LoginMethod.ONE_TIME_CODE, LoginFailure.WRONG_SECRET),
        (LoginMethod.PASSWORD, LoginFailure.WRONG_SECRET),
        (LoginMethod.ONE_TIME_CODE, None),
    ]
    assert [e.actor for e in events] == [Actor("anonymous"), Actor("anonymous"), Actor(str(claire))]
    services.settle()
    trail = services.audit.entries(aggregate_id=claire, limit=3)
    assert [entry.summary for entry in trail] == [
        "Connexion réussie (code à usage unique)",
        "Échec de connexion : code ou mot de passe erroné",
        "Échec de connexion : code ou mot de passe erroné",
    ]
    assert (
        services.access.store.log_entries(
            event=AccessEvent.UNKNOWN_ACCOUNT_LOGIN, member_id=None, before=None, limit=10
        )
        == []
    )


def test_failures_on_no_account_go_to_the_access_log(
    services: Services, clock: MovableClock
) -> None:
    stranger = "inconnu@ailleurs.fr"

    refusal(lambda: services.access.login_with_code(stranger, "12345678", ADDRESS))
    refusal(lambda: services.access.login_with_password(stranger, "Mot-de-passe-1", ADDRESS))

    entries = services.access.store.log_entries(
        event=AccessEvent.UNKNOWN_ACCOUNT_LOGIN, member_id=None, before=None, limit=10
    )
    assert sorted(entry.operation for entry in entries) == ["ONE_TIME_CODE", "PASSWORD"]
    for entry in entries:
        assert entry.account_id is None
        assert entry.member_id is None
        assert abs((entry.at - clock.now()).total_seconds()) < 1
        assert len(entry.subjects) == 1
        assert stranger not in entry.subjects[0], "the log names the e-mail by a keyed hash only"
    assert entries[0].subjects == entries[1].subjects
    assert services.app.find_account(Email(stranger)) is None


# Throttling ------------------------------------------------------------------------------------


def test_the_first_three_failures_cost_no_wait(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    for _ in range(3):
        assert (
            refusal(lambda: services.access.login_with_code(CLAIRE, wrong_code(code), ADDRESS)).code
            == "LOGIN_REFUSED"
        )

    assert services.access.login_with_code(CLAIRE, code, ADDRESS).account_id == claire


def test_past_the_free_failures_even_the_right_code_waits(
    services: Services, outbox: OutboxMailer, clock: MovableClock, claire: UUID
) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    for _ in range(4):
        refusal(lambda: services.access.login_with_code(CLAIRE, wrong_code(code), ADDRESS))
    failures_recorded = event_names(services, claire).count("LoginFailed")

    refused = refusal(lambda: services.access.login_with_code(CLAIRE, code, ADDRESS))

    assert refused.code == "TOO_MANY_ATTEMPTS"
    assert refused.message == (
        "Trop de tentatives infructueuses : par sécurité, réessayez dans 2 secondes."
    )
    assert refused.retry_after == 2  # type: ignore[attr-defined]
    clock.advance(seconds=1)
    assert refusal(lambda: services.access.login_with_code(CLAIRE, code, ADDRESS)).code == (
        "TOO_MANY_ATTEMPTS"
    )
    assert event_names(services, claire).count("LoginFailed") == failures_recorded
    clock.advance(seconds=1)  # a refused attempt did not lengthen the wait
    assert services.access.login_with_code(CLAIRE, code, ADDRESS).account_id == claire


def test_ten_failures_lock_the_account_for_15_minutes(
    services: Services, outbox: OutboxMailer, clock: MovableClock, claire: UUID
) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    for wait in (0, 0, 0, 0, 2, 4, 8, 16, 32, 64):
        clock.advance(seconds=wait)
        assert (
            refusal(lambda: services.access.login_with_code(CLAIRE, wrong_code(code), ADDRESS)).code
            == "LOGIN_REFUSED"
        )

    refused = refusal(lambda: services.access.login_with_code(CLAIRE, code, ADDRESS))
    assert refused.code == "TOO_MANY_ATTEMPTS"
    assert "réessayez dans 15 minutes" in refused.message
    clock.advance(minutes=14, seconds=59)
    refused = refusal(lambda: services.access.login_with_code(CLAIRE, code, ADDRESS))
    assert refused.code == "TOO_MANY_ATTEMPTS"
    assert refused.retry_after == 1  # type: ignore[attr-defined]
    assert refusal(lambda: services.access.login_with_password(CLAIRE, "x", ADDRESS)).code == (
        "TOO_MANY_ATTEMPTS"
    )
    clock.advance(seconds=1)
    assert services.access.login_with_code(CLAIRE, code, ADDRESS).account_id == claire


def test_a_sign_in_resets_the_accounts_counter(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    for _ in range(2):
        code = mailed_code(services, outbox, CLAIRE)
        for _ in range(3):
            refusal(lambda c=code: services.access.login_with_code(CLAIRE, wrong_code(c), ADDRESS))
        # Without the reset, the second round would be throttled from its second failure.
        assert services.access.login_with_code(CLAIRE, code, ADDRESS).account_id == claire


def test_an_unknown_email_is_throttled_like_a_known_one(services: Services) -> None:
    stranger = "inconnu@ailleurs.fr"
    for _ in range(4):
        refusal(lambda: services.access.login_with_code(stranger, "12345678", ADDRESS))

    assert refusal(lambda: services.access.login_with_code(stranger, "12345678", ADDRESS)).code == (
        "TOO_MANY_ATTEMPTS"
    )


def test_an_address_with_too_many_failures_waits_whatever_the_email(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    code = mailed_code(services, outbox, CLAIRE)
    for n in range(21):
        refusal(lambda n=n: services.access.login_with_code(f"x{n}@ailleurs.fr", "1", ADDRESS))

    assert refusal(lambda: services.access.login_with_code(CLAIRE, code, ADDRESS)).code == (
        "TOO_MANY_ATTEMPTS"
    )
    assert refusal(lambda: services.access.request_login_code(CLAIRE, ADDRESS)).code == (
        "TOO_MANY_ATTEMPTS"
    )
    assert services.access.login_with_code(CLAIRE, code, OTHER_ADDRESS).account_id == claire


def test_codes_are_mailed_a_few_times_then_no_more_for_a_while(
    services: Services, outbox: OutboxMailer, clock: MovableClock, claire: UUID
) -> None:
    for n in range(6):
        email = CLAIRE.upper() if n % 2 else CLAIRE
        services.access.request_login_code(email, f"192.0.2.{n}")
    last_code = code_in(last_mail_to(outbox, CLAIRE))

    refused = refusal(lambda: services.access.request_login_code(CLAIRE, OTHER_ADDRESS))

    assert refused.code == "TOO_MANY_ATTEMPTS"
    assert "30 secondes" in refused.message
    assert refusal(lambda: services.access.request_password_reset(CLAIRE, ADDRESS)).code == (
        "TOO_MANY_ATTEMPTS"
    )
    assert mails_to(outbox, CLAIRE) == 1 + 6  # the issued password, then six codes
    assert services.access.login_with_code(CLAIRE, last_code, ADDRESS).account_id == claire
    clock.advance(seconds=30)
    services.access.request_login_code(CLAIRE, ADDRESS)
    assert mails_to(outbox, CLAIRE) == 1 + 7


def test_codes_and_reset_links_share_the_mail_allowance(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    for _ in range(3):
        services.access.request_login_code(CLAIRE, ADDRESS)
        services.access.request_password_reset(CLAIRE, ADDRESS)

    assert refusal(lambda: services.access.request_login_code(CLAIRE, ADDRESS)).code == (
        "TOO_MANY_ATTEMPTS"
    )


def test_an_unknown_address_is_not_flooded_either(services: Services, outbox: OutboxMailer) -> None:
    stranger = "inconnu@ailleurs.fr"
    for _ in range(6):
        services.access.request_login_code(stranger, ADDRESS)

    assert refusal(lambda: services.access.request_login_code(stranger, ADDRESS)).code == (
        "TOO_MANY_ATTEMPTS"
    )
    assert mails_to(outbox, stranger) == 6


# Passwords -------------------------------------------------------------------------------------


def test_the_first_password_comes_by_mail_and_must_be_changed(
    services: Services, outbox: OutboxMailer, claire: UUID, member_id: UUID
) -> None:
    password = password_in(last_mail_to(outbox, CLAIRE))
    assert len(password) == 16

    signed_in = services.access.login_with_password(CLAIRE, password, ADDRESS)

    assert signed_in.password_change_required
    session = services.access.session(signed_in.token)
    assert session is not None
    assert session.password_change_required
    assert session.member_id == member_id
    assert event_names(services, claire)[-1] == "LoggedIn"
    assert events_of(services, claire)[-1].method is LoginMethod.PASSWORD

    changed = services.access.change_password(session, password, NEW_PASSWORD)

    assert not changed.password_change_required
    fresh = services.access.session(changed.token)
    assert fresh is not None
    assert not fresh.password_change_required
    assert fresh.member_id == member_id
    assert services.access.session(signed_in.token) is None
    assert event_names(services, claire)[-1] == "PasswordChanged"
    again = services.access.login_with_password(CLAIRE, NEW_PASSWORD, ADDRESS)
    assert not again.password_change_required
    assert refusal(lambda: services.access.login_with_password(CLAIRE, password, ADDRESS)).code == (
        "LOGIN_REFUSED"
    )


def test_a_password_change_needs_the_current_password_and_a_strong_new_one(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    password = password_in(last_mail_to(outbox, CLAIRE))
    signed_in = services.access.login_with_password(CLAIRE, password, ADDRESS)
    session = services.access.session(signed_in.token)
    assert session is not None
    history = event_names(services, claire)

    wrong = refusal(lambda: services.access.change_password(session, "Pas-le-bon-1", NEW_PASSWORD))
    weak = refusal(lambda: services.access.change_password(session, password, "court"))
    mine = refusal(lambda: services.access.change_password(session, password, f"A1-{CLAIRE}"))

    assert (wrong.code, wrong.field) == ("WRONG_PASSWORD", "current_password")
    assert (weak.code, weak.field) == ("WEAK_PASSWORD", "new_password")
    assert mine.code == "WEAK_PASSWORD"
    assert event_names(services, claire) == history
    assert services.access.session(signed_in.token) is not None


def test_a_password_change_ends_every_session_of_the_account(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    password = password_in(last_mail_to(outbox, CLAIRE))
    by_password = services.access.login_with_password(CLAIRE, password, ADDRESS)
    by_code = sign_in(services, outbox, CLAIRE)
    session = services.access.session(by_code.token)
    assert session is not None

    fresh = services.access.change_password(session, password, NEW_PASSWORD)

    assert services.access.session(by_password.token) is None
    assert services.access.session(by_code.token) is None
    assert services.access.session(fresh.token) is not None
    assert fresh.account_id == claire


def test_an_account_without_password_cannot_sign_in_with_one(services: Services) -> None:
    staff = open_staff(services)

    refused = refusal(lambda: services.access.login_with_password(STAFF, NEW_PASSWORD, ADDRESS))

    assert refused.code == "LOGIN_REFUSED"
    last = events_of(services, staff)[-1]
    assert (type(last).__name__, last.failure) == ("LoginFailed", LoginFailure.WRONG_SECRET)


def test_the_service_issues_a_password_to_change_at_first_sign_in(
    services: Services, outbox: OutboxMailer, clock: MovableClock
) -> None:
    staff = open_staff(services)
    assert "Un compte « personnel du service » a été ouvert" in body(last_mail_to(outbox, STAFF))
    signed_in = sign_in(services, outbox, STAFF)

    services.access.issue_password(staff, Actor("admin-1"))

    assert services.access.session(signed_in.token) is None
    password = password_in(last_mail_to(outbox, STAFF))
    assert services.access.login_with_password(STAFF, password, ADDRESS).password_change_required
    issued = events_of(services, staff)[-2]
    assert (type(issued).__name__, issued.actor) == ("PasswordIssued", Actor("admin-1"))


# Sessions --------------------------------------------------------------------------------------


def test_a_sign_out_ends_that_session_at_once(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    leaving = sign_in(services, outbox, CLAIRE)
    staying = sign_in(services, outbox, CLAIRE)
    session = services.access.session(leaving.token)
    assert session is not None

    services.access.logout(session)

    assert services.access.session(leaving.token) is None
    assert services.access.session(staying.token) is not None
    logged_out = events_of(services, claire)[-1]
    assert (type(logged_out).__name__, logged_out.actor) == ("LoggedOut", Actor(str(claire)))


def test_a_session_lasts_eight_hours(
    services: Services, outbox: OutboxMailer, clock: MovableClock, claire: UUID
) -> None:
    signed_in = sign_in(services, outbox, CLAIRE)

    clock.advance(hours=7, minutes=59)
    assert services.access.session(signed_in.token) is not None
    clock.advance(minutes=1)
    assert services.access.session(signed_in.token) is None


def test_no_session_for_a_made_up_token(services: Services) -> None:
    assert services.access.session("") is None
    assert services.access.session("not-a-token") is None


def test_the_services_staff_work_on_no_member_and_reach_all(
    services: Services, outbox: OutboxMailer, member_id: UUID
) -> None:
    staff = open_staff(services)
    session = services.access.session(sign_in(services, outbox, STAFF).token)
    assert session is not None

    principal = services.access.principal(session)

    assert (principal.account_id, principal.kind) == (staff, AccountKind.SERVICE_STAFF)
    assert session.member_id is None
    assert principal.reaches(member_id)
    assert principal.may(Right.ADMINISTER_SERVICE)


def test_a_service_account_is_not_a_member_user(services: Services) -> None:
    refused = refusal(
        lambda: services.access.open_service_account(
            Request(uuid4().hex), person("x@y.fr"), AccountKind.MEMBER_USER
        )
    )

    assert refused.code == "NOT_A_SERVICE_ACCOUNT"
    assert services.app.find_account(Email("x@y.fr")) is None


# Reset links -----------------------------------------------------------------------------------


def test_a_reset_link_sets_a_new_password_once(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    issued = password_in(last_mail_to(outbox, CLAIRE))
    signed_in = sign_in(services, outbox, CLAIRE)
    services.access.request_password_reset(CLAIRE, ADDRESS)
    mail = last_mail_to(outbox, CLAIRE)
    assert mail["Subject"] == "Réinitialisation de votre mot de passe"
    assert "http://127.0.0.1:8000/mot-de-passe/nouveau?jeton=" in body(mail)
    token = reset_token(outbox, CLAIRE)
    account_text, _, secret = token.partition(".")
    assert account_text == str(claire)
    assert len(secret) >= 32

    services.access.reset_password(token, NEW_PASSWORD, ADDRESS)

    assert services.access.session(signed_in.token) is None
    assert event_names(services, claire)[-1] == "PasswordReset"
    assert not services.access.login_with_password(
        CLAIRE, NEW_PASSWORD, ADDRESS
    ).password_change_required
    assert refusal(lambda: services.access.login_with_password(CLAIRE, issued, ADDRESS)).code == (
        "LOGIN_REFUSED"
    )
    again = refusal(lambda: services.access.reset_password(token, OTHER_PASSWORD, ADDRESS))
    assert again.code == "RESET_LINK_INVALID"


def test_a_reset_link_is_valid_for_one_hour(
    services: Services, outbox: OutboxMailer, clock: MovableClock, claire: UUID
) -> None:
    services.access.request_password_reset(CLAIRE, ADDRESS)
    late = reset_token(outbox, CLAIRE)
    clock.advance(minutes=61)
    assert refusal(lambda: services.access.reset_password(late, NEW_PASSWORD, ADDRESS)).code == (
        "RESET_LINK_INVALID"
    )

    services.access.request_password_reset(CLAIRE, ADDRESS)
    in_time = reset_token(outbox, CLAIRE)
    clock.advance(minutes=59)
    services.access.reset_password(in_time, NEW_PASSWORD, ADDRESS)
    assert services.access.login_with_password(CLAIRE, NEW_PASSWORD, ADDRESS).account_id == claire


def test_a_reset_link_refuses_a_weak_password(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    services.access.request_password_reset(CLAIRE, ADDRESS)
    token = reset_token(outbox, CLAIRE)
    history = event_names(services, claire)

    weak = refusal(lambda: services.access.reset_password(token, "motdepasse", ADDRESS))

    assert (weak.code, weak.field) == ("WEAK_PASSWORD", "new_password")
    assert event_names(services, claire) == history


def test_a_weak_password_does_not_use_up_the_reset_link(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    """The user who typed a weak password is told to choose a stronger one: the link must let
    them do so, not answer that it is no longer valid."""
    services.access.request_password_reset(CLAIRE, ADDRESS)
    token = reset_token(outbox, CLAIRE)
    assert refusal(lambda: services.access.reset_password(token, "motdepasse", ADDRESS)).code == (
        "WEAK_PASSWORD"
    )

    services.access.reset_password(token, NEW_PASSWORD, ADDRESS)

    assert services.access.login_with_password(CLAIRE, NEW_PASSWORD, ADDRESS).account_id == claire


def test_forged_or_replaced_reset_links_are_refused(
    services: Services, outbox: OutboxMailer, claire: UUID, member_id: UUID
) -> None:
    services.access.request_password_reset(CLAIRE, ADDRESS)
    replaced = reset_token(outbox, CLAIRE)
    services.access.request_password_reset(CLAIRE, ADDRESS)
    token = reset_token(outbox, CLAIRE)
    secret = token.partition(".")[2]

    for forged in (
        replaced,
        f"{claire}.{secret[:-1]}",
        f"{member_id}.{secret}",
        f"{uuid4()}.{secret}",
        secret,
        "",
        "pas-un-uuid.abc",
    ):
        refused = refusal(lambda f=forged: services.access.reset_password(f, NEW_PASSWORD, ADDRESS))
        assert refused.code == "RESET_LINK_INVALID", forged

    services.access.reset_password(token, NEW_PASSWORD, ADDRESS)


# First accounts and further members ------------------------------------------------------------


def test_the_postal_pair_makes_the_first_administrator(
    services: Services, outbox: OutboxMailer, member_id: UUID
) -> None:
    account_id = first_account(services, CLAIRE, third_party_declarant=True)

    assert account_id == id_of_account(services.app, CLAIRE) != account_id_of(Email(CLAIRE))
    member = services.app.member(member_id)
    user = member.user(account_id)
    assert user is not None
    assert (user.roles, user.third_party_declarant) == ({Role.ADMIN}, True)
    account = services.app.account(account_id)
    assert (account.kind, account.must_change_password) == (AccountKind.MEMBER_USER, True)
    mail = last_mail_to(outbox, CLAIRE)
    assert mail["Subject"] == "Votre accès au portail adhérent"
    password = password_in(mail)
    session = services.access.session(
        services.access.login_with_password(CLAIRE, password, ADDRESS).token
    )
    assert session is not None
    assert services.access.principal(session).roles == {Role.ADMIN}


@pytest.mark.parametrize(
    ("member_code", "declarant_number"),
    [(MEMBER_CODE, "00000000"), (MEMBER_CODE, DECLARANT_NUMBER[:-1]), ("99999", DECLARANT_NUMBER)],
)
def test_a_wrong_pair_is_refused_and_makes_no_account(
    services: Services,
    outbox: OutboxMailer,
    member_id: UUID,
    member_code: str,
    declarant_number: str,
) -> None:
    refused = refusal(
        lambda: first_account(
            services, CLAIRE, member_code=member_code, declarant_number=declarant_number
        )
    )

    assert refused.code == "WRONG_MEMBER_CODES"
    assert "numéro télédéclarant incorrect" in refused.message
    assert services.app.find_account(Email(CLAIRE)) is None
    assert services.app.member(member_id).users == ()
    assert outbox.messages() == []


def test_wrong_pairs_are_throttled_like_sign_ins(
    services: Services, clock: MovableClock, member_id: UUID
) -> None:
    for n in range(4):
        refused = refusal(
            lambda n=n: first_account(
                services, CLAIRE, declarant_number=f"1111111{n}", address=f"192.0.2.{n}"
            )
        )
        assert refused.code == "WRONG_MEMBER_CODES"

    throttled = refusal(lambda: first_account(services, CLAIRE, address=OTHER_ADDRESS))
    assert throttled.code == "TOO_MANY_ATTEMPTS"
    assert services.app.find_account(Email(CLAIRE)) is None
    clock.advance(seconds=2)

    account_id = first_account(services, CLAIRE, address=OTHER_ADDRESS)
    assert services.app.member(member_id).roles_of(account_id) == {Role.ADMIN}


def test_an_email_is_typed_twice_and_has_one_account(
    services: Services, claire: UUID, member_id: UUID
) -> None:
    other_member = register(services, OTHER_CODE, OTHER_DECLARANT_NUMBER, "Pâtisserie Durand")
    mismatch = refusal(
        lambda: services.access.create_first_account(
            request_id=uuid4().hex,
            member_code=OTHER_CODE,
            declarant_number=OTHER_DECLARANT_NUMBER,
            person=person(PAUL),
            email_confirmation="paul.martin@boulangerie.com",
            third_party_declarant=False,
            address=ADDRESS,
        )
    )
    taken = refusal(
        lambda: first_account(
            services, CLAIRE, member_code=OTHER_CODE, declarant_number=OTHER_DECLARANT_NUMBER
        )
    )
    second_admin = refusal(lambda: first_account(services, PAUL))

    assert (mismatch.code, mismatch.field) == ("EMAIL_MISMATCH", "email_confirmation")
    assert (taken.code, taken.field) == ("EMAIL_TAKEN", "email")
    assert "rattachez l'entreprise" in taken.message
    assert second_admin.code == "ADMINISTRATOR_EXISTS"
    assert services.app.member(other_member).users == ()
    assert services.app.find_account(Email(PAUL)) is None


def test_a_reissued_declarant_number_replaces_the_old_pair(
    services: Services, member_id: UUID
) -> None:
    services.app.handle(
        Request(uuid4().hex),
        ReissueDeclarantNumber(member_id=member_id, declarant_number="55501234"),
    )

    refused = refusal(lambda: first_account(services, CLAIRE))

    assert refused.code == "WRONG_MEMBER_CODES"
    account_id = first_account(services, CLAIRE, declarant_number="55501234")
    assert services.app.member(member_id).roles_of(account_id) == {Role.ADMIN}


def test_another_member_is_attached_and_the_session_moves_to_it(
    services: Services, outbox: OutboxMailer, claire: UUID, member_id: UUID
) -> None:
    other_member = register(services, OTHER_CODE, OTHER_DECLARANT_NUMBER, "Pâtisserie Durand")
    third_member = register(services, "00030", "36925814", "Traiteur Martin")
    signed_in = sign_in(services, outbox, CLAIRE)
    session = services.access.session(signed_in.token)
    assert session is not None
    wrong = refusal(
        lambda: services.access.attach_member(
            session,
            request_id=uuid4().hex,
            member_code=OTHER_CODE,
            declarant_number=DECLARANT_NUMBER,
            third_party_declarant=False,
            address=ADDRESS,
        )
    )
    assert wrong.code == "WRONG_MEMBER_CODES"

    attached = services.access.attach_member(
        session,
        request_id=uuid4().hex,
        member_code=OTHER_CODE,
        declarant_number=OTHER_DECLARANT_NUMBER,
        third_party_declarant=True,
        address=ADDRESS,
    )
    services.settle()

    assert attached == other_member
    user = services.app.member(other_member).user(claire)
    assert user is not None
    assert (user.roles, user.third_party_declarant) == ({Role.ADMIN}, True)
    assert [m.member_id for m in services.accounts.memberships(claire)] == [
        member_id,
        other_member,
    ]
    assert services.access.session(signed_in.token).member_id == member_id  # type: ignore[union-attr]

    services.access.switch_member(session, other_member)

    moved = services.access.session(signed_in.token)
    assert moved is not None
    assert moved.member_id == other_member
    principal = services.access.principal(moved)
    assert (principal.member_id, principal.roles) == (other_member, {Role.ADMIN})
    assert principal.reaches(other_member)
    assert not principal.reaches(member_id)
    for elsewhere in (third_member, uuid4()):
        refused = refusal(lambda e=elsewhere: services.access.switch_member(moved, e))
        assert refused.code == "MEMBER_NOT_FOUND"
    assert services.access.session(signed_in.token).member_id == other_member  # type: ignore[union-attr]
    services.access.switch_member(moved, member_id)
    assert services.access.session(signed_in.token).member_id == member_id  # type: ignore[union-attr]


def test_a_member_with_an_administrator_is_not_attached_by_its_pair(
    services: Services, outbox: OutboxMailer, claire: UUID, member_id: UUID
) -> None:
    register(services, OTHER_CODE, OTHER_DECLARANT_NUMBER, "Pâtisserie Durand")
    first_account(services, PAUL, member_code=OTHER_CODE, declarant_number=OTHER_DECLARANT_NUMBER)
    session = services.access.session(sign_in(services, outbox, CLAIRE).token)
    assert session is not None

    refused = refusal(
        lambda: services.access.attach_member(
            session,
            request_id=uuid4().hex,
            member_code=OTHER_CODE,
            declarant_number=OTHER_DECLARANT_NUMBER,
            third_party_declarant=False,
            address=ADDRESS,
        )
    )

    assert refused.code == "ADMINISTRATOR_EXISTS"


# Roles read at each request -----------------------------------------------------------------


def test_roles_changed_or_removed_apply_to_open_sessions_at_once(
    services: Services, outbox: OutboxMailer, claire: UUID, member_id: UUID
) -> None:
    paul = add_user(services, member_id, claire, PAUL, Role.DECLARATION)
    mail = last_mail_to(outbox, PAUL)
    assert mail["Subject"] == "Accès au portail adhérent pour Boulangerie Durand"
    session = services.access.session(sign_in(services, outbox, PAUL).token)
    assert session is not None
    assert session.member_id == member_id
    assert services.access.principal(session).may(Right.READ_WORKFORCE)
    by_claire = Actor(str(claire), member_id)

    services.app.handle(
        Request(uuid4().hex, by_claire),
        ChangeMemberUserRoles(
            member_id=member_id, account_id=paul, roles=frozenset({Role.BILLING})
        ),
    )

    principal = services.access.principal(session)
    assert principal.roles == {Role.BILLING}
    assert not principal.may(Right.READ_WORKFORCE)
    assert principal.may(Right.MANAGE_BILLING)

    services.app.handle(
        Request(uuid4().hex, by_claire), RemoveMemberUser(member_id=member_id, account_id=paul)
    )

    principal = services.access.principal(session)
    assert principal.roles == frozenset()
    assert principal.rights == frozenset()


def race_to_remove(
    services: Services, member_id: UUID, first: UUID, second: UUID
) -> dict[UUID, str]:
    """Each administrator removes the other at the same moment, without an expected version."""
    start = threading.Barrier(2)
    outcomes: dict[UUID, str] = {}

    def remove(by: UUID, other: UUID) -> None:
        request = Request(uuid4().hex, Actor(str(by), member_id))
        start.wait(timeout=10)
        try:
            services.app.handle(request, RemoveMemberUser(member_id=member_id, account_id=other))
        except DomainError as refused:
            outcomes[by] = refused.code
        else:
            outcomes[by] = "REMOVED"

    threads = [
        threading.Thread(target=remove, args=(first, second)),
        threading.Thread(target=remove, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_administrators_removing_each_other_leave_one(
    services: Services, claire: UUID, member_id: UUID
) -> None:
    paul = add_user(services, member_id, claire, PAUL, Role.ADMIN)
    people = {claire: person(CLAIRE), paul: person(PAUL, "Paul", "Martin")}

    for _ in range(6):
        outcomes = race_to_remove(services, member_id, claire, paul)

        admins = [u.account_id for u in services.app.member(member_id).users if u.is_admin]
        assert len(admins) == 1, outcomes
        [remaining] = admins
        removed = paul if remaining == claire else claire
        assert outcomes[remaining] == "REMOVED", outcomes
        assert outcomes[removed] in {"CONFLICT", "LAST_ADMINISTRATOR"}, outcomes
        services.app.handle(
            Request(uuid4().hex, Actor(str(remaining), member_id)),
            AddMemberUser(
                member_id=member_id,
                person=people[removed],
                roles=frozenset({Role.ADMIN}),
                third_party_declarant=False,
            ),
        )


# Secrets ---------------------------------------------------------------------------------------


def test_the_access_tables_hold_no_secret_in_clear(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    password = password_in(last_mail_to(outbox, CLAIRE))
    by_password = services.access.login_with_password(CLAIRE, password, ADDRESS)
    by_code = sign_in(services, outbox, CLAIRE)
    used_code = code_in(last_mail_to(outbox, CLAIRE))
    refusal(lambda: services.access.login_with_password(CLAIRE, "Essai-Errone-42", ADDRESS))
    refusal(lambda: services.access.login_with_code("inconnu@ailleurs.fr", "12345678", ADDRESS))
    pending_code = mailed_code(services, outbox, CLAIRE)
    services.access.request_password_reset(CLAIRE, ADDRESS)
    reset = reset_token(outbox, CLAIRE).partition(".")[2]
    secrets = {
        password,
        by_password.token,
        by_code.token,
        used_code,
        pending_code,
        reset,
        "Essai-Errone-42",
        CLAIRE,
        "inconnu@ailleurs.fr",
    }

    tables = {
        table: services.store.read(f"SELECT * FROM {table}")
        for table in ("access_sessions", "access_codes", "access_failures", "access_log")
    }

    assert len(tables["access_sessions"]) == 2
    for row in tables["access_sessions"]:
        assert services.access.session(row[0]) is None, "a stolen digest is no token"
    assert len(tables["access_codes"]) == 2
    assert tables["access_failures"]
    assert tables["access_log"]
    text = "\n".join(str(value) for rows in tables.values() for row in rows for value in row)
    assert [secret for secret in secrets if secret.casefold() in text.casefold()] == []


def test_no_password_hash_reaches_the_read_tables(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    hashes = {services.app.account(claire).password_hash}
    issued = password_in(last_mail_to(outbox, CLAIRE))
    session = services.access.session(sign_in(services, outbox, CLAIRE).token)
    assert session is not None
    services.access.change_password(session, issued, NEW_PASSWORD)
    hashes.add(services.app.account(claire).password_hash)
    services.access.request_password_reset(CLAIRE, ADDRESS)
    services.access.reset_password(reset_token(outbox, CLAIRE), OTHER_PASSWORD, ADDRESS)
    hashes.add(services.app.account(claire).password_hash)
    services.settle()

    generations = services.runner.active_generations()
    text = "\n".join(
        str(value)
        for model in READ_MODELS
        for base in model.tables
        for row in services.store.read(
            f"SELECT * FROM {table_prefix(model.name, generations[model.name])}{base}"
        )
        for value in row
    )

    assert None not in hashes
    assert len(hashes) == 3
    assert str(claire) in text, "the scan reads the accounts' rows"
    assert CLAIRE.casefold() not in text.casefold(), "the e-mail is sealed"
    assert [h for h in hashes if h is not None and h in text] == []
    assert "argon2" not in text
    for secret in (NEW_PASSWORD, OTHER_PASSWORD, DECLARANT_NUMBER):
        assert secret not in text


def test_the_logs_never_hold_a_code_a_password_or_a_token(
    services: Services, outbox: OutboxMailer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    register(services, OTHER_CODE, OTHER_DECLARANT_NUMBER, "Pâtisserie Durand")
    first_account(services, CLAIRE, member_code=OTHER_CODE, declarant_number=OTHER_DECLARANT_NUMBER)
    password = password_in(last_mail_to(outbox, CLAIRE))
    by_password = services.access.login_with_password(CLAIRE, password, ADDRESS)
    refusal(lambda: services.access.login_with_password(CLAIRE, "Essai-Errone-42", ADDRESS))
    code = mailed_code(services, outbox, CLAIRE)
    refusal(lambda: services.access.login_with_code(CLAIRE, wrong_code(code), ADDRESS))
    by_code = services.access.login_with_code(CLAIRE, code, ADDRESS)
    session = services.access.session(by_code.token)
    assert session is not None
    changed = services.access.change_password(session, password, NEW_PASSWORD)
    services.access.request_password_reset(CLAIRE, ADDRESS)
    token = reset_token(outbox, CLAIRE)
    services.access.reset_password(token, OTHER_PASSWORD, ADDRESS)
    services.settle()

    logged = caplog.text + "\n".join(str(record.args) for record in caplog.records)
    for secret in (
        password,
        "Essai-Errone-42",
        code,
        wrong_code(code),
        by_password.token,
        by_code.token,
        changed.token,
        token.partition(".")[2],
        NEW_PASSWORD,
        OTHER_PASSWORD,
        OTHER_DECLARANT_NUMBER,
    ):
        assert secret not in logged


def test_a_refusal_keeps_no_trace_of_earlier_attempts(services: Services, claire: UUID) -> None:
    """Each refusal is raised afresh: one shared exception object would pile up the frames of
    every attempt, with the passwords typed in them, for as long as the process runs."""
    first = refusal(lambda: services.access.login_with_password(CLAIRE, "Premier-Essai-1", ADDRESS))
    second = refusal(lambda: services.access.login_with_password(CLAIRE, "Second-Essai-2", ADDRESS))

    frames = []
    traceback = second.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    typed = [frame.f_locals.get("password") for frame in frames]
    assert "Premier-Essai-1" not in typed
    assert first.code == second.code == "LOGIN_REFUSED"


# Retries and simultaneous sign-ins ------------------------------------------------------------


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Runs the actions in threads started together; each gives its result or its exception."""
    start = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        start.wait(timeout=10)
        try:
            results[index] = action()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_one_code_used_twice_at_the_same_moment_opens_one_session(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    for _ in range(4):
        code = mailed_code(services, outbox, CLAIRE)

        results = at_once(
            lambda c=code: services.access.login_with_code(CLAIRE, c, ADDRESS),
            lambda c=code: services.access.login_with_code(CLAIRE, c, OTHER_ADDRESS),
        )

        sessions = [r for r in results if isinstance(r, NewSession)]
        assert len(sessions) == 1, results
        [refused] = [r for r in results if not isinstance(r, NewSession)]
        assert isinstance(refused, DomainError), results
        assert refused.code in {"LOGIN_REFUSED", "CODE_EXPIRED"}, results
        assert services.access.session(sessions[0].token) is not None


def test_simultaneous_sign_ins_of_one_account_all_succeed(
    services: Services, outbox: OutboxMailer, claire: UUID
) -> None:
    """Two devices (or a sign-in and someone else's failed attempt) at the same moment: a
    correct password must open a session, whatever else is being recorded on the account."""
    session = services.access.session(sign_in(services, outbox, CLAIRE).token)
    assert session is not None
    issued = password_in(
        [m for m in outbox.messages() if m["Subject"] == "Votre accès au portail adhérent"][-1]
    )
    services.access.change_password(session, issued, NEW_PASSWORD)

    for _ in range(4):
        results = at_once(
            lambda: services.access.login_with_password(CLAIRE, NEW_PASSWORD, ADDRESS),
            lambda: services.access.login_with_password(CLAIRE, NEW_PASSWORD, OTHER_ADDRESS),
        )

        assert all(isinstance(r, NewSession) for r in results), results


def test_a_retried_first_account_mails_a_password_that_works(
    services: Services, outbox: OutboxMailer, member_id: UUID
) -> None:
    """A request id makes a retry safe: the retry answers as the first request did, and the
    password it mails (if it mails one) must be the account's."""
    request_id = uuid4().hex

    def create() -> UUID:
        return services.access.create_first_account(
            request_id=request_id,
            member_code=MEMBER_CODE,
            declarant_number=DECLARANT_NUMBER,
            person=person(CLAIRE),
            email_confirmation=CLAIRE,
            third_party_declarant=False,
            address=ADDRESS,
        )

    first = create()
    retried = create()

    assert retried == first
    assert services.app.member(member_id).roles_of(first) == {Role.ADMIN}
    password = password_in(last_mail_to(outbox, CLAIRE))
    assert services.access.login_with_password(CLAIRE, password, ADDRESS).account_id == first

"""Sign-in mails end to end over real SMTP: the service mails through `SmtpMailer` to an aiosmtpd
server on localhost, the test reads what arrived there and signs in with it."""

import logging
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from uuid import UUID, uuid4

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from api.services import Services
from application.accounts.commands import NewAccount, OpenAccount
from application.members.commands import RegisterMember
from application.requests import Request
from contexts import open_services
from domain.accounts.access import AccountKind, Role
from domain.contact_details import Email
from domain.errors import DomainError
from messaging.mailer import MailDeliveryError, SmtpMailer
from messaging.settings import MailSettings, SmtpSecurity
from storage.settings import StoreSettings
from tests.api.sessions import MovableClock

LOCALHOST = "127.0.0.1"
ADDRESS = "203.0.113.7"
SENDER = "Santé-Travail Rhône <portail@sst-rhone.example>"
SERVICE_CONTACT = "le service Santé-Travail Rhône : 04 72 00 00 00"
CLAIRE = "claire.durand@boulangerie.fr"
STAFF = "agent@sst-rhone.example"
MEMBER_CODE, DECLARANT_NUMBER = "00010", "73915284"


@dataclass
class Inbox:
    """aiosmtpd handler keeping every mail it accepts."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def last_to(self, address: str) -> EmailMessage:
        received = [e for e in self.envelopes if address in e.rcpt_tos]
        assert received, f"no mail to {address}"
        raw = received[-1].content
        assert isinstance(raw, bytes)
        assert raw.isascii(), "the mail crosses the wire 7-bit clean"
        return BytesParser(policy=policy.default).parsebytes(raw.replace(b"\r\n", b"\n"))


def text_of(mail: EmailMessage) -> str:
    content = mail.get_content()
    assert isinstance(content, str)
    return content


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


def smtp_settings(port: int) -> MailSettings:
    return MailSettings(
        smtp_host=LOCALHOST,
        smtp_port=port,
        smtp_security=SmtpSecurity.NONE,
        smtp_timeout=5.0,
        mail_from=SENDER,
    )


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REGISTRE_SMTP_HOST", "REGISTRE_PORTAL_URL", "REGISTRE_SESSION_HOURS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGISTRE_SERVICE_CONTACT", SERVICE_CONTACT)


@pytest.fixture
def server() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on a free port of localhost, and that port."""
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname=LOCALHOST, port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def services(sqlite_store: StoreSettings, server: tuple[Inbox, int]) -> Iterator[Services]:
    mailer = SmtpMailer(smtp_settings(server[1]))
    opened = open_services(sqlite_store, run_projections=True, mailer=mailer, clock=MovableClock())
    yield opened
    opened.close()


@pytest.fixture
def received(server: tuple[Inbox, int]) -> Inbox:
    return server[0]


def open_staff(services: Services) -> UUID:
    person = NewAccount(
        email=Email(STAFF), last_name="Agent", first_name="Alex", function="Gestionnaire"
    )
    return services.access.open_service_account(
        Request(uuid4().hex), person, AccountKind.SERVICE_STAFF
    ).aggregate_id


def test_a_code_received_over_smtp_signs_in(services: Services, received: Inbox) -> None:
    staff = open_staff(services)
    assert "personnel du service" in text_of(received.last_to(STAFF))

    services.access.request_login_code(STAFF, ADDRESS)

    envelope = received.envelopes[-1]
    assert envelope.rcpt_tos == [STAFF]
    assert envelope.mail_from == "portail@sst-rhone.example"
    mail = received.last_to(STAFF)
    assert mail["From"] == SENDER
    assert mail["To"] == STAFF
    assert mail["Subject"] == "Votre code de connexion au portail adhérent"
    found = re.search(r"code de connexion : (\d{8})\n", text_of(mail))
    assert found, text_of(mail)
    signed_in = services.access.login_with_code(STAFF, found.group(1), ADDRESS)
    session = services.access.session(signed_in.token)
    assert session is not None
    assert session.account_id == staff
    assert services.access.principal(session).kind is AccountKind.SERVICE_STAFF


def test_the_first_accounts_password_arrives_over_smtp(services: Services, received: Inbox) -> None:
    member_id = services.app.handle(
        Request(uuid4().hex),
        RegisterMember(
            member_code=MEMBER_CODE,
            declarant_number=DECLARANT_NUMBER,
            legal_name="Boulangerie Durand",
        ),
    ).aggregate_id
    services.access.create_first_account(
        request_id=uuid4().hex,
        member_code=MEMBER_CODE,
        declarant_number=DECLARANT_NUMBER,
        person=NewAccount(
            email=Email(CLAIRE), last_name="Durand", first_name="Claire", function="Gérante"
        ),
        email_confirmation=CLAIRE,
        third_party_declarant=False,
        address=ADDRESS,
    )
    services.settle()

    mail = received.last_to(CLAIRE)
    assert mail["Subject"] == "Votre accès au portail adhérent"
    found = re.search(r"Mot de passe : (\S+)", text_of(mail))
    assert found, text_of(mail)
    signed_in = services.access.login_with_password(CLAIRE, found.group(1), ADDRESS)
    assert signed_in.password_change_required
    session = services.access.session(signed_in.token)
    assert session is not None
    principal = services.access.principal(session)
    assert (principal.member_id, principal.roles) == (member_id, {Role.ADMIN})


def test_an_unknown_address_is_told_over_smtp_whom_to_contact(
    services: Services, received: Inbox
) -> None:
    services.access.request_login_code("inconnu@ailleurs.fr", ADDRESS)

    mail = received.last_to("inconnu@ailleurs.fr")
    assert mail["Subject"] == "Portail adhérent : adresse inconnue"
    text = " ".join(text_of(mail).split())
    assert "n'est associée à aucun compte" in text
    assert SERVICE_CONTACT in text


def test_a_reset_link_received_over_smtp_sets_a_new_password(
    services: Services, received: Inbox
) -> None:
    staff = open_staff(services)

    services.access.request_password_reset(STAFF, ADDRESS)

    found = re.search(r"jeton=(\S+)", text_of(received.last_to(STAFF)))
    assert found
    assert found.group(1).startswith(f"{staff}.")
    services.access.reset_password(found.group(1), "Tartes-aux-Fraises-2025", ADDRESS)
    signed_in = services.access.login_with_password(STAFF, "Tartes-aux-Fraises-2025", ADDRESS)
    assert signed_in.account_id == staff


def test_an_unreachable_server_fails_the_request_without_logging_the_code(
    sqlite_store: StoreSettings, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()  # nothing listens there
    services = open_services(
        sqlite_store,
        run_projections=True,
        mailer=SmtpMailer(smtp_settings(port)),
        clock=MovableClock(),
    )
    try:
        services.app.handle(
            Request(uuid4().hex),
            OpenAccount(
                person=NewAccount(
                    email=Email(STAFF), last_name="Agent", first_name="Alex", function="Agent"
                ),
                kind=AccountKind.SERVICE_STAFF,
            ),
        )
        caplog.set_level(logging.DEBUG)

        with pytest.raises(MailDeliveryError) as failed:
            services.access.request_login_code(STAFF, ADDRESS)

        assert f"{LOCALHOST}:{port}" in str(failed.value)
        assert "an access mail could not be sent" in caplog.text
        assert not re.search(r"(?<!\d)\d{8}(?!\d)", caplog.text + str(failed.value))
        with pytest.raises(DomainError) as refused:
            services.access.login_with_code(STAFF, "12345678", ADDRESS)
        assert refused.value.code == "LOGIN_REFUSED"
    finally:
        services.close()

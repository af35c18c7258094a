"""The e-mail adapter, against a real SMTP server on localhost (aiosmtpd) and a real folder."""

import logging
import re
import socket
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from domain.calendar import SetClock
from messaging.mailer import Mail, MailDeliveryError, OutboxMailer, SmtpMailer, mailer_from
from messaging.settings import MailSettings, SmtpSecurity
from storage.settings import ConfigurationError

LOCALHOST = "127.0.0.1"
USER, PASSWORD = "registre", "s3cret-Pa55"
CODE_MAIL = Mail(
    to="Élodie Lefèvre <elodie@boulangerie.example>",
    subject="Votre code de connexion à l'espace adhérent",
    body="Bonjour Élodie,\n\nVotre code à usage unique : 482 913.\nIl expire dans 10 minutes.\n",
)
ENVIRONMENT = (
    "REGISTRE_SMTP_HOST",
    "REGISTRE_SMTP_PORT",
    "REGISTRE_SMTP_SECURITY",
    "REGISTRE_SMTP_USER",
    "REGISTRE_SMTP_PASSWORD",
    "REGISTRE_MAIL_FROM",
    "REGISTRE_OUTBOX_DIR",
    "REGISTRE_DATA_DIR",
    "REGISTRE_SMTP_TIMEOUT",
    "REGISTRE_SERVICE_CONTACT",
)


@dataclass
class Delivery:
    envelope: Envelope
    login: bytes | None

    @property
    def raw(self) -> bytes:
        """The mail as it crossed the SMTP wire."""
        assert isinstance(self.envelope.content, bytes)
        return self.envelope.content

    @property
    def message(self) -> EmailMessage:
        """The mail as a server stores it: the CRLF of the wire become LF."""
        return BytesParser(policy=policy.default).parsebytes(self.raw.replace(b"\r\n", b"\n"))


@dataclass
class Inbox:
    """aiosmtpd handler keeping every mail it accepts, with the user who sent it."""

    deliveries: list[Delivery] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.deliveries.append(Delivery(envelope, session.login_data))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox

    def settings(self, **changes: Any) -> MailSettings:
        """Settings pointing at this server, in clear (it has no certificate)."""
        values: dict[str, Any] = {
            "smtp_host": LOCALHOST,
            "smtp_port": self.port,
            "smtp_security": SmtpSecurity.NONE,
            "smtp_timeout": 5.0,
        }
        return MailSettings(**(values | changes))


def check_password(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    assert isinstance(auth_data, LoginPassword)
    success = auth_data == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=success, handled=False, auth_data=auth_data)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname=LOCALHOST,
        port=free_port(),
        authenticator=check_password,
        auth_require_tls=False,
    )
    controller.start()
    yield SmtpServer(controller.port, inbox)
    controller.stop()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def test_smtp_delivers_a_french_mail(smtp_server: SmtpServer) -> None:
    SmtpMailer(smtp_server.settings()).send(CODE_MAIL)

    [delivery] = smtp_server.inbox.deliveries
    assert delivery.envelope.rcpt_tos == ["elodie@boulangerie.example"]
    assert delivery.envelope.mail_from == "ne-pas-repondre@registre.localhost"
    assert delivery.login is None
    message = delivery.message
    assert message["To"] == CODE_MAIL.to
    assert message["Subject"] == CODE_MAIL.subject
    assert message.get_content_charset() == "utf-8"
    assert message["Content-Transfer-Encoding"] == "quoted-printable"
    assert delivery.raw.isascii()
    assert message.get_content() == CODE_MAIL.body
    assert message["Date"].datetime.tzinfo is not None
    assert re.fullmatch(r"<[^@>]+@registre\.localhost>", message["Message-ID"])


def test_smtp_logs_in_with_the_configured_credentials(smtp_server: SmtpServer) -> None:
    settings = smtp_server.settings(smtp_user=USER, smtp_password=PASSWORD)

    SmtpMailer(settings).send(CODE_MAIL)

    [delivery] = smtp_server.inbox.deliveries
    assert delivery.login == USER.encode()


def test_smtp_refused_password_is_a_delivery_error(smtp_server: SmtpServer) -> None:
    settings = smtp_server.settings(smtp_user=USER, smtp_password="wrong")

    with pytest.raises(MailDeliveryError, match="SMTPAuthenticationError") as raised:
        SmtpMailer(settings).send(CODE_MAIL)

    assert f"{LOCALHOST}:{smtp_server.port}" in str(raised.value)
    assert "482 913" not in str(raised.value)
    assert "wrong" not in str(raised.value)
    assert smtp_server.inbox.deliveries == []


def test_smtp_never_falls_back_to_clear_text_when_starttls_is_expected(
    smtp_server: SmtpServer,
) -> None:
    settings = smtp_server.settings(smtp_security=SmtpSecurity.STARTTLS)

    with pytest.raises(MailDeliveryError, match="STARTTLS"):
        SmtpMailer(settings).send(CODE_MAIL)

    assert smtp_server.inbox.deliveries == []


def test_smtp_implicit_tls_fails_against_a_clear_text_server(smtp_server: SmtpServer) -> None:
    settings = smtp_server.settings(smtp_security=SmtpSecurity.TLS)

    with pytest.raises(MailDeliveryError, match=f"{LOCALHOST}:{smtp_server.port}"):
        SmtpMailer(settings).send(CODE_MAIL)

    assert smtp_server.inbox.deliveries == []


def test_smtp_unreachable_server_fails_fast() -> None:
    port = free_port()
    settings = MailSettings(smtp_host=LOCALHOST, smtp_port=port, smtp_timeout=2.0)
    started = time.monotonic()

    with pytest.raises(MailDeliveryError, match=f"{LOCALHOST}:{port}") as raised:
        SmtpMailer(settings).send(CODE_MAIL)

    assert time.monotonic() - started < 2.0
    assert isinstance(raised.value.__cause__, OSError)


def test_smtp_mailer_needs_a_host() -> None:
    with pytest.raises(ConfigurationError, match="REGISTRE_SMTP_HOST"):
        SmtpMailer(MailSettings())


def test_outbox_writes_private_eml_files_read_back_oldest_first(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path / "var" / "outbox")
    subjects = ["Premier code", "Deuxième code", "Troisième code"]

    for subject in subjects:
        outbox.send(Mail(to="elodie@boulangerie.example", subject=subject, body=CODE_MAIL.body))

    files = sorted(outbox.folder.iterdir())
    assert len(files) == 3
    for path in files:
        assert re.fullmatch(r"\d{8}T\d{12}Z-\d{12}-[0-9a-f]{32}\.eml", path.name)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    messages = outbox.messages()
    assert [message["Subject"] for message in messages] == subjects
    assert all(message.get_content() == CODE_MAIL.body for message in messages)
    assert messages[0]["From"] == "Registre <ne-pas-repondre@registre.localhost>"
    assert messages[0]["Message-ID"] != messages[1]["Message-ID"]


def test_outbox_mails_are_dated_by_the_service_clock_and_kept_in_order_when_it_stands_still(
    tmp_path: Path,
) -> None:
    new_year_in_paris = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    outbox = OutboxMailer(tmp_path, clock=SetClock(new_year_in_paris))
    subjects = [f"Code {n}" for n in range(12)]

    for subject in subjects:
        outbox.send(Mail(to="elodie@boulangerie.example", subject=subject, body=CODE_MAIL.body))

    messages = outbox.messages()
    assert [message["Subject"] for message in messages] == subjects
    assert {message["Date"].datetime for message in messages} == {new_year_in_paris}
    assert all(path.name.startswith("20261231T233000") for path in tmp_path.iterdir())


def test_outbox_logs_the_path_and_never_the_body(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="messaging.mailer")

    OutboxMailer(tmp_path).send(CODE_MAIL)

    [path] = tmp_path.glob("*.eml")
    assert [record.getMessage() for record in caplog.records] == [f"mail to the outbox: {path}"]
    assert "482 913" not in caplog.text


def test_empty_or_missing_outbox_has_no_messages(tmp_path: Path) -> None:
    assert OutboxMailer(tmp_path / "never-written").messages() == []


def test_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRE_SMTP_HOST", "")

    settings = MailSettings.from_environment()

    assert settings == MailSettings(
        smtp_host=None,
        smtp_port=587,
        smtp_security=SmtpSecurity.STARTTLS,
        smtp_timeout=10.0,
        mail_from="Registre <ne-pas-repondre@registre.localhost>",
        outbox_dir=Path("var/outbox"),
        service_contact=(
            "le service de santé au travail : contact@registre.localhost, 01 23 45 67 89"
        ),
    )
    assert settings.credentials is None


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "REGISTRE_SMTP_HOST": "smtp.sante-travail.example",
        "REGISTRE_SMTP_PORT": "465",
        "REGISTRE_SMTP_SECURITY": "TLS",
        "REGISTRE_SMTP_USER": USER,
        "REGISTRE_SMTP_PASSWORD": PASSWORD,
        "REGISTRE_MAIL_FROM": "Espace adhérent <adherents@sante-travail.example>",
        "REGISTRE_OUTBOX_DIR": "/srv/outbox",
        "REGISTRE_SMTP_TIMEOUT": "2.5",
        "REGISTRE_SERVICE_CONTACT": "votre médecin du travail",
    }.items():
        monkeypatch.setenv(name, value)

    settings = MailSettings.from_environment()

    assert settings.smtp_host == "smtp.sante-travail.example"
    assert settings.smtp_port == 465
    assert settings.smtp_security is SmtpSecurity.TLS
    assert settings.credentials == (USER, PASSWORD)
    assert settings.smtp_timeout == 2.5
    assert settings.mail_from == "Espace adhérent <adherents@sante-travail.example>"
    assert settings.outbox_dir == Path("/srv/outbox")
    assert settings.service_contact == "votre médecin du travail"
    assert PASSWORD not in repr(settings)


def test_outbox_defaults_to_the_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRE_DATA_DIR", "/srv/registre")

    assert MailSettings.from_environment().outbox_dir == Path("/srv/registre/outbox")


@pytest.mark.parametrize("variable", ["REGISTRE_SMTP_USER", "REGISTRE_SMTP_PASSWORD"])
def test_no_login_with_half_the_credentials(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "alone")

    assert MailSettings.from_environment().credentials is None


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("REGISTRE_SMTP_PORT", "smtp", "REGISTRE_SMTP_PORT: 'smtp' is not a number"),
        ("REGISTRE_SMTP_PORT", "70000", "REGISTRE_SMTP_PORT: 70000 is not a TCP port"),
        ("REGISTRE_SMTP_PORT", "0", "REGISTRE_SMTP_PORT: 0 is not a TCP port"),
        ("REGISTRE_SMTP_SECURITY", "ssl", "REGISTRE_SMTP_SECURITY: 'ssl' is not one of"),
        ("REGISTRE_SMTP_TIMEOUT", "soon", "REGISTRE_SMTP_TIMEOUT: 'soon' is not a number"),
        ("REGISTRE_SMTP_TIMEOUT", "0", "REGISTRE_SMTP_TIMEOUT must be a positive number"),
        ("REGISTRE_MAIL_FROM", "Registre", "REGISTRE_MAIL_FROM: 'Registre' holds no e-mail"),
    ],
)
def test_invalid_settings_are_configuration_errors(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigurationError, match=re.escape(message)):
        MailSettings.from_environment()


def test_non_ascii_credentials_are_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRE_SMTP_USER", USER)
    monkeypatch.setenv("REGISTRE_SMTP_PASSWORD", "mot-de-passe-à-accent")

    with pytest.raises(ConfigurationError, match="must be ASCII") as raised:
        MailSettings.from_environment()

    assert "mot-de-passe" not in str(raised.value)


def test_mailer_from_uses_the_outbox_without_smtp_host(tmp_path: Path) -> None:
    mailer = mailer_from(MailSettings(outbox_dir=tmp_path))

    assert isinstance(mailer, OutboxMailer)
    assert mailer.folder == tmp_path


def test_mailer_from_uses_smtp_with_a_host(smtp_server: SmtpServer, tmp_path: Path) -> None:
    mailer = mailer_from(smtp_server.settings(outbox_dir=tmp_path))

    assert isinstance(mailer, SmtpMailer)
    mailer.send(CODE_MAIL)
    assert len(smtp_server.inbox.deliveries) == 1
    assert list(tmp_path.iterdir()) == []

"""How Registre sends its e-mails, read once from the environment.

Without REGISTRE_SMTP_HOST nothing leaves the machine: mails are written to an outbox folder,
so a development machine or a demo never needs a mail server, and never mails a real person.
"""

import os
from dataclasses import dataclass, field
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from storage.settings import ConfigurationError

DEFAULT_SMTP_PORT = 587
DEFAULT_MAIL_FROM = "Registre <ne-pas-repondre@registre.localhost>"
DEFAULT_SMTP_TIMEOUT = 10.0
DEFAULT_SERVICE_CONTACT = (
    "le service de santé au travail : contact@registre.localhost, 01 23 45 67 89"
)
MAX_PORT = 65535

Number = TypeVar("Number", int, float)


class SmtpSecurity(StrEnum):
    """How the connection to the SMTP server is protected."""

    STARTTLS = "starttls"
    """Plain connection upgraded with STARTTLS (submission, port 587)."""
    TLS = "tls"
    """TLS from the first byte (SMTPS, port 465)."""
    NONE = "none"
    """No encryption: only for a relay on the same machine or network."""


@dataclass(frozen=True, slots=True)
class MailSettings:
    smtp_host: str | None = None
    """None: no SMTP server, mails go to `outbox_dir`."""
    smtp_port: int = DEFAULT_SMTP_PORT
    smtp_security: SmtpSecurity = SmtpSecurity.STARTTLS
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_timeout: float = DEFAULT_SMTP_TIMEOUT
    mail_from: str = DEFAULT_MAIL_FROM
    outbox_dir: Path = Path("var") / "outbox"
    service_contact: str = DEFAULT_SERVICE_CONTACT
    """Whom users should contact, as French text put in the mails."""

    def __post_init__(self) -> None:
        if not 0 < self.smtp_port <= MAX_PORT:
            raise ConfigurationError(f"REGISTRE_SMTP_PORT: {self.smtp_port} is not a TCP port")
        if self.smtp_timeout <= 0:
            raise ConfigurationError("REGISTRE_SMTP_TIMEOUT must be a positive number of seconds")
        if not all(secret.isascii() for secret in self.credentials or ()):
            # smtplib encodes AUTH in ASCII: better refuse at start than fail at the first mail.
            raise ConfigurationError("REGISTRE_SMTP_USER and REGISTRE_SMTP_PASSWORD must be ASCII")
        if "@" not in parseaddr(self.mail_from)[1]:
            msg = f"REGISTRE_MAIL_FROM: {self.mail_from!r} holds no e-mail address"
            raise ConfigurationError(msg)

    @classmethod
    def from_environment(cls) -> "MailSettings":
        data_dir = Path(_variable("REGISTRE_DATA_DIR") or "var")
        return cls(
            smtp_host=_variable("REGISTRE_SMTP_HOST"),
            smtp_port=_number("REGISTRE_SMTP_PORT", int, DEFAULT_SMTP_PORT),
            smtp_security=_security(),
            smtp_user=_variable("REGISTRE_SMTP_USER"),
            smtp_password=_variable("REGISTRE_SMTP_PASSWORD"),
            smtp_timeout=_number("REGISTRE_SMTP_TIMEOUT", float, DEFAULT_SMTP_TIMEOUT),
            mail_from=_variable("REGISTRE_MAIL_FROM") or DEFAULT_MAIL_FROM,
            outbox_dir=Path(_variable("REGISTRE_OUTBOX_DIR") or data_dir / "outbox"),
            service_contact=_variable("REGISTRE_SERVICE_CONTACT") or DEFAULT_SERVICE_CONTACT,
        )

    @property
    def credentials(self) -> tuple[str, str] | None:
        """User and password for SMTP AUTH; a user alone (or a password alone) means no login."""
        if self.smtp_user and self.smtp_password:
            return self.smtp_user, self.smtp_password
        return None


def _variable(name: str) -> str | None:
    """The stripped value of a variable; empty counts as unset, as in most deployment tools."""
    value = os.environ.get(name, "").strip()
    return value or None


def _number(name: str, kind: type[Number], default: Number) -> Number:
    value = _variable(name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError as error:
        raise ConfigurationError(f"{name}: {value!r} is not a number") from error


def _security() -> SmtpSecurity:
    value = (_variable("REGISTRE_SMTP_SECURITY") or SmtpSecurity.STARTTLS).lower()
    try:
        return SmtpSecurity(value)
    except ValueError as error:
        msg = f"REGISTRE_SMTP_SECURITY: {value!r} is not one of {', '.join(SmtpSecurity)}"
        raise ConfigurationError(msg) from error

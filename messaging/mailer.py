"""Sending the portal's e-mails: over SMTP when a server is configured, else into an outbox.

Bodies carry one-time codes and sign-in links, so they are never logged nor put in an error
message: whoever reads the logs must not be able to sign in as a member.
"""

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid, parseaddr
from itertools import count
from pathlib import Path
from typing import Protocol
from uuid import uuid4

from domain.calendar import SYSTEM_CLOCK, Clock
from messaging.settings import DEFAULT_MAIL_FROM, MailSettings, SmtpSecurity
from storage.settings import ConfigurationError

log = logging.getLogger(__name__)

SIGNATURE = "\n\nCordialement,\nLe service de prévention et de santé au travail"
"""The end of every mail the portal sends."""
_written = count()
"""Orders the outbox's files written at the same instant (a clock standing still)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file joined to a mail (a convocation's `.ics` and PDF)."""

    filename: str
    content_type: str
    """With its parameters, if any: `text/calendar; charset=utf-8; method=REQUEST`."""
    content: bytes


@dataclass(frozen=True, slots=True)
class Mail:
    """A plain-text mail to one person, with files joined if any; callers write its French
    wording."""

    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


class Mailer(Protocol):
    def send(self, mail: Mail) -> None:
        """Hand the mail over for delivery, or raise `MailDeliveryError`."""


class MailDeliveryError(Exception):
    """The mail server could not be reached or refused the mail (the body is not in the text)."""


class SmtpMailer:
    """Delivers through an SMTP server, one connection per mail.

    Registre sends few mails (sign-in codes, notices), so keeping a connection open would only
    add reconnection logic for idle timeouts, for no measurable gain.
    """

    def __init__(self, settings: MailSettings, clock: Clock = SYSTEM_CLOCK) -> None:
        if not settings.smtp_host:
            raise ConfigurationError("SmtpMailer needs REGISTRE_SMTP_HOST")
        self._settings = settings
        self._clock = clock
        self._host = settings.smtp_host
        self._tls = ssl.create_default_context()

    def send(self, mail: Mail) -> None:
        message = _message(mail, self._settings.mail_from, self._clock)
        try:
            with self._connect() as smtp:
                if self._settings.smtp_security is SmtpSecurity.STARTTLS:
                    smtp.starttls(context=self._tls)
                if credentials := self._settings.credentials:
                    smtp.login(*credentials)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            where = f"{self._host}:{self._settings.smtp_port}"
            msg = f"mail not delivered by {where}: {type(error).__name__}: {error}"
            raise MailDeliveryError(msg) from error

    def _connect(self) -> smtplib.SMTP:
        port, timeout = self._settings.smtp_port, self._settings.smtp_timeout
        if self._settings.smtp_security is SmtpSecurity.TLS:
            return smtplib.SMTP_SSL(self._host, port, timeout=timeout, context=self._tls)
        return smtplib.SMTP(self._host, port, timeout=timeout)


class OutboxMailer:
    """Writes each mail as an `.eml` file, for development and demos without a mail server.

    The files open in any mail client. They hold the same secrets as real mails, hence a
    private folder and files readable by their owner only. Lines end in LF, as in Maildir and
    mbox, so that `messages()` gives back each body exactly as it was written.
    """

    def __init__(
        self, folder: Path, sender: str = DEFAULT_MAIL_FROM, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.folder = folder
        self._sender = sender
        self._clock = clock

    def send(self, mail: Mail) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Fixed-width UTC time, then the order of writing: sorting the names sorts the mails.
        at, order = self._clock.now(), next(_written)
        path = self.folder / f"{at:%Y%m%dT%H%M%S%fZ}-{order:012d}-{uuid4().hex}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(_message(mail, self._sender, self._clock).as_bytes())
        log.info("mail to the outbox: %s", path)

    def messages(self) -> list[EmailMessage]:
        """The mails of the outbox, oldest first."""
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(path.read_bytes()) for path in sorted(self.folder.glob("*.eml"))]


def mailer_from(settings: MailSettings, clock: Clock = SYSTEM_CLOCK) -> Mailer:
    """SMTP when a server is configured, else the outbox; mails dated by `clock`."""
    if settings.smtp_host:
        return SmtpMailer(settings, clock)
    return OutboxMailer(settings.outbox_dir, settings.mail_from, clock)


def _message(mail: Mail, sender: str, clock: Clock) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(clock.now())
    # The sender's domain, not make_msgid's default: that asks DNS for this host's name.
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2])
    # Quoted-printable keeps the mail 7-bit: smtplib sends 8-bit bodies without checking that
    # the server announced 8BITMIME, and a relay that has not may mangle the accents.
    message.set_content(mail.body, cte="quoted-printable")
    for attachment in mail.attachments:
        mime_type, *parameters = (part.strip() for part in attachment.content_type.split(";"))
        maintype, _, subtype = mime_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(parameter.split("=", 1) for parameter in parameters),
        )
    return message

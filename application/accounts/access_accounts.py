"""Accounts opened through access: a member's first administrator from the postal pair, further
companies attached by the pair, accounts opened for someone else; each one told by e-mail."""

import logging
import secrets
import string
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar
from uuid import UUID, uuid4

from application.accounts import mails
from application.accounts.access_store import AccessStore, CodePurpose, Secrets, Session
from application.accounts.access_throttle import Throttle
from application.accounts.commands import (
    WRONG_MEMBER_CODES,
    AttachMember,
    CloseAccount,
    CreateFirstAccount,
    EraseAccount,
    NewAccount,
    OpenAccount,
    confirm_email,
)
from application.accounts.reactions import issued_password_key
from application.accounts.registre_port import AccessRegistre
from application.credentials import hash_secret
from application.requests import CommandResult, Request
from domain.accounts.access import AccountKind
from domain.actor import Actor
from domain.calendar import Clock
from domain.errors import InvalidValue, RuleViolation
from domain.members.member import Member
from messaging.mailer import Mail
from messaging.outbox import MailOutbox

log = logging.getLogger(__name__)

ISSUED_PASSWORD_LENGTH = 16
R = TypeVar("R")


class AccountOpenings:
    """Part of `Access`: what it needs of it is declared here."""

    registre: AccessRegistre
    store: AccessStore
    outbox: MailOutbox
    side_effects: Callable[[], None]
    clock: Clock
    secrets: Secrets
    throttle: Throttle

    # First account, further companies ---------------------------------------------------------

    def create_first_account(
        self,
        *,
        request_id: str,
        member_code: str,
        declarant_number: str,
        person: NewAccount,
        email_confirmation: str,
        third_party_declarant: bool,
        address: str,
    ) -> UUID:
        """Seed 001: the postal pair, then the form; the password comes by e-mail."""
        confirm_email(str(person.email), email_confirmation)
        password = new_password()
        password_hash = hash_secret(password)
        account_id = uuid4()
        # A retry is answered with the first result and no new event: its mail is never released.
        result = self._issue(
            password_hash,
            mails.issued_password(str(person.email), password),
            lambda: self._with_pair(
                member_code,
                address,
                lambda: self.registre.handle(
                    Request(
                        request_id,
                        Actor(str(account_id), _member_of(member_code)),
                    ),
                    CreateFirstAccount(
                        account_id=account_id,
                        member_code=member_code,
                        declarant_number=declarant_number,
                        person=person,
                        third_party_declarant=third_party_declarant,
                        password_hash=password_hash,
                    ),
                ),
            ),
        )
        return result.aggregate_id

    def attach_member(
        self,
        session: Session,
        *,
        request_id: str,
        member_code: str,
        declarant_number: str,
        third_party_declarant: bool,
        address: str,
    ) -> UUID:
        """Another company's postal pair, typed by someone signed in: they become its first
        administrator too."""
        result = self._with_pair(
            member_code,
            address,
            lambda: self.registre.handle(
                Request(request_id, Actor(str(session.account_id), _member_of(member_code))),
                AttachMember(
                    account_id=session.account_id,
                    member_code=member_code,
                    declarant_number=declarant_number,
                    third_party_declarant=third_party_declarant,
                ),
            ),
        )
        return result.aggregate_id

    def _with_pair(
        self, member_code: str, address: str, command: Callable[[], CommandResult]
    ) -> CommandResult:
        """A command that checks a member's postal pair: wrong pairs are counted and throttled
        like wrong passwords, per member code and per address."""
        key = f"pair:{self.secrets.digest(member_code.strip())}"  # whatever was typed, hashed
        attempt = self.throttle.attempt(address, key)
        try:
            result = command()
        except Exception as error:
            if not (isinstance(error, RuleViolation) and error.code == WRONG_MEMBER_CODES.code):
                attempt.withdrawn()
            raise
        attempt.succeeded()
        return result

    # Accounts opened for someone else ------------------------------------------------------

    def open_service_account(
        self, request: Request, person: NewAccount, kind: AccountKind
    ) -> CommandResult:
        """Service staff, an auditor or a regulator: they sign in with codes sent by e-mail."""
        if kind is AccountKind.MEMBER_USER:
            raise InvalidValue(
                "Un utilisateur adhérent est ajouté par son adhérent, pas ici.",
                code="NOT_A_SERVICE_ACCOUNT",
                field="kind",
            )
        result = self.registre.handle(request, OpenAccount(person=person, kind=kind))
        self.side_effects()  # the mail of `ServiceAccountMail`
        return result

    def end_account(self, request: Request, command: CloseAccount | EraseAccount) -> CommandResult:
        """A person who left: the account closed (erased a year later), or erased at once; its
        sessions end either way."""
        result = self.registre.handle(request, command)
        self.store.revoke_sessions_of(command.account_id, self.clock.now())
        return result

    # Mails holding a secret: never in the event log, so written to the outbox by access ------

    def _keep_and_mail(
        self, account_id: UUID, purpose: CodePurpose, secret: str, lifetime: timedelta, mail: Mail
    ) -> None:
        """Keep a secret's hash and write the mail that carries it in one transaction, then
        send that mail now."""
        key = mail_key()
        self.store.keep_code(
            account_id,
            purpose,
            self.secrets.digest(secret),
            self.clock.now() + lifetime,
            mail=lambda tx: self.outbox.put(tx, key, mail),
        )
        self._deliver(key)

    def _post(self, mail: Mail) -> None:
        """A mail no command decides (to an address with no account), sent now."""
        key = mail_key()
        self.outbox.post(key, mail)
        self._deliver(key)

    def _deliver(self, key: str) -> None:
        """Send now a mail written to the outbox; if that fails the caller is told, and the
        outbox tries again later."""
        try:
            self.outbox.deliver(key)
        except Exception:
            log.exception("an access mail could not be sent")
            raise

    def _issue(self, password_hash: str, mail: Mail, command: Callable[[], R]) -> R:
        """Run a command that issues a password, its mail held in the outbox until the event
        `PasswordIssued` with that hash is committed (`IssuedPasswordMail` releases it): a
        crash after the commit still sends it, a refusal never does."""
        key = issued_password_key(password_hash)
        self.outbox.hold(key, mail)
        try:
            result = command()
        except BaseException:
            self.outbox.drop_held(key)
            raise
        self.side_effects()
        return result


def mail_key() -> str:
    """The outbox key of a mail access writes itself: each such mail is its own reason."""
    return f"access:{uuid4().hex}"


def new_password() -> str:
    """A password the service sends: 16 characters of the four kinds."""
    kinds = (string.ascii_lowercase, string.ascii_uppercase, string.digits, "-_.!?")
    alphabet = "".join(kinds)
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(ISSUED_PASSWORD_LENGTH))
        if all(any(c in kind for c in password) for kind in kinds):
            return password


def _member_of(member_code: str) -> UUID:
    """The member a postal pair is for: whoever types it acts on that member's behalf."""
    return Member.create_id(member_code.strip())

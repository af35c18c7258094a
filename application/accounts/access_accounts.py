"""Accounts opened through access: a member's first administrator from the postal pair, further
companies attached by the pair, accounts opened for someone else; each one told by e-mail."""

import logging
import secrets
import string
from collections.abc import Callable
from uuid import UUID

from application.accounts import mails
from application.accounts.access_store import Secrets, Session
from application.accounts.access_throttle import Throttle
from application.accounts.commands import WRONG_MEMBER_CODES, NewAccount, confirm_email
from application.accounts.credentials import hash_secret, verify_secret
from application.registre import Registre
from application.requests import CommandResult, Request
from domain.accounts.access import AccountKind, Role
from domain.accounts.account import account_id_of
from domain.actor import Actor
from domain.errors import InvalidValue, RuleViolation
from domain.members.member import Member
from messaging.mailer import Mail, Mailer

log = logging.getLogger(__name__)

ISSUED_PASSWORD_LENGTH = 16


class AccountOpenings:
    """Part of `Access`: what it needs of it is declared here."""

    registre: Registre
    mailer: Mailer
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
        result = self._with_pair(
            member_code,
            address,
            lambda: self.registre.create_first_account(
                Request(
                    request_id, Actor(str(account_id_of(person.email)), _member_of(member_code))
                ),
                member_code=member_code,
                declarant_number=declarant_number,
                person=person,
                third_party_declarant=third_party_declarant,
                password_hash=hash_secret(password),
            ),
        )
        if verify_secret(self.registre.account(result.aggregate_id).password_hash or "", password):
            self._send(mails.issued_password(str(person.email), password))
        # else: a retry, answered with the first result; the first run mailed its password.
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
            lambda: self.registre.attach_member(
                Request(request_id, Actor(str(session.account_id), _member_of(member_code))),
                session.account_id,
                member_code=member_code,
                declarant_number=declarant_number,
                third_party_declarant=third_party_declarant,
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

    def add_member_user(
        self,
        request: Request,
        member_id: UUID,
        person: NewAccount,
        *,
        roles: frozenset[Role],
        third_party_declarant: bool,
    ) -> CommandResult:
        """An administrator gives someone access; they are told by e-mail."""
        result = self.registre.add_member_user(
            request,
            member_id,
            person,
            roles=roles,
            third_party_declarant=third_party_declarant,
        )
        legal_name = self.registre.member(member_id).legal_name
        self._send(mails.access_granted(str(person.email), legal_name))
        return result

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
        result = self.registre.open_account(request, person, kind)
        self._send(mails.service_account(str(person.email), kind.label))
        return result

    def transfer_declaration(
        self, request: Request, member_id: UUID, year: int, account_id: UUID
    ) -> CommandResult:
        """Hand the declaration to another user of the member, who is told by e-mail."""
        result = self.registre.transfer_declaration(request, member_id, year, account_id)
        member = self.registre.member(member_id)
        sender = self.registre.account(UUID(request.actor.user_id)).display_name
        recipient = self.registre.account(account_id).email
        self._send(mails.declaration_transferred(str(recipient), member.legal_name, year, sender))
        return result

    def _send(self, mail: Mail) -> None:
        try:
            self.mailer.send(mail)
        except Exception:
            log.exception("an access mail could not be sent")
            raise


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

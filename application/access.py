"""Signing in and out: one-time codes by e-mail, passwords, reset links, sessions, throttling.

Every answer to someone not signed in is the same whether the e-mail has an account or not
(the mail sent says the difference, to the address's owner only). Sign-ins, failures on an
account, sign-outs and password changes are events of the account (audit trail); attempts on
no account go to the access log. Secrets are kept as keyed hashes and compared in constant
time; codes and links are single use.
"""

import logging
import os
import secrets
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from application import mails
from application.access_store import AccessEvent, AccessStore, CodePurpose, Secrets, Session
from application.accounts import WRONG_MEMBER_CODES, NewAccount, confirm_email
from application.credentials import decoy_hash, hash_secret, verify_secret
from application.registre import Registre
from application.requests import CommandResult, Request
from domain.access import AccountKind, Principal, Right, Role
from domain.account import (
    Account,
    LoginFailure,
    LoginMethod,
    account_id_of,
    check_password_strength,
)
from domain.actor import Actor
from domain.contact_details import Email
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from domain.member import Member
from domain.throttling import (
    ACCOUNT_POLICY,
    ADDRESS_POLICY,
    MAIL_POLICY,
    Failures,
    ThrottlePolicy,
)
from messaging.mailer import Mail, Mailer

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ANONYMOUS = Actor("anonymous")
"""The actor of a failed sign-in: whoever tried is not known."""
CODE_DIGITS = 8
DEFAULT_PORTAL_URL = "http://127.0.0.1:8000"
ISSUED_PASSWORD_LENGTH = 16
LOGIN_REFUSED = RuleViolation(
    "Adresse e-mail, code ou mot de passe incorrect.", code="LOGIN_REFUSED"
)
CODE_EXPIRED = RuleViolation(
    "Ce code n'est plus valable (30 minutes, une seule fois) : demandez-en un nouveau.",
    code="CODE_EXPIRED",
)
LINK_REFUSED = RuleViolation(
    "Ce lien de réinitialisation n'est plus valable : demandez-en un nouveau.",
    code="RESET_LINK_INVALID",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class AccessSettings:
    session_lifetime: timedelta = timedelta(hours=8)
    code_lifetime: timedelta = timedelta(minutes=30)
    reset_link_lifetime: timedelta = timedelta(hours=1)
    portal_url: str = DEFAULT_PORTAL_URL
    service_contact: str = "le service de santé au travail"

    @classmethod
    def from_environment(cls, service_contact: str) -> "AccessSettings":
        hours = float(os.environ.get("REGISTRE_SESSION_HOURS", "8"))
        return cls(
            session_lifetime=timedelta(hours=hours),
            portal_url=os.environ.get("REGISTRE_PORTAL_URL", DEFAULT_PORTAL_URL).rstrip("/"),
            service_contact=service_contact,
        )


@dataclass(frozen=True, slots=True)
class NewSession:
    """What a sign-in gives: the token (shown once, kept only as a hash) and its terms."""

    token: str
    account_id: UUID
    expires_at: datetime
    password_change_required: bool


class Access:
    def __init__(
        self,
        registre: Registre,
        store: AccessStore,
        mailer: Mailer,
        *,
        memberships: Callable[[UUID], Sequence[UUID]],
        settings: AccessSettings,
        clock: Clock = utc_now,
    ):
        """`memberships` gives the members an account is a user of, the first being where a
        new session starts."""
        self.registre = registre
        self.store = store
        self.mailer = mailer
        self.memberships = memberships
        self.settings = settings
        self.clock = clock
        self.secrets = Secrets(registre.settings.master_key())

    # One-time codes --------------------------------------------------------------------------

    def request_login_code(self, email_text: str, address: str) -> None:
        """Mails a code valid 30 minutes (seed 000), or, to an address with no account, a
        mail saying so. The caller shows the same answer in both cases."""
        email = _email(email_text)
        self._throttled_mail(email, address)
        account = self.registre.find_account(email)
        if account is None:
            self._send(mails.no_account(str(email), self.settings.service_contact))
            return
        code = "".join(secrets.choice(string.digits) for _ in range(CODE_DIGITS))
        lifetime = self.settings.code_lifetime
        self.store.keep_code(
            account.id, CodePurpose.LOGIN, self.secrets.digest(code), self.clock() + lifetime
        )
        self._send(mails.login_code(str(account.email), code, lifetime))

    def login_with_code(self, email_text: str, code: str, address: str) -> NewSession:
        email = _email(email_text)
        keys = self._check_attempts(email, address)
        account = self.registre.find_account(email)
        failure = self._code_failure(account, CodePurpose.LOGIN, code.strip())
        if failure is not None or account is None:
            self._failed(keys, email, account, LoginMethod.ONE_TIME_CODE, failure)
        assert account is not None
        return self._signed_in(account, keys, LoginMethod.ONE_TIME_CODE, change_required=False)

    def _code_failure(
        self,
        account: Account | None,
        purpose: CodePurpose,
        code: str,
        before_use: Callable[[Account], None] = lambda _: None,
    ) -> LoginFailure | None:
        """Why a code is refused, or None when it is consumed; unknown accounts take the same
        path (a digest is computed either way). `before_use` may still refuse a right code
        without using it up (a weak new password: the link must keep working)."""
        digest = self.secrets.digest(code)
        kept = None if account is None else self.store.take_code(account.id, purpose, self.clock())
        if account is None or kept is None or not self.secrets.matches(kept[0], code):
            return LoginFailure.WRONG_SECRET
        if not kept[1]:
            return LoginFailure.EXPIRED_CODE
        before_use(account)
        if not self.store.consume_code(account.id, purpose, digest):
            return LoginFailure.EXPIRED_CODE
        return None

    # Passwords -------------------------------------------------------------------------------

    def login_with_password(self, email_text: str, password: str, address: str) -> NewSession:
        email = _email(email_text)
        keys = self._check_attempts(email, address)
        account = self.registre.find_account(email)
        stored = None if account is None else account.password_hash
        if not verify_secret(stored or decoy_hash(), password) or account is None:
            self._failed(keys, email, account, LoginMethod.PASSWORD, LoginFailure.WRONG_SECRET)
        assert account is not None
        return self._signed_in(
            account, keys, LoginMethod.PASSWORD, change_required=account.must_change_password
        )

    def change_password(self, session: Session, current: str, new: str) -> NewSession:
        """All the account's sessions end; the one that asked gets a fresh session."""
        account = self.registre.account(session.account_id)
        if not verify_secret(account.password_hash or decoy_hash(), current):
            raise InvalidValue(
                "Le mot de passe actuel est incorrect.",
                code="WRONG_PASSWORD",
                field="current_password",
            )
        if verify_secret(account.password_hash or decoy_hash(), new):
            raise InvalidValue(
                "Le nouveau mot de passe doit être différent de l'actuel.",
                code="SAME_PASSWORD",
                field="new_password",
            )
        check_password_strength(new, account.email)
        actor = Actor(str(account.id))
        self.registre.change_password(_request(actor), account.id, hash_secret(new))
        self.store.revoke_sessions_of(account.id, self.clock())
        return self._open_session(account.id, change_required=False, member_id=session.member_id)

    def request_password_reset(self, email_text: str, address: str) -> None:
        email = _email(email_text)
        self._throttled_mail(email, address)
        account = self.registre.find_account(email)
        if account is None:
            self._send(mails.no_account(str(email), self.settings.service_contact))
            return
        secret = secrets.token_urlsafe(32)
        lifetime = self.settings.reset_link_lifetime
        self.store.keep_code(
            account.id,
            CodePurpose.PASSWORD_RESET,
            self.secrets.digest(secret),
            self.clock() + lifetime,
        )
        link = f"{self.settings.portal_url}/mot-de-passe/nouveau?jeton={account.id}.{secret}"
        self._send(mails.password_reset(str(account.email), link, lifetime))

    def reset_password(self, token: str, new_password: str, address: str) -> None:
        """The link's token is `<account id>.<secret>`; it works once, within the hour."""
        account_text, _, secret = token.strip().partition(".")
        self._check(ADDRESS_POLICY, _address_key(address))
        try:
            account: Account | None = self.registre.account(UUID(account_text))
        except (ValueError, NotFound):
            account = None
        failure = self._code_failure(
            account,
            CodePurpose.PASSWORD_RESET,
            secret,
            lambda found: check_password_strength(new_password, found.email),
        )
        if failure is not None:
            self._count_failure(ADDRESS_POLICY, _address_key(address))
            raise LINK_REFUSED.fresh()
        assert account is not None
        self.registre.reset_password(
            _request(Actor(str(account.id))), account.id, hash_secret(new_password)
        )
        self.store.revoke_sessions_of(account.id, self.clock())

    def issue_password(self, account_id: UUID, actor: Actor) -> None:
        """The service sends a new password, to be changed at first sign-in (seed 004)."""
        account = self.registre.account(account_id)
        password = _new_password()
        self.registre.issue_password(_request(actor), account_id, hash_secret(password))
        self.store.revoke_sessions_of(account_id, self.clock())
        self._send(mails.issued_password(str(account.email), password))

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
        password = _new_password()
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
        pair_key = _pair_key(member_code)
        self._check(ACCOUNT_POLICY, pair_key)
        self._check(ADDRESS_POLICY, _address_key(address))
        try:
            result = command()
        except RuleViolation as refusal:
            if refusal.code == WRONG_MEMBER_CODES.code:
                self._count_failure(ACCOUNT_POLICY, pair_key)
                self._count_failure(ADDRESS_POLICY, _address_key(address))
            raise
        self.store.forget_failures(pair_key)
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

    # Sessions --------------------------------------------------------------------------------

    def session(self, token: str) -> Session | None:
        """The live session of a bearer token: not expired, not revoked."""
        if not token:
            return None
        return self.store.live_session(self.secrets.digest(token), self.clock())

    def principal(self, session: Session) -> Principal:
        """Who the session's holder is now: roles are read from the member at each request, so
        a role removed is a right lost at once."""
        account = self.registre.account(session.account_id)
        if account.kind is not AccountKind.MEMBER_USER or session.member_id is None:
            return Principal(account.id, account.kind)
        member = self.registre.member(session.member_id)
        return Principal(account.id, account.kind, member.id, member.roles_of(account.id))

    def switch_member(self, session: Session, member_id: UUID) -> None:
        """Seed 004's "liste des regroupées": work on another of one's members."""
        if member_id not in self.memberships(session.account_id):
            raise NotFound("Cet adhérent n'existe pas.", code="MEMBER_NOT_FOUND")
        self.store.switch_member(session.token_digest, member_id)

    def logout(self, session: Session) -> None:
        self.store.revoke_session(session.token_digest, self.clock())
        self.registre.record_logout(_request(Actor(str(session.account_id))), session.account_id)

    # Access log ------------------------------------------------------------------------------

    def log_health_read(
        self, principal: Principal, operation: str, member_id: UUID | None, subjects: set[UUID]
    ) -> None:
        self.store.log(
            AccessEvent.HEALTH_DATA_READ,
            at=self.clock(),
            account_id=principal.account_id,
            member_id=member_id,
            operation=operation,
            subjects=[str(s) for s in subjects],
        )

    def log_denial(self, principal: Principal, operation: str, right: Right) -> None:
        self.store.log(
            AccessEvent.ACCESS_DENIED,
            at=self.clock(),
            account_id=principal.account_id,
            member_id=principal.member_id,
            operation=operation,
            subjects=[right.value],
        )

    # Inside ------------------------------------------------------------------------------------

    def _signed_in(
        self, account: Account, keys: tuple[str, str], method: LoginMethod, *, change_required: bool
    ) -> NewSession:
        self.store.forget_failures(keys[0])
        self.registre.record_login(_request(Actor(str(account.id))), account.id, method)
        members = self.memberships(account.id)
        return self._open_session(
            account.id, change_required=change_required, member_id=members[0] if members else None
        )

    def _open_session(
        self, account_id: UUID, *, change_required: bool, member_id: UUID | None
    ) -> NewSession:
        token = secrets.token_urlsafe(32)
        expires_at = self.clock() + self.settings.session_lifetime
        digest = self.secrets.digest(token)
        session = Session(digest, account_id, member_id, expires_at, change_required)
        self.store.open_session(session, self.clock())
        return NewSession(token, account_id, expires_at, change_required)

    def _check_attempts(self, email: Email, address: str) -> tuple[str, str]:
        keys = (self._email_key(email), _address_key(address))
        failures = self.store.failures(keys)
        ACCOUNT_POLICY.check(failures.get(keys[0]), self.clock())
        ADDRESS_POLICY.check(failures.get(keys[1]), self.clock())
        return keys

    def _failed(
        self,
        keys: tuple[str, str],
        email: Email,
        account: Account | None,
        method: LoginMethod,
        failure: LoginFailure | None,
    ) -> None:
        self._count_failure(ACCOUNT_POLICY, keys[0])
        self._count_failure(ADDRESS_POLICY, keys[1])
        failure = failure or LoginFailure.WRONG_SECRET
        if account is None:
            self.store.log(
                AccessEvent.UNKNOWN_ACCOUNT_LOGIN,
                at=self.clock(),
                account_id=None,
                member_id=None,
                operation=method.value,
                subjects=[keys[0]],
            )
            raise LOGIN_REFUSED.fresh()
        self.registre.record_failed_login(_request(ANONYMOUS), account.id, method, failure)
        raise (CODE_EXPIRED if failure is LoginFailure.EXPIRED_CODE else LOGIN_REFUSED).fresh()

    def _check(self, policy: ThrottlePolicy, key: str) -> None:
        policy.check(self.store.failures([key]).get(key), self.clock())

    def _count_failure(self, policy: ThrottlePolicy, key: str) -> None:
        before: Failures | None = self.store.failures([key]).get(key)
        self.store.record_failure(key, policy.after_failure(before, self.clock()))

    def _throttled_mail(self, email: Email, address: str) -> None:
        """Codes and links are mailed a few times per address, then no more for a while: the
        portal must not become a way to flood someone's mailbox."""
        key = f"mail:{self.secrets.digest(str(email).casefold())}"
        self._check(MAIL_POLICY, key)
        self._check(ADDRESS_POLICY, _address_key(address))
        self._count_failure(MAIL_POLICY, key)

    def _email_key(self, email: Email) -> str:
        return f"email:{self.secrets.digest(str(email).casefold())}"

    def _send(self, mail: Mail) -> None:
        try:
            self.mailer.send(mail)
        except Exception:
            log.exception("an access mail could not be sent")
            raise


def _new_password() -> str:
    """A password the service sends: 16 characters of the four kinds."""
    kinds = (string.ascii_lowercase, string.ascii_uppercase, string.digits, "-_.!?")
    alphabet = "".join(kinds)
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(ISSUED_PASSWORD_LENGTH))
        if all(any(c in kind for c in password) for kind in kinds):
            return password


def _email(text: str) -> Email:
    try:
        return Email(text)
    except DomainError as error:
        error.field = "email"
        raise


def _address_key(address: str) -> str:
    return f"address:{address}"


def _member_of(member_code: str) -> UUID:
    """The member a postal pair is for: whoever types it acts on that member's behalf."""
    return Member.create_id(member_code.strip())


def _pair_key(member_code: str) -> str:
    return f"pair:{member_code.strip()}"


def _request(actor: Actor) -> Request:
    return Request(f"access-{uuid4().hex}", actor)

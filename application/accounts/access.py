"""Signing in and out: one-time codes by e-mail, passwords, reset links, sessions, throttling.

Every answer to someone not signed in is the same whether the e-mail has an account or not
(the mail sent says the difference, to the address's owner only), made with the same work: the
same reads and comparisons, the same argon2 verification (of a decoy hash if need be), one record
of a failure — an event of the account (audit trail), or for no account a line of the access log.
Those writes differ in time: the API holds the answers to a floor (`AccessSettings.answer_floor`).
Secrets are kept as keyed hashes and compared in constant time; codes and links are single use.
"""

import logging
import secrets
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn
from uuid import UUID, uuid4

from application.accounts import mails
from application.accounts.access_accounts import AccountOpenings, new_password
from application.accounts.access_settings import AccessSettings
from application.accounts.access_store import (
    AccessEvent,
    AccessStore,
    CodePurpose,
    Secrets,
    Session,
)
from application.accounts.access_throttle import Attempt, Throttle
from application.accounts.commands import (
    AccountChange,
    ChangePassword,
    IssuePassword,
    RecordFailedLogin,
    RecordLogin,
    RecordLogout,
    ResetPassword,
)
from application.accounts.registre_port import AccessRegistre
from application.base import RaceLost
from application.credentials import decoy_hash, hash_secret, verify_secret
from application.requests import Request
from domain.accounts.access import NOWHERE, AccountKind, Principal, Right
from domain.accounts.account import (
    Account,
    LoginFailure,
    LoginMethod,
    account_id_of,
    check_password_strength,
)
from domain.actor import Actor
from domain.contact_details import Email
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from messaging.outbox import MailOutbox

log = logging.getLogger(__name__)

WRONG_SECRET = LoginFailure.WRONG_SECRET
ANONYMOUS = Actor("anonymous")
"""The actor of a failed sign-in: whoever tried is not known."""
CODE_DIGITS = 8
NO_DIGEST = "0" * 64
"""What a code is compared with when none is kept: no secret's digest."""
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


@dataclass(frozen=True, slots=True)
class NewSession:
    """What a sign-in gives: the token (shown once, kept only as a hash) and its terms."""

    token: str
    account_id: UUID
    expires_at: datetime
    password_change_required: bool


class Access(AccountOpenings):
    def __init__(
        self,
        registre: AccessRegistre,
        store: AccessStore,
        outbox: MailOutbox,
        *,
        side_effects: Callable[[], None],
        memberships: Callable[[UUID], Sequence[UUID]],
        settings: AccessSettings,
    ):
        """`memberships` gives the members an account is a user of, the first being where a
        new session starts. `side_effects` carries out now what the commands just committed
        caused (the reactions' mails): the person is told before the answer. Time is the
        application's clock."""
        self.registre = registre
        self.store = store
        self.outbox = outbox
        self.side_effects = side_effects
        self.memberships = memberships
        self.settings = settings
        self.clock = registre.clock
        self.secrets = Secrets(registre.settings.master_key())
        self.throttle = Throttle(store, self.clock)

    # One-time codes --------------------------------------------------------------------------

    def request_login_code(self, email_text: str, address: str) -> None:
        """Mails a code valid 30 minutes (seed 000), or, to an address with no account, a
        mail saying so. The caller shows the same answer in both cases."""
        account = self._account_to_mail(email_text, address)
        if account is None:
            return
        code = "".join(secrets.choice(string.digits) for _ in range(CODE_DIGITS))
        lifetime = self.settings.code_lifetime
        mail = mails.login_code(str(account.email), code, lifetime)
        self._keep_and_mail(account.id, CodePurpose.LOGIN, code, lifetime, mail)

    def login_with_code(self, email_text: str, code: str, address: str) -> NewSession:
        email, key = self._email_and_key(email_text)
        attempt = self.throttle.attempt(address, key)
        account = self._checked(
            email,
            key,
            LoginMethod.ONE_TIME_CODE,
            lambda found: self._code_failure(
                account_id_of(email) if found is None else found.id,
                found,
                CodePurpose.LOGIN,
                code.strip(),
            ),
        )
        return self._signed_in(account, attempt, LoginMethod.ONE_TIME_CODE, change_required=False)

    def _code_failure(
        self,
        account_id: UUID,
        account: Account | None,
        purpose: CodePurpose,
        code: str,
        before_use: Callable[[Account], None] = lambda _: None,
    ) -> LoginFailure | None:
        """Why a code is refused, or None when it is consumed. `account_id` is the account's,
        or the one it would have: its code is looked for and compared with either way.
        `before_use` may still refuse a right code without using it up (a weak new password:
        the link must keep working)."""
        kept = self.store.take_code(account_id, purpose, self.clock.now())
        right = self.secrets.matches(NO_DIGEST if kept is None else kept[0], code)
        if account is None or kept is None or not right:
            return LoginFailure.WRONG_SECRET
        if not kept[1]:
            return LoginFailure.EXPIRED_CODE
        before_use(account)
        if not self.store.consume_code(account.id, purpose, self.secrets.digest(code)):
            return LoginFailure.EXPIRED_CODE
        return None

    # Passwords -------------------------------------------------------------------------------

    def login_with_password(self, email_text: str, password: str, address: str) -> NewSession:
        email, key = self._email_and_key(email_text)
        attempt = self.throttle.attempt(address, key)

        def failure(found: Account | None) -> LoginFailure | None:
            stored = None if found is None else found.password_hash
            return None if verify_secret(stored or decoy_hash(), password) else WRONG_SECRET

        account = self._checked(email, key, LoginMethod.PASSWORD, failure)
        return self._signed_in(
            account, attempt, LoginMethod.PASSWORD, change_required=account.must_change_password
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
        self._record(ChangePassword(account_id=account.id, password_hash=hash_secret(new)))
        self.store.revoke_sessions_of(account.id, self.clock.now())
        return self._open_session(account.id, change_required=False, member_id=session.member_id)

    def request_password_reset(self, email_text: str, address: str) -> None:
        account = self._account_to_mail(email_text, address)
        if account is None:
            return
        secret = secrets.token_urlsafe(32)
        lifetime = self.settings.reset_link_lifetime
        link = f"{self.settings.portal_url}/mot-de-passe/nouveau?jeton={account.id}.{secret}"
        mail = mails.password_reset(str(account.email), link, lifetime)
        self._keep_and_mail(account.id, CodePurpose.PASSWORD_RESET, secret, lifetime, mail)

    def reset_password(self, token: str, new_password: str, address: str) -> None:
        """The link's token is `<account id>.<secret>`; it works once, within the hour."""
        account_text, _, secret = token.strip().partition(".")
        attempt = self.throttle.attempt(address)
        try:
            account_id = UUID(account_text)
        except ValueError:
            account_id = NOWHERE
        try:
            account: Account | None = self.registre.account(account_id)
        except NotFound:
            account = None
        if account is not None and account.erased:
            account = None
        try:
            failure = self._code_failure(
                account_id,
                account,
                CodePurpose.PASSWORD_RESET,
                secret,
                lambda found: check_password_strength(new_password, found.email),
            )
        except DomainError:
            attempt.withdrawn()
            raise
        if failure is not None or account is None:
            raise LINK_REFUSED.fresh()
        attempt.succeeded()
        self._record(ResetPassword(account_id=account.id, password_hash=hash_secret(new_password)))
        self.store.revoke_sessions_of(account.id, self.clock.now())

    def issue_password(self, account_id: UUID, actor: Actor) -> None:
        """The service sends a new password, to be changed at first sign-in (seed 004)."""
        account = self.registre.account(account_id)
        password = new_password()
        password_hash = hash_secret(password)
        self._issue(
            password_hash,
            mails.issued_password(str(account.email), password),
            lambda: self._record(
                IssuePassword(account_id=account_id, password_hash=password_hash), actor
            ),
        )
        self.store.revoke_sessions_of(account_id, self.clock.now())

    # Sessions --------------------------------------------------------------------------------

    def session(self, token: str) -> Session | None:
        """The live session of a bearer token: not expired, not revoked."""
        if not token:
            return None
        return self.store.live_session(self.secrets.digest(token), self.clock.now())

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
        self.store.revoke_session(session.token_digest, self.clock.now())
        self._record(RecordLogout(account_id=session.account_id))

    # Access log ------------------------------------------------------------------------------

    def log_health_read(
        self, principal: Principal, operation: str, member_id: UUID | None, subjects: set[UUID]
    ) -> None:
        self.store.log(
            AccessEvent.HEALTH_DATA_READ,
            at=self.clock.now(),
            account_id=principal.account_id,
            member_id=member_id,
            operation=operation,
            subjects=[str(s) for s in subjects],
        )

    def log_denial(self, principal: Principal, operation: str, right: Right) -> None:
        self.store.log(
            AccessEvent.ACCESS_DENIED,
            at=self.clock.now(),
            account_id=principal.account_id,
            member_id=principal.member_id,
            operation=operation,
            subjects=[right.value],
        )

    # Inside ------------------------------------------------------------------------------------

    def _checked(
        self,
        email: Email,
        key: str,
        method: LoginMethod,
        failure_of: Callable[[Account | None], LoginFailure | None],
    ) -> Account:
        """The account whose secret was given right; else the failure is recorded, and refused.
        `failure_of` gets None for an e-mail with no account, and must do the same work then."""
        account = self.registre.find_account(email)
        failure = failure_of(account)
        if failure is not None or account is None:
            self._failed(key, account, method, failure or WRONG_SECRET)
        return account

    def _signed_in(
        self, account: Account, attempt: Attempt, method: LoginMethod, *, change_required: bool
    ) -> NewSession:
        attempt.succeeded()
        self._record(RecordLogin(account_id=account.id, method=method))
        members = self.memberships(account.id)
        return self._open_session(
            account.id, change_required=change_required, member_id=members[0] if members else None
        )

    def _open_session(
        self, account_id: UUID, *, change_required: bool, member_id: UUID | None
    ) -> NewSession:
        token = secrets.token_urlsafe(32)
        expires_at = self.clock.now() + self.settings.session_lifetime
        digest = self.secrets.digest(token)
        session = Session(digest, account_id, member_id, expires_at, change_required)
        self.store.open_session(session, self.clock.now())
        return NewSession(token, account_id, expires_at, change_required)

    def _failed(
        self, key: str, account: Account | None, method: LoginMethod, failure: LoginFailure
    ) -> NoReturn:
        """One record of the failure: an event of the account, or a line of the access log
        naming the e-mail by its key."""
        if account is None:
            self.store.log(
                AccessEvent.UNKNOWN_ACCOUNT_LOGIN,
                at=self.clock.now(),
                account_id=None,
                member_id=None,
                operation=method.value,
                subjects=[key],
            )
            raise LOGIN_REFUSED.fresh()
        try:
            failed = RecordFailedLogin(account_id=account.id, method=method, failure=failure)
            self._record(failed, ANONYMOUS)
        except RaceLost:
            # Only under a burst of attempts on the account, already counted by the throttle:
            # the answer must still be the one a stranger would get.
            log.warning("a failed sign-in could not be added to its account's history")
        raise (CODE_EXPIRED if failure is LoginFailure.EXPIRED_CODE else LOGIN_REFUSED).fresh()

    def _record(self, command: AccountChange, actor: Actor | None = None) -> None:
        """A fact of the account, by the account itself unless said otherwise."""
        actor = actor or Actor(str(command.account_id))
        self.registre.handle(Request(f"access-{uuid4().hex}", actor), command)

    def _account_to_mail(self, email_text: str, address: str) -> Account | None:
        """The account a code or a link is asked for, once the mails to its address are
        counted; None when the address has none, after mailing it so."""
        email = _email(email_text)
        self.throttle.mail(self._mail_key(email), address)
        account = self.registre.find_account(email)
        if account is None:
            self._post(mails.no_account(str(email), self.settings.service_contact))
        return account

    def _mail_key(self, email: Email) -> str:
        return f"mail:{self.secrets.digest(str(email).casefold())}"

    def _email_and_key(self, text: str) -> tuple[Email, str]:
        """The e-mail typed, and the key of its failures (a keyed hash: no e-mail in clear)."""
        email = _email(text)
        return email, f"email:{self.secrets.digest(str(email).casefold())}"


def _email(text: str) -> Email:
    try:
        return Email(text)
    except DomainError as error:
        error.field = "email"
        raise

"""The Account aggregate (compte utilisateur): a person who signs in to the portal.

One account per login e-mail: the address is claimed by the account (`EmailClaim`), so two
accounts for one address cannot both be saved. An account's id is drawn at random; accounts
opened before that have the id `account_id_of` their address, and keep it. What the account may
do for a member lives with that member (its users and their roles); the account holds who the
person is — sealed with the person's identity key, so that erasing the account (a person who
left) destroys it everywhere —, how they prove it, and the record of their sign-ins, sign-outs
and password changes for the audit trail.
"""

import enum
from datetime import date
from typing import ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.accounts.access import AccountKind
from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue, RuleViolation
from domain.labelled import LabelledEnum
from domain.personal_data import DataCategory, PersonalData
from domain.retention import ACCOUNT_KEPT_AFTER_CLOSING_YEARS, ACCOUNT_RETENTION_REASON, years_after
from domain.text import required_text

ERASED_ON_REQUEST = "personne partie"
ACCOUNT_NAMESPACE = UUID("0b8f6a52-3c1e-5d27-8e9a-4f6b2d1c7a30")


def account_id_of(email: Email) -> UUID:
    """The id an account opened before ids were drawn at random has: that of its login e-mail,
    whatever the case it is typed in."""
    return uuid5(ACCOUNT_NAMESPACE, str(email).casefold())


class LoginMethod(enum.Enum):
    ONE_TIME_CODE = "ONE_TIME_CODE"
    PASSWORD = "PASSWORD"  # noqa: S105 (a method's name, not a password)

    @property
    def label(self) -> str:
        return "code à usage unique" if self is LoginMethod.ONE_TIME_CODE else "mot de passe"


class LoginFailure(LabelledEnum):
    WRONG_SECRET = "WRONG_SECRET", "code ou mot de passe erroné"
    EXPIRED_CODE = "EXPIRED_CODE", "code expiré ou déjà utilisé"


class Account(RegistreAggregate):
    personal_data: ClassVar[PersonalData] = {
        "email": DataCategory.IDENTITY,
        "last_name": DataCategory.IDENTITY,
        "first_name": DataCategory.IDENTITY,
        "function": DataCategory.IDENTITY,
        "mobile": DataCategory.IDENTITY,
    }

    email: Email | None
    last_name: str | None
    first_name: str | None
    function: str | None
    mobile: PhoneNumber | None
    kind: AccountKind
    password_hash: str | None
    must_change_password: bool
    erased: bool = False  # the snapshots of accounts made before erasure existed lack it
    closed_on: date | None = None  # nor had they closing

    @classmethod
    def open(
        cls,
        *,
        account_id: UUID | None = None,
        email: Email,
        last_name: str,
        first_name: str,
        function: str,
        mobile: PhoneNumber | None,
        kind: AccountKind,
        actor: Actor,
    ) -> "Account":
        # `_create` takes the id the application drew (a uuid4 when None); the event is `Opened`.
        return cls._create(
            cls.Opened,  # type: ignore[attr-defined]
            id=account_id,
            email=Email.coerce(email),
            last_name=required_text(last_name, "last_name", "Le nom"),
            first_name=required_text(first_name, "first_name", "Le prénom"),
            function=required_text(function, "function", "La fonction"),
            mobile=PhoneNumber.coerce_optional(mobile),
            kind=kind,
            actor=actor,
        )

    @event("Opened")
    def __init__(  # noqa: PLR0917 (the event's fields)
        self,
        email: Email,
        last_name: str,
        first_name: str,
        function: str,
        mobile: PhoneNumber | None,
        kind: AccountKind,
        actor: Actor,
    ) -> None:
        self.email = email
        self.last_name = last_name
        self.first_name = first_name
        self.function = function
        self.mobile = mobile
        self.kind = kind
        self.password_hash = None
        self.must_change_password = False
        self.erased = False

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    # Closing and erasure ----------------------------------------------------------------------

    def close(self, today: date, actor: Actor) -> None:
        """A person who left: no more sign-in; the identity is kept a year (`domain.retention`)
        so that the trail still tells who did what, then erased."""
        if self.erased or self.closed_on is not None:
            raise RuleViolation("Ce compte est déjà fermé.", code="ACCOUNT_CLOSED")
        self._closed(closed_on=today, actor=actor)

    @event("Closed")
    def _closed(self, closed_on: date, actor: Actor) -> None:
        self.closed_on = closed_on

    def erase(self, actor: Actor) -> None:
        """A person who left, at once: the account is closed for good, and its identity erased
        (the application destroys the identity key). The event names no one."""
        if self.erased:
            raise RuleViolation("Ce compte est déjà effacé.", code="ACCOUNT_ERASED")
        self._erased(reason=ERASED_ON_REQUEST, actor=actor)

    def retention_ends_on(self) -> date | None:
        if self.erased or self.closed_on is None:
            return None
        return years_after(self.closed_on, ACCOUNT_KEPT_AFTER_CLOSING_YEARS)

    def end_retention(self, today: date, actor: Actor) -> None:
        ends_on = self.retention_ends_on()
        if ends_on is None or today < ends_on:
            raise RuleViolation(
                "La durée de conservation de ce compte n'est pas écoulée.",
                code="RETENTION_NOT_ENDED",
            )
        self._erased(reason=ACCOUNT_RETENTION_REASON, actor=actor)

    @event("Erased")
    def _erased(self, reason: str, actor: Actor) -> None:
        self.email = self.last_name = self.first_name = self.function = None
        self.mobile = None
        self.password_hash = None
        self.must_change_password = False
        self.erased = True

    # Passwords (argon2 hashes only; the password itself never reaches an event) ---------------
    # Nothing to check: each change is the event itself.

    @event("PasswordIssued")
    def issue_password(self, password_hash: str, actor: Actor) -> None:
        """The service sends a password: it must be changed at first sign-in (seed 004)."""
        self.password_hash = password_hash
        self.must_change_password = True

    @event("PasswordChanged")
    def change_password(self, password_hash: str, actor: Actor) -> None:
        self.password_hash = password_hash
        self.must_change_password = False

    @event("PasswordReset")
    def reset_password(self, password_hash: str, actor: Actor) -> None:
        """A new password chosen through the link of a reset e-mail."""
        self.password_hash = password_hash
        self.must_change_password = False

    # Sign-ins, for the audit trail ------------------------------------------------------------

    def record_login(self, method: LoginMethod, actor: Actor) -> None:
        if self.erased or self.closed_on is not None:
            raise RuleViolation("Ce compte est fermé.", code="ACCOUNT_CLOSED")
        if method is LoginMethod.PASSWORD and self.password_hash is None:
            raise RuleViolation(
                "Ce compte n'a pas de mot de passe : connectez-vous avec un code reçu par e-mail.",
                code="NO_PASSWORD",
            )
        self._logged_in(method=method, actor=actor)

    @event("LoggedIn")
    def _logged_in(self, method: LoginMethod, actor: Actor) -> None:
        pass

    @event("LoginFailed")
    def record_failed_login(self, method: LoginMethod, failure: LoginFailure, actor: Actor) -> None:
        pass

    @event("LoggedOut")
    def record_logout(self, actor: Actor) -> None:
        pass


MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


def check_password_strength(password: str, email: Email | None) -> None:
    """At least 12 characters, of at least three kinds among lower case, upper case, digits and
    others (the CNIL's recommendation for a password alone), and not the e-mail itself."""
    kinds = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    used = sum(any(kind(c) for c in password) for kind in kinds)
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH or used < 3:
        raise InvalidValue(
            f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères, dont trois"
            " sortes parmi : minuscules, majuscules, chiffres, autres signes.",
            code="WEAK_PASSWORD",
            field="new_password",
        )
    if email is not None and str(email).casefold() in password.casefold():
        raise InvalidValue(
            "Le mot de passe ne doit pas contenir votre adresse e-mail.",
            code="WEAK_PASSWORD",
            field="new_password",
        )

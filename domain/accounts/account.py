"""The Account aggregate (compte utilisateur): a person who signs in to the portal.

One account per login e-mail: the id follows from the address, so two accounts for one address
cannot both be saved. What the account may do for a member lives with that member (its users and
their roles); the account holds who the person is, how they prove it, and the record of their
sign-ins, sign-outs and password changes for the audit trail.
"""

import enum
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.accounts.access import AccountKind
from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue, RuleViolation
from domain.labelled import LabelledEnum
from domain.text import required_text

ACCOUNT_NAMESPACE = UUID("0b8f6a52-3c1e-5d27-8e9a-4f6b2d1c7a30")


def account_id_of(email: Email) -> UUID:
    """The account of a login e-mail, whatever the case it is typed in."""
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
    email: Email
    last_name: str
    first_name: str
    function: str
    mobile: PhoneNumber | None
    kind: AccountKind
    password_hash: str | None
    must_change_password: bool

    @staticmethod
    def create_id(email: Email, **_: Any) -> UUID:
        return account_id_of(email)

    @classmethod
    def open(
        cls,
        *,
        email: Email,
        last_name: str,
        first_name: str,
        function: str,
        mobile: PhoneNumber | None,
        kind: AccountKind,
        actor: Actor,
    ) -> "Account":
        return cls(
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

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

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


def check_password_strength(password: str, email: Email) -> None:
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
    if str(email).casefold() in password.casefold():
        raise InvalidValue(
            "Le mot de passe ne doit pas contenir votre adresse e-mail.",
            code="WEAK_PASSWORD",
            field="new_password",
        )

"""Commands of the accounts context: who may sign in, and for which members, with which roles.

Accounts and the members' lists of users are event-sourced: every account opened, role granted
or removed, password set, sign-in (failed or not) and sign-out is in the log, with its actor.
Sessions, one-time codes and counters are not (see `application.accounts.access`).
"""

from collections.abc import Callable, Collection
from typing import ClassVar
from uuid import UUID

import msgspec
from eventsourcing.domain import Aggregate
from msgspec.structs import force_setattr

from application.accounts.claims import claim_new_account, find_account, release_claim
from application.base import RegistreApplication, result_of
from application.commands import Change, Command, Decision, in_order
from application.members.commands import MEMBER_NOT_FOUND, MemberChange, check_declarant_number
from application.requests import CommandResult, Request
from domain.accounts.access import AccountKind, Notification, Role
from domain.accounts.account import Account, LoginFailure, LoginMethod
from domain.accounts.email_claim import EmailClaim
from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.members.member import Member
from domain.personal_data import DataCategory

ACCOUNT_NOT_FOUND = NotFound("Ce compte n'existe pas.", code="ACCOUNT_NOT_FOUND")
WRONG_MEMBER_CODES = RuleViolation(
    "Code adhérent ou numéro télédéclarant incorrect. Vérifiez le courrier du service, ou"
    " demandez-lui un nouveau numéro.",
    code="WRONG_MEMBER_CODES",
)
EMAIL_TAKEN = RuleViolation(
    "Cette adresse e-mail a déjà un compte.", code="EMAIL_TAKEN", field="email"
)
EMAIL_TAKEN_ATTACH_INSTEAD = RuleViolation(
    "Cette adresse e-mail a déjà un compte : connectez-vous, puis rattachez l'entreprise à votre"
    " compte avec son code adhérent et son numéro télédéclarant.",
    code="EMAIL_TAKEN",
    field="email",
)


class NewAccount(msgspec.Struct, frozen=True, kw_only=True):
    """Who a new account is for, as the account creation form asks it (seed 001)."""

    email: Email
    last_name: str
    first_name: str
    function: str
    mobile: PhoneNumber | None = None

    def open(
        self,
        app: RegistreApplication,
        kind: AccountKind,
        request: Request,
        taken: RuleViolation,
        account_id: UUID | None = None,
    ) -> tuple[Account, EmailClaim]:
        """The new account (of id `account_id` when the caller drew it, else drawn here) and its
        claim of the address; `taken` when the address has an account."""
        account_id, claim = claim_new_account(app, self.email, taken, account_id)
        account = Account.open(
            account_id=account_id,
            email=self.email,
            last_name=self.last_name,
            first_name=self.first_name,
            function=self.function,
            mobile=self.mobile,
            kind=kind,
            actor=request.actor,
        )
        return account, claim


def confirm_email(email: str, confirmation: str) -> None:
    if email.strip().casefold() != confirmation.strip().casefold():
        raise InvalidValue(
            "Les deux adresses e-mail saisies sont différentes.",
            code="EMAIL_MISMATCH",
            field="email_confirmation",
        )


class AccountQueries(RegistreApplication):
    def account(self, account_id: UUID) -> Account:
        return self.load(Account, account_id, ACCOUNT_NOT_FOUND)

    def find_account(self, email: Email) -> Account | None:
        return find_account(self, email)


# Opening accounts --------------------------------------------------------------------------------


class OpenAccount(Command[CommandResult], frozen=True, kw_only=True):
    """An account of the service (staff, auditor, regulator), or of a member's user."""

    person: NewAccount
    kind: AccountKind

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        account, claim = self.person.open(app, self.kind, request, EMAIL_TAKEN)
        return [account, claim], result_of(account)


class CreateFirstAccount(Command[CommandResult], frozen=True, kw_only=True):
    """Seed 001: the pair sent by post makes its holder the member's first administrator.
    The account and the member's new user are saved together, or neither is."""

    # The account's id is drawn anew at each try: a retry is still the same command.
    secrets = frozenset({"declarant_number", "password_hash", "account_id"})
    account_id: UUID | None = None
    """Drawn by the caller, as the person opening their account acts as it (else drawn here)."""
    member_code: str
    declarant_number: str
    person: NewAccount
    third_party_declarant: bool
    password_hash: str

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        member = member_of_codes(app, self.member_code, self.declarant_number)
        account, claim = self.person.open(
            app, AccountKind.MEMBER_USER, request, EMAIL_TAKEN_ATTACH_INSTEAD, self.account_id
        )
        account.issue_password(self.password_hash, request.actor)
        member.register_first_administrator(
            account.id, third_party_declarant=self.third_party_declarant, actor=request.actor
        )
        return [account, claim, member], result_of(account)


class AttachMember(Command[CommandResult], frozen=True, kw_only=True):
    """Another company's pair makes an existing account its first administrator too."""

    secrets = frozenset({"declarant_number"})
    account_id: UUID
    member_code: str
    declarant_number: str
    third_party_declarant: bool

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        account = app.load(Account, self.account_id, ACCOUNT_NOT_FOUND)
        if account.kind is not AccountKind.MEMBER_USER:
            raise RuleViolation(
                "Un compte du service ne devient pas utilisateur d'un adhérent.",
                code="NOT_A_MEMBER_ACCOUNT",
            )
        member = member_of_codes(app, self.member_code, self.declarant_number)
        member.register_first_administrator(
            self.account_id, third_party_declarant=self.third_party_declarant, actor=request.actor
        )
        return [member], result_of(member)


def member_of_codes(app: RegistreApplication, member_code: str, declarant_number: str) -> Member:
    member = check_declarant_number(app, member_code, declarant_number)
    if member is None:
        raise WRONG_MEMBER_CODES.fresh()
    return member


# A member's users --------------------------------------------------------------------------------


class AddMemberUser(Command[CommandResult], frozen=True, kw_only=True):
    """An administrator gives someone access; their account is opened if they have none."""

    member_id: UUID
    person: NewAccount
    roles: Collection[Role]
    third_party_declarant: bool

    def __post_init__(self) -> None:
        force_setattr(self, "roles", in_order(self.roles))

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        member = app.load(Member, self.member_id, MEMBER_NOT_FOUND, request.actor)
        account = find_account(app, self.person.email)
        if account is not None and account.kind is not AccountKind.MEMBER_USER:
            raise RuleViolation(
                "Cette adresse est celle d'un compte du service, pas d'un adhérent.",
                code="NOT_A_MEMBER_ACCOUNT",
                field="email",
            )
        opened: list[Aggregate] = []
        if account is None:
            account, claim = self.person.open(app, AccountKind.MEMBER_USER, request, EMAIL_TAKEN)
            opened = [account, claim]
        member.add_user(
            account.id,
            frozenset(self.roles),
            third_party_declarant=self.third_party_declarant,
            actor=request.actor,
        )
        return [*opened, member], result_of(member)


class ChangeMemberUserRoles(MemberChange, frozen=True, kw_only=True):
    account_id: UUID
    roles: Collection[Role]
    calls = Member.change_user_roles

    def __post_init__(self) -> None:
        force_setattr(self, "roles", in_order(self.roles))


class RemoveMemberUser(MemberChange, frozen=True, kw_only=True):
    account_id: UUID
    calls = Member.remove_user


class ChooseNotifications(MemberChange, frozen=True, kw_only=True):
    account_id: UUID
    notifications: Collection[Notification]
    calls = Member.choose_notifications

    def __post_init__(self) -> None:
        force_setattr(self, "notifications", in_order(self.notifications))


# Passwords and sign-ins --------------------------------------------------------------------------


class AccountChange(Change[Account], frozen=True, kw_only=True):
    """Secrets never reach the command log: only which account and what kind of change."""

    aggregate = Account
    not_found = ACCOUNT_NOT_FOUND
    target = "account_id"
    # Two sign-ins of one account at the same moment (two tabs, a guessing script): these facts
    # do not depend on the account's state, so the one that lost is recorded again.
    decide_again_on_race: ClassVar[bool] = True
    account_id: UUID


class PasswordChange(AccountChange, frozen=True, kw_only=True):
    secrets = frozenset({"password_hash"})
    password_hash: str


class IssuePassword(PasswordChange, frozen=True, kw_only=True):
    calls = Account.issue_password


class ChangePassword(PasswordChange, frozen=True, kw_only=True):
    calls = Account.change_password


class ResetPassword(PasswordChange, frozen=True, kw_only=True):
    calls = Account.reset_password


class RecordLogin(AccountChange, frozen=True, kw_only=True):
    method: LoginMethod
    calls = Account.record_login


class RecordFailedLogin(AccountChange, frozen=True, kw_only=True):
    method: LoginMethod
    failure: LoginFailure
    calls = Account.record_failed_login


class RecordLogout(AccountChange, frozen=True, kw_only=True):
    calls = Account.record_logout


# Erasure -----------------------------------------------------------------------------------------


class EraseAccount(Command[CommandResult], frozen=True, kw_only=True):
    """A person who left: their account is closed for good and their identity erased — names,
    e-mail, mobile, in every event and snapshot — by destroying its key; the address's claim is
    released (its own key destroyed too), so the address may open a new account later.

    As for an employee's identity, the erasure is decided first, then the keys are destroyed
    (the claim's first: a crash in between leaves the address free), then the events are saved:
    no reader sees `Erased` while the identity can still be read.
    """

    account_id: UUID

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        account = app.load(Account, self.account_id, ACCOUNT_NOT_FOUND)
        return erased(app, account, lambda: account.erase(request.actor))


class EndAccountRetention(Command[CommandResult], frozen=True, kw_only=True):
    """A closed account whose year of retention is over is erased (sent by `registre retention
    run` and the daily process, never by a user)."""

    account_id: UUID

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        account = app.load(Account, self.account_id, ACCOUNT_NOT_FOUND)
        return erased(app, account, lambda: account.end_retention(app.today(), request.actor))


def erased(
    app: RegistreApplication, account: Account, erase: Callable[[], None]
) -> Decision[CommandResult]:
    """The account erased by `erase` (which may refuse), its claim released, the keys of both
    destroyed, the claim's first (see `EraseAccount`)."""
    claim = release_claim(app, account)
    erase()
    if claim is not None:
        app.subject_keys.destroy(claim.id, DataCategory.IDENTITY)
    app.subject_keys.destroy(account.id, DataCategory.IDENTITY)
    changed: list[Aggregate] = [account] if claim is None else [account, claim]
    return changed, result_of(account)


class CloseAccount(AccountChange, frozen=True, kw_only=True):
    """A person who left: no more sign-in; erased a year later (`domain.retention`)."""

    decide_again_on_race: ClassVar[bool] = False

    def apply(self, account: Account, app: RegistreApplication, request: Request) -> None:
        account.close(app.today(), request.actor)

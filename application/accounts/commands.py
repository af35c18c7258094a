"""Commands of the accounts context: who may sign in, and for which members, with which roles.

Accounts and the members' lists of users are event-sourced: every account opened, role granted
or removed, password set, sign-in (failed or not) and sign-out is in the log, with its actor.
Sessions, one-time codes and counters are not (see `application.accounts.access`).
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from application.base import result_of
from application.members.commands import MEMBER_NOT_FOUND, MemberCommands
from application.requests import CommandResult, Request
from domain.accounts.access import AccountKind, Notification, Role
from domain.accounts.account import Account, LoginFailure, LoginMethod, account_id_of
from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.members.member import Member

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


class NewAccount:
    """Who a new account is for, as the account creation form asks it (seed 001)."""

    def __init__(
        self,
        *,
        email: Email,
        last_name: str,
        first_name: str,
        function: str,
        mobile: PhoneNumber | None = None,
    ):
        self.email = email
        self.last_name = last_name
        self.first_name = first_name
        self.function = function
        self.mobile = mobile

    def arguments(self) -> dict[str, Any]:
        return dict(vars(self))

    def open(self, kind: AccountKind, request: Request) -> Account:
        return Account.open(
            email=self.email,
            last_name=self.last_name,
            first_name=self.first_name,
            function=self.function,
            mobile=self.mobile,
            kind=kind,
            actor=request.actor,
        )


def confirm_email(email: str, confirmation: str) -> None:
    if email.strip().casefold() != confirmation.strip().casefold():
        raise InvalidValue(
            "Les deux adresses e-mail saisies sont différentes.",
            code="EMAIL_MISMATCH",
            field="email_confirmation",
        )


class AccountCommands(MemberCommands):
    def account(self, account_id: UUID) -> Account:
        return self.load(Account, account_id, ACCOUNT_NOT_FOUND)

    def find_account(self, email: Email) -> Account | None:
        try:
            return self.account(account_id_of(email))
        except NotFound:
            return None

    def open_account(
        self, request: Request, person: NewAccount, kind: AccountKind
    ) -> CommandResult:
        """An account of the service (staff, auditor, regulator), or of a member's user."""

        def decide() -> tuple[list[Account], CommandResult]:
            if self.find_account(person.email) is not None:
                raise EMAIL_TAKEN.fresh()
            account = person.open(kind, request)
            return [account], result_of(account)

        arguments = {**person.arguments(), "kind": kind}
        return self.execute(request, "open_account", arguments, decide, CommandResult)

    def create_first_account(
        self,
        request: Request,
        *,
        member_code: str,
        declarant_number: str,
        person: NewAccount,
        third_party_declarant: bool,
        password_hash: str,
    ) -> CommandResult:
        """Seed 001: the pair sent by post makes its holder the member's first administrator.
        The account and the member's new user are saved together, or neither is."""

        def decide() -> tuple[list[Account | Member], CommandResult]:
            member = self._member_of_codes(member_code, declarant_number)
            if self.find_account(person.email) is not None:
                raise EMAIL_TAKEN_ATTACH_INSTEAD.fresh()
            account = person.open(AccountKind.MEMBER_USER, request)
            account.issue_password(password_hash, request.actor)
            member.register_first_administrator(
                account.id, third_party_declarant=third_party_declarant, actor=request.actor
            )
            return [account, member], result_of(account)

        arguments = {
            "member_code": member_code,
            **person.arguments(),
            "third_party_declarant": third_party_declarant,
        }
        return self.execute(request, "create_first_account", arguments, decide, CommandResult)

    def attach_member(
        self,
        request: Request,
        account_id: UUID,
        *,
        member_code: str,
        declarant_number: str,
        third_party_declarant: bool,
    ) -> CommandResult:
        """Another company's pair makes an existing account its first administrator too."""

        def decide() -> tuple[list[Member], CommandResult]:
            if self.account(account_id).kind is not AccountKind.MEMBER_USER:
                raise RuleViolation(
                    "Un compte du service ne devient pas utilisateur d'un adhérent.",
                    code="NOT_A_MEMBER_ACCOUNT",
                )
            member = self._member_of_codes(member_code, declarant_number)
            member.register_first_administrator(
                account_id, third_party_declarant=third_party_declarant, actor=request.actor
            )
            return [member], result_of(member)

        arguments = {
            "account_id": account_id,
            "member_code": member_code,
            "third_party_declarant": third_party_declarant,
        }
        return self.execute(request, "attach_member", arguments, decide, CommandResult)

    def _member_of_codes(self, member_code: str, declarant_number: str) -> Member:
        member = self.check_declarant_number(member_code, declarant_number)
        if member is None:
            raise WRONG_MEMBER_CODES.fresh()
        return member

    # A member's users ------------------------------------------------------------------------

    def add_member_user(
        self,
        request: Request,
        member_id: UUID,
        person: NewAccount,
        *,
        roles: frozenset[Role],
        third_party_declarant: bool,
    ) -> CommandResult:
        """An administrator gives someone access; their account is opened if they have none."""

        def decide() -> tuple[list[Account | Member], CommandResult]:
            member = self.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)
            account = self.find_account(person.email)
            if account is not None and account.kind is not AccountKind.MEMBER_USER:
                raise RuleViolation(
                    "Cette adresse est celle d'un compte du service, pas d'un adhérent.",
                    code="NOT_A_MEMBER_ACCOUNT",
                    field="email",
                )
            opened = account is None
            account = account or person.open(AccountKind.MEMBER_USER, request)
            member.add_user(
                account.id, roles, third_party_declarant=third_party_declarant, actor=request.actor
            )
            return [account, member] if opened else [member], result_of(member)

        arguments = {
            "member_id": member_id,
            **person.arguments(),
            "roles": roles,
            "third_party_declarant": third_party_declarant,
        }
        return self.execute(request, "add_member_user", arguments, decide, CommandResult)

    def change_member_user_roles(
        self, request: Request, member_id: UUID, account_id: UUID, roles: frozenset[Role]
    ) -> CommandResult:
        return self._change_users(
            request,
            "change_member_user_roles",
            member_id,
            {"account_id": account_id, "roles": roles},
            lambda m: m.change_user_roles(account_id, roles, request.actor),
        )

    def remove_member_user(
        self, request: Request, member_id: UUID, account_id: UUID
    ) -> CommandResult:
        return self._change_users(
            request,
            "remove_member_user",
            member_id,
            {"account_id": account_id},
            lambda m: m.remove_user(account_id, request.actor),
        )

    def choose_notifications(
        self,
        request: Request,
        member_id: UUID,
        account_id: UUID,
        notifications: frozenset[Notification],
    ) -> CommandResult:
        return self._change_users(
            request,
            "choose_notifications",
            member_id,
            {"account_id": account_id, "notifications": notifications},
            lambda m: m.choose_notifications(account_id, notifications, request.actor),
        )

    def _change_users(
        self,
        request: Request,
        command: str,
        member_id: UUID,
        arguments: dict[str, Any],
        change: Callable[[Member], None],
    ) -> CommandResult:
        arguments = {"member_id": member_id, **arguments}
        return self.change(request, command, Member, member_id, MEMBER_NOT_FOUND, arguments, change)

    # Passwords and sign-ins ------------------------------------------------------------------

    def issue_password(self, request: Request, account_id: UUID, password_hash: str) -> None:
        self._change_account(
            request,
            "issue_password",
            account_id,
            lambda a: a.issue_password(password_hash, request.actor),
        )

    def change_password(self, request: Request, account_id: UUID, password_hash: str) -> None:
        self._change_account(
            request,
            "change_password",
            account_id,
            lambda a: a.change_password(password_hash, request.actor),
        )

    def reset_password(self, request: Request, account_id: UUID, password_hash: str) -> None:
        self._change_account(
            request,
            "reset_password",
            account_id,
            lambda a: a.reset_password(password_hash, request.actor),
        )

    def record_login(self, request: Request, account_id: UUID, method: LoginMethod) -> None:
        self._change_account(
            request,
            "record_login",
            account_id,
            lambda a: a.record_login(method, request.actor),
            {"method": method},
        )

    def record_failed_login(
        self, request: Request, account_id: UUID, method: LoginMethod, failure: LoginFailure
    ) -> None:
        self._change_account(
            request,
            "record_failed_login",
            account_id,
            lambda a: a.record_failed_login(method, failure, request.actor),
            {"method": method, "failure": failure},
        )

    def record_logout(self, request: Request, account_id: UUID) -> None:
        self._change_account(
            request, "record_logout", account_id, lambda a: a.record_logout(request.actor)
        )

    def _change_account(
        self,
        request: Request,
        command: str,
        account_id: UUID,
        change: Callable[[Account], None],
        arguments: dict[str, Any] | None = None,
    ) -> None:
        """Secrets never reach the command log: only which account and what kind of change."""

        arguments = {"account_id": account_id, **(arguments or {})}
        # Two sign-ins of one account at the same moment (two tabs, a guessing script): these
        # facts do not depend on the account's state, so the one that lost is recorded again.
        self.change(
            request,
            command,
            Account,
            account_id,
            ACCOUNT_NOT_FOUND,
            arguments,
            change,
            decide_again_on_race=True,
        )

"""Mutations of a member's portal users (seed 000, step 2: users, roles, notifications) and of
the service's own accounts."""

from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import Rule, mutation
from api.commands import ChangeInput, CommandInput, run, send
from api.context import GraphQLInfo
from api.enums import AccountKind, Notification, Role
from api.failures import Failure
from api.inputs import optional, value
from api.members.changed import MemberChanged
from api.rules import SERVICE
from application.accounts.commands import (
    AddMemberUser,
    ChangeMemberUserRoles,
    ChooseNotifications,
    NewAccount,
    RemoveMemberUser,
)
from domain.accounts.access import NOWHERE, Right
from domain.contact_details import Email, PhoneNumber

MANAGES_USERS = Rule(Right.MANAGE_USERS)


@strawberry.input(description="La personne : nom, prénom, fonction, e-mail, mobile.")
class PersonInput:
    email: str
    last_name: str
    first_name: str
    function: str
    mobile: str | None = None

    def to_domain(self) -> NewAccount:
        return NewAccount(
            email=value(Email, self.email, "email"),
            last_name=self.last_name,
            first_name=self.first_name,
            function=self.function,
            mobile=optional(PhoneNumber, self.mobile, "mobile"),
        )


@strawberry.input
class AddMemberUserInput(ChangeInput):
    member_id: UUID
    person: PersonInput
    roles: list[Role]
    third_party_declarant: bool = False


@strawberry.input
class ChangeMemberUserRolesInput(ChangeInput):
    member_id: UUID
    account_id: UUID
    roles: list[Role]


@strawberry.input
class RemoveMemberUserInput(ChangeInput):
    member_id: UUID
    account_id: UUID


@strawberry.input
class ChooseNotificationsInput(ChangeInput):
    member_id: UUID
    account_id: UUID
    notifications: list[Notification]


@strawberry.input
class ChooseMyNotificationsInput(CommandInput):
    notifications: list[Notification]


@strawberry.input
class OpenServiceAccountInput(CommandInput):
    person: PersonInput
    kind: AccountKind


@strawberry.type
class MemberUsersChanged(MemberChanged): ...


@strawberry.type(description="Compte du service ouvert ; la personne est prévenue par e-mail.")
class ServiceAccountOpened:
    account_id: UUID


@strawberry.type(description="Nouveau mot de passe envoyé ; les sessions du compte sont fermées.")
class PasswordIssued:
    account_id: UUID


MemberUsersResult = Annotated[MemberUsersChanged | Failure, strawberry.union("MemberUsersResult")]
OpenServiceAccountResult = Annotated[
    ServiceAccountOpened | Failure, strawberry.union("OpenServiceAccountResult")
]
IssuePasswordResult = Annotated[PasswordIssued | Failure, strawberry.union("IssuePasswordResult")]


@strawberry.type
class UserMutations:
    @mutation("Donner accès au portail à une personne, avec ses rôles.", MANAGES_USERS)
    async def add_member_user(
        self, info: GraphQLInfo, input: AddMemberUserInput
    ) -> MemberUsersResult:
        return await send(
            info,
            input,
            AddMemberUser(
                member_id=input.member_id,
                person=input.person.to_domain(),
                roles=frozenset(input.roles),
                third_party_declarant=input.third_party_declarant,
            ),
            MemberUsersChanged.read,
        )

    @mutation("Changer les rôles d'un utilisateur.", MANAGES_USERS)
    async def change_member_user_roles(
        self, info: GraphQLInfo, input: ChangeMemberUserRolesInput
    ) -> MemberUsersResult:
        return await send(
            info,
            input,
            ChangeMemberUserRoles(
                member_id=input.member_id, account_id=input.account_id, roles=frozenset(input.roles)
            ),
            MemberUsersChanged.read,
        )

    @mutation("Retirer l'accès d'un utilisateur.", MANAGES_USERS)
    async def remove_member_user(
        self, info: GraphQLInfo, input: RemoveMemberUserInput
    ) -> MemberUsersResult:
        return await send(
            info,
            input,
            RemoveMemberUser(member_id=input.member_id, account_id=input.account_id),
            MemberUsersChanged.read,
        )

    @mutation("Choisir les notifications d'un utilisateur.", MANAGES_USERS)
    async def choose_notifications(
        self, info: GraphQLInfo, input: ChooseNotificationsInput
    ) -> MemberUsersResult:
        return await send(
            info,
            input,
            ChooseNotifications(
                member_id=input.member_id,
                account_id=input.account_id,
                notifications=frozenset(input.notifications),
            ),
            MemberUsersChanged.read,
        )

    @mutation(
        "Choisir ses propres notifications pour l'adhérent de la session.",
        Rule(Right.CHOOSE_NOTIFICATIONS),
    )
    async def choose_my_notifications(
        self, info: GraphQLInfo, input: ChooseMyNotificationsInput
    ) -> MemberUsersResult:
        principal = info.context.principal
        assert principal is not None
        return await send(
            info,
            input,
            ChooseNotifications(
                member_id=principal.member_id or NOWHERE,
                account_id=principal.account_id,
                notifications=frozenset(input.notifications),
            ),
            MemberUsersChanged.read,
        )

    @mutation("Ouvrir un compte du service (personnel, auditeur, autorité).", SERVICE)
    async def open_service_account(
        self, info: GraphQLInfo, input: OpenServiceAccountInput
    ) -> OpenServiceAccountResult:
        access = info.context.services.access
        return await run(
            info,
            input,
            lambda _, request: access.open_service_account(
                request, input.person.to_domain(), input.kind
            ),
            lambda _, result: ServiceAccountOpened(account_id=result.aggregate_id),
        )

    @mutation(
        "Envoyer un nouveau mot de passe, à changer à la première connexion (seed 004).", SERVICE
    )
    async def issue_password(
        self, info: GraphQLInfo, input: CommandInput, account_id: UUID
    ) -> IssuePasswordResult:
        context = info.context

        def issue(_: object, request: object) -> UUID:
            assert context.principal is not None
            context.services.access.issue_password(account_id, context.principal.actor)
            return account_id

        return await run(info, input, issue, lambda _, issued: PasswordIssued(account_id=issued))

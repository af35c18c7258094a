"""Mutations of a member's portal users (seed 000, step 2: users, roles, notifications) and of
the service's own accounts."""

from typing import Annotated, TypeVar
from uuid import UUID

import strawberry

from api.authorization import Rule, mutation
from api.commands import ChangeInput, CommandInput, run
from api.context import GraphQLInfo
from api.enums import AccountKind, Notification, Role
from api.failures import Failure
from api.members.changed import MemberChanged
from api.message_mutations import answer, message_from, sends
from api.rules import SERVICE
from application.accounts.commands import (
    AddMemberUser,
    ChangeMemberUserRoles,
    ChooseNotifications,
    CloseAccount,
    EraseAccount,
    NewAccount,
    RemoveMemberUser,
)
from domain.accounts.access import NOWHERE, Right

MANAGES_USERS = Rule(Right.MANAGE_USERS)


@strawberry.input(description="La personne : nom, prénom, fonction, e-mail, mobile.")
class PersonInput:
    email: str
    last_name: str
    first_name: str
    function: str
    mobile: str | None = None

    def to_domain(self) -> NewAccount:
        return message_from(NewAccount, self)


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


OpenServiceAccountResult = Annotated[
    ServiceAccountOpened | Failure, strawberry.union("OpenServiceAccountResult")
]
IssuePasswordResult = Annotated[PasswordIssued | Failure, strawberry.union("IssuePasswordResult")]


@strawberry.type(
    description="Compte effacé : fermé pour de bon, l'identité de la personne détruite, ses"
    " sessions fermées."
)
class AccountErased:
    account_id: UUID


EraseAccountResult = Annotated[AccountErased | Failure, strawberry.union("EraseAccountResult")]


@strawberry.type(
    description="Compte fermé : plus de connexion possible, sessions fermées ; l'identité est"
    " effacée un an après."
)
class AccountClosed:
    account_id: UUID


CloseAccountResult = Annotated[AccountClosed | Failure, strawberry.union("CloseAccountResult")]
Ended = TypeVar("Ended", AccountClosed, AccountErased)
USERS_CHANGED = answer("MemberUsersResult", MemberUsersChanged, MemberUsersChanged.read)


def _my_notifications(input: ChooseMyNotificationsInput, info: GraphQLInfo) -> ChooseNotifications:
    principal = info.context.principal
    assert principal is not None
    return message_from(
        ChooseNotifications,
        input,
        member_id=principal.member_id or NOWHERE,
        account_id=principal.account_id,
    )


@strawberry.type
class UserMutations:
    add_member_user = sends(
        AddMemberUser,
        AddMemberUserInput,
        USERS_CHANGED,
        "Donner accès au portail à une personne, avec ses rôles.",
        MANAGES_USERS,
    )
    change_member_user_roles = sends(
        ChangeMemberUserRoles,
        ChangeMemberUserRolesInput,
        USERS_CHANGED,
        "Changer les rôles d'un utilisateur.",
        MANAGES_USERS,
    )
    remove_member_user = sends(
        RemoveMemberUser,
        RemoveMemberUserInput,
        USERS_CHANGED,
        "Retirer l'accès d'un utilisateur.",
        MANAGES_USERS,
    )
    choose_notifications = sends(
        ChooseNotifications,
        ChooseNotificationsInput,
        USERS_CHANGED,
        "Choisir les notifications d'un utilisateur.",
        MANAGES_USERS,
    )
    choose_my_notifications = sends(
        _my_notifications,
        ChooseMyNotificationsInput,
        USERS_CHANGED,
        "Choisir ses propres notifications pour l'adhérent de la session.",
        Rule(Right.CHOOSE_NOTIFICATIONS),
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

    @mutation(
        "Effacer le compte d'une personne partie : le compte est fermé, son identité (nom,"
        " e-mail, mobile) détruite partout ; l'historique garde « compte effacé ».",
        SERVICE,
    )
    async def erase_account(
        self, info: GraphQLInfo, input: CommandInput, account_id: UUID
    ) -> EraseAccountResult:
        return await _ending(info, input, EraseAccount(account_id=account_id), AccountErased)

    @mutation(
        "Fermer le compte d'une personne partie : plus de connexion ; son identité est effacée"
        " un an après (durée de conservation).",
        SERVICE,
    )
    async def close_account(
        self, info: GraphQLInfo, input: CommandInput, account_id: UUID
    ) -> CloseAccountResult:
        return await _ending(info, input, CloseAccount(account_id=account_id), AccountClosed)


async def _ending(
    info: GraphQLInfo,
    input: CommandInput,
    command: CloseAccount | EraseAccount,
    answer: type[Ended],
) -> Ended | Failure:
    access = info.context.services.access
    return await run(
        info,
        input,
        lambda _, request: access.end_account(request, command),
        lambda _, result: answer(account_id=result.aggregate_id),
    )

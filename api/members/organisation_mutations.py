"""Mutations of a member's organisation: branches, contacts, interlocutors."""

from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import Rule, mutation
from api.commands import ChangeInput, send
from api.context import GraphQLInfo
from api.enums import Interlocutor
from api.failures import Failure
from api.inputs import AddressInput, ContactInput, optional
from api.members.changed import MemberChanged
from application.members.commands import (
    AddContact,
    AssignInterlocutor,
    ChangeBranch,
    ChangeContact,
    CloseBranch,
    OpenBranch,
    RemoveContact,
    UnassignInterlocutor,
)
from domain.accounts.access import Right
from domain.identifiers import Siret


@strawberry.input
class OpenBranchInput(ChangeInput):
    member_id: UUID
    name: str
    address: AddressInput
    siret: str | None = None


@strawberry.input
class ChangeBranchInput(OpenBranchInput):
    number: int


@strawberry.input
class CloseBranchInput(ChangeInput):
    member_id: UUID
    number: int
    last_day: date


@strawberry.input
class AddContactInput(ChangeInput):
    member_id: UUID
    contact: ContactInput


@strawberry.input
class ChangeContactInput(AddContactInput):
    contact_id: int


@strawberry.input
class RemoveContactInput(ChangeInput):
    member_id: UUID
    contact_id: int


@strawberry.input
class AssignInterlocutorInput(ChangeInput):
    member_id: UUID
    role: Interlocutor
    contact_id: int


@strawberry.input
class UnassignInterlocutorInput(ChangeInput):
    member_id: UUID
    role: Interlocutor


@strawberry.type(description="Établissement ouvert : createdId est son numéro.")
class OpenBranchSuccess(MemberChanged): ...


@strawberry.type
class ChangeBranchSuccess(MemberChanged): ...


@strawberry.type
class CloseBranchSuccess(MemberChanged): ...


@strawberry.type(description="Contact ajouté : createdId est son numéro.")
class AddContactSuccess(MemberChanged): ...


@strawberry.type
class ChangeContactSuccess(MemberChanged): ...


@strawberry.type
class RemoveContactSuccess(MemberChanged): ...


@strawberry.type
class AssignInterlocutorSuccess(MemberChanged): ...


@strawberry.type
class UnassignInterlocutorSuccess(MemberChanged): ...


OpenBranchResult = Annotated[OpenBranchSuccess | Failure, strawberry.union("OpenBranchResult")]
ChangeBranchResult = Annotated[
    ChangeBranchSuccess | Failure, strawberry.union("ChangeBranchResult")
]
CloseBranchResult = Annotated[CloseBranchSuccess | Failure, strawberry.union("CloseBranchResult")]
AddContactResult = Annotated[AddContactSuccess | Failure, strawberry.union("AddContactResult")]
ChangeContactResult = Annotated[
    ChangeContactSuccess | Failure, strawberry.union("ChangeContactResult")
]
RemoveContactResult = Annotated[
    RemoveContactSuccess | Failure, strawberry.union("RemoveContactResult")
]
AssignInterlocutorResult = Annotated[
    AssignInterlocutorSuccess | Failure, strawberry.union("AssignInterlocutorResult")
]
UnassignInterlocutorResult = Annotated[
    UnassignInterlocutorSuccess | Failure, strawberry.union("UnassignInterlocutorResult")
]


@strawberry.type
class OrganisationMutations:
    @mutation(
        "Ouvrir un établissement (succursale).",
        Rule(Right.MANAGE_COMPANY),
    )
    async def open_branch(self, info: GraphQLInfo, input: OpenBranchInput) -> OpenBranchResult:
        return await send(
            info,
            input,
            OpenBranch(
                member_id=input.member_id,
                name=input.name,
                address=input.address.to_domain(),
                siret=optional(Siret, input.siret, "siret"),
            ),
            OpenBranchSuccess.read,
        )

    @mutation(
        "Modifier un établissement.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def change_branch(
        self, info: GraphQLInfo, input: ChangeBranchInput
    ) -> ChangeBranchResult:
        return await send(
            info,
            input,
            ChangeBranch(
                member_id=input.member_id,
                number=input.number,
                name=input.name,
                address=input.address.to_domain(),
                siret=optional(Siret, input.siret, "siret"),
            ),
            ChangeBranchSuccess.read,
        )

    @mutation(
        "Fermer un établissement après son dernier jour.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def close_branch(self, info: GraphQLInfo, input: CloseBranchInput) -> CloseBranchResult:
        return await send(
            info,
            input,
            CloseBranch(member_id=input.member_id, number=input.number, last_day=input.last_day),
            CloseBranchSuccess.read,
        )

    @mutation(
        "Ajouter un contact.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def add_contact(self, info: GraphQLInfo, input: AddContactInput) -> AddContactResult:
        return await send(
            info,
            input,
            AddContact(member_id=input.member_id, contact=input.contact.to_domain()),
            AddContactSuccess.read,
        )

    @mutation(
        "Modifier un contact.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def change_contact(
        self, info: GraphQLInfo, input: ChangeContactInput
    ) -> ChangeContactResult:
        return await send(
            info,
            input,
            ChangeContact(
                member_id=input.member_id, contact=input.contact.to_domain(input.contact_id)
            ),
            ChangeContactSuccess.read,
        )

    @mutation(
        "Supprimer un contact (s'il n'est pas interlocuteur).",
        Rule(Right.MANAGE_COMPANY),
    )
    async def remove_contact(
        self, info: GraphQLInfo, input: RemoveContactInput
    ) -> RemoveContactResult:
        return await send(
            info,
            input,
            RemoveContact(member_id=input.member_id, contact_id=input.contact_id),
            RemoveContactSuccess.read,
        )

    @mutation(
        "Désigner un contact comme interlocuteur.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def assign_interlocutor(
        self, info: GraphQLInfo, input: AssignInterlocutorInput
    ) -> AssignInterlocutorResult:
        return await send(
            info,
            input,
            AssignInterlocutor(
                member_id=input.member_id, role=input.role, contact_id=input.contact_id
            ),
            AssignInterlocutorSuccess.read,
        )

    @mutation(
        "Retirer la désignation d'un interlocuteur.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def unassign_interlocutor(
        self, info: GraphQLInfo, input: UnassignInterlocutorInput
    ) -> UnassignInterlocutorResult:
        return await send(
            info,
            input,
            UnassignInterlocutor(member_id=input.member_id, role=input.role),
            UnassignInterlocutorSuccess.read,
        )

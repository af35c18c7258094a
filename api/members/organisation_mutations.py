"""Mutations of a member's organisation: branches, contacts, interlocutors."""

from datetime import date
from uuid import UUID

import strawberry

from api.commands import ChangeInput
from api.context import GraphQLInfo
from api.enums import Interlocutor
from api.inputs import AddressInput, ContactInput
from api.members.changed import MemberChanged
from api.members.rules import MANAGES_COMPANY
from api.message_mutations import message_from, own_success, sends
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


def _change_contact(input: ChangeContactInput, _: GraphQLInfo) -> ChangeContact:
    return message_from(ChangeContact, input, contact=input.contact.to_domain(input.contact_id))


@strawberry.type
class OrganisationMutations:
    open_branch = sends(
        OpenBranch,
        OpenBranchInput,
        own_success(
            MemberChanged, "OpenBranch", "Établissement ouvert : createdId est son numéro."
        ),
        "Ouvrir un établissement (succursale).",
        MANAGES_COMPANY,
    )
    change_branch = sends(
        ChangeBranch,
        ChangeBranchInput,
        own_success(MemberChanged, "ChangeBranch"),
        "Modifier un établissement.",
        MANAGES_COMPANY,
    )
    close_branch = sends(
        CloseBranch,
        CloseBranchInput,
        own_success(MemberChanged, "CloseBranch"),
        "Fermer un établissement après son dernier jour.",
        MANAGES_COMPANY,
    )
    add_contact = sends(
        AddContact,
        AddContactInput,
        own_success(MemberChanged, "AddContact", "Contact ajouté : createdId est son numéro."),
        "Ajouter un contact.",
        MANAGES_COMPANY,
    )
    change_contact = sends(
        _change_contact,
        ChangeContactInput,
        own_success(MemberChanged, "ChangeContact"),
        "Modifier un contact.",
        MANAGES_COMPANY,
    )
    remove_contact = sends(
        RemoveContact,
        RemoveContactInput,
        own_success(MemberChanged, "RemoveContact"),
        "Supprimer un contact (s'il n'est pas interlocuteur).",
        MANAGES_COMPANY,
    )
    assign_interlocutor = sends(
        AssignInterlocutor,
        AssignInterlocutorInput,
        own_success(MemberChanged, "AssignInterlocutor"),
        "Désigner un contact comme interlocuteur.",
        MANAGES_COMPANY,
    )
    unassign_interlocutor = sends(
        UnassignInterlocutor,
        UnassignInterlocutorInput,
        own_success(MemberChanged, "UnassignInterlocutor"),
        "Retirer la désignation d'un interlocuteur.",
        MANAGES_COMPANY,
    )

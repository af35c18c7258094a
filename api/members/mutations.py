"""Mutations of a member's company record: registration, administrative information, addresses,
declarant number, changes of situation."""

from datetime import date
from uuid import UUID

import strawberry

from api.commands import ChangeInput, CommandInput
from api.enums import AddressKind, SituationChangeKind
from api.inputs import AddressInput
from api.members.changed import MemberChanged
from api.members.rules import MANAGES_COMPANY
from api.message_mutations import own_success, sends
from api.rules import SERVICE
from application.members.commands import (
    ChangeAddress,
    ChangeAdministrativeInformation,
    DeclareSituationChange,
    RegisterMember,
    ReissueDeclarantNumber,
)


@strawberry.input
class RegisterMemberInput(CommandInput):
    member_code: str
    declarant_number: str
    legal_name: str
    siret: str | None = None


@strawberry.input
class ChangeAdministrativeInformationInput(ChangeInput):
    member_id: UUID
    legal_name: str
    siret: str | None = None
    vat_number: str | None = None
    has_cse: bool | None = None


@strawberry.input
class ChangeAddressInput(ChangeInput):
    member_id: UUID
    kind: AddressKind
    address: AddressInput


@strawberry.input
class ReissueDeclarantNumberInput(ChangeInput):
    member_id: UUID
    declarant_number: str


@strawberry.input
class DeclareSituationChangeInput(ChangeInput):
    member_id: UUID
    kind: SituationChangeKind
    description: str
    effective_on: date


@strawberry.type
class MemberMutations:
    register_member = sends(
        RegisterMember,
        RegisterMemberInput,
        own_success(MemberChanged, "RegisterMember"),
        "Enregistrer un adhérent (par le service).",
        SERVICE,
    )
    change_administrative_information = sends(
        ChangeAdministrativeInformation,
        ChangeAdministrativeInformationInput,
        own_success(MemberChanged, "ChangeAdministrativeInformation"),
        "Raison sociale, SIRET, TVA intracommunautaire, CSE.",
        MANAGES_COMPANY,
    )
    change_address = sends(
        ChangeAddress,
        ChangeAddressInput,
        own_success(MemberChanged, "ChangeAddress"),
        "Adresse du lieu de travail, de facturation, de convocation.",
        MANAGES_COMPANY,
    )
    reissue_declarant_number = sends(
        ReissueDeclarantNumber,
        ReissueDeclarantNumberInput,
        own_success(MemberChanged, "ReissueDeclarantNumber"),
        "Nouveau numéro de télédéclarant (envoyé par courrier).",
        SERVICE,
    )
    declare_situation_change = sends(
        DeclareSituationChange,
        DeclareSituationChangeInput,
        own_success(MemberChanged, "DeclareSituationChange"),
        "Déclarer un changement de situation.",
        MANAGES_COMPANY,
    )

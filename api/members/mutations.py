"""Mutations of a member's company record: registration, administrative information, addresses,
declarant number, changes of situation."""

from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import Rule, mutation
from api.commands import ChangeInput, CommandInput, send
from api.context import GraphQLInfo
from api.enums import AddressKind, SituationChangeKind
from api.failures import Failure
from api.inputs import AddressInput, optional
from api.members.changed import MemberChanged
from api.rules import SERVICE
from application.members.commands import (
    ChangeAddress,
    ChangeAdministrativeInformation,
    DeclareSituationChange,
    RegisterMember,
    ReissueDeclarantNumber,
)
from domain.accounts.access import Right
from domain.identifiers import Siret, VatNumber


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
class RegisterMemberSuccess(MemberChanged): ...


@strawberry.type
class ChangeAdministrativeInformationSuccess(MemberChanged): ...


@strawberry.type
class ChangeAddressSuccess(MemberChanged): ...


@strawberry.type
class ReissueDeclarantNumberSuccess(MemberChanged): ...


@strawberry.type
class DeclareSituationChangeSuccess(MemberChanged): ...


RegisterMemberResult = Annotated[
    RegisterMemberSuccess | Failure, strawberry.union("RegisterMemberResult")
]
ChangeAdministrativeInformationResult = Annotated[
    ChangeAdministrativeInformationSuccess | Failure,
    strawberry.union("ChangeAdministrativeInformationResult"),
]
ChangeAddressResult = Annotated[
    ChangeAddressSuccess | Failure, strawberry.union("ChangeAddressResult")
]
ReissueDeclarantNumberResult = Annotated[
    ReissueDeclarantNumberSuccess | Failure, strawberry.union("ReissueDeclarantNumberResult")
]
DeclareSituationChangeResult = Annotated[
    DeclareSituationChangeSuccess | Failure, strawberry.union("DeclareSituationChangeResult")
]


@strawberry.type
class MemberMutations:
    @mutation(
        "Enregistrer un adhérent (par le service).",
        SERVICE,
    )
    async def register_member(
        self, info: GraphQLInfo, input: RegisterMemberInput
    ) -> RegisterMemberResult:
        return await send(
            info,
            input,
            RegisterMember(
                member_code=input.member_code,
                declarant_number=input.declarant_number,
                legal_name=input.legal_name,
                siret=optional(Siret, input.siret, "siret"),
            ),
            RegisterMemberSuccess.read,
        )

    @mutation(
        "Raison sociale, SIRET, TVA intracommunautaire, CSE.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def change_administrative_information(
        self, info: GraphQLInfo, input: ChangeAdministrativeInformationInput
    ) -> ChangeAdministrativeInformationResult:
        return await send(
            info,
            input,
            ChangeAdministrativeInformation(
                member_id=input.member_id,
                legal_name=input.legal_name,
                siret=optional(Siret, input.siret, "siret"),
                vat_number=optional(VatNumber, input.vat_number, "vat_number"),
                has_cse=input.has_cse,
            ),
            ChangeAdministrativeInformationSuccess.read,
        )

    @mutation(
        "Adresse du lieu de travail, de facturation, de convocation.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def change_address(
        self, info: GraphQLInfo, input: ChangeAddressInput
    ) -> ChangeAddressResult:
        return await send(
            info,
            input,
            ChangeAddress(
                member_id=input.member_id, kind=input.kind, address=input.address.to_domain()
            ),
            ChangeAddressSuccess.read,
        )

    @mutation(
        "Nouveau numéro de télédéclarant (envoyé par courrier).",
        SERVICE,
    )
    async def reissue_declarant_number(
        self, info: GraphQLInfo, input: ReissueDeclarantNumberInput
    ) -> ReissueDeclarantNumberResult:
        return await send(
            info,
            input,
            ReissueDeclarantNumber(
                member_id=input.member_id, declarant_number=input.declarant_number
            ),
            ReissueDeclarantNumberSuccess.read,
        )

    @mutation(
        "Déclarer un changement de situation.",
        Rule(Right.MANAGE_COMPANY),
    )
    async def declare_situation_change(
        self, info: GraphQLInfo, input: DeclareSituationChangeInput
    ) -> DeclareSituationChangeResult:
        return await send(
            info,
            input,
            DeclareSituationChange(
                member_id=input.member_id,
                kind=input.kind,
                description=input.description,
                effective_on=input.effective_on,
            ),
            DeclareSituationChangeSuccess.read,
        )

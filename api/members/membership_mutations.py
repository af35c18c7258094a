"""Mutations of a member's SEPA mandate and membership: sign, revoke, suspend, resume, terminate."""

from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import Rule, mutation
from api.commands import ChangeInput, send
from api.context import GraphQLInfo
from api.failures import Failure
from api.inputs import SepaMandateInput
from api.members.changed import MemberChanged
from api.rules import SERVICE
from application.members.commands import (
    ResumeMembership,
    RevokeSepaMandate,
    SignSepaMandate,
    SuspendMembership,
    TerminateMembership,
)
from domain.accounts.access import Right


@strawberry.input
class SignSepaMandateInput(ChangeInput):
    member_id: UUID
    mandate: SepaMandateInput


@strawberry.input
class RevokeSepaMandateInput(ChangeInput):
    member_id: UUID
    revoked_on: date


@strawberry.input
class SuspendMembershipInput(ChangeInput):
    member_id: UUID
    reason: str
    effective_on: date


@strawberry.input
class TerminateMembershipInput(SuspendMembershipInput): ...


@strawberry.input
class ResumeMembershipInput(ChangeInput):
    member_id: UUID
    effective_on: date


@strawberry.type
class SignSepaMandateSuccess(MemberChanged): ...


@strawberry.type
class RevokeSepaMandateSuccess(MemberChanged): ...


@strawberry.type
class SuspendMembershipSuccess(MemberChanged): ...


@strawberry.type
class ResumeMembershipSuccess(MemberChanged): ...


@strawberry.type
class TerminateMembershipSuccess(MemberChanged): ...


SignSepaMandateResult = Annotated[
    SignSepaMandateSuccess | Failure, strawberry.union("SignSepaMandateResult")
]
RevokeSepaMandateResult = Annotated[
    RevokeSepaMandateSuccess | Failure, strawberry.union("RevokeSepaMandateResult")
]
SuspendMembershipResult = Annotated[
    SuspendMembershipSuccess | Failure, strawberry.union("SuspendMembershipResult")
]
ResumeMembershipResult = Annotated[
    ResumeMembershipSuccess | Failure, strawberry.union("ResumeMembershipResult")
]
TerminateMembershipResult = Annotated[
    TerminateMembershipSuccess | Failure, strawberry.union("TerminateMembershipResult")
]


@strawberry.type
class MembershipMutations:
    @mutation(
        "Enregistrer un mandat de prélèvement SEPA signé.",
        Rule(Right.MANAGE_BILLING),
    )
    async def sign_sepa_mandate(
        self, info: GraphQLInfo, input: SignSepaMandateInput
    ) -> SignSepaMandateResult:
        return await send(
            info,
            input,
            SignSepaMandate(member_id=input.member_id, mandate=input.mandate.to_domain()),
            SignSepaMandateSuccess.read,
        )

    @mutation(
        "Révoquer le mandat de prélèvement SEPA.",
        Rule(Right.MANAGE_BILLING),
    )
    async def revoke_sepa_mandate(
        self, info: GraphQLInfo, input: RevokeSepaMandateInput
    ) -> RevokeSepaMandateResult:
        return await send(
            info,
            input,
            RevokeSepaMandate(member_id=input.member_id, revoked_on=input.revoked_on),
            RevokeSepaMandateSuccess.read,
        )

    @mutation(
        "Suspendre l'adhésion.",
        SERVICE,
    )
    async def suspend_membership(
        self, info: GraphQLInfo, input: SuspendMembershipInput
    ) -> SuspendMembershipResult:
        return await send(
            info,
            input,
            SuspendMembership(
                member_id=input.member_id, reason=input.reason, effective_on=input.effective_on
            ),
            SuspendMembershipSuccess.read,
        )

    @mutation(
        "Reprendre une adhésion suspendue.",
        SERVICE,
    )
    async def resume_membership(
        self, info: GraphQLInfo, input: ResumeMembershipInput
    ) -> ResumeMembershipResult:
        return await send(
            info,
            input,
            ResumeMembership(member_id=input.member_id, effective_on=input.effective_on),
            ResumeMembershipSuccess.read,
        )

    @mutation(
        "Résilier l'adhésion.",
        SERVICE,
    )
    async def terminate_membership(
        self, info: GraphQLInfo, input: TerminateMembershipInput
    ) -> TerminateMembershipResult:
        return await send(
            info,
            input,
            TerminateMembership(
                member_id=input.member_id, reason=input.reason, effective_on=input.effective_on
            ),
            TerminateMembershipSuccess.read,
        )

"""Mutations of a member's SEPA mandate and membership: sign, revoke, suspend, resume, terminate."""

from datetime import date
from uuid import UUID

import strawberry

from api.commands import ChangeInput
from api.inputs import SepaMandateInput
from api.members.changed import MemberChanged
from api.members.rules import MANAGES_BILLING
from api.message_mutations import own_success, sends
from api.rules import SERVICE
from application.members.commands import (
    ResumeMembership,
    RevokeSepaMandate,
    SignSepaMandate,
    SuspendMembership,
    TerminateMembership,
)


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
class MembershipMutations:
    sign_sepa_mandate = sends(
        SignSepaMandate,
        SignSepaMandateInput,
        own_success(MemberChanged, "SignSepaMandate"),
        "Enregistrer un mandat de prélèvement SEPA signé.",
        MANAGES_BILLING,
    )
    revoke_sepa_mandate = sends(
        RevokeSepaMandate,
        RevokeSepaMandateInput,
        own_success(MemberChanged, "RevokeSepaMandate"),
        "Révoquer le mandat de prélèvement SEPA.",
        MANAGES_BILLING,
    )
    suspend_membership = sends(
        SuspendMembership,
        SuspendMembershipInput,
        own_success(MemberChanged, "SuspendMembership"),
        "Suspendre l'adhésion.",
        SERVICE,
    )
    resume_membership = sends(
        ResumeMembership,
        ResumeMembershipInput,
        own_success(MemberChanged, "ResumeMembership"),
        "Reprendre une adhésion suspendue.",
        SERVICE,
    )
    terminate_membership = sends(
        TerminateMembership,
        TerminateMembershipInput,
        own_success(MemberChanged, "TerminateMembership"),
        "Résilier l'adhésion.",
        SERVICE,
    )

"""Commands of the members context: registration, company data, branches, contacts, SEPA,
membership."""

from datetime import date
from uuid import UUID

from msgspec.structs import force_setattr

from application.base import RegistreApplication, result_of
from application.commands import Change, Command, Decision
from application.credentials import decoy_hash, hash_secret, verify_secret
from application.requests import CommandResult, Request
from domain.address import Address
from domain.errors import NotFound, RuleViolation
from domain.identifiers import Siret, VatNumber
from domain.members.member import Member
from domain.members.membership import check_declarant_number_format, check_member_code
from domain.members.organisation import (
    AddressKind,
    Contact,
    Interlocutor,
    SepaMandate,
    SituationChangeKind,
)

MEMBER_NOT_FOUND = NotFound("Cet adhérent n'existe pas.", code="MEMBER_NOT_FOUND")


class MemberQueries(RegistreApplication):
    def member(self, member_id: UUID) -> Member:
        return self.load(Member, member_id, MEMBER_NOT_FOUND)

    def find_member(self, member_code: str) -> Member | None:
        return find_member(self, member_code)

    def check_declarant_number(self, member_code: str, declarant_number: str) -> Member | None:
        return check_declarant_number(self, member_code, declarant_number)


def find_member(app: RegistreApplication, member_code: str) -> Member | None:
    return app.find(Member, Member.create_id(member_code.strip()))


def check_declarant_number(
    app: RegistreApplication, member_code: str, declarant_number: str
) -> Member | None:
    """The member whose postal codes these are, or None (same answer for every mismatch)."""
    member = find_member(app, member_code)
    expected = decoy_hash() if member is None else member.declarant_number_hash
    if not verify_secret(expected, declarant_number) or member is None:
        return None
    return member


class RegisterMember(Command[CommandResult], frozen=True, kw_only=True):
    """The service registers a new member; the declarant number is kept only as a hash."""

    member_code: str
    declarant_number: str
    legal_name: str
    siret: Siret | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "member_code", check_member_code(self.member_code))
        check_declarant_number_format(self.declarant_number)

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        if find_member(app, self.member_code) is not None:
            raise RuleViolation(
                f"Le code adhérent « {self.member_code} » est déjà attribué.",
                code="MEMBER_CODE_TAKEN",
                field="member_code",
            )
        member = Member.register(
            member_code=self.member_code,
            declarant_number_hash=hash_secret(self.declarant_number),
            legal_name=self.legal_name,
            siret=self.siret,
            actor=request.actor,
        )
        return [member], result_of(member)


class MemberChange(Change[Member], frozen=True, kw_only=True):
    aggregate = Member
    not_found = MEMBER_NOT_FOUND
    target = "member_id"
    member_id: UUID


# Company data ------------------------------------------------------------------------------------


class ReissueDeclarantNumber(MemberChange, frozen=True, kw_only=True):
    """The new number is kept only as a hash."""

    declarant_number: str

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        check_declarant_number_format(self.declarant_number)
        member.reissue_declarant_number(hash_secret(self.declarant_number), request.actor)


class ChangeAdministrativeInformation(MemberChange, frozen=True, kw_only=True):
    legal_name: str
    siret: Siret | None
    vat_number: VatNumber | None
    has_cse: bool | None
    calls = Member.change_administrative_information


class ChangeAddress(MemberChange, frozen=True, kw_only=True):
    kind: AddressKind
    address: Address
    calls = Member.change_address


class DeclareSituationChange(MemberChange, frozen=True, kw_only=True):
    kind: SituationChangeKind
    description: str
    effective_on: date
    calls = Member.declare_situation_change


# Branches ----------------------------------------------------------------------------------------


class OpenBranch(MemberChange, frozen=True, kw_only=True):
    name: str
    address: Address
    siret: Siret | None = None
    calls = Member.open_branch


class ChangeBranch(MemberChange, frozen=True, kw_only=True):
    number: int
    name: str
    address: Address
    siret: Siret | None = None
    calls = Member.change_branch


class CloseBranch(MemberChange, frozen=True, kw_only=True):
    number: int
    last_day: date
    calls = Member.close_branch


# Contacts and interlocutors ----------------------------------------------------------------------


class AddContact(MemberChange, frozen=True, kw_only=True):
    contact: Contact
    calls = Member.add_contact


class ChangeContact(MemberChange, frozen=True, kw_only=True):
    contact: Contact
    calls = Member.change_contact


class RemoveContact(MemberChange, frozen=True, kw_only=True):
    contact_id: int
    calls = Member.remove_contact


class AssignInterlocutor(MemberChange, frozen=True, kw_only=True):
    role: Interlocutor
    contact_id: int
    calls = Member.assign_interlocutor


class UnassignInterlocutor(MemberChange, frozen=True, kw_only=True):
    role: Interlocutor
    calls = Member.unassign_interlocutor


# SEPA mandate and membership ---------------------------------------------------------------------


class SignSepaMandate(MemberChange, frozen=True, kw_only=True):
    mandate: SepaMandate
    calls = Member.sign_sepa_mandate


class RevokeSepaMandate(MemberChange, frozen=True, kw_only=True):
    revoked_on: date
    calls = Member.revoke_sepa_mandate


class SuspendMembership(MemberChange, frozen=True, kw_only=True):
    reason: str
    effective_on: date
    calls = Member.suspend


class ResumeMembership(MemberChange, frozen=True, kw_only=True):
    effective_on: date
    calls = Member.resume


class TerminateMembership(MemberChange, frozen=True, kw_only=True):
    reason: str
    effective_on: date
    calls = Member.terminate

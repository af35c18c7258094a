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
from domain.members.membership import check_member_code
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
    try:
        return app.load(Member, Member.create_id(member_code.strip()), MEMBER_NOT_FOUND)
    except NotFound:
        return None


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
    declarant_number: str

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.reissue_declarant_number(hash_secret(self.declarant_number), request.actor)


class ChangeAdministrativeInformation(MemberChange, frozen=True, kw_only=True):
    legal_name: str
    siret: Siret | None
    vat_number: VatNumber | None
    has_cse: bool | None

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.change_administrative_information(
            legal_name=self.legal_name,
            siret=self.siret,
            vat_number=self.vat_number,
            has_cse=self.has_cse,
            actor=request.actor,
        )


class ChangeAddress(MemberChange, frozen=True, kw_only=True):
    kind: AddressKind
    address: Address

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.change_address(self.kind, self.address, request.actor)


class DeclareSituationChange(MemberChange, frozen=True, kw_only=True):
    kind: SituationChangeKind
    description: str
    effective_on: date

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> int:
        return member.declare_situation_change(
            self.kind, self.description, self.effective_on, request.actor
        )


# Branches ----------------------------------------------------------------------------------------


class OpenBranch(MemberChange, frozen=True, kw_only=True):
    name: str
    address: Address
    siret: Siret | None = None

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> int:
        return member.open_branch(
            name=self.name, address=self.address, siret=self.siret, actor=request.actor
        )


class ChangeBranch(MemberChange, frozen=True, kw_only=True):
    number: int
    name: str
    address: Address
    siret: Siret | None = None

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.change_branch(
            self.number, name=self.name, address=self.address, siret=self.siret, actor=request.actor
        )


class CloseBranch(MemberChange, frozen=True, kw_only=True):
    number: int
    last_day: date

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.close_branch(self.number, self.last_day, request.actor)


# Contacts and interlocutors ----------------------------------------------------------------------


class AddContact(MemberChange, frozen=True, kw_only=True):
    contact: Contact

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> int:
        return member.add_contact(self.contact, request.actor)


class ChangeContact(MemberChange, frozen=True, kw_only=True):
    contact: Contact

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.change_contact(self.contact, request.actor)


class RemoveContact(MemberChange, frozen=True, kw_only=True):
    contact_id: int

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.remove_contact(self.contact_id, request.actor)


class AssignInterlocutor(MemberChange, frozen=True, kw_only=True):
    role: Interlocutor
    contact_id: int

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.assign_interlocutor(self.role, self.contact_id, request.actor)


class UnassignInterlocutor(MemberChange, frozen=True, kw_only=True):
    role: Interlocutor

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.unassign_interlocutor(self.role, request.actor)


# SEPA mandate and membership ---------------------------------------------------------------------


class SignSepaMandate(MemberChange, frozen=True, kw_only=True):
    mandate: SepaMandate

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.sign_sepa_mandate(self.mandate, request.actor)


class RevokeSepaMandate(MemberChange, frozen=True, kw_only=True):
    revoked_on: date

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.revoke_sepa_mandate(self.revoked_on, request.actor)


class SuspendMembership(MemberChange, frozen=True, kw_only=True):
    reason: str
    effective_on: date

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.suspend(self.reason, self.effective_on, request.actor)


class ResumeMembership(MemberChange, frozen=True, kw_only=True):
    effective_on: date

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.resume(self.effective_on, request.actor)


class TerminateMembership(MemberChange, frozen=True, kw_only=True):
    reason: str
    effective_on: date

    def apply(self, member: Member, app: RegistreApplication, request: Request) -> None:
        member.terminate(self.reason, self.effective_on, request.actor)

"""Commands of the members context: registration, company data, branches, contacts, SEPA."""

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from application.accounts.credentials import decoy_hash, hash_secret, verify_secret
from application.base import RegistreApplication, result_of
from application.requests import CommandResult, Request
from domain.address import Address
from domain.errors import NotFound, RuleViolation
from domain.identifiers import Siret, VatNumber
from domain.members.member import Member, check_member_code
from domain.members.organisation import (
    AddressKind,
    Contact,
    Interlocutor,
    SepaMandate,
    SituationChangeKind,
)

MEMBER_NOT_FOUND = NotFound("Cet adhérent n'existe pas.", code="MEMBER_NOT_FOUND")


class MemberCommands(RegistreApplication):
    def register_member(
        self,
        request: Request,
        *,
        member_code: str,
        declarant_number: str,
        legal_name: str,
        siret: Siret | None = None,
    ) -> CommandResult:
        """The service registers a new member; the declarant number is kept only as a hash."""
        member_code = check_member_code(member_code)

        def decide() -> tuple[list[Member], CommandResult]:
            if self.find_member(member_code) is not None:
                raise RuleViolation(
                    f"Le code adhérent « {member_code} » est déjà attribué.",
                    code="MEMBER_CODE_TAKEN",
                    field="member_code",
                )
            member = Member.register(
                member_code=member_code,
                declarant_number_hash=hash_secret(declarant_number),
                legal_name=legal_name,
                siret=siret,
                actor=request.actor,
            )
            return [member], result_of(member)

        arguments = {
            "member_code": member_code,
            "declarant_number": declarant_number,
            "legal_name": legal_name,
            "siret": siret,
        }
        return self.execute(request, "register_member", arguments, decide, CommandResult)

    def member(self, member_id: UUID) -> Member:
        return self.load(Member, member_id, MEMBER_NOT_FOUND)

    def find_member(self, member_code: str) -> Member | None:
        try:
            return self.member(Member.create_id(member_code.strip()))
        except NotFound:
            return None

    def check_declarant_number(self, member_code: str, declarant_number: str) -> Member | None:
        """The member whose postal codes these are, or None (same answer for every mismatch)."""
        member = self.find_member(member_code)
        expected = decoy_hash() if member is None else member.declarant_number_hash
        if not verify_secret(expected, declarant_number) or member is None:
            return None
        return member

    def reissue_declarant_number(
        self, request: Request, member_id: UUID, declarant_number: str
    ) -> CommandResult:
        return self._change_member(
            request,
            "reissue_declarant_number",
            member_id,
            {"declarant_number": declarant_number},
            lambda m: m.reissue_declarant_number(hash_secret(declarant_number), request.actor),
        )

    def change_administrative_information(
        self,
        request: Request,
        member_id: UUID,
        *,
        legal_name: str,
        siret: Siret | None,
        vat_number: VatNumber | None,
        has_cse: bool | None,
    ) -> CommandResult:
        arguments: dict[str, Any] = {
            "legal_name": legal_name,
            "siret": siret,
            "vat_number": vat_number,
            "has_cse": has_cse,
        }
        return self._change_member(
            request,
            "change_administrative_information",
            member_id,
            arguments,
            lambda m: m.change_administrative_information(**arguments, actor=request.actor),
        )

    def change_address(
        self, request: Request, member_id: UUID, *, kind: AddressKind, address: Address
    ) -> CommandResult:
        return self._change_member(
            request,
            "change_address",
            member_id,
            {"kind": kind, "address": address},
            lambda m: m.change_address(kind, address, request.actor),
        )

    def open_branch(
        self,
        request: Request,
        member_id: UUID,
        *,
        name: str,
        address: Address,
        siret: Siret | None = None,
    ) -> CommandResult:
        return self._change_member(
            request,
            "open_branch",
            member_id,
            {"name": name, "address": address, "siret": siret},
            lambda m: m.open_branch(name=name, address=address, siret=siret, actor=request.actor),
        )

    def change_branch(
        self,
        request: Request,
        member_id: UUID,
        number: int,
        *,
        name: str,
        address: Address,
        siret: Siret | None = None,
    ) -> CommandResult:
        return self._change_member(
            request,
            "change_branch",
            member_id,
            {"number": number, "name": name, "address": address, "siret": siret},
            lambda m: m.change_branch(
                number, name=name, address=address, siret=siret, actor=request.actor
            ),
        )

    def close_branch(
        self, request: Request, member_id: UUID, number: int, *, last_day: date
    ) -> CommandResult:
        return self._change_member(
            request,
            "close_branch",
            member_id,
            {"number": number, "last_day": last_day},
            lambda m: m.close_branch(number, last_day, request.actor),
        )

    def add_contact(self, request: Request, member_id: UUID, contact: Contact) -> CommandResult:
        return self._change_member(
            request,
            "add_contact",
            member_id,
            {"contact": contact},
            lambda m: m.add_contact(contact, request.actor),
        )

    def change_contact(self, request: Request, member_id: UUID, contact: Contact) -> CommandResult:
        return self._change_member(
            request,
            "change_contact",
            member_id,
            {"contact": contact},
            lambda m: m.change_contact(contact, request.actor),
        )

    def remove_contact(self, request: Request, member_id: UUID, contact_id: int) -> CommandResult:
        return self._change_member(
            request,
            "remove_contact",
            member_id,
            {"contact_id": contact_id},
            lambda m: m.remove_contact(contact_id, request.actor),
        )

    def assign_interlocutor(
        self, request: Request, member_id: UUID, *, role: Interlocutor, contact_id: int
    ) -> CommandResult:
        return self._change_member(
            request,
            "assign_interlocutor",
            member_id,
            {"role": role, "contact_id": contact_id},
            lambda m: m.assign_interlocutor(role, contact_id, request.actor),
        )

    def unassign_interlocutor(
        self, request: Request, member_id: UUID, *, role: Interlocutor
    ) -> CommandResult:
        return self._change_member(
            request,
            "unassign_interlocutor",
            member_id,
            {"role": role},
            lambda m: m.unassign_interlocutor(role, request.actor),
        )

    def declare_situation_change(
        self,
        request: Request,
        member_id: UUID,
        *,
        kind: SituationChangeKind,
        description: str,
        effective_on: date,
    ) -> CommandResult:
        return self._change_member(
            request,
            "declare_situation_change",
            member_id,
            {"kind": kind, "description": description, "effective_on": effective_on},
            lambda m: m.declare_situation_change(kind, description, effective_on, request.actor),
        )

    def sign_sepa_mandate(
        self, request: Request, member_id: UUID, mandate: SepaMandate
    ) -> CommandResult:
        return self._change_member(
            request,
            "sign_sepa_mandate",
            member_id,
            {"mandate": mandate},
            lambda m: m.sign_sepa_mandate(mandate, request.actor),
        )

    def revoke_sepa_mandate(
        self, request: Request, member_id: UUID, *, revoked_on: date
    ) -> CommandResult:
        return self._change_member(
            request,
            "revoke_sepa_mandate",
            member_id,
            {"revoked_on": revoked_on},
            lambda m: m.revoke_sepa_mandate(revoked_on, request.actor),
        )

    def suspend_membership(
        self, request: Request, member_id: UUID, *, reason: str, effective_on: date
    ) -> CommandResult:
        return self._change_member(
            request,
            "suspend_membership",
            member_id,
            {"reason": reason, "effective_on": effective_on},
            lambda m: m.suspend(reason, effective_on, request.actor),
        )

    def resume_membership(
        self, request: Request, member_id: UUID, *, effective_on: date
    ) -> CommandResult:
        return self._change_member(
            request,
            "resume_membership",
            member_id,
            {"effective_on": effective_on},
            lambda m: m.resume(effective_on, request.actor),
        )

    def terminate_membership(
        self, request: Request, member_id: UUID, *, reason: str, effective_on: date
    ) -> CommandResult:
        return self._change_member(
            request,
            "terminate_membership",
            member_id,
            {"reason": reason, "effective_on": effective_on},
            lambda m: m.terminate(reason, effective_on, request.actor),
        )

    def _change_member(
        self,
        request: Request,
        command: str,
        member_id: UUID,
        arguments: dict[str, Any],
        change: Callable[[Member], int | None],
    ) -> CommandResult:
        arguments = {"member_id": member_id, **arguments}
        return self.change(request, command, Member, member_id, MEMBER_NOT_FOUND, arguments, change)

"""The Member aggregate (adhérent): an employer company that has joined the service."""

import re
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.accounts.access import MemberUser, Notification, Role, roles_of
from domain.actor import Actor
from domain.address import Address
from domain.aggregate import RegistreAggregate
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.identifiers import Siret, VatNumber, ensure_vat_matches_siret
from domain.members import users
from domain.members.organisation import (
    AddressKind,
    Branch,
    Contact,
    Interlocutor,
    InterlocutorAssignment,
    MembershipStatus,
    SepaMandate,
    SituationChange,
    SituationChangeKind,
)
from domain.text import required_text, shown

MEMBER_CODE = re.compile(r"^\d{3,10}$")
MEMBER_NAMESPACE = UUID("6f1f7d3e-4b0a-5c1e-9a53-2f1d0c6b8e41")


def check_member_code(member_code: str) -> str:
    code = member_code.strip()
    if not MEMBER_CODE.match(code):
        raise InvalidValue(
            f"Le code adhérent « {shown(member_code, 20)} » doit compter de 3 à 10 chiffres.",
            code="INVALID_MEMBER_CODE",
            field="member_code",
        )
    return code


class Member(RegistreAggregate):
    """Adhérent, identified by its member code (`00010`); branches get a suffix (`00010-2`)."""

    member_code: str
    declarant_number_hash: str
    legal_name: str
    siret: Siret | None
    vat_number: VatNumber | None
    has_cse: bool | None
    worksite_address: Address | None
    billing_address: Address | None
    convocation_address: Address | None
    branches: tuple[Branch, ...]
    contacts: tuple[Contact, ...]
    contacts_added: int
    interlocutors: tuple[InterlocutorAssignment, ...]
    situation_changes: tuple[SituationChange, ...]
    sepa_mandate: SepaMandate | None
    status: MembershipStatus
    status_since: date | None
    users: tuple[MemberUser, ...] = ()

    @staticmethod
    def create_id(member_code: str, **_: Any) -> UUID:
        """One member per member code: the id follows from the code."""
        return uuid5(MEMBER_NAMESPACE, member_code)

    @classmethod
    def register(
        cls,
        *,
        member_code: str,
        declarant_number_hash: str,
        legal_name: str,
        siret: Siret | None,
        actor: Actor,
    ) -> "Member":
        return cls(
            member_code=check_member_code(member_code),
            declarant_number_hash=declarant_number_hash,
            legal_name=required_text(legal_name, "legal_name", "La raison sociale"),
            siret=Siret.coerce_optional(siret),
            actor=actor,
        )

    @event("Registered")
    def __init__(
        self,
        member_code: str,
        declarant_number_hash: str,
        legal_name: str,
        siret: Siret | None,
        actor: Actor,
    ) -> None:
        self.member_code = member_code
        self.declarant_number_hash = declarant_number_hash
        self.legal_name = legal_name
        self.siret = siret
        self.vat_number = None
        self.has_cse = None
        self.worksite_address = None
        self.billing_address = None
        self.convocation_address = None
        self.branches = ()
        self.contacts = ()
        self.contacts_added = 0
        self.interlocutors = ()
        self.situation_changes = ()
        self.sepa_mandate = None
        self.status = MembershipStatus.ACTIVE
        self.status_since = None

    @property
    def owning_member(self) -> UUID:
        return self.id

    # Administrative information -----------------------------------------------------------

    def change_administrative_information(
        self,
        *,
        legal_name: str,
        siret: Siret | None,
        vat_number: VatNumber | None,
        has_cse: bool | None,
        actor: Actor,
    ) -> None:
        self._check_not_terminated()
        legal_name = required_text(legal_name, "legal_name", "La raison sociale")
        siret = Siret.coerce_optional(siret)
        vat_number = VatNumber.coerce_optional(vat_number)
        if vat_number is not None and siret is not None:
            ensure_vat_matches_siret(vat_number, siret)
        if (legal_name, siret, vat_number, has_cse) == (
            self.legal_name,
            self.siret,
            self.vat_number,
            self.has_cse,
        ):
            return
        self._administrative_information_changed(
            legal_name=legal_name, siret=siret, vat_number=vat_number, has_cse=has_cse, actor=actor
        )

    @event("AdministrativeInformationChanged")
    def _administrative_information_changed(
        self,
        legal_name: str,
        siret: Siret | None,
        vat_number: VatNumber | None,
        has_cse: bool | None,
        actor: Actor,
    ) -> None:
        self.legal_name = legal_name
        self.siret = siret
        self.vat_number = vat_number
        self.has_cse = has_cse

    def change_address(self, kind: AddressKind, address: Address, actor: Actor) -> None:
        address = address.checked()
        self._check_not_terminated()
        if kind is AddressKind.WORKSITE and not address.is_confirmed:
            raise InvalidValue(
                "Confirmez l'adresse du lieu de travail sur la carte avant de l'enregistrer.",
                code="WORKSITE_NOT_CONFIRMED",
                field="coordinates",
            )
        if self.address(kind) == address:
            return
        self._address_changed(kind=kind, address=address, actor=actor)

    @event("AddressChanged")
    def _address_changed(self, kind: AddressKind, address: Address, actor: Actor) -> None:
        setattr(self, f"{kind.value.lower()}_address", address)

    def address(self, kind: AddressKind) -> Address | None:
        found: Address | None = getattr(self, f"{kind.value.lower()}_address")
        return found

    def reissue_declarant_number(self, declarant_number_hash: str, actor: Actor) -> None:
        self._check_not_terminated()
        self._declarant_number_reissued(declarant_number_hash=declarant_number_hash, actor=actor)

    @event("DeclarantNumberReissued")
    def _declarant_number_reissued(self, declarant_number_hash: str, actor: Actor) -> None:
        self.declarant_number_hash = declarant_number_hash

    # Branches -------------------------------------------------------------------------------

    def open_branch(self, *, name: str, address: Address, siret: Siret | None, actor: Actor) -> int:
        self._check_not_terminated()
        number = 2 + len(self.branches)
        branch = Branch(number, name, address, siret).validated()
        self._branch_opened(branch=branch, actor=actor)
        return number

    @event("BranchOpened")
    def _branch_opened(self, branch: Branch, actor: Actor) -> None:
        self.branches = (*self.branches, branch)

    def change_branch(
        self, number: int, *, name: str, address: Address, siret: Siret | None, actor: Actor
    ) -> None:
        self._check_not_terminated()
        current = self._open_branch(number)
        branch = Branch(number, name, address, siret).validated()
        if branch == current:
            return
        self._branch_changed(branch=branch, actor=actor)

    @event("BranchChanged")
    def _branch_changed(self, branch: Branch, actor: Actor) -> None:
        self.branches = tuple(branch if b.number == branch.number else b for b in self.branches)

    def close_branch(self, number: int, last_day: date, actor: Actor) -> None:
        self._check_not_terminated()
        self._open_branch(number)
        self._branch_closed(number=number, last_day=last_day, actor=actor)

    @event("BranchClosed")
    def _branch_closed(self, number: int, last_day: date, actor: Actor) -> None:
        self.branches = tuple(
            Branch(b.number, b.name, b.address, b.siret, last_day) if b.number == number else b
            for b in self.branches
        )

    def branch_code(self, number: int) -> str:
        return self._branch(number).code(self.member_code)

    def check_open_branch_code(self, code: str) -> None:
        for branch in self.branches:
            if branch.code(self.member_code) == code and branch.closed_on is None:
                return
        raise NotFound(
            f"L'établissement « {shown(code, 20)} » n'existe pas ou est fermé.",
            code="BRANCH_NOT_FOUND",
            field="branch_code",
        )

    def _branch(self, number: int) -> Branch:
        for branch in self.branches:
            if branch.number == number:
                return branch
        raise NotFound("Cet établissement n'existe pas.", code="BRANCH_NOT_FOUND")

    def _open_branch(self, number: int) -> Branch:
        branch = self._branch(number)
        if branch.closed_on is not None:
            raise RuleViolation("Cet établissement est fermé.", code="BRANCH_CLOSED")
        return branch

    # Contacts and interlocutors ------------------------------------------------------------

    def add_contact(self, contact: Contact, actor: Actor) -> int:
        self._check_not_terminated()
        contact = Contact(
            self.contacts_added + 1,
            contact.last_name,
            contact.first_name,
            contact.function,
            contact.phone,
            contact.email,
        ).validated()
        self._contact_added(contact=contact, actor=actor)
        return contact.contact_id

    @event("ContactAdded")
    def _contact_added(self, contact: Contact, actor: Actor) -> None:
        self.contacts_added += 1
        self.contacts = (*self.contacts, contact)

    def change_contact(self, contact: Contact, actor: Actor) -> None:
        self._check_not_terminated()
        current = self.contact(contact.contact_id)
        contact = contact.validated()
        if contact == current:
            return
        self._contact_changed(contact=contact, actor=actor)

    @event("ContactChanged")
    def _contact_changed(self, contact: Contact, actor: Actor) -> None:
        self.contacts = tuple(
            contact if c.contact_id == contact.contact_id else c for c in self.contacts
        )

    def remove_contact(self, contact_id: int, actor: Actor) -> None:
        self._check_not_terminated()
        self.contact(contact_id)
        roles = [a.role.label for a in self.interlocutors if a.contact_id == contact_id]
        if roles:
            raise RuleViolation(
                f"Ce contact est {', '.join(roles)} : désignez d'abord quelqu'un d'autre.",
                code="CONTACT_IS_INTERLOCUTOR",
            )
        self._contact_removed(contact_id=contact_id, actor=actor)

    @event("ContactRemoved")
    def _contact_removed(self, contact_id: int, actor: Actor) -> None:
        self.contacts = tuple(c for c in self.contacts if c.contact_id != contact_id)

    def contact(self, contact_id: int) -> Contact:
        for contact in self.contacts:
            if contact.contact_id == contact_id:
                return contact
        raise NotFound("Ce contact n'existe pas.", code="CONTACT_NOT_FOUND")

    def assign_interlocutor(self, role: Interlocutor, contact_id: int, actor: Actor) -> None:
        self._check_not_terminated()
        self.contact(contact_id)
        if InterlocutorAssignment(role, contact_id) in self.interlocutors:
            return
        self._interlocutor_assigned(role=role, contact_id=contact_id, actor=actor)

    @event("InterlocutorAssigned")
    def _interlocutor_assigned(self, role: Interlocutor, contact_id: int, actor: Actor) -> None:
        others = tuple(a for a in self.interlocutors if a.role is not role)
        self.interlocutors = (*others, InterlocutorAssignment(role, contact_id))

    def unassign_interlocutor(self, role: Interlocutor, actor: Actor) -> None:
        self._check_not_terminated()
        if self.interlocutor(role) is None:
            return
        self._interlocutor_unassigned(role=role, actor=actor)

    @event("InterlocutorUnassigned")
    def _interlocutor_unassigned(self, role: Interlocutor, actor: Actor) -> None:
        self.interlocutors = tuple(a for a in self.interlocutors if a.role is not role)

    def interlocutor(self, role: Interlocutor) -> Contact | None:
        for assignment in self.interlocutors:
            if assignment.role is role:
                return self.contact(assignment.contact_id)
        return None

    @property
    def has_legal_representative(self) -> bool:
        """Required before a declaration can be confirmed."""
        return self.interlocutor(Interlocutor.LEGAL_REPRESENTATIVE) is not None

    # Changes of situation --------------------------------------------------------------------

    def declare_situation_change(
        self, kind: SituationChangeKind, description: str, effective_on: date, actor: Actor
    ) -> int:
        self._check_not_terminated()
        change = SituationChange(
            len(self.situation_changes) + 1, kind, description, effective_on
        ).validated()
        self._situation_change_declared(change=change, actor=actor)
        return change.change_id

    @event("SituationChangeDeclared")
    def _situation_change_declared(self, change: SituationChange, actor: Actor) -> None:
        self.situation_changes = (*self.situation_changes, change)

    # SEPA ------------------------------------------------------------------------------------

    def sign_sepa_mandate(self, mandate: SepaMandate, actor: Actor) -> None:
        self._check_not_terminated()
        if self.sepa_mandate is not None:
            self.sepa_mandate.check_replaceable()
        self._sepa_mandate_signed(mandate=mandate.validated(), actor=actor)

    @event("SepaMandateSigned")
    def _sepa_mandate_signed(self, mandate: SepaMandate, actor: Actor) -> None:
        self.sepa_mandate = mandate

    def revoke_sepa_mandate(self, revoked_on: date, actor: Actor) -> None:
        if self.sepa_mandate is None:
            raise RuleViolation(
                "Aucun mandat de prélèvement SEPA n'est actif.", code="NO_ACTIVE_MANDATE"
            )
        self.sepa_mandate.check_revocable(revoked_on)
        self._sepa_mandate_revoked(revoked_on=revoked_on, actor=actor)

    @event("SepaMandateRevoked")
    def _sepa_mandate_revoked(self, revoked_on: date, actor: Actor) -> None:
        if self.sepa_mandate is not None:
            self.sepa_mandate = replace(self.sepa_mandate, revoked_on=revoked_on)

    # Membership ------------------------------------------------------------------------------

    def suspend(self, reason: str, effective_on: date, actor: Actor) -> None:
        self._require_status(MembershipStatus.ACTIVE, "suspendre")
        reason = required_text(reason, "reason", "Le motif", 500)
        self._membership_suspended(reason=reason, effective_on=effective_on, actor=actor)

    @event("MembershipSuspended")
    def _membership_suspended(self, reason: str, effective_on: date, actor: Actor) -> None:
        self.status = MembershipStatus.SUSPENDED
        self.status_since = effective_on

    def resume(self, effective_on: date, actor: Actor) -> None:
        self._require_status(MembershipStatus.SUSPENDED, "reprendre")
        self._membership_resumed(effective_on=effective_on, actor=actor)

    @event("MembershipResumed")
    def _membership_resumed(self, effective_on: date, actor: Actor) -> None:
        self.status = MembershipStatus.ACTIVE
        self.status_since = effective_on

    def terminate(self, reason: str, effective_on: date, actor: Actor) -> None:
        self._check_not_terminated()
        reason = required_text(reason, "reason", "Le motif", 500)
        self._membership_terminated(reason=reason, effective_on=effective_on, actor=actor)

    @event("MembershipTerminated")
    def _membership_terminated(self, reason: str, effective_on: date, actor: Actor) -> None:
        self.status = MembershipStatus.TERMINATED
        self.status_since = effective_on

    # Portal users and their roles ------------------------------------------------------------

    def register_first_administrator(
        self, account_id: UUID, *, third_party_declarant: bool, actor: Actor
    ) -> None:
        self._check_not_terminated()
        user = users.first_administrator(self.users, account_id, third_party_declarant)
        self._first_administrator_registered(user=user, actor=actor)

    @event("FirstAdministratorRegistered")
    def _first_administrator_registered(self, user: MemberUser, actor: Actor) -> None:
        self.users = users.with_user(self.users, user)

    def add_user(
        self,
        account_id: UUID,
        roles: frozenset[Role],
        *,
        third_party_declarant: bool,
        actor: Actor,
    ) -> None:
        self._check_not_terminated()
        user = users.new_user(self.users, account_id, roles, third_party_declarant)
        self._user_added(user=user, actor=actor)

    @event("UserAdded")
    def _user_added(self, user: MemberUser, actor: Actor) -> None:
        self.users = (*self.users, user)

    def change_user_roles(self, account_id: UUID, roles: frozenset[Role], actor: Actor) -> None:
        current = users.existing_user(self.users, account_id)
        roles = roles_of(roles)
        if roles == current.roles:
            return
        users.check_keeps_an_administrator(self.users, account_id, roles)
        self._user_roles_changed(account_id=account_id, roles=roles, actor=actor)

    @event("UserRolesChanged")
    def _user_roles_changed(self, account_id: UUID, roles: frozenset[Role], actor: Actor) -> None:
        self.users = users.changed(self.users, account_id, lambda u: replace(u, roles=roles))

    def remove_user(self, account_id: UUID, actor: Actor) -> None:
        users.check_keeps_an_administrator(self.users, account_id, frozenset())
        self._user_removed(account_id=account_id, actor=actor)

    @event("UserRemoved")
    def _user_removed(self, account_id: UUID, actor: Actor) -> None:
        self.users = users.without(self.users, account_id)

    def choose_notifications(
        self, account_id: UUID, notifications: frozenset[Notification], actor: Actor
    ) -> None:
        if users.existing_user(self.users, account_id).notifications == notifications:
            return
        self._notifications_chosen(account_id=account_id, notifications=notifications, actor=actor)

    @event("NotificationsChosen")
    def _notifications_chosen(
        self, account_id: UUID, notifications: frozenset[Notification], actor: Actor
    ) -> None:
        self.users = users.changed(
            self.users, account_id, lambda u: replace(u, notifications=notifications)
        )

    def user(self, account_id: UUID) -> MemberUser | None:
        return users.user_of(self.users, account_id)

    def roles_of(self, account_id: UUID) -> frozenset[Role]:
        user = self.user(account_id)
        return frozenset() if user is None else user.roles

    def check_accepts_changes(self) -> None:
        """Workforce changes are refused once the membership has ended."""
        self._check_not_terminated()

    def _require_status(self, status: MembershipStatus, verb: str) -> None:
        if self.status is not status:
            raise RuleViolation(
                f"Impossible de {verb} l'adhésion : elle n'est pas dans l'état attendu.",
                code="INVALID_MEMBERSHIP_STATUS",
            )

    def _check_not_terminated(self) -> None:
        if self.status is MembershipStatus.TERMINATED:
            raise RuleViolation(
                "L'adhésion de cette entreprise est résiliée : aucune modification n'est possible.",
                code="MEMBERSHIP_TERMINATED",
            )

"""The Member aggregate (adhérent): an employer company that has joined the service."""

from collections.abc import Collection
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.accounts.access import MemberUser, Notification, Role
from domain.actor import Actor
from domain.address import Address
from domain.aggregate import RegistreAggregate
from domain.identifiers import Siret, VatNumber
from domain.members import branches, contacts, membership, users
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
    check_mandate_replaceable,
    check_mandate_revocable,
    revoked_mandate,
)

MEMBER_NAMESPACE = UUID("6f1f7d3e-4b0a-5c1e-9a53-2f1d0c6b8e41")


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
            member_code=membership.check_member_code(member_code),
            declarant_number_hash=declarant_number_hash,
            legal_name=membership.checked_legal_name(legal_name),
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
        legal_name = membership.checked_legal_name(legal_name)
        siret, vat_number = membership.checked_identifiers(siret, vat_number)
        current = (self.legal_name, self.siret, self.vat_number, self.has_cse)
        if (legal_name, siret, vat_number, has_cse) == current:
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
        membership.check_address(kind, address)
        if self.address(kind) != address:
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
        branch = branches.new_branch(self.branches, name, address, siret, company=self.siret)
        self._branch_opened(branch=branch, actor=actor)
        return branch.number

    @event("BranchOpened")
    def _branch_opened(self, branch: Branch, actor: Actor) -> None:
        self.branches = (*self.branches, branch)

    def change_branch(
        self, number: int, *, name: str, address: Address, siret: Siret | None, actor: Actor
    ) -> None:
        self._check_not_terminated()
        branch = branches.changed_branch(
            self.branches, number, name, address, siret, company=self.siret
        )
        if branch is not None:
            self._branch_changed(branch=branch, actor=actor)

    @event("BranchChanged")
    def _branch_changed(self, branch: Branch, actor: Actor) -> None:
        self.branches = branches.with_branch(self.branches, branch)

    def close_branch(self, number: int, last_day: date, actor: Actor) -> None:
        self._check_not_terminated()
        branches.open_branch(self.branches, number)
        self._branch_closed(number=number, last_day=last_day, actor=actor)

    @event("BranchClosed")
    def _branch_closed(self, number: int, last_day: date, actor: Actor) -> None:
        self.branches = branches.closed(self.branches, number, last_day)

    def branch_code(self, number: int) -> str:
        return branches.branch_of(self.branches, number).code(self.member_code)

    def check_open_branch_code(self, code: str) -> None:
        branches.check_open_code(self.branches, self.member_code, code)

    # Contacts and interlocutors ------------------------------------------------------------

    def add_contact(self, contact: Contact, actor: Actor) -> int:
        self._check_not_terminated()
        contact = contacts.numbered(contact, self.contacts_added + 1)
        self._contact_added(contact=contact, actor=actor)
        return contact.contact_id

    @event("ContactAdded")
    def _contact_added(self, contact: Contact, actor: Actor) -> None:
        self.contacts_added += 1
        self.contacts = (*self.contacts, contact)

    def change_contact(self, contact: Contact, actor: Actor) -> None:
        self._check_not_terminated()
        changed = contacts.changed_contact(self.contacts, contact)
        if changed is not None:
            self._contact_changed(contact=changed, actor=actor)

    @event("ContactChanged")
    def _contact_changed(self, contact: Contact, actor: Actor) -> None:
        self.contacts = contacts.with_contact(self.contacts, contact)

    def remove_contact(self, contact_id: int, actor: Actor) -> None:
        self._check_not_terminated()
        contacts.check_removable(self.contacts, self.interlocutors, contact_id)
        self._contact_removed(contact_id=contact_id, actor=actor)

    @event("ContactRemoved")
    def _contact_removed(self, contact_id: int, actor: Actor) -> None:
        self.contacts = contacts.without(self.contacts, contact_id)

    def contact(self, contact_id: int) -> Contact:
        return contacts.contact_of(self.contacts, contact_id)

    def assign_interlocutor(self, role: Interlocutor, contact_id: int, actor: Actor) -> None:
        self._check_not_terminated()
        if contacts.is_new_assignment(self.contacts, self.interlocutors, role, contact_id):
            self._interlocutor_assigned(role=role, contact_id=contact_id, actor=actor)

    @event("InterlocutorAssigned")
    def _interlocutor_assigned(self, role: Interlocutor, contact_id: int, actor: Actor) -> None:
        self.interlocutors = contacts.assigned(self.interlocutors, role, contact_id)

    def unassign_interlocutor(self, role: Interlocutor, actor: Actor) -> None:
        self._check_not_terminated()
        if self.interlocutor(role) is not None:
            self._interlocutor_unassigned(role=role, actor=actor)

    @event("InterlocutorUnassigned")
    def _interlocutor_unassigned(self, role: Interlocutor, actor: Actor) -> None:
        self.interlocutors = contacts.unassigned(self.interlocutors, role)

    def interlocutor(self, role: Interlocutor) -> Contact | None:
        contact_id = contacts.contact_id_of(self.interlocutors, role)
        return None if contact_id is None else self.contact(contact_id)

    @property
    def has_legal_representative(self) -> bool:
        """Required before a declaration can be confirmed."""
        return self.interlocutor(Interlocutor.LEGAL_REPRESENTATIVE) is not None

    # Changes of situation --------------------------------------------------------------------

    def declare_situation_change(
        self, kind: SituationChangeKind, description: str, effective_on: date, actor: Actor
    ) -> int:
        self._check_not_terminated()
        change = membership.new_situation_change(
            self.situation_changes, kind, description, effective_on
        )
        self._situation_change_declared(change=change, actor=actor)
        return change.change_id

    @event("SituationChangeDeclared")
    def _situation_change_declared(self, change: SituationChange, actor: Actor) -> None:
        self.situation_changes = (*self.situation_changes, change)

    # SEPA ------------------------------------------------------------------------------------

    def sign_sepa_mandate(self, mandate: SepaMandate, actor: Actor) -> None:
        self._check_not_terminated()
        check_mandate_replaceable(self.sepa_mandate)
        self._sepa_mandate_signed(mandate=mandate.validated(), actor=actor)

    @event("SepaMandateSigned")
    def _sepa_mandate_signed(self, mandate: SepaMandate, actor: Actor) -> None:
        self.sepa_mandate = mandate

    def revoke_sepa_mandate(self, revoked_on: date, actor: Actor) -> None:
        check_mandate_revocable(self.sepa_mandate, revoked_on)
        self._sepa_mandate_revoked(revoked_on=revoked_on, actor=actor)

    @event("SepaMandateRevoked")
    def _sepa_mandate_revoked(self, revoked_on: date, actor: Actor) -> None:
        self.sepa_mandate = revoked_mandate(self.sepa_mandate, revoked_on)

    # Membership ------------------------------------------------------------------------------

    def suspend(self, reason: str, effective_on: date, actor: Actor) -> None:
        membership.require_status(self.status, MembershipStatus.ACTIVE, "suspendre")
        reason = membership.check_reason(reason)
        self._membership_suspended(reason=reason, effective_on=effective_on, actor=actor)

    @event("MembershipSuspended")
    def _membership_suspended(self, reason: str, effective_on: date, actor: Actor) -> None:
        self.status, self.status_since = MembershipStatus.SUSPENDED, effective_on

    def resume(self, effective_on: date, actor: Actor) -> None:
        membership.require_status(self.status, MembershipStatus.SUSPENDED, "reprendre")
        self._membership_resumed(effective_on=effective_on, actor=actor)

    @event("MembershipResumed")
    def _membership_resumed(self, effective_on: date, actor: Actor) -> None:
        self.status, self.status_since = MembershipStatus.ACTIVE, effective_on

    def terminate(self, reason: str, effective_on: date, actor: Actor) -> None:
        self._check_not_terminated()
        reason = membership.check_reason(reason)
        self._membership_terminated(reason=reason, effective_on=effective_on, actor=actor)

    @event("MembershipTerminated")
    def _membership_terminated(self, reason: str, effective_on: date, actor: Actor) -> None:
        self.status, self.status_since = MembershipStatus.TERMINATED, effective_on

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
        self, account_id: UUID, roles: frozenset[Role], *, third_party_declarant: bool, actor: Actor
    ) -> None:
        self._check_not_terminated()
        user = users.new_user(self.users, account_id, roles, third_party_declarant)
        self._user_added(user=user, actor=actor)

    @event("UserAdded")
    def _user_added(self, user: MemberUser, actor: Actor) -> None:
        self.users = (*self.users, user)

    def change_user_roles(self, account_id: UUID, roles: Collection[Role], actor: Actor) -> None:
        changed = users.changed_roles(self.users, account_id, roles)
        if changed is not None:
            self._user_roles_changed(account_id=account_id, roles=changed, actor=actor)

    @event("UserRolesChanged")
    def _user_roles_changed(self, account_id: UUID, roles: frozenset[Role], actor: Actor) -> None:
        self.users = users.with_roles(self.users, account_id, roles)

    def remove_user(self, account_id: UUID, actor: Actor) -> None:
        users.check_keeps_an_administrator(self.users, account_id, frozenset())
        self._user_removed(account_id=account_id, actor=actor)

    @event("UserRemoved")
    def _user_removed(self, account_id: UUID, actor: Actor) -> None:
        self.users = users.without(self.users, account_id)

    def choose_notifications(
        self, account_id: UUID, notifications: Collection[Notification], actor: Actor
    ) -> None:
        chosen = users.changed_notifications(self.users, account_id, notifications)
        if chosen is not None:
            self._notifications_chosen(account_id=account_id, notifications=chosen, actor=actor)

    @event("NotificationsChosen")
    def _notifications_chosen(
        self, account_id: UUID, notifications: frozenset[Notification], actor: Actor
    ) -> None:
        self.users = users.with_notifications(self.users, account_id, notifications)

    def user(self, account_id: UUID) -> MemberUser | None:
        return users.user_of(self.users, account_id)

    def roles_of(self, account_id: UUID) -> frozenset[Role]:
        return users.roles_of_user(self.users, account_id)

    def check_accepts_changes(self) -> None:
        """Workforce changes are refused once the membership has ended."""
        self._check_not_terminated()

    def _check_not_terminated(self) -> None:
        membership.check_not_terminated(self.status)

"""The contacts of a member and the interlocutors chosen among them: the rules, over the
contacts and assignments it has.

The `Member` aggregate records the changes (`ContactAdded`, `InterlocutorAssigned`…); what may
change is decided here, so a contact still named as an interlocutor is never removed.
"""

from dataclasses import replace

from domain.errors import NotFound, RuleViolation
from domain.members.organisation import Contact, Interlocutor, InterlocutorAssignment

Contacts = tuple[Contact, ...]
Interlocutors = tuple[InterlocutorAssignment, ...]


def numbered(contact: Contact, contact_id: int) -> Contact:
    """A new contact under `contact_id`: ids are never reused, even after a removal."""
    return replace(contact, contact_id=contact_id).validated()


def contact_of(contacts: Contacts, contact_id: int) -> Contact:
    for contact in contacts:
        if contact.contact_id == contact_id:
            return contact
    raise NotFound("Ce contact n'existe pas.", code="CONTACT_NOT_FOUND")


def changed_contact(contacts: Contacts, contact: Contact) -> Contact | None:
    """The existing contact as changed, or None when nothing changes."""
    current = contact_of(contacts, contact.contact_id)
    contact = contact.validated()
    return None if contact == current else contact


def check_removable(contacts: Contacts, interlocutors: Interlocutors, contact_id: int) -> None:
    contact_of(contacts, contact_id)
    roles = [a.role.label for a in interlocutors if a.contact_id == contact_id]
    if roles:
        raise RuleViolation(
            f"Ce contact est {', '.join(roles)} : désignez d'abord quelqu'un d'autre.",
            code="CONTACT_IS_INTERLOCUTOR",
        )


def with_contact(contacts: Contacts, contact: Contact) -> Contacts:
    """`contact` put in the place of the contact with its id."""
    return tuple(contact if c.contact_id == contact.contact_id else c for c in contacts)


def without(contacts: Contacts, contact_id: int) -> Contacts:
    return tuple(c for c in contacts if c.contact_id != contact_id)


def assigned(interlocutors: Interlocutors, role: Interlocutor, contact_id: int) -> Interlocutors:
    """One contact per role: `contact_id` takes the role (moved last)."""
    return (*unassigned(interlocutors, role), InterlocutorAssignment(role, contact_id))


def unassigned(interlocutors: Interlocutors, role: Interlocutor) -> Interlocutors:
    return tuple(a for a in interlocutors if a.role is not role)


def is_new_assignment(
    contacts: Contacts, interlocutors: Interlocutors, role: Interlocutor, contact_id: int
) -> bool:
    """Whether naming the existing contact `contact_id` to `role` changes anything."""
    contact_of(contacts, contact_id)
    return InterlocutorAssignment(role, contact_id) not in interlocutors


def contact_id_of(interlocutors: Interlocutors, role: Interlocutor) -> int | None:
    return next((a.contact_id for a in interlocutors if a.role is role), None)

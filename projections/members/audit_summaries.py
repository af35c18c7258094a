"""Audit summaries of a member's events: its record, and its users (accounts are named by their
id in the changes, never in the summary)."""

from collections.abc import Iterable
from typing import Any

from domain.accounts.access import MemberUser, Notification, Role
from domain.members.organisation import SituationChangeKind
from projections.summaries import Summaries, capitalised, french_date

_SITUATION_CHANGE_LABELS = {
    SituationChangeKind.SALE: "cession",
    SituationChangeKind.MERGER: "fusion",
    SituationChangeKind.CLOSURE: "fermeture",
    SituationChangeKind.NEW_ACTIVITY: "nouvelle activité",
    SituationChangeKind.OTHER: "autre changement",
}

_NOTIFICATION_LABELS = {
    Notification.CONVOCATIONS: "convocations",
    Notification.INVOICES: "factures",
    Notification.DECLARATION: "déclaration",
    Notification.SERVICE_NEWS: "actualités du service",
}


def _contact(what: str, event: Any) -> str:
    contact = event.contact
    return f"Contact n° {contact.contact_id} {what} : {contact.first_name} {contact.last_name}"


def _situation_change(event: Any) -> str:
    change = event.change
    return (
        f"Changement de situation déclaré : {_SITUATION_CHANGE_LABELS[change.kind]}"
        f" à compter du {french_date(change.effective_on)}"
    )


def _role_labels(roles: Iterable[Role]) -> str:
    """In the order of `Role` (administrateur first), whatever the set's order."""
    chosen = set(roles)
    return ", ".join(role.label for role in Role if role in chosen)


def _roles(roles: Iterable[Role]) -> str:
    chosen = frozenset(roles)
    return f"{'rôle' if len(chosen) == 1 else 'rôles'} {_role_labels(chosen)}"


def _third_party(user: MemberUser) -> str:
    return " (tiers déclarant)" if user.third_party_declarant else ""


def _notifications(notifications: Iterable[Notification]) -> str:
    chosen = set(notifications)
    labels = [label for n, label in _NOTIFICATION_LABELS.items() if n in chosen]
    return ", ".join(labels) or "aucune"


SUMMARIES: Summaries = {
    "Registered": lambda e: f"Adhésion enregistrée : code {e.member_code}, {e.legal_name}",
    "AdministrativeInformationChanged": lambda e: (
        f"Informations administratives modifiées : {e.legal_name}"
    ),
    "AddressChanged": lambda e: f"{capitalised(e.kind.label)} modifiée",
    "DeclarantNumberReissued": lambda e: "Nouveau numéro de déclarant émis",
    "BranchOpened": lambda e: f"Établissement n° {e.branch.number} ouvert : {e.branch.name}",
    "BranchChanged": lambda e: f"Établissement n° {e.branch.number} modifié : {e.branch.name}",
    "BranchClosed": lambda e: (
        f"Établissement n° {e.number} fermé (dernier jour : {french_date(e.last_day)})"
    ),
    "ContactAdded": lambda e: _contact("ajouté", e),
    "ContactChanged": lambda e: _contact("modifié", e),
    "ContactRemoved": lambda e: f"Contact n° {e.contact_id} supprimé",
    "InterlocutorAssigned": lambda e: (
        f"{capitalised(e.role.label)} désigné : contact n° {e.contact_id}"
    ),
    "InterlocutorUnassigned": lambda e: f"{capitalised(e.role.label)} : désignation retirée",
    "SituationChangeDeclared": _situation_change,
    "SepaMandateSigned": lambda e: (
        f"Mandat de prélèvement SEPA signé le {french_date(e.mandate.signed_on)}"
        f" (RUM {e.mandate.reference})"
    ),
    "SepaMandateRevoked": lambda e: (
        f"Mandat de prélèvement SEPA révoqué le {french_date(e.revoked_on)}"
    ),
    "MembershipSuspended": lambda e: (
        f"Adhésion suspendue à compter du {french_date(e.effective_on)} : {e.reason}"
    ),
    "MembershipResumed": lambda e: f"Adhésion reprise à compter du {french_date(e.effective_on)}",
    "MembershipTerminated": lambda e: (
        f"Adhésion résiliée à compter du {french_date(e.effective_on)} : {e.reason}"
    ),
    "FirstAdministratorRegistered": lambda e: (
        "Premier administrateur inscrit avec le code adhérent et le n° télédéclarant"
        f"{_third_party(e.user)}"
    ),
    "UserAdded": lambda e: f"Utilisateur ajouté : {_roles(e.user.roles)}{_third_party(e.user)}",
    "UserRolesChanged": lambda e: f"Rôles d'un utilisateur modifiés : {_role_labels(e.roles)}",
    "UserRemoved": lambda e: "Utilisateur retiré",
    "NotificationsChosen": lambda e: f"Notifications choisies : {_notifications(e.notifications)}",
}

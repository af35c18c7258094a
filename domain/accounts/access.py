"""Who may do what: account kinds, the roles a member grants its users, and the rights they give.

A member's users hold roles for that member (seed 000: Administrateur, Facturation, Déclaration,
Convocation). The service's own people hold an account kind instead: service staff do
everything, auditors read everything, regulators find members and read the CMR exposure lists,
nothing else.
Operations of the API each name the one right they need.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.actor import Actor
from domain.errors import InvalidValue
from domain.labelled import LabelledEnum

NOWHERE = UUID(int=0)
"""An id that names no member nor record: what an id outside the caller's reach becomes."""


class Right(enum.Enum):
    READ_COMPANY = "READ_COMPANY"
    MANAGE_COMPANY = "MANAGE_COMPANY"
    READ_USERS = "READ_USERS"
    MANAGE_USERS = "MANAGE_USERS"
    CHOOSE_NOTIFICATIONS = "CHOOSE_NOTIFICATIONS"
    """One's own notifications, for the member one works on."""
    READ_BILLING = "READ_BILLING"
    """The member's invoices, credit notes and account schedule."""
    MANAGE_BILLING = "MANAGE_BILLING"
    READ_WORKFORCE = "READ_WORKFORCE"
    MANAGE_WORKFORCE = "MANAGE_WORKFORCE"
    READ_CMR = "READ_CMR"
    READ_DECLARATION = "READ_DECLARATION"
    """The annual declarations, their status and recap amounts."""
    MANAGE_DECLARATION = "MANAGE_DECLARATION"
    READ_APPOINTMENTS = "READ_APPOINTMENTS"
    """The member's appointments with the service (visits requested and convened)."""
    MANAGE_APPOINTMENTS = "MANAGE_APPOINTMENTS"
    READ_AUDIT = "READ_AUDIT"
    READ_ACCESS_LOG = "READ_ACCESS_LOG"
    READ_MEMBER_DIRECTORY = "READ_MEMBER_DIRECTORY"
    """Find any member by code, name, SIRET or town: the service's own people only."""
    ADMINISTER_SERVICE = "ADMINISTER_SERVICE"
    """Register members, reissue their codes, change their status, erase identities, create
    accounts of the service: the back office only."""

    @property
    def is_read(self) -> bool:
        return self.value.startswith("READ_")


class Role(LabelledEnum):
    """Rôle d'un utilisateur pour un adhérent."""

    ADMIN = "ADMIN", "administrateur"
    BILLING = "BILLING", "facturation"
    DECLARATION = "DECLARATION", "déclaration"
    CONVOCATION = "CONVOCATION", "convocation"


_SERVICE_ONLY = frozenset(
    {Right.ADMINISTER_SERVICE, Right.READ_ACCESS_LOG, Right.READ_MEMBER_DIRECTORY}
)
_MEMBER_RIGHTS = frozenset(Right) - _SERVICE_ONLY
ROLE_RIGHTS: dict[Role, frozenset[Right]] = {
    Role.ADMIN: _MEMBER_RIGHTS,
    Role.BILLING: frozenset(
        {
            Right.READ_COMPANY,
            Right.READ_BILLING,
            Right.MANAGE_BILLING,
            Right.READ_DECLARATION,
            Right.READ_APPOINTMENTS,
            Right.CHOOSE_NOTIFICATIONS,
        }
    ),
    Role.DECLARATION: frozenset(
        {
            Right.READ_COMPANY,
            Right.MANAGE_COMPANY,
            Right.READ_WORKFORCE,
            Right.MANAGE_WORKFORCE,
            Right.READ_CMR,
            Right.READ_DECLARATION,
            Right.MANAGE_DECLARATION,
            Right.READ_APPOINTMENTS,
            Right.CHOOSE_NOTIFICATIONS,
        }
    ),
    Role.CONVOCATION: frozenset(
        {
            Right.READ_COMPANY,
            Right.READ_WORKFORCE,
            Right.READ_APPOINTMENTS,
            Right.MANAGE_APPOINTMENTS,
            Right.CHOOSE_NOTIFICATIONS,
        }
    ),
}
"""Seed 000: the administrator does everything for the member; billing handles invoices and the
SEPA mandate, never the workforce; declaration keeps the company data, the workforce and the
CMR list; convocation sees the workforce it convenes to visits and manages the appointments,
never billing; billing and declaration only read the appointments (issue 13)."""


class AccountKind(LabelledEnum):
    MEMBER_USER = "MEMBER_USER", "utilisateur adhérent"
    SERVICE_STAFF = "SERVICE_STAFF", "personnel du service"
    AUDITOR = "AUDITOR", "auditeur"
    REGULATOR = "REGULATOR", "autorité de contrôle"


KIND_RIGHTS: dict[AccountKind, frozenset[Right]] = {
    AccountKind.SERVICE_STAFF: frozenset(Right),
    AccountKind.AUDITOR: frozenset(r for r in Right if r.is_read),
    AccountKind.REGULATOR: frozenset({Right.READ_CMR, Right.READ_MEMBER_DIRECTORY}),
}
"""Rights of the service's own people, over every member."""


class Notification(enum.Enum):
    """What a member's user chooses to receive by e-mail."""

    CONVOCATIONS = "CONVOCATIONS"
    INVOICES = "INVOICES"
    DECLARATION = "DECLARATION"
    SERVICE_NEWS = "SERVICE_NEWS"


DEFAULT_NOTIFICATIONS = frozenset(Notification)


def roles_of(roles: Iterable[Role]) -> frozenset[Role]:
    chosen = frozenset(roles)
    if not chosen:
        raise InvalidValue(
            "Choisissez au moins un rôle pour cet utilisateur.", code="NO_ROLE", field="roles"
        )
    return chosen


@dataclass(frozen=True, slots=True)
class Principal:
    """The person behind a request, in the scope of one member (or of the whole service)."""

    account_id: UUID
    kind: AccountKind
    member_id: UUID | None = None
    """The member whose data this session works on (a member's user), or None."""
    roles: frozenset[Role] = frozenset()

    @property
    def rights(self) -> frozenset[Right]:
        if self.kind is not AccountKind.MEMBER_USER:
            return KIND_RIGHTS[self.kind]
        return frozenset().union(*(ROLE_RIGHTS[role] for role in self.roles))

    def may(self, right: Right) -> bool:
        return right in self.rights

    @property
    def sees_every_member(self) -> bool:
        return self.kind is not AccountKind.MEMBER_USER

    def reaches(self, member_id: UUID | None) -> bool:
        """Whether a member's data is in this principal's scope."""
        return self.sees_every_member or (member_id is not None and member_id == self.member_id)

    @property
    def actor(self) -> Actor:
        """Events record the person and, for a member's user, the member they act for."""
        if self.sees_every_member:
            return Actor(str(self.account_id))
        return Actor(str(self.account_id), self.member_id or NOWHERE)


@dataclass(frozen=True, slots=True)
class MemberUser:
    """Utilisateur d'un adhérent: an account with its roles for that member.

    `third_party_declarant`: an accountant's person acting for the member (seed 001).
    """

    account_id: UUID
    roles: frozenset[Role]
    third_party_declarant: bool = False
    notifications: frozenset[Notification] = DEFAULT_NOTIFICATIONS

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

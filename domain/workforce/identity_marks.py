"""IdentityMark: how many of a member's employees hold one value of identity — a NIR, or the
same names and birth date — so that a second hire of the same person is caught in the
transaction that records it.

A mark is named by the keyed token of (member, value) (`mark_id_of`, tokens from the
application's blind index), never by the value, and holds no employee id: only a count. Two
hires of one NIR at the same moment both write the mark's next event, and only one of them can
be saved (a conflict, whatever the store); the other, decided again, finds the NIR taken.
"""

import enum
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import SYSTEM, Actor
from domain.aggregate import RegistreAggregate
from domain.errors import RuleViolation

MARK_NAMESPACE = UUID("0c9f6a3e-51d2-4b7e-9a84-2e6b1f0d7c35")


class MarkKind(enum.Enum):
    """What a mark counts; its value is the blind index's purpose."""

    NIR = "employee nir"
    NAMES = "employee names and birth date"


def mark_id_of(kind: MarkKind, token: str) -> UUID:
    return uuid5(MARK_NAMESPACE, f"{kind.name}:{token}")


class IdentityMark(RegistreAggregate):
    """Its events' actor is the system: the employee's own event says who hired them."""

    member_id: UUID
    holders: int

    @classmethod
    def first(cls, mark_id: UUID, member_id: UUID) -> "IdentityMark":
        return cls._create(cls.MarkOpened, id=mark_id, member_id=member_id, actor=SYSTEM)  # type: ignore[attr-defined]

    @event("MarkOpened")
    def __init__(self, member_id: UUID, actor: Actor) -> None:
        self.member_id = member_id
        self.holders = 1

    @property
    def owning_member(self) -> UUID:
        return self.member_id

    def take(self) -> None:
        self._taken(actor=SYSTEM)

    @event("MarkTaken")
    def _taken(self, actor: Actor) -> None:
        self.holders += 1

    def release(self) -> None:
        if self.holders == 0:
            raise RuleViolation("Cette marque n'a plus de titulaire.", code="MARK_RELEASED")
        self._released(actor=SYSTEM)

    @event("MarkReleased")
    def _released(self, actor: Actor) -> None:
        self.holders -= 1

"""The EmailClaim aggregate: which account holds a login e-mail.

A claim is named by the address's keyed token (`claim_id_of`), never by the address, so the log
does not say which address it is; two accounts claiming one address both make the claim's first
event, and only one of them can be saved (a conflict, whatever the store). The holder is sealed
with the claim's own identity key: when its account is erased the claim is released and that key
destroyed, so the log no longer ties the token to the account. The address may then be claimed
again by a new account: by the claim of the next generation (`claim_id_of(token, 1)`, …), never
by the released one, whose key is gone for good.
"""

from typing import ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import SYSTEM, Actor
from domain.aggregate import RegistreAggregate
from domain.errors import RuleViolation
from domain.personal_data import DataCategory, PersonalData

CLAIM_NAMESPACE = UUID("6f1d2c84-95b0-4e3a-a7c2-3d58e0b41f92")
EMAIL_PURPOSE = "account e-mail"
"""The blind index's purpose of login e-mail addresses."""


def claim_id_of(token: str, generation: int = 0) -> UUID:
    """The claim of an address, from its keyed token (`storage.blind_index`): the first one,
    or the one made after `generation` earlier claims were released."""
    return uuid5(CLAIM_NAMESPACE, token if generation == 0 else f"{token}:{generation}")


class EmailClaim(RegistreAggregate):
    personal_data: ClassVar[PersonalData] = {"account_id": DataCategory.IDENTITY}

    account_id: UUID | None

    @classmethod
    def claim(cls, claim_id: UUID, account_id: UUID) -> "EmailClaim":
        """The actor is the system: the account's own event says who opened it, and the claim's
        must not name its holder in clear (an actor is never sealed)."""
        return cls._create(cls.Claimed, id=claim_id, account_id=account_id, actor=SYSTEM)  # type: ignore[attr-defined]

    @event("Claimed")
    def __init__(self, account_id: UUID | None, actor: Actor) -> None:
        self.account_id = account_id

    @property
    def holder(self) -> UUID | None:
        """The account holding the address; None once released (or its key destroyed)."""
        return self.account_id

    def release(self) -> None:
        if self.account_id is None:
            raise RuleViolation("Cette adresse e-mail n'a plus de compte.", code="CLAIM_RELEASED")
        self._released(actor=SYSTEM)

    @event("Released")
    def _released(self, actor: Actor) -> None:
        self.account_id = None

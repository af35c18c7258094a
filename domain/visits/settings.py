"""The service's visit settings, kept by its staff with history: how many business days ahead a
member may cancel an appointment (seed 004 §2.6: two), and whether a missed appointment that was
not cancelled in time is billed to the employer, and for how much (BILLING.md §4).

No-shows are not billed until the service decides to: billing a member is the service's choice,
never a default. The fee proposed is the 50 € HT BILLING.md §4 cites.
"""

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.errors import InvalidValue
from domain.money import Money

SETTINGS_ID = uuid5(UUID("9b3e1d7c-5a2f-5e8b-9c4d-6f1a2b3c4d5e"), "visit settings")
DEFAULT_NOTICE_DAYS = 2
MIN_NOTICE_DAYS = 1
MAX_NOTICE_DAYS = 10
DEFAULT_NO_SHOW_FEE = Money(Decimal(50))
MAX_NO_SHOW_FEE = Money(Decimal(1000))


class VisitSettings(RegistreAggregate):
    cancellation_notice_days: int
    no_shows_billed: bool
    no_show_fee: Money
    """HT; billed only when `no_shows_billed`."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return SETTINGS_ID

    @classmethod
    def start(cls, actor: Actor) -> "VisitSettings":
        return cls(actor=actor)

    @event("VisitSettingsOpened")
    def __init__(self, actor: Actor) -> None:
        self.cancellation_notice_days = DEFAULT_NOTICE_DAYS
        self.no_shows_billed = False
        self.no_show_fee = DEFAULT_NO_SHOW_FEE

    def set_cancellation_notice(self, days: int, actor: Actor) -> None:
        if not MIN_NOTICE_DAYS <= days <= MAX_NOTICE_DAYS:
            raise InvalidValue(
                f"Le délai d'annulation d'un rendez-vous est de {MIN_NOTICE_DAYS} à"
                f" {MAX_NOTICE_DAYS} jours ouvrés.",
                code="INVALID_CANCELLATION_NOTICE",
                field="days",
            )
        if days != self.cancellation_notice_days:
            self._cancellation_notice_set(days=days, actor=actor)

    @event("CancellationNoticeSet")
    def _cancellation_notice_set(self, days: int, actor: Actor) -> None:
        self.cancellation_notice_days = days

    def set_no_show_billing(self, billed: bool, fee: Money, actor: Actor) -> None:
        if fee.is_zero or fee.is_negative or fee > MAX_NO_SHOW_FEE:
            raise InvalidValue(
                f"Les frais d'absence à une visite sont positifs, {MAX_NO_SHOW_FEE} HT au plus.",
                code="INVALID_NO_SHOW_FEE",
                field="fee",
            )
        if (billed, fee) != (self.no_shows_billed, self.no_show_fee):
            self._no_show_billing_set(billed=billed, fee=fee, actor=actor)

    @event("NoShowBillingSet")
    def _no_show_billing_set(self, billed: bool, fee: Money, actor: Actor) -> None:
        self.no_shows_billed = billed
        self.no_show_fee = fee

    @property
    def no_show_fee_due(self) -> Money | None:
        """What a no-show not cancelled in time costs the employer now (HT), None when the
        service does not bill them."""
        return self.no_show_fee if self.no_shows_billed else None

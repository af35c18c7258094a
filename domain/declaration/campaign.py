"""The Campaign aggregate (campagne de déclaration): the service opens the annual declaration for
a year, with the prices of that year."""

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.money import Money

CAMPAIGN_NAMESPACE = UUID("5d0c8f4e-91b7-5a3e-8c2d-6e4f1a9b7c35")
FIRST_YEAR = 2000


def default_reference_date(year: int) -> date:
    """The billed headcount is counted on 31 December of the year before (seed 000)."""
    return date(year - 1, 12, 31)


class Campaign(RegistreAggregate):
    year: int
    opens_on: date
    deadline: date
    rate_per_capita: Money
    tool_price: Money
    reference_date: date
    closed_on: date | None

    @staticmethod
    def create_id(year: int, **_: Any) -> UUID:
        """One campaign per year."""
        return uuid5(CAMPAIGN_NAMESPACE, str(year))

    @classmethod
    def open(
        cls,
        *,
        year: int,
        opens_on: date,
        deadline: date,
        rate_per_capita: Money,
        tool_price: Money,
        reference_date: date | None,
        actor: Actor,
    ) -> "Campaign":
        if not FIRST_YEAR <= year <= opens_on.year + 1:
            raise InvalidValue(f"L'année {year} n'est pas valable.", code="INVALID_YEAR")
        if deadline < opens_on:
            raise InvalidValue(
                "La date limite doit suivre la date d'ouverture.",
                code="DEADLINE_BEFORE_OPENING",
                field="deadline",
            )
        if rate_per_capita.is_zero or rate_per_capita.is_negative or tool_price.is_negative:
            raise InvalidValue(
                "Le tarif par salarié doit être positif, le prix de l'outil positif ou nul.",
                code="INVALID_PRICE",
                field="rate_per_capita",
            )
        return cls(
            year=year,
            opens_on=opens_on,
            deadline=deadline,
            rate_per_capita=rate_per_capita,
            tool_price=tool_price,
            reference_date=reference_date or default_reference_date(year),
            actor=actor,
        )

    @event("CampaignOpened")
    def __init__(  # noqa: PLR0917 (the event's fields)
        self,
        year: int,
        opens_on: date,
        deadline: date,
        rate_per_capita: Money,
        tool_price: Money,
        reference_date: date,
        actor: Actor,
    ) -> None:
        self.year = year
        self.opens_on = opens_on
        self.deadline = deadline
        self.rate_per_capita = rate_per_capita
        self.tool_price = tool_price
        self.reference_date = reference_date
        self.closed_on = None

    def close(self, closed_on: date, actor: Actor) -> None:
        if self.closed_on is not None:
            raise RuleViolation("Cette campagne est déjà close.", code="CAMPAIGN_CLOSED")
        self._closed(closed_on=closed_on, actor=actor)

    @event("CampaignClosed")
    def _closed(self, closed_on: date, actor: Actor) -> None:
        self.closed_on = closed_on

    def is_open_on(self, day: date) -> bool:
        """Declarations can be entered from the opening day until the campaign is closed (the
        deadline is a due date: a late declaration is still accepted)."""
        return self.opens_on <= day and (self.closed_on is None or day < self.closed_on)

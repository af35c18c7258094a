"""What the DECLARATIONS read model answers (`projections.declaration.declarations`): its
tables' columns, the views its queries return, and how a stored row reads as a view."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import msgspec

from domain.declaration.steps import STEPS, Answer, DeclarationStatus, Step
from projections.rows import struct_of
from projections.store import Row

CAMPAIGN_COLUMNS = (
    "year",
    "opens_on",
    "deadline",
    "rate_per_capita",
    "tool_price",
    "reference_date",
    "closed_on",
)
DECLARATION_COLUMNS = (
    "declaration_id",
    "member_id",
    "year",
    "edition",
    "status",
    "handled_by",
    "progress",
    "prevention",
    "risks",
    "declined_risks",
    "tool_subscribed",
    "tool_price",
    "purchase_order",
    "terms_accepted",
    "started_at",
    "updated_at",
    "version",
)
CONFIRMATION_COLUMNS = (
    "declaration_id",
    "member_id",
    "year",
    "edition",
    "confirmed_at",
    "content_hash",
    "frozen",
    "confirmed_by",
    "on_behalf_of",
    "reopened_at",
    "reopen_reason",
)
Prevention = dict[str, dict[str, Answer]]


class CampaignView(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    opens_on: date
    deadline: date
    rate_per_capita: Decimal
    tool_price: Decimal
    reference_date: date
    closed_on: date | None

    def is_open_on(self, today: date) -> bool:
        """`Campaign.is_open_on`: from the opening day until the campaign is closed."""
        return self.opens_on <= today and (self.closed_on is None or today < self.closed_on)


class StepState(msgspec.Struct, frozen=True, kw_only=True):
    """A step's progress as stored: `open` is `Declaration.is_open`, taken when it was folded."""

    completed: bool
    revision: int
    open: bool


class StepView(msgspec.Struct, frozen=True, kw_only=True):
    step: Step
    number: str
    label: str
    completed: bool
    open: bool
    """Every required step before it is complete (`Declaration.is_open`)."""
    revision: int
    """Sent back with a change of the step: a change of another step is no conflict."""


class DeclarationView(msgspec.Struct, frozen=True, kw_only=True):
    """A member's declaration of a year; one never started reads as TO_ENTER, nothing done."""

    declaration_id: UUID
    member_id: UUID
    year: int
    edition: int
    status: DeclarationStatus
    handled_by: UUID | None
    steps: list[StepView]
    prevention: Prevention
    risks: list[str]
    declined_risks: list[str]
    tool_subscribed: bool | None
    tool_price: Decimal | None
    purchase_order: str | None
    terms_accepted: bool
    started_at: datetime | None
    updated_at: datetime | None
    version: int
    """The aggregate's version: 0 when the declaration was never started."""


class ConfirmationView(msgspec.Struct, frozen=True, kw_only=True):
    """One confirmed edition, as it was sent (`frozen` is None once its key was destroyed):
    employees' identities sealed in it, as `content_hash` covers it (shown opened:
    `DeclarationQueries.opened`)."""

    declaration_id: UUID
    member_id: UUID
    year: int
    edition: int
    confirmed_at: datetime
    content_hash: str
    frozen: str | None
    confirmed_by: str
    on_behalf_of: UUID | None
    reopened_at: datetime | None
    reopen_reason: str | None


_PROGRESS = msgspec.json.Decoder(dict[Step, StepState])
_PREVENTION = msgspec.json.Decoder(Prevention)
_CODES = msgspec.json.Decoder(list[str])


def step_views(progress: Mapping[Step, StepState]) -> list[StepView]:
    return [
        StepView(
            step=step,
            number=step.number,
            label=step.label,
            **msgspec.structs.asdict(progress[step]),
        )
        for step in STEPS
    ]


def campaign_view(row: Row) -> CampaignView:
    return struct_of(CampaignView, row)


def declaration_view(row: Row) -> DeclarationView:
    """The row's `progress` column gives the view's `steps`."""
    return struct_of(
        DeclarationView,
        row,
        steps=lambda progress: step_views(_PROGRESS.decode(progress)),
        prevention=_PREVENTION.decode,
        risks=_CODES.decode,
        declined_risks=_CODES.decode,
    )


def confirmation_view(row: Row) -> ConfirmationView:
    return struct_of(ConfirmationView, row)

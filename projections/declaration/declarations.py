"""DECLARATIONS read model: the campaigns, each member's declaration of each year, and every
confirmed edition as it was sent.

`campaigns` holds one row per year with its prices (decimal text) and dates (day ordinals).
`declarations` holds one row per member and year, written field by field from the Declaration
aggregate folded event by event (`projections.aggregates`): its edition, its status, each
step's progress (completed, revision, and whether it is open, by `Declaration.is_open` itself),
the answers of its own steps. `confirmations` holds one row per confirmed
edition, kept for ever: the frozen copy exactly as the confirmation event carries it, its hash,
who confirmed, and, once the service reopened it, when and why — a reopening never deletes the
edition it reopens. `member_states` follows each member's status (from the Member aggregate),
so the list of a member's declarations can tell which ones may not be entered.

NOT_ENTERABLE is never stored: it depends on the day, which the caller gives.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.actor import SYSTEM
from domain.declaration.campaign import Campaign
from domain.declaration.declaration import Declaration
from domain.declaration.steps import STEPS, DeclarationStatus
from domain.members.member import Member
from domain.members.organisation import MembershipStatus
from domain.money import Money
from projections.aggregates import shared_folder
from projections.declaration.declared import open_copy
from projections.declaration.views import (
    CAMPAIGN_COLUMNS,
    CONFIRMATION_COLUMNS,
    DECLARATION_COLUMNS,
    CampaignView,
    ConfirmationView,
    DeclarationView,
    StepState,
    campaign_view,
    confirmation_view,
    declaration_view,
)
from projections.model import Envelope, Queries, ReadModel
from projections.store import Row, Tx
from projections.timeline import day, instant


class Declarations(ReadModel):
    name = "declarations"
    reads = (Campaign.Event, Declaration.Event, Member.Event)
    tables = ("campaigns", "declarations", "confirmations", "member_states")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.campaigns = shared_folder(self.source, Campaign)
        self.declarations = shared_folder(self.source, Declaration)
        self.members = shared_folder(self.source, Member)

    def create(self, tx: Tx) -> None:
        bigint = self.store.bigint
        campaigns, declarations = self.table("campaigns"), self.table("declarations")
        confirmations, member_states = self.table("confirmations"), self.table("member_states")
        tx.execute(
            f"CREATE TABLE {campaigns} (year INTEGER PRIMARY KEY, opens_on INTEGER NOT NULL,"
            " deadline INTEGER NOT NULL, rate_per_capita TEXT NOT NULL,"
            " tool_price TEXT NOT NULL, reference_date INTEGER NOT NULL, closed_on INTEGER)"
        )
        tx.execute(
            f"CREATE TABLE {declarations} (declaration_id TEXT PRIMARY KEY,"
            " member_id TEXT NOT NULL, year INTEGER NOT NULL, edition INTEGER NOT NULL,"
            " status TEXT NOT NULL, handled_by TEXT, progress TEXT NOT NULL,"
            " prevention TEXT NOT NULL, risks TEXT NOT NULL, declined_risks TEXT NOT NULL,"
            " tool_subscribed INTEGER, tool_price TEXT, purchase_order TEXT,"
            f" terms_accepted INTEGER NOT NULL, started_at {bigint} NOT NULL,"
            f" updated_at {bigint} NOT NULL, version INTEGER NOT NULL,"
            " UNIQUE (member_id, year))"
        )
        tx.execute(
            f"CREATE TABLE {confirmations} (declaration_id TEXT NOT NULL,"
            " member_id TEXT NOT NULL, year INTEGER NOT NULL, edition INTEGER NOT NULL,"
            f" confirmed_at {bigint} NOT NULL, content_hash TEXT NOT NULL, frozen TEXT,"
            " confirmed_by TEXT NOT NULL, on_behalf_of TEXT,"
            f" reopened_at {bigint}, reopen_reason TEXT, PRIMARY KEY (declaration_id, edition))"
        )
        tx.execute(
            f"CREATE INDEX {confirmations}_member ON {confirmations} (member_id, year, edition)"
        )
        tx.execute(
            f"CREATE TABLE {member_states} (member_id TEXT PRIMARY KEY, status TEXT NOT NULL)"
        )

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        campaigns: dict[UUID, Campaign] = {}
        declarations: dict[UUID, Declaration] = {}
        members: dict[UUID, Member] = {}
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, Campaign.Event):
                campaign: Campaign = self.campaigns.apply(event)
                campaigns[campaign.id] = campaign
            elif isinstance(event, Declaration.Event):
                declaration: Declaration = self.declarations.apply(event)
                declarations[declaration.id] = declaration
                if envelope.event_name == "DeclarationConfirmed":
                    self._confirmed(tx, declaration, event)
                elif envelope.event_name == "DeclarationReopened":
                    self._reopened(tx, declaration, event)
            elif isinstance(event, Member.Event):
                member: Member = self.members.apply(event)  # every event: the cache stays warm
                members[member.id] = member
        tx.executemany(
            self._upsert("campaigns", CAMPAIGN_COLUMNS),
            [_campaign_row(c) for c in campaigns.values()],
        )
        tx.executemany(
            self._upsert("declarations", DECLARATION_COLUMNS),
            [_declaration_row(d) for d in declarations.values()],
        )
        tx.executemany(
            self._upsert("member_states", ("member_id", "status")),
            [(str(m.id), m.status.value) for m in members.values()],
        )

    def _confirmed(self, tx: Tx, declaration: Declaration, event: Any) -> None:
        """A new row for the edition just confirmed (in log order: before its reopening)."""
        actor = event.actor
        tx.execute(
            f"INSERT INTO {self.table('confirmations')} ({', '.join(CONFIRMATION_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(CONFIRMATION_COLUMNS))})",
            (
                str(declaration.id),
                str(declaration.member_id),
                declaration.year,
                declaration.edition,
                instant(event.timestamp),
                event.content_hash,
                event.frozen,
                actor.user_id,
                None if actor.on_behalf_of is None else str(actor.on_behalf_of),
                None,
                None,
            ),
        )

    def _reopened(self, tx: Tx, declaration: Declaration, event: Any) -> None:
        """The edition reopened keeps its row; only when and why it was reopened are added."""
        tx.execute(
            f"UPDATE {self.table('confirmations')} SET reopened_at = ?, reopen_reason = ?"
            " WHERE declaration_id = ? AND edition = ?",
            (instant(event.timestamp), event.reason, str(declaration.id), declaration.edition - 1),
        )

    def _upsert(self, base: str, columns: Sequence[str]) -> str:
        key, *others = columns
        updates = ", ".join(f"{column} = excluded.{column}" for column in others)
        return (
            f"INSERT INTO {self.table(base)} ({', '.join(columns)})"
            f" VALUES ({', '.join('?' * len(columns))})"
            f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
        )


def _campaign_row(campaign: Campaign) -> Row:
    return (
        campaign.year,
        day(campaign.opens_on),
        day(campaign.deadline),
        _amount(campaign.rate_per_capita),
        _amount(campaign.tool_price),
        day(campaign.reference_date),
        None if campaign.closed_on is None else day(campaign.closed_on),
    )


def _declaration_row(declaration: Declaration) -> Row:
    return (
        str(declaration.id),
        str(declaration.member_id),
        declaration.year,
        declaration.edition,
        declaration.status.value,
        None if declaration.handled_by is None else str(declaration.handled_by),
        _json(_progress(declaration)),
        _json(declaration.prevention),
        _json(declaration.risks),
        _json(declaration.declined_risks),
        None if declaration.tool_subscribed is None else int(declaration.tool_subscribed),
        None if declaration.tool_price is None else _amount(declaration.tool_price),
        declaration.purchase_order,
        int(declaration.terms_accepted),
        instant(declaration.created_on),
        instant(declaration.modified_on),
        declaration.version,
    )


def _amount(money: Money) -> str:
    return str(money.amount)


def _json(value: Any) -> str:
    """Keys sorted: the same state always gives the same text, live or rebuilt."""
    return msgspec.json.encode(value, order="sorted").decode()


def _progress(declaration: Declaration) -> dict[str, StepState]:
    """Each step's progress, and whether it is open, by the domain's own rule."""
    return {
        step.value: StepState(
            completed=declaration.progress[step].completed,
            revision=declaration.progress[step].revision,
            open=declaration.is_open(step),
        )
        for step in STEPS
    }


class DeclarationQueries(Queries):
    name = "declarations"

    def campaign(self, year: int) -> CampaignView | None:
        rows = self.store.read(
            f"SELECT {', '.join(CAMPAIGN_COLUMNS)} FROM {self.table('campaigns')} WHERE year = ?",
            (year,),
        )
        return campaign_view(rows[0]) if rows else None

    def campaigns(self) -> list[CampaignView]:
        """Every campaign, the newest first."""
        rows = self.store.read(
            f"SELECT {', '.join(CAMPAIGN_COLUMNS)} FROM {self.table('campaigns')}"
            " ORDER BY year DESC"
        )
        return [campaign_view(row) for row in rows]

    def declaration(self, member_id: UUID, year: int) -> DeclarationView | None:
        """The member's declaration of that year; TO_ENTER with nothing done when it was never
        started; None when there is no campaign that year either."""
        rows = self.store.read(
            f"SELECT {', '.join(DECLARATION_COLUMNS)} FROM {self.table('declarations')}"
            " WHERE member_id = ? AND year = ?",
            (str(member_id), year),
        )
        if rows:
            return declaration_view(rows[0])
        if self.campaign(year) is None:
            return None
        return never_started(member_id, year)

    def declarations_of(self, member_id: UUID, today: date) -> list[DeclarationView]:
        """One declaration per campaign year, the newest first (seed 004 §2.5), with its status
        on `today`: NOT_ENTERABLE when the membership is suspended or terminated, or when the
        campaign is not open that day and the declaration is not confirmed. Empty for an
        unknown member."""
        states = self.store.read(
            f"SELECT status FROM {self.table('member_states')} WHERE member_id = ?",
            (str(member_id),),
        )
        if not states:
            return []
        active = MembershipStatus(states[0][0]) is MembershipStatus.ACTIVE
        columns = ", ".join(
            [*(f"c.{c}" for c in CAMPAIGN_COLUMNS), *(f"d.{c}" for c in DECLARATION_COLUMNS)]
        )
        rows = self.store.read(
            f"SELECT {columns} FROM {self.table('campaigns')} c"
            f" LEFT JOIN {self.table('declarations')} d"
            " ON d.year = c.year AND d.member_id = ? ORDER BY c.year DESC",
            (str(member_id),),
        )
        views = []
        for row in rows:
            campaign = campaign_view(row[: len(CAMPAIGN_COLUMNS)])
            started = row[len(CAMPAIGN_COLUMNS) :]
            view = (
                never_started(member_id, campaign.year)
                if started[0] is None
                else declaration_view(started)
            )
            confirmed = view.status is DeclarationStatus.CONFIRMED
            if not active or (not campaign.is_open_on(today) and not confirmed):
                view = msgspec.structs.replace(view, status=DeclarationStatus.NOT_ENTERABLE)
            views.append(view)
        return views

    def confirmations(self, member_id: UUID, year: int) -> list[ConfirmationView]:
        """Every confirmed edition of the member's declaration of that year, the oldest first."""
        return self._confirmations("member_id = ? AND year = ?", (str(member_id), year))

    def confirmation(self, member_id: UUID, year: int, edition: int) -> ConfirmationView | None:
        found = self._confirmations(
            "member_id = ? AND year = ? AND edition = ?", (str(member_id), year, edition)
        )
        return found[0] if found else None

    def _confirmations(self, where: str, params: Sequence[Any]) -> list[ConfirmationView]:
        rows = self.store.read(
            f"SELECT {', '.join(CONFIRMATION_COLUMNS)} FROM {self.table('confirmations')}"
            f" WHERE {where} ORDER BY edition",
            params,
        )
        return [confirmation_view(row) for row in rows]

    def opened(self, confirmation: ConfirmationView) -> str | None:
        """The confirmed copy as shown: each employee's identity opened (None once erased)."""
        return None if confirmation.frozen is None else open_copy(self.store, confirmation.frozen)


def never_started(member_id: UUID, year: int) -> DeclarationView:
    """A declaration no one has changed yet, as `Declaration.start` leaves it: one started in
    memory only, never saved, read through the same columns as the stored ones."""
    fresh = Declaration.start(member_id, year, SYSTEM)
    view = declaration_view(_declaration_row(fresh))
    return msgspec.structs.replace(view, started_at=None, updated_at=None, version=0)

"""Audit trail: every event of every aggregate — who, when recorded, when effective, what.

One row per event, in log order: the actor (and the member an accountant acted for), the instant
it was recorded, the day it takes effect, a French one-line summary and the event's own fields
as printable JSON (`projections.audit_changes`). Secrets never reach it: no NIR (shown as "***"
when one was given), no declarant number hash, no password hash, no full IBAN (only its last 4
characters). Sets (a user's roles, their notifications) are printed as sorted lists, so an event
always gives the same row. Account events belong to no member (`member_id` is None). Summaries
never name the employee, so when a person's identity is erased (`IdentityErased`) only the
`changes` of that employee's earlier rows have to be wiped; a rebuild from event zero gives the
same rows because the erased identity then reads as None.

Each context declares the summaries of its events (`projections/<context>/audit_summaries.py`);
a summary is made from its event alone, so a rebuild gives the same lines whatever changed since
in the shipped data files (`projections.summaries`, `projections.catalogues.former_labels`).
"""

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, ClassVar
from uuid import UUID

import msgspec

from domain.accounts.account import Account
from domain.accounts.email_claim import EmailClaim
from domain.actor import SYSTEM_USER
from domain.billing.series import InvoiceSeries
from domain.billing.settings import BillingSettings
from domain.catalogues.edits import CatalogueEdits
from domain.declaration.campaign import Campaign
from domain.members.member import Member
from domain.personal_data import DataCategory
from domain.search import page_size
from domain.visits.availability import Availability
from domain.visits.organisation import HealthProfessional, VisitCentre
from domain.visits.settings import VisitSettings
from domain.workforce.employee import Employee
from domain.workforce.identity_marks import IdentityMark
from projections.audit_changes import changes_of, effective_date
from projections.model import Envelope, Queries, ReadModel, is_erasure
from projections.personal import PersonKey, seal_of
from projections.source import EventSource
from projections.store import ReadStore, Row, Tx
from projections.summaries import FALLBACK_SUMMARY, Summaries
from projections.timeline import day, from_instant, instant

DEFAULT_LIMIT = 50
_IDENTITY_FIELDS = {
    record.Event: frozenset(
        name for name, category in record.personal_data.items() if category is DataCategory.IDENTITY
    )
    for record in (Employee, Account)
}
"""The identity fields of the records whose identity can be erased (`is_erasure`)."""
SEALED_CHANGE = "$sealed"
"""How `changes` holds an identity field: sealed (`AuditTrail._sealed`), opened when read."""
_COLUMNS = (
    "position, recorded_at, aggregate_type, aggregate_id, aggregate_version, member_id,"
    " event_type, actor, on_behalf_of, effective_on, summary, changes"
)
_COLUMN_NAMES = tuple(c.strip() for c in _COLUMNS.split(","))


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One event as the audit trail shows it."""

    position: int
    recorded_at: datetime
    aggregate_type: str
    aggregate_id: UUID
    aggregate_version: int
    member_id: UUID | None
    event_type: str
    actor: str
    on_behalf_of: UUID | None
    effective_on: date | None
    summary: str
    changes: dict[str, Any]


def _encode(changes: dict[str, Any]) -> str:
    return msgspec.json.encode(changes).decode()


# Read model ------------------------------------------------------------------------------------


SERVICE_RECORDS = (
    Account.Event
    | EmailClaim.Event
    | IdentityMark.Event
    | Campaign.Event
    | CatalogueEdits.Event
    | BillingSettings.Event
    | InvoiceSeries.Event
    | VisitCentre.Event
    | HealthProfessional.Event
    | VisitSettings.Event
    | Availability.Event
)
"""Records that belong to no member: the service's own, and accounts; and the identity marks
(bookkeeping of the duplicate checks, not shown in a member's trail)."""


MEMBERS_KEPT = 100_000
"""Records whose member is remembered between events, the most recent (the others are looked
up again): a service's whole history would not fit."""


class AuditTrail(ReadModel):
    """Every event as one row: who, when, on whose behalf, a French summary and the changes.

    The summaries are the contexts' own (`Context.audit_summaries`): the composition root makes
    the trail that knows them all (`AuditTrail.summarising`)."""

    name = "audit"
    by_record = True
    tables = ("entries",)
    weight = 4
    revision = 2  # employees' identities sealed in `changes`
    summaries: ClassVar[Summaries] = {}

    @classmethod
    def summarising(cls, summaries: Summaries) -> type["AuditTrail"]:
        return type(cls.__name__, (cls,), {"summaries": summaries})

    @classmethod
    def summary_of(cls, event: Any) -> str:
        name = type(event).__name__
        summarise = cls.summaries.get(name)
        return FALLBACK_SUMMARY.format(name=name) if summarise is None else summarise(event)

    def __init__(self, source: EventSource, store: ReadStore, generation: int):
        super().__init__(source, store, generation)
        self._member_of: dict[UUID, UUID] = {}
        self._keys: dict[UUID, PersonKey] = {}

    def create(self, tx: Tx) -> None:
        entries = self.table("entries")
        bigint = self.store.bigint
        tx.execute(
            f"CREATE TABLE {entries} ("
            f" position {bigint} PRIMARY KEY,"
            f" recorded_at {bigint} NOT NULL,"
            " aggregate_type TEXT NOT NULL,"
            " aggregate_id TEXT NOT NULL,"
            " aggregate_version INTEGER NOT NULL,"
            " member_id TEXT,"
            " event_type TEXT NOT NULL,"
            " actor TEXT NOT NULL,"
            " on_behalf_of TEXT,"
            " effective_on INTEGER,"
            " summary TEXT NOT NULL,"
            " changes TEXT NOT NULL)"
        )
        tx.execute(f"CREATE INDEX {entries}_aggregate ON {entries} (aggregate_id, position)")

    def index(self, tx: Tx) -> None:
        entries = self.table("entries")
        for suffix, columns in (
            ("member", "member_id, position"),
            ("actor", "actor, position"),
            ("recorded", "recorded_at"),
        ):
            tx.execute(f"CREATE INDEX {entries}_{suffix} ON {entries} ({columns})")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        entries = self.table("entries")
        self._keys = seal_of(self.store).keys(
            tx.execute, (e.aggregate_id for e in envelopes if _identity_fields(e.event))
        )
        rows = [self._row(tx, envelope) for envelope in envelopes]
        tx.insert_rows(entries, _COLUMN_NAMES, rows)
        for envelope in envelopes:
            if is_erasure(envelope):
                self.erase(tx, envelope)

    def _row(self, tx: Tx, envelope: Envelope) -> Row:
        event = envelope.event
        actor = getattr(event, "actor", None)
        effective_on = effective_date(event)
        on_behalf_of = getattr(actor, "on_behalf_of", None)
        member_id = self._member_id(tx, event)
        return (
            envelope.position,
            envelope.recorded_at,
            type(event).__qualname__.rsplit(".", 1)[0],
            str(envelope.aggregate_id),
            event.originator_version,
            None if member_id is None else str(member_id),
            envelope.event_name,
            getattr(actor, "user_id", SYSTEM_USER),
            None if on_behalf_of is None else str(on_behalf_of),
            None if effective_on is None else day(effective_on),
            self.summary_of(event),
            _encode(self._sealed(envelope.aggregate_id, event, changes_of(event))),
        )

    def _sealed(self, subject: UUID, event: Any, changes: dict[str, Any]) -> dict[str, Any]:
        """The identity fields sealed under the person's identity key, as the other read
        tables keep them (`projections.personal`); left as the event has them when the record
        has no such key (none was ever made: nothing personal was sealed in the event)."""
        key = self._keys.get(subject)
        if key is None:
            return changes
        return changes | {
            name: {SEALED_CHANGE: key.seal(f"audit {name}", msgspec.json.encode(changes[name]))}
            for name in _identity_fields(event)
            if changes.get(name) is not None
        }

    def _member_id(self, tx: Tx, event: Any) -> UUID | None:
        """The member a record belongs to: the member itself, or the member named by the first
        event of an employee, a declaration, a risk assessment, an invoice; accounts, campaigns,
        the catalogue edits and the service's billing settings and series belong to none."""
        if isinstance(event, Member.Event):
            member_id: UUID = event.originator_id
            return member_id
        if isinstance(event, SERVICE_RECORDS):
            return None
        record_id: UUID = event.originator_id
        carried = getattr(event, "member_id", None)  # the record's first event carries it
        remembered = self._member_of.pop(record_id, None)
        found = carried if isinstance(carried, UUID) else remembered
        if found is None:
            rows = tx.execute(
                f"SELECT member_id FROM {self.table('entries')}"
                " WHERE aggregate_id = ? AND member_id IS NOT NULL LIMIT 1",
                (str(record_id),),
            )
            found = UUID(rows[0][0]) if rows else self.source.aggregate_at(record_id).member_id
        self._member_of[record_id] = found  # the most recent last
        if len(self._member_of) > MEMBERS_KEPT:
            del self._member_of[next(iter(self._member_of))]
        return found

    def erase(self, tx: Tx, erased: Envelope) -> None:
        """Identity values out of the employee's (or account's) earlier rows (summaries never
        hold them)."""
        fields = next(f for kind, f in _IDENTITY_FIELDS.items() if isinstance(erased.event, kind))
        entries = self.table("entries")
        rows = tx.execute(
            f"SELECT position, changes FROM {entries} WHERE aggregate_id = ? AND position < ?",
            (str(erased.aggregate_id), erased.position),
        )
        updates = []
        for position, raw in rows:
            changes = msgspec.json.decode(raw)
            if any(changes.get(name) is not None for name in fields):
                wiped = changes | {name: None for name in fields if name in changes}
                updates.append((_encode(wiped), position))
        if updates:
            tx.executemany(f"UPDATE {entries} SET changes = ? WHERE position = ?", updates)


# Queries ---------------------------------------------------------------------------------------


class AuditTrailQueries(Queries):
    name = "audit"

    def entries(
        self,
        *,
        member_id: UUID | None = None,
        aggregate_id: UUID | None = None,
        actor: str | None = None,
        recorded_from: datetime | None = None,
        recorded_to: datetime | None = None,
        after_position: int | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[AuditEntry]:
        """Newest first. `recorded_from` is included, `recorded_to` excluded (aware datetimes);
        `after_position` is the cursor: the position of the last entry of the previous page."""
        clauses: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("member_id = ?", None if member_id is None else str(member_id)),
            ("aggregate_id = ?", None if aggregate_id is None else str(aggregate_id)),
            ("actor = ?", actor),
            ("recorded_at >= ?", _instant(recorded_from, "recorded_from")),
            ("recorded_at < ?", _instant(recorded_to, "recorded_to")),
            ("position < ?", after_position),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.store.read(
            f"SELECT {_COLUMNS} FROM {self.table('entries')}{where} ORDER BY position DESC LIMIT ?",
            (*params, page_size(limit)),
        )
        entries = [_entry(row) for row in rows]
        sealed = [e for e in entries if any(_is_sealed(v) for v in e.changes.values())]
        keys = seal_of(self.store).keys(self.store.read, (e.aggregate_id for e in sealed))
        for entry in sealed:
            key = keys.get(entry.aggregate_id)
            for name, value in entry.changes.items():
                if _is_sealed(value):
                    opened = (
                        None if key is None else key.open(f"audit {name}", value[SEALED_CHANGE])
                    )
                    entry.changes[name] = None if opened is None else msgspec.json.decode(opened)
        return entries


def _is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and SEALED_CHANGE in value


def _identity_fields(event: Any) -> frozenset[str]:
    event_class: type = type(event)
    return _identity_fields_of(event_class)


@cache
def _identity_fields_of(event_class: type) -> frozenset[str]:
    return next(
        (f for kind, f in _IDENTITY_FIELDS.items() if issubclass(event_class, kind)), frozenset()
    )


def _instant(moment: datetime | None, name: str) -> int | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        msg = f"{name} must be a timezone-aware datetime"
        raise ValueError(msg)
    return instant(moment)


def _entry(row: Row) -> AuditEntry:
    (
        position,
        recorded_at,
        aggregate_type,
        aggregate_id,
        aggregate_version,
        member_id,
        event_type,
        actor,
        on_behalf_of,
        effective_on,
        summary,
        changes,
    ) = row
    return AuditEntry(
        position=position,
        recorded_at=from_instant(recorded_at),
        aggregate_type=aggregate_type,
        aggregate_id=UUID(aggregate_id),
        aggregate_version=aggregate_version,
        member_id=None if member_id is None else UUID(member_id),
        event_type=event_type,
        actor=actor,
        on_behalf_of=None if on_behalf_of is None else UUID(on_behalf_of),
        effective_on=None if effective_on is None else date.fromordinal(effective_on),
        summary=summary,
        changes=msgspec.json.decode(changes),
    )

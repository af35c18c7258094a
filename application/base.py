"""The command pipeline shared by every bounded context: load, decide, save once.

A command runs at most once per request id: the command log is written in the transaction that
saves its events (`storage.recorders`), and a retry returns the first result. Optimistic
concurrency: a command refuses when the record moved on since the user's form was loaded, and
two commands racing on the same record cannot both be saved.
"""

import hashlib
import hmac
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import chain
from typing import Any, TypeVar, cast
from uuid import UUID

import msgspec
from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Notification

from application.commands import Command, Decision
from application.requests import CommandResult, Request
from domain.actor import Actor
from domain.calendar import SYSTEM_CLOCK, Clock, current_stamp, paris_date, stamping_at
from domain.errors import Conflict, DomainError, InvalidValue, NotFound
from storage import bulk, codec
from storage.blind_index import BlindIndex
from storage.index_secret import index_secret
from storage.key_tables import PostgresSubjectKeys, SQLiteSubjectKeys
from storage.keys import SubjectKeys
from storage.mapper import RegistreMapper, holds_personal_data
from storage.recorders import COMMAND_RECORD, CarriesNewKeys, CommandRecord
from storage.settings import StoreSettings

A = TypeVar("A", bound=Aggregate)
AGGREGATE_CACHE_SIZE = "10000"
"""Aggregates kept in memory; each read still fetches the events recorded since (fast-forward)."""
R = TypeVar("R")


CONFLICT_MESSAGE = (
    "Ces informations ont été modifiées par quelqu'un d'autre entre-temps : rechargez la page"
    " pour voir la dernière version, puis recommencez votre modification."
)
RACE_ATTEMPTS = 5


class RaceLost(Conflict):
    """Two commands on one record were saved at the same moment, and this one lost."""


def stale_form(current_version: int) -> Conflict:
    """The record moved on since the user's form was loaded."""
    return Conflict(CONFLICT_MESSAGE, current_version=current_version)


class RegistreApplication(Application[UUID]):
    """Base of the Registre application: storage chosen by `StoreSettings`, personal data sealed."""

    name = "Registre"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = "Registre"  # one event log, whatever the subclass

    def __init__(
        self,
        settings: StoreSettings | None = None,
        env: dict[str, str] | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
    ):
        self.settings = settings or StoreSettings.from_environment()
        self.clock = clock
        master_key = self.settings.master_key()
        self._master_key = master_key
        self._fingerprint_key = hmac.digest(master_key, b"command fingerprints", "sha256")
        defaults = {"AGGREGATE_CACHE_MAXSIZE": AGGREGATE_CACHE_SIZE}
        super().__init__(env={**defaults, **self.settings.eventsourcing_env(), **(env or {})})

    def construct_mapper(self) -> RegistreMapper:
        datastore = cast(Any, self.factory).datastore
        keys_class = PostgresSubjectKeys if self.settings.is_postgres else SQLiteSubjectKeys
        self.subject_keys: SubjectKeys = keys_class(
            datastore, self._master_key, self.settings.key_cache_seconds
        )
        self.subject_keys.create_table()
        secret = index_secret(datastore, self._master_key, postgres=self.settings.is_postgres)
        self.blind_index = BlindIndex(secret)
        return RegistreMapper(
            keys=self.subject_keys,
            cipher=self.factory.cipher(),
            compressor=self.factory.compressor(),
        )

    def construct_recorder(self) -> ApplicationRecorder:
        recorder = super().construct_recorder()
        if isinstance(recorder, CarriesNewKeys):
            recorder.subject_keys = self.subject_keys
        return recorder

    def today(self) -> date:
        """The Paris date of the command being decided (the day its events are stamped on), or
        of the clock outside a command."""
        return paris_date(current_stamp() or self.clock.now())

    # Loading ---------------------------------------------------------------------------------

    def load(
        self,
        aggregate_class: type[A],
        aggregate_id: UUID,
        not_found: NotFound,
        actor: Actor | None = None,
    ) -> A:
        """The aggregate, or `not_found`; with an `actor` acting for a member, the records of
        other members are not found either, with the very same error."""
        aggregate = self.find(aggregate_class, aggregate_id)
        if aggregate is None or (actor is not None and not within_reach(aggregate, actor)):
            raise not_found.fresh()
        return aggregate

    def find(self, aggregate_class: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, or None when there is none of that class with this id (yet)."""
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, aggregate_class) else None

    def load_many(self, aggregate_class: type[A], ids: Iterable[UUID]) -> dict[UUID, A]:
        """The aggregates of `ids` that exist and are of `aggregate_class`, read together: a
        few queries for hundreds of them rather than two each."""
        wanted = list(dict.fromkeys(ids))
        if getattr(aggregate_class, "personal_data", None):
            self.subject_keys.prefetch(wanted)
        snapshots = (
            {}
            if self.snapshots is None
            else {
                i: self.mapper.to_domain_event(record)
                for i, record in bulk.latest_of(self.snapshots.recorder, wanted).items()
            }
        )
        after = {i: snapshots[i].originator_version if i in snapshots else 0 for i in wanted}
        events = bulk.events_after(self.recorder, after)
        found: dict[UUID, A] = {}
        for i in wanted:
            start = [snapshots[i]] if i in snapshots else []
            history = map(self.mapper.to_domain_event, events.get(i, ()))
            aggregate = project_aggregate(None, chain(start, history))
            if isinstance(aggregate, aggregate_class):
                found[i] = aggregate
        return found

    def load_for_change(
        self, aggregate_class: type[A], aggregate_id: UUID, request: Request, not_found: NotFound
    ) -> A:
        aggregate = self.load(aggregate_class, aggregate_id, not_found, request.actor)
        expected = request.expected_version
        if expected is not None and aggregate.version != expected:
            raise stale_form(aggregate.version)
        return aggregate

    # The read side's inputs (`projections.source.EventSource`) -----------------------------

    def select_notifications(self, start: int, limit: int) -> Sequence[Notification]:
        return self.recorder.select_notifications(start=start, limit=limit)

    def max_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    def prefetch_keys(self, notifications: Sequence[Notification]) -> None:
        subjects = (
            _as_uuid(n.originator_id) for n in notifications if holds_personal_data(n.topic)
        )
        self.subject_keys.prefetch(s for s in subjects if s is not None)

    def decode(self, notification: Notification) -> Any:
        return self.mapper.to_domain_event(notification)

    def aggregate_at(self, aggregate_id: UUID, version: int | None = None) -> Any:
        return self.repository.get(aggregate_id, version=version)

    def events_of(self, aggregate_id: UUID, up_to_version: int) -> Iterable[Any]:
        return self.events.get(aggregate_id, lte=up_to_version)

    # Executing -------------------------------------------------------------------------------

    def _save_decided(
        self,
        request: Request,
        command: str,
        fingerprint: str,
        decide: Callable[[], Decision[R]],
        result_type: type[R],
    ) -> R:
        self.subject_keys.take_destroyed_keys()  # none left by a decision never saved
        try:
            with stamping_at(self.clock.now()):
                aggregates, result = decide()
            record = CommandRecord(
                request.request_id, command, fingerprint, msgspec.json.encode(result)
            )
            self.save(*aggregates, **{COMMAND_RECORD: record})
        except (DomainError, IntegrityError) as error:
            replayed = self._replayed(request, command, fingerprint, result_type)
            if replayed is not None:
                return replayed
            if isinstance(error, IntegrityError):
                raise self._conflict_on(aggregates) from None
            raise
        return result

    def handle(self, request: Request, command: Command[R]) -> R:
        """Run a command message once for this request id (see `application.commands`)."""
        name = command.command_name()
        fingerprint = self._fingerprint_of(name, command.fingerprinted())
        result_type: type[R] = command.result_type

        def decide() -> Decision[R]:
            return command.decide(self, request)

        for _ in range(RACE_ATTEMPTS - 1 if command.decide_again_on_race else 0):
            try:
                return self._save_decided(request, name, fingerprint, decide, result_type)
            except RaceLost:
                continue
        return self._save_decided(request, name, fingerprint, decide, result_type)

    def _replayed(
        self, request: Request, command: str, fingerprint: str, result_type: type[R]
    ) -> R | None:
        record = cast(Any, self.recorder).find_command(request.request_id)
        if record is None:
            return None
        if (record.command, record.fingerprint) != (command, fingerprint):
            raise InvalidValue(
                "Cet identifiant de requête a déjà servi pour une autre opération.",
                code="REQUEST_ID_REUSED",
                field="request_id",
            )
        return msgspec.json.decode(record.result, type=result_type)

    def _fingerprint_of(self, command: str, arguments: Any) -> str:
        payload = codec.encode({"command": command, "arguments": arguments})
        return hmac.new(self._fingerprint_key, payload, hashlib.sha256).hexdigest()

    def _conflict_on(self, aggregates: Sequence[Aggregate]) -> RaceLost:
        for aggregate in aggregates:
            try:
                current: int = self.repository.get(aggregate.id).version
            except AggregateNotFoundError:
                continue
            return RaceLost(CONFLICT_MESSAGE, current_version=current)
        return RaceLost(CONFLICT_MESSAGE, current_version=0)


def within_reach(aggregate: Aggregate, actor: Actor) -> bool:
    """Whether an actor may touch an aggregate: the service's people reach every member; a
    member's user only that member's records, and their own account."""
    if actor.on_behalf_of is None or str(aggregate.id) == actor.user_id:
        return True
    owner: UUID | None = getattr(aggregate, "owning_member", None)
    return owner == actor.on_behalf_of


def result_of(aggregate: Aggregate, created_id: int | None = None) -> CommandResult:
    return CommandResult(aggregate.id, aggregate.version, created_id)


def _as_uuid(value: UUID | str) -> UUID | None:
    """An originator's id as the stores give it: a UUID (PostgreSQL) or its text (SQLite); None
    when the text is no UUID (its event is reported unreadable when decoded)."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None

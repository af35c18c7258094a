"""The command pipeline shared by every bounded context: load, decide, save once.

A command runs at most once per request id: the command log is written in the transaction that
saves its events (`storage.recorders`), and a retry returns the first result. Optimistic
concurrency: a command refuses when the record moved on since the user's form was loaded, and
two commands racing on the same record cannot both be saved.
"""

import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast
from uuid import UUID

import msgspec
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, IntegrityError

from application.commands import Command, Decision
from application.requests import CommandResult, Request
from domain.actor import Actor
from domain.errors import Conflict, DomainError, InvalidValue, NotFound
from storage import codec
from storage.keys import PostgresSubjectKeys, SQLiteSubjectKeys, SubjectKeys
from storage.mapper import RegistreMapper
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

    def __init__(self, settings: StoreSettings | None = None, env: dict[str, str] | None = None):
        self.settings = settings or StoreSettings.from_environment()
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
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise not_found.fresh() from None
        if not isinstance(aggregate, aggregate_class) or (
            actor is not None and not within_reach(aggregate, actor)
        ):
            raise not_found.fresh()
        return aggregate

    def load_for_change(
        self, aggregate_class: type[A], aggregate_id: UUID, request: Request, not_found: NotFound
    ) -> A:
        aggregate = self.load(aggregate_class, aggregate_id, not_found, request.actor)
        expected = request.expected_version
        if expected is not None and aggregate.version != expected:
            raise stale_form(aggregate.version)
        return aggregate

    # Executing -------------------------------------------------------------------------------

    def execute(
        self,
        request: Request,
        command: str,
        arguments: dict[str, Any],
        decide: Callable[[], Decision[R]],
        result_type: type[R],
        *,
        decide_again_on_race: bool = False,
    ) -> R:
        """Run `decide` once for this request id, and save what it changed atomically.

        The command log commits with the events and refuses a second row for a request id, so a
        retry can never be saved twice; the log is read only when a command fails, to tell a
        retry (answered with the first result) from a real refusal.

        With `decide_again_on_race`, a save that lost a race with another command is decided
        again on the new version (for changes that do not depend on what the other one did:
        another step of a declaration, a sign-in record…), a few times at most.
        """
        for _ in range(RACE_ATTEMPTS - 1 if decide_again_on_race else 0):
            try:
                return self._execute_once(request, command, arguments, decide, result_type)
            except RaceLost:
                continue
        return self._execute_once(request, command, arguments, decide, result_type)

    def _execute_once(
        self,
        request: Request,
        command: str,
        arguments: dict[str, Any],
        decide: Callable[[], Decision[R]],
        result_type: type[R],
    ) -> R:
        fingerprint = self._fingerprint(command, arguments)
        return self._save_decided(request, command, fingerprint, decide, result_type)

    def _save_decided(
        self,
        request: Request,
        command: str,
        fingerprint: str,
        decide: Callable[[], Decision[R]],
        result_type: type[R],
    ) -> R:
        try:
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
        fingerprint = self._fingerprint_of(name, command)
        result_type: type[R] = command.result_type

        def decide() -> Decision[R]:
            return command.decide(self, request)

        for _ in range(RACE_ATTEMPTS - 1 if command.decide_again_on_race else 0):
            try:
                return self._save_decided(request, name, fingerprint, decide, result_type)
            except RaceLost:
                continue
        return self._save_decided(request, name, fingerprint, decide, result_type)

    def change(  # noqa: PLR0917
        self,
        request: Request,
        command: str,
        aggregate_class: type[A],
        aggregate_id: UUID,
        not_found: NotFound,
        arguments: dict[str, Any],
        change: Callable[[A], int | None],
        *,
        decide_again_on_race: bool = False,
    ) -> CommandResult:
        """Load one aggregate at the version the user saw, apply `change`, save."""

        def decide() -> Decision[CommandResult]:
            aggregate = self.load_for_change(aggregate_class, aggregate_id, request, not_found)
            created_id = change(aggregate)
            return [aggregate], result_of(aggregate, created_id)

        return self.execute(
            request,
            command,
            arguments,
            decide,
            CommandResult,
            decide_again_on_race=decide_again_on_race,
        )

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

    def _fingerprint(self, command: str, arguments: dict[str, Any]) -> str:
        return self._fingerprint_of(command, {k: _stable(v) for k, v in arguments.items()})

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


def _stable(value: Any) -> Any:
    """Sets in one order whatever the process (set order depends on the hash seed)."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=codec.encode)
    return value


def within_reach(aggregate: Aggregate, actor: Actor) -> bool:
    """Whether an actor may touch an aggregate: the service's people reach every member; a
    member's user only that member's records, and their own account."""
    if actor.on_behalf_of is None or str(aggregate.id) == actor.user_id:
        return True
    owner: UUID | None = getattr(aggregate, "owning_member", None)
    return owner == actor.on_behalf_of


def result_of(aggregate: Aggregate, created_id: int | None = None) -> CommandResult:
    return CommandResult(aggregate.id, aggregate.version, created_id)

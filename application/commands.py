"""Commands are messages: typed, immutable values named in the imperative, handled through one
path — load → check the version the user saw → decide → save with the command record.

A command is a frozen msgspec `Struct`. Its name in the command log is its class name in snake
case (`CloseContract` → `close_contract`); its fingerprint is its own encoding, so no argument
is ever spelled out a second time. Two kinds:

- a `Change` works on one existing aggregate: it names the aggregate's class, the error of an
  unknown id, the field holding the id and the domain method it `calls`; `apply` calls that
  method with the message's other fields, by name, and the actor (returning the id of what it
  created inside the aggregate, if anything) — a change that does more says so in its `apply`;
- any other `Command` says what it decides in `decide`: the aggregates it changed, and its
  result (`result_type`, decoded again from the command log when a retry is answered).

`RegistreApplication.handle(request, command)` runs either; adding a command means writing its
message, the domain method with its event, and the mutation that sends it.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import msgspec
from eventsourcing.domain import Aggregate

from application.requests import CommandResult, Request
from domain.errors import NotFound
from storage import codec

if TYPE_CHECKING:
    from application.base import RegistreApplication

R = TypeVar("R")
T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
Decision = tuple[Sequence[Aggregate], R]
_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


class Command(msgspec.Struct, Generic[R], frozen=True, kw_only=True):
    """A command deciding what it changes (see the module)."""

    result_type: ClassVar[type[Any]] = CommandResult
    decide_again_on_race: ClassVar[bool] = False
    """Decide again on the new version when the save lost a race with another command (for
    changes that do not depend on what the other one did)."""

    secrets: ClassVar[frozenset[str]] = frozenset()
    """Fields left out of the fingerprint: secrets never reach the command log (and a retry
    that hashes the same password again is still the same command)."""

    @classmethod
    def command_name(cls) -> str:
        return _WORD_START.sub("_", cls.__name__).lower()

    def fingerprinted(self) -> Any:
        """What the fingerprint encodes: the message, without its secrets."""
        if not self.secrets:
            return self
        return {
            name: getattr(self, name) for name in self.__struct_fields__ if name not in self.secrets
        }

    def decide(self, app: "RegistreApplication", request: Request) -> Decision[R]:
        raise NotImplementedError


def in_order(values: Iterable[T]) -> tuple[T, ...]:
    """A set as a tuple in one order whatever the process (a set's order follows the hash seed,
    and the fingerprint must not)."""
    return tuple(sorted(set(values), key=_encoded))


def _encoded(value: Any) -> bytes:
    return codec.encode(value)


class Change(Command[CommandResult], Generic[A], frozen=True, kw_only=True):
    """A command on one existing aggregate, loaded at the version the user saw."""

    aggregate: ClassVar[type[Aggregate]]
    not_found: ClassVar[NotFound]
    target: ClassVar[str]
    """The field holding the aggregate's id."""
    calls: ClassVar[Callable[..., int | None]]
    """The aggregate's method making the change (`Member.change_address`)."""

    def arguments(self) -> dict[str, Any]:
        """What `calls` is given, by name, besides the actor: the message's fields but the
        aggregate's id."""
        return fields_of(self, leaving_out=self.target)

    def load(self, app: "RegistreApplication", request: Request) -> A:
        aggregate_id = getattr(self, self.target)
        aggregate = app.load_for_change(self.aggregate, aggregate_id, request, self.not_found)
        return cast(A, aggregate)

    def apply(self, aggregate: A, app: "RegistreApplication", request: Request) -> int | None:
        return type(self).calls(aggregate, **self.arguments(), actor=request.actor)

    def decide(self, app: "RegistreApplication", request: Request) -> Decision[CommandResult]:
        aggregate = self.load(app, request)
        created_id = self.apply(aggregate, app, request)
        return [aggregate], CommandResult(aggregate.id, aggregate.version, created_id)


class SettingsChange(Change[A], Generic[A], frozen=True, kw_only=True):
    """A change of one of the service's sets of settings: the one aggregate of its class (its id
    the one `create_id` gives), made by its first change."""

    target = ""
    """No field: there is one set of settings."""

    def load(self, app: "RegistreApplication", request: Request) -> A:
        """The settings at the version the user saw (made if there are none yet)."""
        settings_class = self.aggregate
        try:
            settings = app.load_for_change(
                settings_class, settings_class.create_id(), request, self.not_found
            )
        except NotFound:
            # Every settings aggregate has its `start(actor)`, from its defaults.
            settings = settings_class.start(request.actor)  # type: ignore[attr-defined]
        return cast(A, settings)


def fields_of(message: msgspec.Struct, leaving_out: str | None = None) -> dict[str, Any]:
    """The message's fields by name, in their order."""
    return {
        name: getattr(message, name) for name in message.__struct_fields__ if name != leaving_out
    }

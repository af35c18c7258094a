"""Mutations that send a command message, declared in a table: a line each, and the message's
fields named once, by the message.

Most mutations do one thing: make a command message from their input, send it (`send`,
`api/commands.py`) and answer with what the read models show once it settled. A context's
mutation type lists them in the order of the schema, each made by
`sends(message, input_type, answer, description, rule)`:

    @strawberry.type
    class ContactMutations:
        remove_contact = sends(
            RemoveContact, RemoveContactInput, CONTACT_CHANGED, "Supprimer un contact.", RULE
        )

`sends` makes the root field: one argument, `input`, of that input type; the description; the
rule its `Guard` enforces (through `mutation`, `api/authorization.py`); the answer's GraphQL
result. Given a message class, it checks at import that the input has every field the message
requires.

The message is made by `message_from`: each of its fields (`__struct_fields__`) is the input's
attribute of the same name, as the value the field holds: an input object (an address, an
identity…) by its `to_domain()`, a list item by item; text given for a value object (an
identifier, an e-mail address) is made into it, its refusal naming the field, and blank text is
None where the field may be None (`value`, `optional` in `api/inputs.py`). Strawberry enums are
the domain's own; ids, dates and numbers arrive as they are. A field the input lacks keeps its
default. A mutation whose message differs gives a builder instead, `(input, info) -> message`,
most often `message_from` with the fields that differ (a date from the clock, the session's
member).

The answer (`Answer`): the GraphQL result (the success, or a `Failure`) and how the success is
read from the command's result. `answer(name, success, read)` names a success written out, often
shared by several mutations (`RecordChanged`: the record and its new version);
`own_success(base, name)` makes the success type a mutation has to itself, `<name>Success`, the
same as `base` (`MemberChanged`…) under its own name, in its union `<name>Result`.

A mutation that does more than send one message (the sign-in steps, a call to a service, an
answer made from the input) is written out with `mutation` and `send` or `run`.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from types import NoneType, UnionType
from typing import (
    Annotated,
    Any,
    Generic,
    Protocol,
    Self,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)
from uuid import UUID

import msgspec
import strawberry
from msgspec.structs import FieldInfo
from strawberry.types.field import StrawberryField

from api.authorization import Rule, mutation
from api.commands import CommandInput, send
from api.context import GraphQLInfo
from api.failures import Failure
from api.inputs import optional, value
from api.services import Services
from application.commands import Command as Message
from application.requests import CommandResult

Input = TypeVar("Input", bound=CommandInput)
M = TypeVar("M", bound=msgspec.Struct)
R = TypeVar("R")
S = TypeVar("S")

Builder = Callable[[Input, GraphQLInfo], Message[R]]


@dataclass(frozen=True, slots=True)
class Answer(Generic[R]):
    """What a mutation answers."""

    result: object
    """The GraphQL result: the success, or a `Failure`."""
    read: Callable[[Services, R], object]
    """The success, read from the command's result once the read models have applied it."""


def answer(name: str, success: type[S], read: Callable[[Services, R], S]) -> Answer[R]:
    """The union `name` of `success` and the failures, the success read by `read`."""
    return Answer(Annotated[success | Failure, strawberry.union(name)], read)


class ReadBack(Protocol):
    @classmethod
    def read(cls, services: Services, result: CommandResult) -> Self: ...


def own_success(
    base: type[ReadBack], name: str, description: str | None = None
) -> Answer[CommandResult]:
    """The success type `<name>Success` of one mutation: `base` under its own name."""
    success = strawberry.type(type(f"{name}Success", (base,), {}), description=description)
    return answer(f"{name}Result", success, cast(type[ReadBack], success).read)


@strawberry.type
class RecordChanged:
    """A success naming the record the command changed, and its new version."""

    aggregate_id: UUID
    version: int

    @classmethod
    def read(cls, _: Services, result: CommandResult) -> Self:
        return cls(aggregate_id=result.aggregate_id, version=result.version)


def message_from(message: type[M], input: object, **given: Any) -> M:
    """The message whose fields are the input's attributes of the same names, as the fields'
    domain values (see the module), but for those `given`."""
    taken = {
        field.name: _domain(getattr(input, field.name), field)
        for field in _fields(message)
        if field.name not in given and hasattr(input, field.name)
    }
    return message(**taken, **given)


@cache
def _fields(message: type[msgspec.Struct]) -> tuple[FieldInfo, ...]:
    return msgspec.structs.fields(message)


def _domain(given: Any, field: FieldInfo) -> Any:
    if isinstance(given, list):
        return [_domain(item, field) for item in given]
    to_domain = getattr(given, "to_domain", None)
    if to_domain is not None:
        return to_domain()
    kind, may_be_none = _value_type(field)
    if isinstance(given, str) and kind is not None and not isinstance(given, kind):
        return optional(kind, given, field.name) if may_be_none else value(kind, given, field.name)
    return given


def _value_type(field: FieldInfo) -> tuple[type | None, bool]:
    """The class a field holds (None: not one class), and whether it may be None."""
    kinds = get_args(field.type) if get_origin(field.type) in (Union, UnionType) else (field.type,)
    classes = [kind for kind in kinds if kind is not NoneType]
    kind = classes[0] if len(classes) == 1 and isinstance(classes[0], type) else None
    return kind, len(classes) < len(kinds)


def sends(
    message: type[Message[R]] | Builder[Input, R],
    input_type: type[Input],
    answer: Answer[R],
    description: str,
    rule: Rule,
) -> StrawberryField:
    """The root mutation sending the message made from its input (see the module)."""
    build = _builder(message, input_type)

    async def resolve(info: GraphQLInfo, input: Input) -> object:
        return await send(info, input, build(input, info), answer.read)

    resolve.__annotations__ = {"info": GraphQLInfo, "input": input_type, "return": answer.result}
    return cast(StrawberryField, mutation(description, rule)(resolve))


def _builder(
    message: type[Message[R]] | Builder[Input, R], input_type: type[Input]
) -> Builder[Input, R]:
    if not isinstance(message, type):
        return message
    given = {field.name for field in fields(input_type)}
    missing = [
        field.name for field in _fields(message) if field.required and field.name not in given
    ]
    if missing:
        raise TypeError(f"{input_type.__name__} has no {', '.join(missing)} for {message.__name__}")
    return lambda input, _: message_from(message, input)

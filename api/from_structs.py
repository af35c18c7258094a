"""GraphQL types built from structs (a read model's view, a catalogue entry, a domain record):
the fields of the type that shows a struct field for field are declared once, on the struct
(`fields_of`), and its values are the struct's, converted to the fields' types (`converted`).

    @strawberry.type(description="…")
    @fields_of(exposures.ExposureRow)
    class CmrExposure:
        routes: list[ExposureRoute]  # shown otherwise than the struct holds it

    converted(CmrExposure, row)  # the row's routes as a list, every other field as it is

The committed schema (`api/schema.graphql`) shows the fields a type has, so a field added to a
struct shows in review before it reaches the API.
"""

import dataclasses
import enum
import inspect
import types
import typing
from collections.abc import Callable, Collection, Hashable, Mapping
from functools import cache
from typing import Any, TypeVar, cast

import msgspec

T = TypeVar("T")

Converter = Callable[[Any], Any]
_MISSING = object()


def fields_of(
    struct: type,
    *,
    renamed: Mapping[str, str] | None = None,
    left_out: Collection[str] = (),
) -> Callable[[type[T]], type[T]]:
    """Gives the decorated class (under `strawberry.type`) the fields of `struct` (a msgspec
    struct or a dataclass) in `struct`'s order, but those `left_out`; `renamed` maps a struct
    field to the name the type shows it under. A field the class declares keeps its place, with
    the class's annotation and default (another type, a description); the class's other fields
    come after."""
    names = renamed or {}

    def with_fields(cls: type[T]) -> type[T]:
        annotations = {
            names.get(name, name): annotation
            for name, annotation in _struct_fields(struct)
            if name not in left_out
        }
        annotations.update(inspect.get_annotations(cls))
        cls.__annotations__ = annotations
        return cls

    return with_fields


def converted(cls: type[T], struct: object, /, **given: Any) -> T:
    """A `cls` (a strawberry type, or any dataclass) from `struct`'s attributes of the same
    names, each converted to its field's type (a tuple to a list, a value to its enum, a struct to
    its GraphQL type), and `given`: the fields `struct` holds under another name, or not at
    all."""
    values = dict(given)
    for name, convert in _field_converters(cast("Hashable", cls)):
        value = _MISSING if name in given else getattr(struct, name, _MISSING)
        if value is not _MISSING:
            values[name] = value if convert is None else convert(value)
    return cls(**values)


def _struct_fields(struct: type) -> list[tuple[str, Any]]:
    if dataclasses.is_dataclass(struct):
        hints = typing.get_type_hints(struct)
        return [(field.name, hints[field.name]) for field in dataclasses.fields(struct)]
    return [(field.name, field.type) for field in msgspec.structs.fields(struct)]


@cache
def _field_converters(cls: Any) -> tuple[tuple[str, Converter | None], ...]:
    """The fields a dataclass is built with (not a strawberry type's resolvers), and how a
    struct's value becomes each."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return tuple(
        (field.name, _converter(hints[field.name]))
        for field in dataclasses.fields(cls)
        if field.init
    )


def _converter(kind: Any) -> Converter | None:
    """How a struct's value becomes a value of `kind`: an optional value, a list, an enum and a
    dataclass are converted; None: any other value (a scalar the struct holds as the type shows
    it) is taken as it is."""
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in {types.UnionType, typing.Union}:
        present = [argument for argument in arguments if argument is not type(None)]
        convert = _converter(present[0]) if len(present) == 1 else None
        return None if convert is None else lambda value: None if value is None else convert(value)
    if origin is list:
        item = _converter(arguments[0])
        return list if item is None else lambda values: [item(value) for value in values]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return lambda value: converted(kind, value)
    return None

"""A stored row read back as a read model's struct.

The row holds the struct's fields in the struct's order, each stored as the read tables store
its type: ids and decimals as text, flags as integers, enums by value, dates as day ordinals
and instants as UTC microseconds (`projections.timeline`), NULL for None. A field stored
otherwise (a JSON list, an open end) names its decoder.
"""

import enum
import types
import typing
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar
from uuid import UUID

import msgspec

from projections.timeline import from_instant

S = TypeVar("S", bound=msgspec.Struct)
T = TypeVar("T")
Decoder = Callable[[Any], Any]

_STORED: dict[Any, Decoder] = {
    str: lambda value: value,
    int: lambda value: value,
    UUID: UUID,
    bool: bool,
    Decimal: Decimal,
    date: date.fromordinal,
    datetime: from_instant,
}
"""How each type is stored, for the types whose value is not the stored one."""


def struct_of(cls: type[S], row: Sequence[Any], **decoders: Decoder) -> S:
    """A `cls` from `row`; `decoders` turn the stored value of the fields they name into the
    field's value, the other fields are decoded by their type."""
    by_type = _decoders_by_type(cls)
    values = {
        name: (decoders.get(name) or _required(cls, name, by_type[name]))(value)
        for name, value in zip(cls.__struct_fields__, row, strict=True)
    }
    return cls(**values)


def optional(decode: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """`decode` for a column that may be NULL."""
    return lambda value: None if value is None else decode(value)


@cache
def _decoders_by_type(cls: type[msgspec.Struct]) -> dict[str, Decoder | None]:
    return {field.name: _decoder(field.type) for field in msgspec.structs.fields(cls)}


def _decoder(kind: Any) -> Decoder | None:
    """None: no decoder for this type (the field must name its own)."""
    if typing.get_origin(kind) in {types.UnionType, typing.Union}:
        others = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        inner = _decoder(others[0]) if len(others) == 1 else None
        return None if inner is None else optional(inner)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    return _STORED.get(kind)


def _required(cls: type, name: str, decoder: Decoder | None) -> Decoder:
    if decoder is None:
        raise TypeError(f"{cls.__name__}.{name}: no decoder for its stored value")
    return decoder

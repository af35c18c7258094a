"""msgspec encoding of event state, and typed decoding back to exact Python types.

JSON alone cannot tell a date from a string; the event classes' type hints can. Decoding
converts each field to its annotated type, so date, Decimal, UUID, enums, value objects and
nested dataclasses round-trip exactly.
"""

import typing
from functools import cache
from typing import Any

import msgspec

from domain.identifiers import Nir


def _encode_extra(obj: Any) -> Any:
    if isinstance(obj, Nir):
        return obj.value
    if isinstance(obj, str):
        return str.__str__(obj)
    msg = f"cannot encode {type(obj).__name__}"
    raise NotImplementedError(msg)


def _decode_extra(cls: type, raw: Any) -> Any:
    if cls is Nir:
        return Nir.trusted(raw)
    if isinstance(cls, type) and issubclass(cls, str):
        return str.__new__(cls, raw)
    msg = f"cannot decode {cls.__name__}"
    raise NotImplementedError(msg)


_encoder = msgspec.json.Encoder(enc_hook=_encode_extra, decimal_format="string")
_decoder = msgspec.json.Decoder()


def encode(state: dict[str, Any]) -> bytes:
    return _encoder.encode(state)


def decode(data: bytes) -> dict[str, Any]:
    state: dict[str, Any] = _decoder.decode(data)
    return state


def to_primitive(value: Any) -> Any:
    """A JSON-compatible copy of a value (used before encrypting one field)."""
    return msgspec.to_builtins(value, enc_hook=_encode_extra)


def convert(value: Any, annotation: Any) -> Any:
    return msgspec.convert(value, type=annotation, dec_hook=_decode_extra, strict=False)


@cache
def field_types(cls: type) -> dict[str, Any]:
    """Annotated types of the fields of an event class, or of an aggregate's attributes."""
    return {
        name: hint
        for name, hint in typing.get_type_hints(cls).items()
        if typing.get_origin(hint) is not typing.ClassVar and not isinstance(hint, typing.TypeVar)
    }


def typed(cls: type, state: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Convert every annotated field of `state` to its type; unannotated fields stay as they are."""
    types = field_types(cls) | (extra or {})
    return {
        name: value if value is None or name not in types else convert(value, types[name])
        for name, value in state.items()
    }

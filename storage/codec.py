"""msgspec encoding of event state, and typed decoding back to exact Python types.

JSON alone cannot tell a date from a string; the event classes' type hints can. Decoding
converts each field to its annotated type, so date, Decimal, UUID, enums, value objects and
nested dataclasses round-trip exactly.
"""

import re
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import msgspec

from domain.errors import InvalidValue
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


_NUL_ESCAPE = b"\\u0000"
_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
"""NUL as msgspec writes it in a JSON string (an escape not itself escaped)."""


def encode(state: dict[str, Any]) -> bytes:
    """JSON; a string holding a lone surrogate (which UTF-8 cannot encode) is refused."""
    try:
        return _encoder.encode(state)
    except UnicodeEncodeError:
        raise _refusal(state, _has_surrogate, "invalide (demi-paire de substitution)") from None


def check_storable(state: dict[str, Any]) -> None:
    """Refuse a state holding a text no store can hold: NUL (PostgreSQL's text cannot) or a
    lone surrogate. The commands refuse such texts; this is the last line, for a field none
    of them checks."""
    encoded = encode(state)
    # The substring test is a fast pre-check (most states hold no NUL escape at all); the
    # expression then tells a NUL from an escaped backslash followed by "u0000".
    if _NUL_ESCAPE in encoded and _NUL.search(encoded):
        raise _refusal(state, lambda text: "\x00" in text, "de contrôle (U+0000)")


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
    """Convert every annotated field of `state` to its type; unannotated fields stay as they are,
    and None stays None whatever the annotation."""
    whole = None if extra else _state_type(cls)
    if whole is not None:  # one conversion for the whole state
        converted: dict[str, Any] = msgspec.convert(
            state, type=whole, dec_hook=_decode_extra, strict=False
        )
        if len(converted) == len(state):
            return converted
        return {name: converted.get(name, value) for name, value in state.items()}
    types = field_types(cls) | (extra or {})
    return {
        name: value if value is None or name not in types else convert(value, types[name])
        for name, value in state.items()
    }


@cache
def _state_type(cls: type) -> Any:
    """A TypedDict of the class's annotated fields (each may be None), or None when msgspec
    cannot convert to one of their types (`typed` then converts field by field)."""
    fields: dict[str, Any] = {
        name: typing.Optional[hint]  # noqa: UP045
        for name, hint in field_types(cls).items()
    }
    # Fields typed by the class's type parameters (the originator's id) are kept as they are.
    fields |= {
        name: Any for name, hint in typing.get_type_hints(cls).items() if isinstance(hint, TypeVar)
    }
    state_type = typing.TypedDict(f"{cls.__name__}State", fields, total=False)  # type: ignore[misc]
    try:
        msgspec.convert({}, type=state_type)
    except (TypeError, msgspec.ValidationError):
        return None
    return state_type


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _refusal(state: Any, wrong: Callable[[str], bool], what: str) -> InvalidValue:
    """The refusal of a text that cannot be stored, naming the field that holds it."""
    return InvalidValue(
        f"Un texte contient un caractère {what} : retirez-le puis recommencez.",
        code="INVALID_TEXT",
        field=_field_of(to_primitive(state), wrong),
    )


def _field_of(value: Any, wrong: Callable[[str], bool], name: str | None = None) -> str | None:
    """The name of the innermost field holding a wrong text (None when not named)."""
    if isinstance(value, str):
        return name if wrong(value) else None
    items: list[tuple[str | None, Any]]
    if isinstance(value, dict):
        items = [(str(key), item) for key, item in value.items()]
    elif isinstance(value, list | tuple):
        items = [(name, item) for item in value]
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and wrong(key):
            return name
        found = _field_of(item, wrong, key)
        if found is not None:
            return found
    return None

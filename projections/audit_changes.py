"""What the audit trail keeps of an event (`projections.audit`): its own fields as printable
JSON, secrets out — no NIR (shown as "***" when one was given), no declarant number hash, no
password hash, no full IBAN (its last 4 characters), no health data of the records read and
logged elsewhere — sets as sorted lists so that an event always gives the same row; and the day
it takes effect, when it says so."""

import collections.abc
import dataclasses
import enum
import typing
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from types import NoneType
from typing import Any
from uuid import UUID

import msgspec

from domain.accounts.email_claim import EmailClaim
from domain.identifiers import Iban, Nir
from domain.visits.appointment import Appointment
from domain.visits.follow_up_record import FollowUpRecord
from projections.members.members import mask_iban

MASK = "***"

_BOOKKEEPING = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}
)
_SECRET_FIELDS = frozenset({"declarant_number_hash", "password_hash", "frozen"})
"""Never copied into `changes`: secrets, and the frozen copy of a declaration (health data of
every employee, kept in its own read model; its hash is in the row)."""
_UNLOGGED_HEALTH_RECORDS = (Appointment, FollowUpRecord, EmailClaim)
"""Records whose health data (why a visit is asked, why a worker was away) the trail does not
show: the follow-up record and the appointments are where they are read, and logged. Nor does
it show which account holds an e-mail claim (the claim must not tie an address to an account)."""


def _unlogged_health(event: Any) -> frozenset[str]:
    for record in _UNLOGGED_HEALTH_RECORDS:
        if isinstance(event, record.Event):
            return frozenset(record.personal_data)
    return frozenset()


_DATE_FIELDS = ("effective_on", "last_day", "started_on", "hire_date", "revoked_on")
_NESTED_DATE_FIELDS = {
    "contract": "hire_date",
    "determinant": "started_on",
    "exposure": "started_on",
    "change": "effective_on",
    "mandate": "signed_on",
}


def _printable(value: Any) -> Any:
    """msgspec enc_hook: the project's str value objects as plain str, secrets masked."""
    if isinstance(value, Nir):
        return MASK
    if isinstance(value, Iban):
        return mask_iban(value)
    if isinstance(value, str):
        return str.__str__(value)
    msg = f"cannot print {type(value).__name__}"
    raise NotImplementedError(msg)


def _scrubbed(value: Any) -> Any:
    """Secrets out of nested values: no NIR key unless one was set (then "***"), no hash."""
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if key in _SECRET_FIELDS or (key == "nir" and item is None):
                continue
            if key == "nir":
                cleaned[key] = MASK
            elif key == "iban" and isinstance(item, str):
                cleaned[key] = mask_iban(item)
            else:
                cleaned[key] = _scrubbed(item) if isinstance(item, dict | list) else item
        return cleaned
    if isinstance(value, list):
        return [_scrubbed(item) if isinstance(item, dict | list) else item for item in value]
    return value


def _ordered(value: Any) -> Any:
    """Sets as lists sorted by their printed items (a set's own order changes from one process
    to the next); a value holding no set is returned as it is."""
    if isinstance(value, set | frozenset):
        return sorted((_ordered(item) for item in value), key=_sort_key)
    if isinstance(value, dict):
        items = {key: _ordered(item) for key, item in value.items()}
        unchanged = all(items[key] is item for key, item in value.items())
        return value if unchanged else items
    if isinstance(value, list | tuple) and not isinstance(value, str):
        ordered = [_ordered(item) for item in value]
        return value if all(a is b for a, b in zip(ordered, value, strict=True)) else ordered
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        ordered_fields = _ordered(fields)
        return value if ordered_fields is fields else ordered_fields
    return value


@cache
def _may_hold_sets(cls: type) -> bool:
    """Whether a value of this type may hold a set, as far as its annotations tell (any field
    not annotated, or annotated loosely, may): an event class whose fields cannot is printed
    without looking for sets in its values."""
    if not hasattr(cls, "__annotations__"):
        return True
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):
        return True
    return any(
        _annotation_may_hold_sets(hint) for name, hint in hints.items() if name not in _BOOKKEEPING
    )


def _annotation_may_hold_sets(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin is typing.ClassVar or hint is Ellipsis:
        return False
    if hint in _WITHOUT_SETS or (isinstance(hint, type) and issubclass(hint, _WITHOUT_SETS)):
        return False
    if origin in (set, frozenset, collections.abc.Set, collections.abc.MutableSet):
        return True
    if origin is not None:
        return any(_annotation_may_hold_sets(arg) for arg in typing.get_args(hint))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _may_hold_sets(hint)
    return True


_WITHOUT_SETS = (
    *(str, int, float, bool, bytes, date, datetime, Decimal, UUID, enum.Enum, NoneType),
    *(Nir, Iban),
)
"""Types that hold no set (str value objects, enums, dates and instants among them)."""


def _sort_key(item: Any) -> bytes:
    return msgspec.json.encode(msgspec.to_builtins(item, enc_hook=_printable))


def changes_of(event: Any) -> dict[str, Any]:
    """The event's own fields as printable JSON values, without bookkeeping or secrets."""
    hidden = _SECRET_FIELDS | _unlogged_health(event)
    fields = {
        name: value
        for name, value in vars(event).items()
        if name not in _BOOKKEEPING and name not in hidden
    }
    event_class: type = type(event)
    ordered = _ordered(fields) if _may_hold_sets(event_class) else fields
    builtins = msgspec.to_builtins(ordered, enc_hook=_printable)
    printable: dict[str, Any] = _scrubbed(builtins)
    return printable


def effective_date(event: Any) -> date | None:
    """The day the event takes effect, when it says so."""
    event_class: type = type(event)
    direct, nested = _date_fields(event_class)
    for name in direct:
        value = getattr(event, name, None)
        if isinstance(value, date):
            return value
    for name, inner in nested:
        value = getattr(getattr(event, name, None), inner, None)
        if isinstance(value, date):
            return value
    return None


@cache
def _date_fields(event_class: type) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The fields of `_DATE_FIELDS` and `_NESTED_DATE_FIELDS` an event class may have: those it
    annotates or has as attributes, in their order (all of them when its hints cannot be read)."""
    try:
        names = set(typing.get_type_hints(event_class)) | set(dir(event_class))
    except (NameError, TypeError):
        return _DATE_FIELDS, tuple(_NESTED_DATE_FIELDS.items())
    return (
        tuple(name for name in _DATE_FIELDS if name in names),
        tuple((name, inner) for name, inner in _NESTED_DATE_FIELDS.items() if name in names),
    )

"""Building GraphQL objects from read-model structs: fields of the same name are copied, the
others (converted or computed) are given."""

import dataclasses
from functools import cache
from typing import Any, TypeVar, cast

T = TypeVar("T")


@cache
def _field_names(cls: Any) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def shaped(cls: type[T], source: Any, **given: Any) -> T:
    """A `cls` (a strawberry type) from `source`'s attributes of the same names, and `given`."""
    copied = {
        name: getattr(source, name)
        for name in _field_names(cast(Any, cls))
        if name not in given and hasattr(source, name)
    }
    return cls(**copied, **given)

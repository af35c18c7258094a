"""Base of the identifiers that are strings checked once, at the border."""

from typing import Any, Self


class ValidatedStr(str):
    """An immutable string that passed its checks when it was made.

    Copies are the object itself, so a value stored years ago is never re-checked against
    today's rules when an aggregate is copied. `coerce` checks raw input and lets checked
    values through.
    """

    __slots__ = ()

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (str.__new__, (type(self), str(self)))

    @classmethod
    def coerce(cls, value: str) -> Self:
        return value if isinstance(value, cls) else cls(value)

    @classmethod
    def coerce_optional(cls, value: str | None) -> Self | None:
        return None if value is None else cls.coerce(value)

"""Enumerations whose members carry their French label, written beside each one."""

import enum
from typing import TYPE_CHECKING, Self


class LabelledEnum(enum.Enum):
    """Members are written `NAME = "VALUE", "libellé"`: the value is what is stored and
    exchanged, the label what a user reads."""

    label: str

    if TYPE_CHECKING:
        # What callers do with the class: `Role("ADMIN")` is the member of that value.
        def __new__(cls, value: str) -> Self: ...

    else:

        def __new__(cls, value: str, label: str) -> Self:
            member = object.__new__(cls)
            member._value_ = value
            member.label = label
            return member

"""The refusal of a batch (a bulk hire, a bulk assignment): every refused item with its
position and field, and that nothing was recorded — all or nothing."""

from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import DomainError, RuleViolation

MAX_LISTED = 50
"""Refusals spelled out in the message; the others are counted (`BatchRefused.refusals` has
them all)."""


@dataclass(frozen=True, slots=True)
class ItemRefusal:
    """Item `position` (from 1, in the order sent) was refused: `field` is the domain's name of
    the value at fault (None: the item as a whole)."""

    position: int
    code: str
    message: str
    field: str | None = None

    @classmethod
    def of(cls, position: int, error: DomainError) -> "ItemRefusal":
        return cls(position, error.code, error.message, error.field)


class BatchRefused(RuleViolation):
    code = "BATCH_REFUSED"

    def __init__(self, refusals: Sequence[ItemRefusal], item: str):
        """`item` names one item in French (« embauche », « salarié »)."""
        self.refusals = tuple(refusals)
        count = len(self.refusals)
        head = (
            f"Rien n'a été enregistré (tout ou rien) : {count} {item}"
            f"{'s' if count > 1 else ''} refusé{'e' if item.endswith('e') else ''}"
            f"{'s' if count > 1 else ''}. "
        )
        listed = " ; ".join(_line(item, r) for r in self.refusals[:MAX_LISTED])
        more = count - MAX_LISTED
        tail = f" ; et {more} autre{'s' if more > 1 else ''}." if more > 0 else "."
        super().__init__(head + listed + tail, field=None)


def _line(item: str, refusal: ItemRefusal) -> str:
    field = "" if refusal.field is None else f", champ {_camel(refusal.field)}"
    return f"{item.capitalize()} n° {refusal.position}{field} : {refusal.message.rstrip('.')}"


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)

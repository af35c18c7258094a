"""What confirming a declaration freezes: the copy of everything declared, and the contribution
it bills, kept apart from the copy (the copy holds health data; billing never reads it)."""

from dataclasses import dataclass

from domain.declaration.contribution import Contribution


@dataclass(frozen=True, slots=True)
class Composed:
    frozen: str
    """The canonical JSON of everything declared: the same facts always give the same text."""
    contribution: Contribution

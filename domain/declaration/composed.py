"""What confirming a declaration freezes: the copy of everything declared, and the contribution
it bills, kept apart from the copy (the copy holds health data; billing never reads it)."""

import hashlib
from dataclasses import dataclass

from domain.declaration.contribution import Contribution


@dataclass(frozen=True, slots=True)
class Composed:
    frozen: str
    """The canonical JSON of everything declared: the same facts always give the same text."""
    contribution: Contribution


def content_hash(frozen: str) -> str:
    """The SHA-256 of a frozen copy, in hexadecimal: what proves the copy unchanged."""
    return hashlib.sha256(frozen.encode()).hexdigest()

"""The port through which confirmation composes the frozen copy of a declaration.

What a member declares is more than the declaration's own answers: its company, workforce and
CMR exposures on the day, and the contribution they make. Composing that copy is the read
side's business (`projections.declaration.declared` implements this port); confirmation only
needs the text and the contribution it bills. The composition root gives the application its
composer (`Registre.compose_declarations_with`), the same way for the API, the CLI and the
tests.
"""

from datetime import date
from typing import Protocol

from domain.declaration.campaign import Campaign
from domain.declaration.composed import Composed
from domain.declaration.declaration import Declaration


class DeclarationComposer(Protocol):
    def compose(self, campaign: Campaign, declaration: Declaration, today: date) -> Composed:
        """Everything `declaration` declares, as the service receives it on `today`."""
        ...


class NoComposer:
    """An application given no composer: it refuses to confirm rather than freeze a wrong copy."""

    def compose(self, campaign: Campaign, declaration: Declaration, today: date) -> Composed:
        raise RuntimeError(
            "no declaration composer: give one with Registre.compose_declarations_with"
        )

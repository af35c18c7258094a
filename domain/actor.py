"""Who caused an event: every event records it."""

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or `system`) behind a change, and the member on whose behalf they acted.

    `on_behalf_of` is set when a third-party declarant (an accountant) acts for a member.
    """

    user_id: str
    on_behalf_of: UUID | None = None

    @property
    def is_system(self) -> bool:
        return self.user_id == SYSTEM_USER


SYSTEM_USER = "system"
SYSTEM = Actor(SYSTEM_USER)

"""What every command carries: who asks, the request id, and the version the user saw."""

import re
from dataclasses import dataclass
from uuid import UUID

from domain.actor import SYSTEM, Actor
from domain.errors import InvalidValue

MAX_REQUEST_ID = 100
REQUEST_ID = re.compile(f"[!-~]{{1,{MAX_REQUEST_ID}}}")
"""Printable ASCII without spaces (a UUID, `fuzz-12`…): a request id is stored as the key of
the command log and written in log lines."""
INVALID_REQUEST_ID = InvalidValue(
    "L'identifiant de requête est obligatoire : 1 à 100 caractères ASCII imprimables, sans"
    " espace (un UUID par exemple).",
    code="INVALID_REQUEST_ID",
    field="request_id",
)


@dataclass(frozen=True, slots=True)
class Request:
    """The envelope of a command.

    `request_id` makes retries safe: a command whose request id was already handled returns its
    first result. `expected_version` is the version of the record the user's form was built
    from; when the record has moved on since, the command is refused with a conflict.
    """

    request_id: str
    actor: Actor = SYSTEM
    expected_version: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.request_id, str) or not REQUEST_ID.fullmatch(self.request_id):
            raise INVALID_REQUEST_ID.fresh()

    @classmethod
    def by(
        cls,
        request_id: str,
        user_id: str,
        *,
        on_behalf_of: UUID | None = None,
        expected_version: int | None = None,
    ) -> "Request":
        return cls(request_id, Actor(user_id, on_behalf_of), expected_version)


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What a command returns: the aggregate it changed, its new version, and the id of what
    it created inside it (a contact, an exposure…) when there is one."""

    aggregate_id: UUID
    version: int
    created_id: int | None = None

"""The settings of signing in: lifetimes of sessions, codes and links, the portal's address,
and the least time an answer takes."""

import os
from dataclasses import dataclass
from datetime import timedelta

DEFAULT_ANSWER_FLOOR_MS = 500
DEFAULT_PORTAL_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class AccessSettings:
    session_lifetime: timedelta = timedelta(hours=8)
    code_lifetime: timedelta = timedelta(minutes=30)
    reset_link_lifetime: timedelta = timedelta(hours=1)
    portal_url: str = DEFAULT_PORTAL_URL
    service_contact: str = "le service de santé au travail"
    answer_floor: timedelta = timedelta(milliseconds=DEFAULT_ANSWER_FLOOR_MS)
    """The least time an answer to someone not signed in takes (but a successful sign-in): more
    than the slowest path to it, an argon2 verification and a write, on the service's machine."""

    @classmethod
    def from_environment(cls, service_contact: str) -> "AccessSettings":
        hours = float(os.environ.get("REGISTRE_SESSION_HOURS", "8"))
        floor_ms = float(os.environ.get("REGISTRE_ANSWER_FLOOR_MS", DEFAULT_ANSWER_FLOOR_MS))
        return cls(
            session_lifetime=timedelta(hours=hours),
            answer_floor=timedelta(milliseconds=floor_ms),
            portal_url=os.environ.get("REGISTRE_PORTAL_URL", DEFAULT_PORTAL_URL).rstrip("/"),
            service_contact=service_contact,
        )

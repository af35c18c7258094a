"""The context of one GraphQL request: services, request id, the signed-in person, DataLoaders."""

from typing import Any, Protocol, TypeVar
from uuid import uuid4

import msgspec
from litestar.di import NamedDependency
from strawberry.litestar import BaseContext
from strawberry.types import Info

from api.services import Services
from api.threads import blocking
from application.accounts.access_store import Session
from application.requests import Request as CommandRequest
from domain.accounts.access import Principal

BEARER = "bearer "


class MadeFromServices(Protocol):
    def __init__(self, services: Services) -> None: ...


L = TypeVar("L", bound=MadeFromServices)


class Context(BaseContext, kw_only=True):
    services: Services
    request_id: str
    session: Session | None = None
    principal: Principal | None = None
    signed_in: bool = False
    """Whether the session was looked up (once per request, when an operation needs it)."""
    loaders: dict[type, Any] = msgspec.field(default_factory=dict)
    """The request's DataLoaders, by kind, made on first use (see `loader`)."""

    def loader(self, kind: "type[L]") -> L:
        """This request's DataLoaders of a kind (made from the services on first use), so that
        a context's resolvers batch their reads (no N+1)."""
        if kind not in self.loaders:
            self.loaders[kind] = kind(self.services)
        found: L = self.loaders[kind]
        return found

    async def sign_in(self) -> Principal | None:
        """The person behind the request's bearer token, or None."""
        if not self.signed_in:
            token = self._bearer_token()
            self.session, self.principal = await blocking(lambda: self.services.sign_in(token))
            self.signed_in = True
        return self.principal

    def _bearer_token(self) -> str:
        return bearer_token(
            "" if self.request is None else self.request.headers.get("authorization", "")
        )

    @property
    def address(self) -> str:
        """The caller's network address, for throttling."""
        client = None if self.request is None else self.request.client
        return "unknown" if client is None else client.host

    def command_request(self, request_id: str, expected_version: int | None) -> CommandRequest:
        """The envelope of a command sent by this request's signed-in person (the request id
        is checked by `CommandRequest`)."""
        if self.principal is None:
            raise RuntimeError("a command ran outside the authorisation guard")
        return CommandRequest(request_id, self.principal.actor, expected_version)


GraphQLInfo = Info[Context, None]


def bearer_token(authorization: str) -> str:
    """The token of an `Authorization: Bearer <token>` header ("" when there is none)."""
    if not authorization.lower().startswith(BEARER):
        return ""
    return authorization[len(BEARER) :].strip()


def new_request_id() -> str:
    return uuid4().hex


async def get_context(services: NamedDependency[Services]) -> Context:
    """The Litestar dependency that makes each request's context."""
    return Context(services=services, request_id=new_request_id())

"""The context of one GraphQL request: services, request id, the acting user, DataLoaders."""

from uuid import uuid4

from litestar.di import NamedDependency
from strawberry.litestar import BaseContext
from strawberry.types import Info

from api.loaders import Loaders
from api.services import Services
from application.requests import Request as CommandRequest
from domain.errors import InvalidValue

MAX_REQUEST_ID = 100
ANONYMOUS = "anonymous"
"""The acting user until authentication arrives: the only place that names one."""


class Context(BaseContext, kw_only=True):
    services: Services
    request_id: str
    user_id: str
    loaders: Loaders

    def command_request(self, request_id: str, expected_version: int | None) -> CommandRequest:
        """The envelope of a command sent by this request's user."""
        if not request_id.strip() or len(request_id) > MAX_REQUEST_ID:
            raise InvalidValue(
                f"L'identifiant de requête est obligatoire ({MAX_REQUEST_ID} caractères au plus).",
                code="INVALID_REQUEST_ID",
                field="request_id",
            )
        return CommandRequest.by(request_id, self.user_id, expected_version=expected_version)


GraphQLInfo = Info[Context, None]


def new_request_id() -> str:
    return uuid4().hex


async def get_context(services: NamedDependency[Services]) -> Context:
    """The Litestar dependency that makes each request's context."""
    return Context(
        services=services,
        request_id=new_request_id(),
        user_id=ANONYMOUS,
        loaders=Loaders(services),
    )

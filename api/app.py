"""The Litestar application: `/graphql`, `/health`, and `/plain/employees` (the benchmark's
baseline: the GraphQL employees page's query, answered as plain msgspec JSON)."""

import logging
import os
import warnings
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Litestar, Request, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import FromQuery, QueryParameter
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import ControllerRouterHandler
from strawberry import Schema

from api.failures import InvalidArgument
from api.graphiql import graphiql_assets
from api.graphql_http import graphql_controller
from api.json_names import camel_case_json, http_refusal
from api.pagination import DEFAULT_PAGE, Page, page_size
from api.plain_access import authorised_member
from api.services import Services
from api.threads import blocking
from api.workforce.reads import employee_page
from domain.accounts.access import Right
from projections.runner import ProjectionStatus
from projections.timeline import knowledge
from projections.workforce.workforce_queries import WorkforceFilter, WorkforceRow
from storage.settings import StoreSettings

log = logging.getLogger(__name__)
STRAWBERRY_CONTROLLER_WARNING = (
    r"\[paths='[^']*', handler='(handle_http_get|handle_http_post|websocket_endpoint)'[^\]]*\]"
    r" Inferred dependency field"
)
"""Litestar 2.25 deprecates how strawberry's controller declares its dependencies (`context`,
`root_value`…): that warning only, for that controller's handlers only."""


class Health(msgspec.Struct):
    store_reachable: bool
    projections: list[ProjectionStatus]


@get("/health")
async def health(services: NamedDependency[Services]) -> Response[Health]:
    """Whether the store answers, and how far behind each read model is (events, seconds)."""

    def check() -> Health:
        services.check_store()
        return Health(store_reachable=True, projections=services.runner.status())

    try:
        report = await blocking(check)
    except Exception:
        log.exception("health check: the store is unreachable")
        return Response(Health(False, []), status_code=HTTP_503_SERVICE_UNAVAILABLE)
    return Response(report, status_code=HTTP_200_OK)


@get("/plain/employees")
async def plain_employees(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member: FromQuery[UUID],
    first: Annotated[int, QueryParameter(ge=1)] = DEFAULT_PAGE,
    after: FromQuery[str | None] = None,
) -> Page[WorkforceRow]:
    """A member's employees today, as `employees(memberId, first, after)` reads them, under
    the same rules (a session, the right, the member in scope: 404 otherwise)."""
    await authorised_member(request, services, member, Right.READ_WORKFORCE, "plain/employees")
    day, known, size = services.clock.today(), knowledge(None), page_size(first)
    return await blocking(
        lambda: employee_page(services, member, day, known, WorkforceFilter(), size, after)
    )


def _refused(request: Request[Any, Any, Any], error: InvalidArgument) -> Response[dict[str, Any]]:
    """A bad cursor or page size on the plain endpoint: 400, as GraphQL shows it."""
    body = {"message": str(error), **error.extensions}
    return Response(body, status_code=HTTP_400_BAD_REQUEST)


def _provide_services(state: State) -> Services:
    services: Services = state.services
    return services


def _litestar(
    state: State, lifespan: list[Any], schema: Schema, routes: Sequence[ControllerRouterHandler]
) -> Litestar:
    controller = graphql_controller(schema)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=STRAWBERRY_CONTROLLER_WARNING)
        return Litestar(
            route_handlers=[controller, graphiql_assets(), health, plain_employees, *routes],
            dependencies={"services": Provide(_provide_services, sync_to_thread=False)},
            exception_handlers={InvalidArgument: _refused, HTTPException: http_refusal},
            after_request=camel_case_json,
            state=state,
            lifespan=lifespan,
        )


def create_app(
    services: Services, schema: Schema, routes: Sequence[ControllerRouterHandler]
) -> Litestar:
    """The application over services the caller opened (and closes): `schema` at `/graphql`,
    `routes` beside it (the composition root, `contexts`, gives both)."""
    return _litestar(State({"services": services}), [], schema, routes)


def create_app_opening(
    open_services: Callable[[StoreSettings, bool], Services],
    schema: Schema,
    routes: Sequence[ControllerRouterHandler],
) -> Litestar:
    """The application over the store `REGISTRE_DATABASE_URL` names, its services opened at
    start-up by `open_services(settings, run_projections)` and closed at shut-down."""
    settings = StoreSettings.from_environment()
    in_process = os.environ.get("REGISTRE_RUN_PROJECTIONS", "1") != "0"

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        services = await anyio.to_thread.run_sync(open_services, settings, in_process)
        app.state.services = services
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(services.close)

    return _litestar(State(), [lifespan], schema, routes)

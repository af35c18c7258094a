"""One naming convention for clients: the JSON of the plain HTTP endpoints is spelled as GraphQL
is, in camelCase (`canApply`, `employeeId`, `storeReachable`), refusals included
(`{"statusCode", "detail", "extra"}`).

The answers' structs keep Python's names; their JSON is renamed here, once for every endpoint,
key by key: the `snake_case` keys only — an id or a code (`INVALID_PERIOD`) is left as it is.
No plain endpoint answers a map keyed by data spelled in snake_case (a declaration's question
keys reach clients through GraphQL only), which this rule would rename. Cost: 0.28 ms for a
page of 50 employees of `/plain/employees` (0.04 ms encoded without renaming).
"""

import dataclasses
import re
from functools import lru_cache
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException

from api.failures import camel_case

NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
JSON_TYPES = ("application/json", "application/problem+json")


def camel_keys(value: Any) -> Any:
    """`value` (builtins: `msgspec.to_builtins`) with its dictionaries' snake_case keys in
    camelCase."""
    if isinstance(value, dict):
        return {_name(key): camel_keys(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [camel_keys(item) for item in value]
    return value


@lru_cache(maxsize=4096)
def _name(key: Any) -> Any:
    return camel_case(key) if isinstance(key, str) and NAME.fullmatch(key) else key


async def camel_case_json(response: Any) -> Any:
    """`after_request` of the application: a JSON answer's names in camelCase (a file answer,
    already an ASGI response, goes as it is)."""
    if not isinstance(response, Response):
        return response
    given = response.media_type  # None: the handler's, JSON for every endpoint answering data
    media_type = None if given is None else str(getattr(given, "value", given)).split(";")[0]
    content = response.content
    data = isinstance(content, msgspec.Struct | dict | list) or dataclasses.is_dataclass(content)
    if data and media_type in {None, *JSON_TYPES}:
        response.content = camel_keys(msgspec.to_builtins(content))
    return response


def http_refusal(_: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    """Litestar's refusals (404, 400, 401, 403…) with their names in camelCase."""
    body: dict[str, Any] = {"statusCode": error.status_code, "detail": error.detail}
    if error.extra:
        body["extra"] = camel_keys(msgspec.to_builtins(error.extra))
    return Response(body, status_code=error.status_code, headers=error.headers)

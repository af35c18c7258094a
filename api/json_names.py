"""One naming convention for clients: every JSON document a client reads is spelled as GraphQL
is, its field names in camelCase (`canApply`, `employeeId`, `storeReachable`), refusals included
(`{"statusCode", "detail", "extra"}`): the answers of the plain HTTP endpoints, the CMR list's
JSON file, and the values of the GraphQL `JSON` scalar (an audit entry's `changes`, a confirmed
declaration's `content`, the transmitted CMR list).

Keys that are data stay as they are: an id, a code (`INVALID_PERIOD`, `SIR`), a prevention theme
or question id (`main_activity`). The rename is done here, once, at the API's edge: events, read
tables and the frozen copies keep Python's names. It renames the `snake_case` keys only, so a map
keyed by data spelled in snake_case must be named: `camel_keys(value, data_maps)` leaves the
value of each field of `data_maps` (a declaration's `prevention`, an event's `answers`, a recap's
`by_category`) as it is, its own name still in camelCase. A client sends back what it read: no
mutation takes a field-named document back; `answerPrevention`'s `answers` are keyed by question
ids, as `prevention` gives them, and those are data, never renamed either way. Cost: 0.28 ms for
a page of 50 employees of `/plain/employees` (0.04 ms encoded without renaming).
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


NO_DATA_MAPS: frozenset[str] = frozenset()


def camel_keys(value: Any, data_maps: frozenset[str] = NO_DATA_MAPS) -> Any:
    """`value` (builtins: `msgspec.to_builtins`) with its dictionaries' snake_case keys in
    camelCase, but inside the value of a field named in `data_maps` (Python's name): a map keyed
    by data, left as it is."""
    if isinstance(value, dict):
        return {
            _name(key): item if key in data_maps else camel_keys(item, data_maps)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [camel_keys(item, data_maps) for item in value]
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

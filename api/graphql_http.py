"""`/graphql` over HTTP: a request that is no GraphQL request gets a typed 400, never a 500.

Before strawberry reads it, a JSON body (or the `variables` of a GET) must be valid UTF-8 JSON,
an object, nested at most `MAX_JSON_DEPTH` levels, and hold no lone UTF-16 surrogate (JSON's
`"\\ud800"` decodes to a Python string no database nor encoder accepts). Every refusal of the
HTTP layer is answered as GraphQL errors are — `{"data": null, "errors": [{message,
extensions: {code}}]}` — with a French message and the HTTP status strawberry chose.
"""

import json
from typing import Any

from cross_web import HTTPException
from litestar import Request, Response
from litestar.controller import Controller
from litestar.status_codes import HTTP_400_BAD_REQUEST
from strawberry.litestar import make_graphql_controller
from strawberry.schema import BaseSchema

from api.context import get_context
from api.graphiql import PAGE

MAX_JSON_DEPTH = 32
"""Far more than any query's variables need (an input object's deepest field is 4 levels)."""
NOT_JSON = "Le corps de la requête doit être un objet JSON valide, encodé en UTF-8."
TOO_DEEP = f"Le JSON de la requête est trop imbriqué ({MAX_JSON_DEPTH} niveaux au plus)."
LONE_SURROGATE = (
    "La requête contient un caractère Unicode invalide (un demi-caractère UTF-16 isolé)."
)
CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
_FRENCH = {
    **{ours: ours for ours in (NOT_JSON, TOO_DEEP, LONE_SURROGATE)},
    # strawberry's reasons
    "No GraphQL query found in the request": "La requête ne contient aucune opération GraphQL.",
    "Unsupported content type": "Envoyez la requête en JSON (Content-Type: application/json).",
    "Batching is not enabled": "Envoyez une seule opération GraphQL par requête.",
    "GraphQL only supports GET and POST requests.": "GraphQL s'utilise en GET ou en POST.",
    "mutations are not allowed when using GET": "Une mutation s'envoie en POST.",
    "Not Found": "Rien à cette adresse.",
}
OTHER_REASON = "Cette requête n'est pas une requête GraphQL valide."


def decoded_body(data: str | bytes) -> dict[str, Any]:
    """The JSON object of a request, or an `HTTPException` (400) saying what is wrong."""
    try:
        decoded = json.loads(data.decode() if isinstance(data, bytes) else data)
    except RecursionError:
        raise HTTPException(HTTP_400_BAD_REQUEST, TOO_DEEP) from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise HTTPException(HTTP_400_BAD_REQUEST, NOT_JSON) from None
    if not isinstance(decoded, dict):
        raise HTTPException(HTTP_400_BAD_REQUEST, NOT_JSON)
    _check(decoded)
    return decoded


def _check(document: dict[str, Any]) -> None:
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise HTTPException(HTTP_400_BAD_REQUEST, TOO_DEEP)
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
        elif isinstance(value, str) and not _encodable(value):
            raise HTTPException(HTTP_400_BAD_REQUEST, LONE_SURROGATE)


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def refusal(error: HTTPException) -> Response[dict[str, Any]]:
    message = _FRENCH.get(error.reason, OTHER_REASON)
    code = CODES.get(error.status_code, "BAD_REQUEST")
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(body, status_code=error.status_code)


def graphql_controller(schema: BaseSchema) -> type[Controller]:
    base: Any = make_graphql_controller(
        schema, path="/graphql", graphql_ide="graphiql", context_getter=get_context
    )

    class GraphQLController(base):  # type: ignore[misc]
        def decode_json(self, data: str | bytes) -> object:
            return decoded_body(data)

        async def render_graphql_ide(self, request: Request[Any, Any, Any]) -> Response[str]:
            return Response(PAGE, media_type="text/html; charset=utf-8")

        async def execute_request(
            self, request: Request[Any, Any, Any], context: Any, root_value: Any
        ) -> Response[Any]:
            try:
                response: Response[Any] = await self.run(
                    request, context=context, root_value=root_value
                )
            except HTTPException as error:
                return refusal(error)
            return response

    return GraphQLController

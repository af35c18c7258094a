"""The schema, its limits, and what becomes of unexpected errors.

Expected failures of mutations are typed results (`api.failures`); `errors[]` holds only what
the client sent wrong (parsing, validation, a bad cursor) — shown without the values it sent
(`api.input_errors`) — and unexpected errors, masked for the client and logged with the request
id, which the masked error also carries.
"""

import logging
from collections.abc import Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from api.failures import InvalidArgument
from api.input_errors import as_typed_input_error, has_code, sent_values, without_values
from api.query_cost import QueryCostLimit
from api.scalars import SCALAR_OVERRIDES

log = logging.getLogger(__name__)

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 15
MASKED_MESSAGE = "Erreur inattendue : elle a été enregistrée, avec l'identifiant de la requête."


def is_unexpected(error: GraphQLError) -> bool:
    """Whether an error comes from the server rather than from what the client sent.

    Parsing and validation errors have no original error; bad variable values wrap a
    GraphQLError; `InvalidArgument` is a deliberate refusal. Anything else is a bug or an outage.
    """
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | InvalidArgument)


def _request_id(execution_context: ExecutionContext | None) -> str:
    context: Any = None if execution_context is None else execution_context.context
    return str(getattr(context, "request_id", "-"))


def _sent(execution_context: ExecutionContext | None) -> set[str]:
    if execution_context is None:
        return set()
    return sent_values(execution_context.variables, execution_context.graphql_document)


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=MASKED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {
            "code": "INTERNAL_ERROR",
            "requestId": _request_id(self.execution_context),
        }
        return masked


_LIMIT_RULES: list[type[ASTValidationRule]] = [
    query_depth_limiter.create_validator(MAX_DEPTH, None, None),
    max_aliases.create_validator(MAX_ALIASES),
]


class QueryLimits(AddValidationRules):
    """Depth and alias limits. Their validation rules are made once: rules made per request
    would never match the validation cache's key, and every query would be validated again."""

    def __init__(self) -> None:
        super().__init__(_LIMIT_RULES)


class RegistreSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Take the values the client sent out of the errors about them (for the log and for the
        answer: the same errors are answered); log every error with its request id, unexpected
        ones with their traceback."""
        request_id = _request_id(execution_context)
        sent = _sent(execution_context)
        for error in errors:
            if is_unexpected(error):
                log.error(
                    "request %s: unexpected error at %s",
                    request_id,
                    error.path,
                    exc_info=error.original_error,
                )
                continue
            as_typed_input_error(error)
            if not has_code(error):
                error.message = without_values(error.message, sent)
            log.info("request %s: refused: %s", request_id, error.message)


def registre_schema(queries: Sequence[type[Any]], mutations: Sequence[type[Any]]) -> RegistreSchema:
    """The schema whose root `Query` and `Mutation` gather these types' fields, in this order
    (the contexts' own types, listed by the composition root: `contexts`)."""
    return RegistreSchema(
        query=merge_types("Query", tuple(queries)),
        mutation=merge_types("Mutation", tuple(mutations)),
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            QueryLimits,
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            ParserCache,
            ValidationCache,
            QueryCostLimit,
            MaskUnexpectedErrors,
        ],
    )

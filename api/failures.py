"""Expected failures are data: every domain refusal becomes one typed result, in one place.

`ValidationError` (a malformed value), `RuleViolationError` (the rules forbid it now),
`NotFoundError`, `ConflictError` (the record moved on since the user's form was loaded),
`ForbiddenError` (the caller's roles do not allow it: see `api.authorization`). Their
`message` is French, for the portal's users; `code` is stable, for programs; `field` names the
input field in the schema's spelling (camelCase).
"""

import logging
from typing import Any

import strawberry

from domain.errors import Conflict, DomainError, InvalidValue, NotFound

log = logging.getLogger(__name__)


class InvalidArgument(Exception):
    """A query argument the API refuses (bad cursor, page size): shown to the client as a
    GraphQL error with its code, never masked."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.extensions: dict[str, Any] = {"code": code}


@strawberry.type(description="Une valeur saisie est mal formée (SIRET, e-mail, date…).")
class ValidationError:
    code: str
    message: str
    field: str | None


@strawberry.type(
    description="La valeur est bien formée, mais les règles interdisent ce changement."
)
class RuleViolationError:
    code: str
    message: str
    field: str | None


@strawberry.type(description="L'adhérent, le salarié ou l'élément désigné n'existe pas.")
class NotFoundError:
    code: str
    message: str


@strawberry.type(
    description="L'enregistrement a changé depuis que le formulaire a été chargé :"
    " currentVersion est sa version actuelle."
)
class ConflictError:
    code: str
    message: str
    current_version: int


@strawberry.type(
    description="Vos rôles ne permettent pas cette opération pour cet adhérent (code FORBIDDEN)."
)
class ForbiddenError:
    code: str
    message: str


Failure = ValidationError | NotFoundError | ConflictError | RuleViolationError | ForbiddenError


def failure_of(error: DomainError, given: object | None = None) -> Failure:
    """The typed failure of a refusal; with the mutation's input `given`, its `field` is one of
    that input's fields (at any depth), or None when the domain named something else."""
    field = input_field(error.field, given)
    if isinstance(error, InvalidValue):
        return ValidationError(code=error.code, message=error.message, field=field)
    if isinstance(error, NotFound):
        return NotFoundError(code=error.code, message=error.message)
    if isinstance(error, Conflict):
        return ConflictError(
            code=error.code, message=error.message, current_version=error.current_version
        )
    return RuleViolationError(code=error.code, message=error.message, field=field)


def input_field(field: str | None, given: object | None) -> str | None:
    """The input's name of the field a refusal names (a field's identifier, never a value)."""
    if field is None:
        return None
    if given is None:
        return camel_case(field)
    fields = _field_names(given)
    if field in fields:
        return fields[field]
    input_type = type(given).__name__
    log.warning("refusal on field %s, not a field of input %s", field, input_type)
    return None


def _field_names(given: object) -> dict[str, str]:
    """Each field of a strawberry input and of the inputs it holds, by its Python name, its
    schema name and the domain's names it declares (`DOMAIN_FIELDS`: domain name → Python
    name): its schema name."""
    names: dict[str, str] = {}
    stack = [given]
    while stack:
        value = stack.pop()
        if isinstance(value, list | tuple):
            stack.extend(value)
            continue
        definition: Any = getattr(type(value), "__strawberry_definition__", None)
        if definition is None or not getattr(definition, "is_input", False):
            continue
        own: dict[str, str] = {}
        for item in definition.fields:
            shown = item.graphql_name or camel_case(item.python_name)
            own[item.python_name] = own[shown] = shown
            stack.append(getattr(value, item.python_name, None))
        aliases = getattr(type(value), "DOMAIN_FIELDS", {})
        names.update(own | {domain: own[python] for domain, python in aliases.items()})
    return names


def camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)

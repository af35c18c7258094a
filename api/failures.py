"""Expected failures are data: every domain refusal becomes one typed result, in one place.

`ValidationError` (a malformed value), `RuleViolationError` (the rules forbid it now),
`NotFoundError`, `ConflictError` (the record moved on since the user's form was loaded),
`ForbiddenError` (the caller's roles do not allow it: see `api.authorization`). Their
`message` is French, for the portal's users; `code` is stable, for programs; `field` names the
input field in the schema's spelling (camelCase).
"""

from typing import Any

import strawberry

from domain.errors import Conflict, DomainError, InvalidValue, NotFound


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


def failure_of(error: DomainError) -> Failure:
    field = None if error.field is None else camel_case(error.field)
    if isinstance(error, InvalidValue):
        return ValidationError(code=error.code, message=error.message, field=field)
    if isinstance(error, NotFound):
        return NotFoundError(code=error.code, message=error.message)
    if isinstance(error, Conflict):
        return ConflictError(
            code=error.code, message=error.message, current_version=error.current_version
        )
    return RuleViolationError(code=error.code, message=error.message, field=field)


def camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)

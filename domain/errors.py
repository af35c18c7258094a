"""Domain errors: each has a stable code for programs and a French message for people."""

import copy
from typing import Self


class DomainError(Exception):
    """A command was refused. `message` is French and can be shown to a portal user as is."""

    code = "DOMAIN_ERROR"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def fresh(self) -> Self:
        """A new error like this one, to raise a module-level refusal: raising one instance
        again and again would chain every attempt's traceback, and its local values, to it."""
        return copy.copy(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r})"


class InvalidValue(DomainError):
    """A value given by a user is malformed (bad SIRET, bad e-mail…)."""

    code = "INVALID_VALUE"


class RuleViolation(DomainError):
    """The value is well formed, but the rules of the domain forbid the change now."""

    code = "RULE_VIOLATION"


class NotFound(DomainError):
    """The thing named does not exist (or is outside the caller's reach)."""

    code = "NOT_FOUND"


class Conflict(DomainError):
    """Someone changed the record since the user loaded it."""

    code = "CONFLICT"

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version

"""strawberry's `field` and `mutation` decorators with a description, keeping the resolver's type.

Their overloads taking keyword arguments return `Any`, which this project's mypy settings refuse
as an untyped decorator; these wrappers state what the decorator does to the method for mypy.
"""

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def field(description: str) -> Callable[[F], F]:
    return cast("Callable[[F], F]", strawberry.field(description=description))


def mutation(description: str) -> Callable[[F], F]:
    return cast("Callable[[F], F]", strawberry.mutation(description=description))

"""Relay-style connections: `edges { cursor node }` and `pageInfo { hasNextPage endCursor }`.

A cursor is opaque to clients: base64 of the sort key of the last row of a page (for employees,
their name key and id; for the audit trail, the position of the entry in the log).
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import msgspec
import strawberry

from api.failures import InvalidArgument

MAX_PAGE = 100
DEFAULT_PAGE = 50

K = TypeVar("K")
R = TypeVar("R")
T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo


def page_size(first: int) -> int:
    """`first` capped at MAX_PAGE; below 1 is refused."""
    if first < 1:
        raise InvalidArgument(
            f"« first » doit être compris entre 1 et {MAX_PAGE}.", code="INVALID_PAGE_SIZE"
        )
    return min(first, MAX_PAGE)


def encode_cursor(*parts: str | int) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode()


def bad_cursor() -> InvalidArgument:
    return InvalidArgument("Ce curseur de pagination n'est pas valide.", code="INVALID_CURSOR")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeError):
        parts = None
    if not isinstance(parts, list) or len(parts) != arity:
        raise bad_cursor()
    return parts


class Page(msgspec.Struct, Generic[R], frozen=True):
    """Rows of a read model, whether more follow, and the cursor of the last one."""

    rows: list[R]
    has_next_page: bool
    end_cursor: str | None


def fetch_page(
    fetch: Callable[[K | None, int], Sequence[R]],
    key_of: Callable[[R], K],
    cursor_of: Callable[[R], str],
    first: int,
    after: K | None,
) -> Page[R]:
    """A page of `first` rows after `after`, and whether more follow (read models give one row
    more than a page on request, to tell)."""
    rows = list(fetch(after, first + 1))
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(rows, has_next, cursor_of(rows[-1]) if rows else None)


def connection(
    page: Page[R], cursor_of: Callable[[R], str], node_of: Callable[[R], T]
) -> Connection[T]:
    edges = [Edge(cursor=cursor_of(row), node=node_of(row)) for row in page.rows]
    info = PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor)
    return Connection(edges=edges, page_info=info)

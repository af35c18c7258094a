"""Searching and paging the read tables.

Names are searched and sorted by a key in lower case without accents (`élodie` = `ÉLODIE`);
every word searched must appear. Pages hold at most `MAX_PAGE` rows, and the read models give
one more on request (`page_size`) so a caller can tell whether more follow without a second read.
"""

import unicodedata
from typing import Any

MAX_PAGE = 100
MAX_SEARCH = 200
MAX_SEARCH_WORDS = 10
LIKE_ESCAPE = "!"


def search_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def search_conditions(column: str, search: str | None) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) for: every word of `search` is in `column`; a
    search longer than any name is cut at `MAX_SEARCH` characters and `MAX_SEARCH_WORDS` words
    (each word a condition: thousands would overflow the database's parser)."""
    words = search_key((search or "")[:MAX_SEARCH]).split()[:MAX_SEARCH_WORDS]
    conditions = [f"{column} LIKE ? ESCAPE '{LIKE_ESCAPE}'" for _ in words]
    return conditions, [f"%{_escape_like(word)}%" for word in words]


def _escape_like(text: str) -> str:
    for special in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, LIKE_ESCAPE + special)
    return text


def page_size(limit: int) -> int:
    """`limit` kept between 1 and one more than a page (the look-ahead row)."""
    return max(1, min(limit, MAX_PAGE + 1))

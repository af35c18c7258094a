"""Blocking I/O (eventsourcing, sqlite3, psycopg) runs in worker threads, never on the event loop:
strawberry's Litestar controller is async, so one blocking call there would stall every request."""

from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread

T = TypeVar("T")


async def blocking(call: Callable[[], T]) -> T:
    """`call()` in a worker thread (anyio's pool), awaited."""
    return await anyio.to_thread.run_sync(call)

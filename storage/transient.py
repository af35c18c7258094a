"""Telling a store in trouble from a statement at fault: the first is retried, never skipped."""

import sqlite3

import psycopg
from eventsourcing import persistence

SQLITE_TRANSIENT = frozenset({5, 6, 7, 9, 10, 13, 14, 15})
"""Primary result codes of a store in trouble, not of a statement: BUSY, LOCKED, NOMEM,
INTERRUPT, IOERR, FULL, CANTOPEN, PROTOCOL."""
TRANSIENT = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    persistence.OperationalError,
    persistence.InterfaceError,
    OSError,
    MemoryError,
)


def is_transient(error: BaseException) -> bool:
    """Whether the store failed rather than the event: then nothing may be skipped."""
    if isinstance(error, sqlite3.OperationalError):
        return error.sqlite_errorcode & 0xFF in SQLITE_TRANSIENT
    if isinstance(error, psycopg.errors.ProgramLimitExceeded):
        return False  # a value too big for an index: the event's
    return isinstance(error, TRANSIENT)

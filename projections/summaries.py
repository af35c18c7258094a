"""What the audit summaries of every context share: one French line per event, from the event
alone.

A context declares its summaries in `projections/<context>/audit_summaries.py` (`SUMMARIES`: an
event class name → the line); the audit trail gathers them (`projections.audit`). A summary
reads nothing but its event — never a data file nor another record —, so a rebuild of the trail
gives the same lines whatever changed since; what it needs to show (a catalogue label…) is in
the event.
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

Summaries = Mapping[str, Callable[[Any], str]]

FALLBACK_SUMMARY = "Événement {name}"


def french_date(value: date) -> str:
    """dd/mm/yyyy."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def gathered(*tables: Summaries) -> dict[str, Callable[[Any], str]]:
    """The contexts' summaries in one table; an event name declared twice is refused."""
    every: dict[str, Callable[[Any], str]] = {}
    for table in tables:
        twice = every.keys() & table.keys()
        if twice:
            msg = f"events summarised twice: {', '.join(sorted(twice))}"
            raise ValueError(msg)
        every.update(table)
    return every

"""Aggregates folded from the events a read model applies, kept in memory for the next event.

A read model that needs an aggregate's whole state after each of its events (the member
directory, the workforce timeline, CMR exposures) gives every event of that aggregate to
`AggregateFolder.apply`, which returns the aggregate as it is just after the event.

The state just before an event comes from memory when the cached aggregate is exactly at the
previous version, and otherwise from the event source at that version (snapshot and events,
never the application's own cache). So a cache that moved ahead of the read tables — a
batch applied in memory then rolled back, another runner that applied a batch first — or a cold
start in the middle of the log (a new process, a rebuild's new generation) is simply reloaded:
the cache is never trusted beyond its version.

The cache holds at most `maxsize` aggregates, least recently used evicted first. A folder is
not thread-safe: each read model instance owns one and is run by one runner thread.
"""

from collections import OrderedDict
from typing import Any
from uuid import UUID

from eventsourcing.domain import CanInitAggregate

from projections.source import EventSource

DEFAULT_MAXSIZE = 10_000


class AggregateFolder:
    def __init__(self, source: EventSource, maxsize: int = DEFAULT_MAXSIZE):
        self._source = source
        self._maxsize = maxsize
        self._aggregates: OrderedDict[UUID, Any] = OrderedDict()

    def apply(self, event: Any) -> Any:
        """The event's aggregate just after it (the cached object, mutated in place)."""
        previous = self.state_before(event)
        self._aggregates.pop(event.originator_id, None)  # not kept if the event fails halfway
        aggregate = event.mutate(previous)
        self._remember(aggregate)
        return aggregate

    def state_before(self, event: Any) -> Any | None:
        """The event's aggregate just before it; None for the event that creates it.

        The object returned is the one the next `apply` mutates: read it before applying.
        """
        if isinstance(event, CanInitAggregate):
            return None
        return self.at(event.originator_id, event.originator_version - 1)

    def at(self, aggregate_id: UUID, version: int) -> Any:
        """The aggregate as it was at `version` (kept for the next event)."""
        cached = self._aggregates.get(aggregate_id)
        if cached is not None and cached.version == version:
            self._aggregates.move_to_end(aggregate_id)
            return cached
        loaded: Any = self._source.aggregate_at(aggregate_id, version)
        self._remember(loaded)
        return loaded

    def clear(self) -> None:
        self._aggregates.clear()

    def __len__(self) -> int:
        return len(self._aggregates)

    def _remember(self, aggregate: Any) -> None:
        self._aggregates[aggregate.id] = aggregate
        self._aggregates.move_to_end(aggregate.id)
        while len(self._aggregates) > self._maxsize:
            self._aggregates.popitem(last=False)

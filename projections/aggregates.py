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
not thread-safe: the read models run by one runner thread share one folder per kind of
aggregate (`shared_folder`), so an event the first of them folded is not folded again by the
others: the aggregate cached exactly at the event's version is the state just after it (folding
is deterministic), whoever folded it. Each read model applies a whole batch before the next one
starts, so none sees another change an aggregate it is still using.
"""

import threading
import weakref
from collections import OrderedDict
from typing import Any
from uuid import UUID
from weakref import WeakKeyDictionary

from eventsourcing.domain import CanInitAggregate

from projections.source import EventSource

DEFAULT_MAXSIZE = 10_000
SHARED_MAXSIZE = 30_000
"""A shared folder stands for the folders of up to three read models (the workforce, CMR
exposures and due visits all fold employees): their room, pooled."""


class AggregateFolder:
    def __init__(self, source: EventSource, maxsize: int = DEFAULT_MAXSIZE):
        self._source = source
        self._maxsize = maxsize
        self._aggregates: OrderedDict[UUID, Any] = OrderedDict()

    def apply(self, event: Any) -> Any:
        """The event's aggregate just after it (the cached object, mutated in place)."""
        cached = self._aggregates.get(event.originator_id)
        if cached is not None and cached.version == event.originator_version:
            self._aggregates.move_to_end(event.originator_id)
            return cached  # folded already, by another read model sharing this folder
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


_shared = threading.local()


def shared_folder(source: EventSource, kind: type) -> AggregateFolder:
    """The folder of `kind` aggregates that the read models of this thread share on `source`."""
    folders: WeakKeyDictionary[Any, dict[type, AggregateFolder]] | None = getattr(
        _shared, "folders", None
    )
    if folders is None:
        folders = _shared.folders = WeakKeyDictionary()
    of_source = folders.setdefault(source, {})
    folder = of_source.get(kind)
    if folder is None:
        # Through a weak proxy: a folder holding its source would keep the source's entry,
        # and every aggregate it caches, alive for as long as the thread.
        folder = of_source[kind] = AggregateFolder(weakref.proxy(source), SHARED_MAXSIZE)
    return folder

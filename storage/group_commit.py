"""Group commit: concurrent writers share one transaction.

The event log keeps its order with an exclusive table lock, so writers take turns. Rather than
each paying for its own lock and commit (fsync), whichever writer finds the log free writes the
batch of everything queued meanwhile in one transaction, then hands over to the next. Every
writer still gets its own result, or its own error.
"""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import StoredEvent

MAX_BATCH = 256


@dataclass(eq=False)
class PendingWrite:
    """One writer's events and options, and, once written, its notification ids or its error."""

    events: Sequence[StoredEvent]
    options: dict[str, Any] = field(default_factory=dict)
    notification_ids: Sequence[int] | None = None
    error: BaseException | None = None
    done: bool = False


class GroupCommit:
    def __init__(self, write_batch: Callable[[list[PendingWrite]], None]):
        self._write_batch = write_batch
        self._turn = threading.Condition()
        self._queue: list[PendingWrite] = []
        self._writing = False

    def write(self, events: Sequence[StoredEvent], options: dict[str, Any]) -> Sequence[int] | None:
        pending = PendingWrite(events, options)
        with self._turn:
            self._queue.append(pending)
            while not pending.done:
                if self._writing:
                    self._turn.wait()
                    continue
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                self._writing = True
                self._turn.release()
                try:
                    self._write(batch)
                finally:
                    self._turn.acquire()
                    self._writing = False
                    self._turn.notify_all()
        if pending.error is not None:
            raise pending.error
        return pending.notification_ids

    def _write(self, batch: list[PendingWrite]) -> None:
        try:
            self._write_batch(batch)
        except BaseException as error:  # every writer of the batch must hear of it
            for pending in batch:
                if not pending.done:
                    pending.error = error
        finally:
            for pending in batch:
                pending.done = True

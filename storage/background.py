"""Work repeated in a thread of its own: how the read models' runner and the reactions' runner
follow the event log."""

import logging
import threading
from abc import ABC, abstractmethod
from typing import ClassVar

POLL_SECONDS = 0.25
RETRY_SECONDS = 1.0


class BackgroundWork(ABC):
    """Runs `step` in a daemon thread: again at once while it finds work, else after
    `POLL_SECONDS` or as soon as `wake()` is called. A step that fails is logged (on the logger
    of the subclass's module) and tried again after `RETRY_SECONDS`."""

    thread_name: ClassVar[str]
    work_name: ClassVar[str]
    """What a step does, for the log ("projection batch")."""

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @abstractmethod
    def step(self) -> bool:
        """Do the next piece of work; whether there was any."""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def wake(self) -> None:
        """Something was written: look now rather than at the next poll."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.step():
                    continue
            except Exception:
                log = logging.getLogger(type(self).__module__)
                log.exception("%s failed; retrying", self.work_name)
                self._stop.wait(RETRY_SECONDS)
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

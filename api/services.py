"""What the API works with: the application (the only writer), the read store, the queries of
every read model and the runner that keeps them up to date.

Everything here is blocking (eventsourcing, sqlite3, psycopg): the API calls it from worker
threads only (`api.threads.blocking`).
"""

import logging
from typing import Self

from application.registre import Registre
from projections.audit import AuditTrailQueries
from projections.exposures import CmrExposureQueries
from projections.headcount import HeadcountQueries
from projections.members import MemberDirectoryQueries
from projections.model import ActiveGenerations
from projections.registry import ALL_READ_MODELS
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.workforce import WorkforceQueries
from storage.settings import StoreSettings

log = logging.getLogger(__name__)

READ_YOUR_WRITES_TIMEOUT = 5.0
"""Seconds a mutation waits for the read models to apply its events before it answers."""


class Services:
    def __init__(self, app: Registre, store: ReadStore, runner: ProjectionRunner):
        self.app = app
        self.store = store
        self.runner = runner
        self.generations = ActiveGenerations(store)
        self.workforce = WorkforceQueries(store, self.generations)
        self.headcounts = HeadcountQueries(store, self.generations)
        self.exposures = CmrExposureQueries(store, self.generations)
        self.members = MemberDirectoryQueries(store, self.generations)
        self.audit = AuditTrailQueries(store, self.generations)

    @classmethod
    def open(cls, settings: StoreSettings, *, run_projections: bool = True) -> Self:
        """Open the stores and bring the read models up to date; with `run_projections`, keep
        them so in a background thread (else another process runs them)."""
        app = Registre(settings)
        store = ReadStore.open(settings)
        try:
            runner = ProjectionRunner(app, store, ALL_READ_MODELS)
            runner.setup()
            runner.catch_up()
            if run_projections:
                runner.start()
        except BaseException:
            store.close()
            app.close()
            raise
        return cls(app, store, runner)

    def close(self) -> None:
        self.runner.stop()
        self.store.close()
        self.app.close()

    def settle(self) -> None:
        """Read-your-writes: wait until every read model has applied the log as it is now, so
        the reply of a mutation, and the next query of the same client, see what it wrote."""
        head = self.app.recorder.max_notification_id() or 0
        if not self.runner.wait_for(head, timeout=READ_YOUR_WRITES_TIMEOUT):
            log.warning("read models still behind position %d after a mutation", head)

    def check_store(self) -> None:
        """A trivial read: raises when the store cannot be reached."""
        self.store.read("SELECT 1")

"""What the API works with: the application (the only writer), the sign-in tables' store, the
read store, the queries of every read model and the runner that keeps them up to date.

Everything here is blocking (eventsourcing, sqlite3, psycopg): the API calls it from worker
threads only (`api.threads.blocking`).
"""

import logging
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Self, TypeVar, cast

from application.accounts.access import Access
from application.accounts.access_settings import AccessSettings
from application.accounts.access_store import AccessStore, Session
from application.reactions import Reaction
from application.registre import Registre
from application.risk_assessment.documents import RiskAssessmentDocuments
from application.side_effects import open_side_effects
from domain.accounts.access import Principal
from domain.calendar import SYSTEM_CLOCK, Clock
from messaging.mailer import Mailer, mailer_from
from messaging.settings import MailSettings
from projections.accounts.accounts import AccountQueries
from projections.audit import AuditTrailQueries
from projections.declaration.declarations import DeclarationQueries
from projections.declaration.declared import DeclaredSources
from projections.members.members import MemberDirectoryQueries
from projections.model import ActiveGenerations, Queries, ReadModel
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.workforce.exposures import CmrExposureQueries
from projections.workforce.headcount import HeadcountQueries
from projections.workforce.workforce_queries import WorkforceQueries
from storage.checkpoints import Checkpointer, open_checkpointer
from storage.documents import DocumentStore
from storage.settings import StoreSettings

log = logging.getLogger(__name__)
Q = TypeVar("Q", bound=Queries)

READ_YOUR_WRITES_TIMEOUT = 5.0
"""Seconds a mutation waits for the read models to apply its events before it answers."""


class Services:
    checkpointer: Checkpointer | None = None
    """Signs checkpoints of the log, when this process runs the read models."""

    def __init__(
        self,
        app: Registre,
        store: ReadStore,
        runner: ProjectionRunner,
        access_store: AccessStore,
        *,
        mailer: Mailer,
        reactions: Sequence[type[Reaction]],
        access_settings: AccessSettings,
    ):
        """Every part reads the time from the application's clock (`app.clock`)."""
        self.app = app
        self.clock = app.clock
        self.store = store
        self.runner = runner
        self.access_store = access_store
        self.generations = ActiveGenerations(store)
        self._queries: dict[type[Queries], Queries] = {}
        self.workforce = WorkforceQueries(store, self.generations)
        self.headcounts = HeadcountQueries(store, self.generations)
        self.exposures = CmrExposureQueries(store, self.generations)
        self.members = MemberDirectoryQueries(store, self.generations)
        self.audit = AuditTrailQueries(store, self.generations)
        self.accounts = AccountQueries(store, self.generations)
        self.declarations = DeclarationQueries(store, self.generations)
        self.documents = DocumentStore.in_data_dir(app.settings.data_dir)
        self.risk_documents = RiskAssessmentDocuments(app, self.documents)
        self.declared = DeclaredSources(
            self.members, self.workforce, self.headcounts, self.exposures, self.catch_up
        )
        app.compose_declarations_with(self.declared)
        self.outbox, self.reactions = open_side_effects(
            app, access_store.sql, mailer, app.clock, reactions
        )
        self.access = Access(
            app,
            access_store,
            self.outbox,
            side_effects=self.reactions.settle,
            memberships=lambda account_id: [
                m.member_id for m in self.accounts.memberships(account_id)
            ],
            settings=access_settings,
        )

    @classmethod
    def open(
        cls,
        settings: StoreSettings,
        *,
        read_models: Sequence[type[ReadModel]],
        reactions: Sequence[type[Reaction]],
        run_projections: bool = True,
        mailer: Mailer | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> Self:
        """Open the stores and bring the read models up to date; with `run_projections`, keep
        them so in a background thread (else another process runs them). Mail goes through
        `mailer`, by default the one the environment configures (SMTP, or the outbox). Every "now"
        and "today" of the service comes from `clock`."""
        mail_settings = MailSettings.from_environment()
        with ExitStack() as opened:  # closed again if anything below fails
            app = Registre(settings, clock=clock)
            opened.callback(app.close)
            store = ReadStore.open(settings)
            opened.callback(store.close)
            access_store = AccessStore.open(settings)
            opened.callback(access_store.close)
            runner = ProjectionRunner(app, store, read_models, clock=clock)
            runner.setup()
            runner.catch_up()
            if run_projections:
                runner.start()
            opened.pop_all()
        services = cls(
            app,
            store,
            runner,
            access_store,
            mailer=mailer or mailer_from(mail_settings, clock),
            reactions=reactions,
            access_settings=AccessSettings.from_environment(mail_settings.service_contact),
        )
        if run_projections:  # the side effects too: what a crash left undone is done now
            services.reactions.start()
            services.checkpointer = open_checkpointer(app, access_store.sql)
            if services.checkpointer is not None:  # and the signed checkpoints of the log
                services.checkpointer.start()
        return services

    def read(self, queries: type[Q]) -> Q:
        """The queries of a read model over the read store, made once: how a context's resolvers
        read its read models without being listed here."""
        made = self._queries.get(queries)
        if made is None:
            made = self._queries.setdefault(queries, queries(self.store, self.generations))
        return cast(Q, made)

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.reactions.stop()
        self.runner.stop()
        self.access_store.close()
        self.store.close()
        self.app.close()

    def settle(self) -> None:
        """Read-your-writes: wait until every read model has applied the log as it is now, so
        the reply of a mutation, and the next query of the same client, see what it wrote;
        and carry out the side effects it caused (its mails are sent before it answers)."""
        self.reactions.settle(self.catch_up())

    def catch_up(self) -> int:
        """Wait until every read model has applied the log as it is now (its head, returned)."""
        head = self.app.recorder.max_notification_id() or 0
        if not self.runner.wait_for(head, timeout=READ_YOUR_WRITES_TIMEOUT):
            log.warning("read models still behind position %d", head)
        return head

    def sign_in(self, token: str) -> tuple[Session | None, Principal | None]:
        """The live session of a bearer token and who holds it now (None, None: nobody)."""
        session = self.access.session(token)
        return (None, None) if session is None else (session, self.access.principal(session))

    def check_store(self) -> None:
        """A trivial read: raises when the store cannot be reached."""
        self.store.read("SELECT 1")

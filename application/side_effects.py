"""How the side-effect processes are opened: the mail outbox and the reactions that write to it
(every context's, listed by the composition root: `contexts`), for the API, the worker
(`registre project`) and the command line alike."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from application.reactions import Reaction, ReactionRunner, Sender
from application.retention import DailyRetention
from domain.calendar import Clock
from messaging.mailer import Mailer
from messaging.outbox import MailOutbox
from storage.sql import SqlStore

if TYPE_CHECKING:
    from application.registre import Registre


def open_side_effects(
    app: "Registre",
    store: SqlStore,
    mailer: Mailer,
    clock: Clock,
    reactions: Sequence[type[Reaction]],
) -> tuple[MailOutbox, ReactionRunner]:
    """The outbox and the runner of these reactions, their tables made; not started."""
    outbox = MailOutbox(store, mailer, app.settings.master_key(), clock)
    outbox.create_table()
    senders: list[Sender] = [outbox, DailyRetention(app)]  # the retention run, once a day
    runner = ReactionRunner(app, store, [r(app, outbox) for r in reactions], senders=senders)
    runner.setup()
    return outbox, runner

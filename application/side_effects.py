"""Every side-effect process, and how one is opened: the mail outbox and the reactions that
write to it, for the API, the worker (`registre project`) and the command line alike."""

from typing import TYPE_CHECKING

from application.accounts.reactions import (
    AccessGrantedMail,
    IssuedPasswordMail,
    ServiceAccountMail,
)
from application.declaration.reactions import DeclarationTransferredMail
from application.reactions import MailReaction, ReactionRunner
from domain.calendar import Clock
from messaging.mailer import Mailer
from messaging.outbox import MailOutbox
from storage.sql import SqlStore

if TYPE_CHECKING:
    from application.registre import Registre

MAIL_REACTIONS: list[type[MailReaction]] = [
    ServiceAccountMail,
    AccessGrantedMail,
    IssuedPasswordMail,
    DeclarationTransferredMail,
]


def open_side_effects(
    app: "Registre", store: SqlStore, mailer: Mailer, clock: Clock
) -> tuple[MailOutbox, ReactionRunner]:
    """The outbox and the runner of every reaction, their tables made; not started."""
    outbox = MailOutbox(store, mailer, app.settings.master_key(), clock)
    outbox.create_table()
    reactions = [reaction(app, outbox) for reaction in MAIL_REACTIONS]
    runner = ReactionRunner(app, store, reactions, senders=[outbox])
    runner.setup()
    return outbox, runner

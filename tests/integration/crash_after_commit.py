"""Run by `test_side_effects.py` in a process of its own: commits a command that causes a mail,
then dies by SIGKILL before the mail is sent (`after-commit`), once its reaction wrote it to the
outbox (`after-reaction`), or after an issued password's command, its mail still held
(`issued-password`).

Usage: python -m tests.integration.crash_after_commit MODE OUTBOX_DIR EMAIL
(the store comes from REGISTRE_DATABASE_URL, as for `registre`)."""

import os
import signal
import sys
from pathlib import Path
from uuid import uuid4

from application.accounts.access import Access
from application.accounts.access_settings import AccessSettings
from application.accounts.access_store import AccessStore
from application.accounts.commands import NewAccount, OpenAccount
from application.registre import Registre
from application.requests import Request
from application.side_effects import open_side_effects
from contexts import REACTIONS
from domain.accounts.access import AccountKind
from domain.actor import Actor
from domain.contact_details import Email
from messaging.mailer import OutboxMailer


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(mode: str, outbox_dir: str, email: str) -> None:
    app = Registre()
    access_store = AccessStore.open(app.settings)
    outbox, reactions = open_side_effects(
        app, access_store.sql, OutboxMailer(Path(outbox_dir)), app.clock, REACTIONS
    )
    person = NewAccount(email=Email(email), last_name="Agent", first_name="Alex", function="Agent")
    opened = app.handle(
        Request(uuid4().hex), OpenAccount(person=person, kind=AccountKind.SERVICE_STAFF)
    )
    if mode == "after-reaction":
        reactions.run_once()
    if mode == "issued-password":
        access = Access(
            app,
            access_store,
            outbox,
            side_effects=die,
            memberships=lambda _: [],
            settings=AccessSettings(),
        )
        access.issue_password(opened.aggregate_id, Actor("staff-1"))
    die()


if __name__ == "__main__":
    main(*sys.argv[1:])

"""`registre project` and `registre projections status|rebuild`: the read side from a shell."""

import logging
import signal
import sys
import threading
from contextlib import closing
from functools import partial
from typing import TextIO

from application.accounts.access_store import AccessStore
from application.registre import Registre
from application.side_effects import open_side_effects
from contexts import REACTIONS, READ_MODELS
from messaging.mailer import mailer_from
from messaging.settings import MailSettings
from projections.runner import POLL_SECONDS, ProjectionRunner
from projections.store import PostgresReadStore, ReadStore
from storage.checkpoints import open_checkpointer

log = logging.getLogger(__name__)
BAR_WIDTH = 30


def open_runner() -> tuple[Registre, ReadStore, ProjectionRunner]:
    app = Registre()
    store = ReadStore.open(app.settings)
    runner = ProjectionRunner(app, store, READ_MODELS, clock=app.clock)
    runner.setup()
    return app, store, runner


def status(out: TextIO | None = None) -> int:
    out = out or sys.stdout
    app, store, runner = open_runner()
    with closing(app), closing(store):
        print(
            f"{'modèle':<12} {'génération':>10} {'position':>10} {'retard':>8} {'secondes':>9}"
            f" {'échecs':>7}",
            file=out,
        )
        for s in runner.status():
            print(
                f"{s.name:<12} {s.generation:>10} {s.position:>10} {s.lag_events:>8}"
                f" {s.lag_seconds:>9.1f} {s.failures:>7}",
                file=out,
            )
        skipped = runner.failures()
        if skipped:
            print(
                "\nÉvénements non appliqués (corriger, puis `registre projections rebuild"
                " MODÈLE`) :",
                file=out,
            )
        for f in skipped:
            print(
                f"{f.name:<12} génération {f.generation}, événement {f.position} ({f.topic}) :"
                f" {f.summary}",
                file=out,
            )
    return 0


def rebuild(name: str | None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    app, store, runner = open_runner()
    names = [name] if name else [m.name for m in READ_MODELS]
    unknown = set(names) - {m.name for m in READ_MODELS}
    if unknown:
        print(f"registre : modèle de lecture inconnu : {', '.join(sorted(unknown))}", file=out)
        return 2
    with closing(app), closing(store):
        for model in names:
            generation = runner.rebuild(model, partial(_bar, out, model))
            print(f"\n{model} : génération {generation} en service.", file=out)
            skipped = [
                f for f in runner.failures() if (f.name, f.generation) == (model, generation)
            ]
            if skipped:
                print(
                    f"{model} : {len(skipped)} événement(s) non appliqué(s), listés par"
                    " `registre projections status`.",
                    file=out,
                )
    return 0


def _bar(out: TextIO, name: str, done: int, head: int) -> None:
    share = 1.0 if head == 0 else min(done / head, 1.0)
    filled = round(share * BAR_WIDTH)
    bar = "█" * filled + "·" * (BAR_WIDTH - filled)
    out.write(f"\r{name:<12} {bar} {share:6.1%} ({done}/{head} événements)")
    out.flush()


def project() -> int:
    """Run the read models, the side-effect processes (the mails) and the signing of the log's
    checkpoints, in this process until stopped (SIGINT/SIGTERM).

    On PostgreSQL it is woken by the event log's NOTIFY, and polls as well, in case a
    notification is lost."""
    app, store, runner = open_runner()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with closing(app), closing(store), closing(AccessStore.open(app.settings)) as access_store:
        mailer = mailer_from(MailSettings.from_environment(), app.clock)
        _, reactions = open_side_effects(app, access_store.sql, mailer, app.clock, REACTIONS)
        runner.start()  # catches up in the background, so a stop signal is heard at once
        reactions.start()
        checkpointer = open_checkpointer(app, access_store.sql)  # signed checkpoints of the log
        if checkpointer is not None:
            checkpointer.start()
        log.info("projections running; positions: %s", [s.position for s in runner.status()])
        if isinstance(store, PostgresReadStore):
            _listen(store, app, runner, stop)
        else:
            stop.wait()
        if checkpointer is not None:
            checkpointer.stop()
        reactions.stop()
        runner.stop()
    return 0


def _listen(
    store: PostgresReadStore, app: Registre, runner: ProjectionRunner, stop: threading.Event
) -> None:
    channel = app.recorder.channel_name  # type: ignore[attr-defined]
    with store.listen(channel) as connection:
        while not stop.is_set():
            for _ in connection.notifies(timeout=POLL_SECONDS, stop_after=1):
                runner.wake()

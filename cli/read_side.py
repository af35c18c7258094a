"""`registre project` and `registre projections status|rebuild`: the read side from a shell."""

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, wait
from contextlib import closing
from functools import partial
from multiprocessing.process import BaseProcess
from typing import TextIO

from application.accounts.access_store import AccessStore
from application.registre import Registre
from application.side_effects import open_side_effects
from cli import logs
from contexts import REACTIONS, READ_MODELS
from messaging.mailer import mailer_from
from messaging.settings import MailSettings
from projections.collector import collect_cycles_less_often
from projections.parts import Part, build, rebuild_in_parts
from projections.runner import POLL_SECONDS, ProjectionRunner
from projections.store import PostgresReadStore, ReadStore
from projections.workers import share_out
from storage.checkpoints import open_checkpointer
from storage.settings import StoreSettings

log = logging.getLogger(__name__)
BAR_WIDTH = 30
STOP_SECONDS = 30.0


def open_runner() -> tuple[Registre, ReadStore, ProjectionRunner]:
    collect_cycles_less_often()
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


def rebuild(name: str | None, out: TextIO | None = None, workers: int = 1) -> int:
    """Rebuild one read model (or all); with `workers` above 1, those built by record are built
    in that many parts, one per process (`projections.parts`): this one and `workers - 1`
    children. SQLite writes one transaction at a time: there, one process builds it."""
    out = out or sys.stdout
    app, store, runner = open_runner()
    names = [name] if name else [m.name for m in READ_MODELS]
    unknown = set(names) - {m.name for m in READ_MODELS}
    if unknown:
        print(f"registre : modèle de lecture inconnu : {', '.join(sorted(unknown))}", file=out)
        return 2
    if workers > 1 and not isinstance(store, PostgresReadStore):
        print("SQLite écrit une transaction à la fois : reconstruction en un processus.", file=out)
        workers = 1
    with closing(app), closing(store):
        for model in names:
            bar = partial(_bar, out, model)
            run_parts = partial(run_parts_in_processes, runner, app.settings, progress=bar)
            generation = rebuild_in_parts(runner, model, workers, run_parts, bar)
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


def run_parts_in_processes(
    runner: ProjectionRunner,
    settings: StoreSettings,
    shares: Sequence[Part],
    until: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[float, float]]:
    """The first part in this process (its runner, telling its `progress`: the others go at
    its pace), each other in a process of its own; when each began and ended (`time.monotonic`,
    one clock for every process of the machine)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(shares) - 1, mp_context=spawn) as pool:
        wait([pool.submit(os.getpid) for _ in shares[1:]])  # started: the parts run together
        others = [pool.submit(build_part, settings, part, until) for part in shares[1:]]
        start = time.monotonic()
        build(runner, shares[0], until, progress)
        spans = [(start, time.monotonic())]
        return spans + [other.result() for other in others]


def build_part(settings: StoreSettings, part: Part, until: int) -> tuple[float, float]:
    """A child process of `rebuild`: one part of the generation; when it began and ended."""
    collect_cycles_less_often()
    app = Registre(settings)
    store = ReadStore.open(settings)
    with closing(app), closing(store):
        runner = ProjectionRunner(app, store, READ_MODELS, clock=app.clock)
        start = time.monotonic()
        build(runner, part, until)
        return start, time.monotonic()


def _bar(out: TextIO, name: str, done: int, head: int) -> None:
    share = 1.0 if head == 0 else min(done / head, 1.0)
    filled = round(share * BAR_WIDTH)
    bar = "█" * filled + "·" * (BAR_WIDTH - filled)
    out.write(f"\r{name:<12} {bar} {share:6.1%} ({done}/{head} événements)")
    out.flush()


def project(workers: int = 1) -> int:
    """Run the read models, the side-effect processes (the mails) and the signing of the log's
    checkpoints, in this process until stopped (SIGINT/SIGTERM); with `workers` above 1, the
    read models are shared out with that many processes in all (`projections.workers`): this
    one runs the first share and the side effects, each child process one other share, and a
    child that stops stops them all (a supervisor starts them again).

    On PostgreSQL each process is woken by the event log's NOTIFY, and polls as well, in case a
    notification is lost. SQLite writes one transaction at a time: there, one process runs them
    all."""
    app, store, _ = open_runner()  # every read model set up once, before any share runs
    if workers > 1 and not isinstance(store, PostgresReadStore):
        log.info("SQLite: the read models run in one process (one writer at a time)")
        workers = 1
    shares = share_out(READ_MODELS, workers)
    runner = ProjectionRunner(app, store, shares[0], clock=app.clock)
    stop = _stopped_by_signals()
    spawn = multiprocessing.get_context("spawn")
    children = [
        spawn.Process(target=follow, args=([m.name for m in share], os.getpid()))
        for share in shares[1:]
    ]
    with closing(app), closing(store), closing(AccessStore.open(app.settings)) as access_store:
        mailer = mailer_from(MailSettings.from_environment(), app.clock)
        _, reactions = open_side_effects(app, access_store.sql, mailer, app.clock, REACTIONS)
        for child in children:
            child.start()
        runner.start()  # catches up in the background, so a stop signal is heard at once
        reactions.start()
        checkpointer = open_checkpointer(app, access_store.sql)  # signed checkpoints of the log
        if checkpointer is not None:
            checkpointer.start()
        log.info("projections running in %d process(es)", len(shares))
        _follow_log(store, app, runner, stop, lambda: all(c.is_alive() for c in children))
        if checkpointer is not None:
            checkpointer.stop()
        reactions.stop()
        runner.stop()
        failed = _stop_children(children)
    return 1 if failed else 0


def follow(names: list[str], parent: int) -> None:
    """A child process of `project`: the read models named, until stopped or orphaned."""
    logs.configure()
    collect_cycles_less_often()
    app = Registre()
    store = ReadStore.open(app.settings)
    with closing(app), closing(store):
        models = [m for m in READ_MODELS if m.name in names]
        runner = ProjectionRunner(app, store, models, clock=app.clock)
        stop = _stopped_by_signals()
        runner.start()
        _follow_log(store, app, runner, stop, lambda: os.getppid() == parent)
        runner.stop()


def _stopped_by_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _stop_children(children: Sequence[BaseProcess]) -> list[BaseProcess]:
    """Stop the child processes; those that had stopped on their own, or failed to stop."""
    failed = [c for c in children if not c.is_alive()]
    for child in children:
        if child.is_alive():
            child.terminate()
    for child in children:
        child.join(timeout=STOP_SECONDS)
        if child.is_alive():
            child.kill()
            failed.append(child)
    if failed:
        log.error("%d projection process(es) stopped unexpectedly", len(failed))
    return failed


def _follow_log(
    store: ReadStore,
    app: Registre,
    runner: ProjectionRunner,
    stop: threading.Event,
    healthy: Callable[[], bool],
) -> None:
    """Wake the runner at each news of the log (PostgreSQL's NOTIFY) until `stop`, or until
    `healthy()` fails (checked at each poll)."""
    if not isinstance(store, PostgresReadStore):
        while healthy() and not stop.wait(POLL_SECONDS):
            pass
        return
    channel = app.recorder.channel_name  # type: ignore[attr-defined]
    with store.listen(channel) as connection:
        while healthy() and not stop.is_set():
            for _ in connection.notifies(timeout=POLL_SECONDS, stop_after=1):
                runner.wake()

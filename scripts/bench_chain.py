"""Cost of the event log's hash chain on the write path, with and without, in one run.

    python scripts/bench_chain.py [--store postgres|sqlite] [--database-url URL] [--seconds 5]
                                  [--clients 1,16] [--bulk 1000] [--rounds 2] [--label TEXT]
                                  [--report PATH]

The workloads of `scripts/bench_writes.py` (`hire_employee` commands from C client threads, one
event each; one `hire_employees` command of N employees), run by the application as shipped
(every event chained: a SHA-256 per event, two more columns, and the chain's end checked in the
write statement on PostgreSQL, read under the write lock on SQLite) and by the same application
whose recorder writes as before the chain (no read of the chain's end, no hash), side by side,
each in a fresh PostgreSQL schema or SQLite file; each round runs every workload on both, in
alternating order. Target: with the chain >= 90 % of without (see SECTION's intro).

Written to docs/BENCHMARKS.md (or `--report PATH`) between `<!-- bench_chain:start -->` and
`<!-- bench_chain:end -->`, one subsection per `--label`.
"""

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import bench_writes
import benchkit
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import get_topic
from psycopg.sql import SQL

from application.registre import Registre
from domain.calendar import SYSTEM_CLOCK
from storage.chain import (
    START,
    ChainReader,
    Link,
    expected_end,
    links_after,
    sqlite_last_link,
)
from storage.postgres_recorder import PostgresRegistreRecorder
from storage.recorders import SQLiteRegistreRecorder
from storage.settings import StoreSettings

TARGET = 0.90
BULK_REPEATS = 3
"""Bulk hires per measurement (one takes a fraction of a second: too short alone)."""
WITH, WITHOUT = "with the chain", "without"


class UnchainedPostgresRecorder(PostgresRegistreRecorder):
    """The write path as it was before the chain: no read nor check of its end, no hash (NULL
    columns)."""

    @property
    def _end(self) -> Link | None:
        return None  # never checked in the write statement

    @_end.setter
    def _end(self, _: Link | None) -> None:
        pass

    def _lock(self, curs: Any) -> Link:
        curs.execute(self.lock_statement)
        return START

    def _chain_columns(
        self, end: Link, events: Sequence[StoredEvent]
    ) -> tuple[list[int | None], list[bytes | None], Link]:
        return [None] * len(events), [None] * len(events), end


class UnchainedSQLiteRecorder(SQLiteRegistreRecorder):
    """The write path as it was before the chain: the events inserted by the parent recorder,
    one statement each, without the lock statement, the read of the chain's end or a hash
    (NULL columns)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.insert_events_statement = (
            f"INSERT INTO {self.events_table_name}"
            " (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)"
        )

    def _insert_chained(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> list[int]:
        return list(SQLiteApplicationRecorder._insert_events(self, c, stored_events) or [])


Timer = Callable[[bool], None]
"""Runs once the query that checks or reads the chain's end (True) or a plain one (False)."""


@contextmanager
def postgres_timer(recorder: Any) -> Iterator[Timer]:
    """The check of the chain's end that the write statement makes, against the same query
    without it, prepared as the write statement is."""
    last = ChainReader(recorder).end()
    expected = expected_end(last[1] if last else START)
    check = SQL("SELECT {0}").format(recorder.chain_sql.end_check())
    with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:

        def run(checked: bool) -> None:
            if checked:
                cursor.execute(check, (expected, expected), prepare=True)
            else:
                cursor.execute("SELECT %s::bytea IS NULL", (expected,), prepare=True)
            assert cursor.fetchone() is not None

        yield run


@contextmanager
def sqlite_timer(recorder: Any) -> Iterator[Timer]:
    """The read of the chain's end that a write makes (its lock statement, then the last row),
    against a plain query, in one transaction (rolled back)."""
    with recorder.datastore.transaction(commit=False) as cursor:

        def run(checked: bool) -> None:
            if checked:
                sqlite_last_link(cursor, recorder.events_table_name)
            else:
                cursor.execute("SELECT ?", (b"",))
                assert cursor.fetchone() is not None

        yield run


@contextmanager
def postgres_settings(args: argparse.Namespace) -> Iterator[StoreSettings]:
    with (
        benchkit.fresh_schema(args.database_url, "bench_chain") as schema,
        tempfile.TemporaryDirectory() as data_dir,
    ):
        url = benchkit.store_url(args.database_url, schema, bench_writes.POOL_QUERY)
        yield StoreSettings(url=url, data_dir=Path(data_dir))


@contextmanager
def sqlite_settings(_: argparse.Namespace) -> Iterator[StoreSettings]:
    with tempfile.TemporaryDirectory() as data_dir:
        path = Path(data_dir)
        yield StoreSettings(url=f"sqlite:///{path / 'registre.sqlite3'}", data_dir=path)


def sqlite_facts(app: Registre) -> str:
    with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
    return f"SQLite {sqlite3.sqlite_version} (journal_mode={journal}, synchronous={synchronous})"


@dataclass(frozen=True, slots=True)
class Store:
    """What differs from one store to the other: how a fresh one is opened, the recorder that
    writes as before the chain, how the chain's end is timed, what the report says of it."""

    name: str
    settings: Callable[[argparse.Namespace], AbstractContextManager[StoreSettings]]
    unchained: type[Any]
    timer: Callable[[Any], AbstractContextManager[Timer]]
    plain_query: str
    checked_query: str
    machine: Callable[[argparse.Namespace, Registre], str]


STORES = {
    "postgres": Store(
        name="PostgreSQL",
        settings=postgres_settings,
        unchained=UnchainedPostgresRecorder,
        timer=postgres_timer,
        plain_query="a query's round trip",
        checked_query="with the check of the chain's end",
        machine=lambda args, _: benchkit.machine_facts(args.database_url, load_average=True),
    ),
    "sqlite": Store(
        name="SQLite",
        settings=sqlite_settings,
        unchained=UnchainedSQLiteRecorder,
        timer=sqlite_timer,
        plain_query="a query",
        checked_query="the read of the chain's end (lock statement and last row)",
        machine=lambda _, app: benchkit.host_facts(sqlite_facts(app), load_average=True),
    ),
}


@contextmanager
def open_app(args: argparse.Namespace, variant: str) -> Iterator[Registre]:
    store = STORES[args.store]
    env = {} if variant == WITH else {"APPLICATION_RECORDER_TOPIC": get_topic(store.unchained)}
    with store.settings(args) as settings:
        app = Registre(settings, env=env)
        try:
            assert isinstance(app.recorder, store.unchained) == (variant == WITHOUT)
            yield app
        finally:
            app.close()


def run_rounds(
    args: argparse.Namespace,
) -> tuple[dict[str, dict[str, list[float]]], "ChainCost", str]:
    """Operations per second of each workload and variant, one value per round: both stores are
    open side by side and every workload runs on each in turn, first one then the other; the
    chain's own cost; the machine's facts."""
    results: dict[str, dict[str, list[float]]] = {WITH: {}, WITHOUT: {}}
    warmup = bench_writes.warmup_of(args.seconds)
    store = STORES[args.store]
    with ExitStack() as stack:
        members = {}
        apps = {v: stack.enter_context(open_app(args, v)) for v in (WITH, WITHOUT)}
        machine = store.machine(args, apps[WITH])
        for variant, app in apps.items():
            members[variant] = bench_writes.register_member(app)
            bench_writes.prime(app, members[variant])

        def hires(variant: str, clients: int) -> float:
            client = bench_writes.hire_client(apps[variant], members[variant])
            return bench_writes.run_clients(client, clients, args.seconds, warmup).per_second

        def bulk(variant: str) -> float:
            total = 0.0
            for _ in range(BULK_REPEATS):
                _, hire_all = bench_writes.bulk_hirer(apps[variant], members[variant], args.bulk)
                total += bench_writes.timed(args.bulk, hire_all).seconds
            return BULK_REPEATS * args.bulk / total

        workloads = {
            **{
                f"single-command writes, {c} client(s)": partial(hires, clients=c)
                for c in args.clients
            },
            bulk_metric(args.bulk): bulk,
        }
        costs = chain_costs(store, apps[WITH])
        print(f"  {costs.describe()}", flush=True)
        for round_ in range(args.rounds):
            order = (WITH, WITHOUT) if round_ % 2 == 0 else (WITHOUT, WITH)
            for metric, workload in workloads.items():
                for variant in order:
                    results[variant].setdefault(metric, []).append(workload(variant))
                print(
                    f"  round {round_ + 1}, {metric}: "
                    + ", ".join(f"{v} {results[v][metric][-1]:,.0f}/s" for v in order),
                    flush=True,
                )
    return results, costs, machine


@dataclass(frozen=True, slots=True)
class ChainCost:
    """What the chain adds to a write, measured apart from the noise of whole commands."""

    store: Store
    plain_ms: float
    checked_ms: float
    hash_us: float
    state_bytes: float
    repeats: int

    def describe(self) -> str:
        return (
            f"Chain's own cost: {self.store.plain_query} {self.plain_ms:.3f} ms,"
            f" {self.store.checked_query} {self.checked_ms:.3f} ms (medians of {self.repeats});"
            f" SHA-256 of an event ({self.state_bytes:.0f} bytes of state) {self.hash_us:.1f} µs"
        )

    def share(self, events_per_command: int, events_per_second: float) -> float:
        """The part of the time of a command that the chain takes, at that throughput, if each
        command paid a check of its own (true for one client; above it with group commit)."""
        per_command = max(self.checked_ms - self.plain_ms, 0.0) / 1e3 + (
            events_per_command * self.hash_us / 1e6
        )
        return per_command * events_per_second / events_per_command


def chain_costs(store: Store, app: Registre, repeats: int = 400) -> ChainCost:
    """What a write does with the chain's end (`Store.timer`: its check or its read, against a
    plain query, alternately), and the SHA-256 of the events (the first 100 stored)."""
    recorder: Any = app.recorder
    timings: dict[bool, list[float]] = {True: [], False: []}
    with store.timer(recorder) as run:
        for index in range(repeats):
            checked = index % 2 == 0
            start = time.perf_counter()
            run(checked)
            timings[checked].append(time.perf_counter() - start)
    events = ChainReader(recorder).rows(0, None, 100)
    start = time.perf_counter()
    for _ in range(10):
        links_after(START, events)
    per_event = (time.perf_counter() - start) / (10 * len(events))
    return ChainCost(
        store=store,
        plain_ms=statistics.median(timings[False]) * 1e3,
        checked_ms=statistics.median(timings[True]) * 1e3,
        hash_us=per_event * 1e6,
        state_bytes=statistics.mean(len(e.state) for e in events),
        repeats=repeats // 2,
    )


def bulk_metric(employees: int) -> str:
    return f"bulk hire of {employees} employees (one command)"


SECTION = benchkit.ReportSection(
    name="bench_chain",
    intro="""## Hash chain of the event log: cost on the write path (PostgreSQL, SQLite)

Measured by `scripts/bench_chain.py`: the workloads of `bench_writes.py` run by the application
with every event chained (a SHA-256 per event, two more columns written; on PostgreSQL the
chain's end checked in the write statement, on SQLite read under the write lock) and by the same
application whose recorder writes as before the chain (on SQLite, the parent recorder's inserts,
one statement per event). Both run side by side, each in a fresh schema or SQLite file; every
round runs each workload on one then the other, in alternating order (the bulk hire three
times). Throughputs are medians of the rounds; the ratio is the median of each round's ratio
(two measurements one after the other share the load of the moment). Target: with the chain >=
90 % of the throughput without it. On a shared machine whole commands vary by half from one
round to the next, more than the chain costs; so the chain's own cost is also measured apart
(what a write does with the chain's end, the SHA-256 of an event), and "Chain's share" gives
what part of a command's time it takes at the throughput measured without it, if every command
paid for the chain's end of its own (true on SQLite; an upper bound with PostgreSQL's group
commit).
""",
    columns=("Metric", "With the chain", "Without", "Ratio", "Chain's share", "Target", "Met?"),
    alignments="|---|---:|---:|---:|---:|---:|:---:|",
)


def table_rows(
    results: dict[str, dict[str, list[float]]], costs: ChainCost, bulk: int
) -> tuple[tuple[str, ...], ...]:
    rows = []
    for metric, values in results[WITH].items():
        chained = statistics.median(values)
        plain = statistics.median(results[WITHOUT][metric])
        ratio = statistics.median(
            c / p for c, p in zip(values, results[WITHOUT][metric], strict=True) if p
        )
        share = costs.share(bulk if metric == bulk_metric(bulk) else 1, plain)
        rows.append(
            (
                metric,
                f"{chained:,.0f}",
                f"{plain:,.0f}",
                f"{ratio:.1%}",
                f"{share:.1%}",
                f">= {TARGET:.0%}",
                benchkit.met_cell(ratio >= TARGET),
            )
        )
    return tuple(rows)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=tuple(STORES), default="postgres")
    benchkit.add_database_argument(parser)
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument(
        "--clients",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 16],
        help="client counts, comma-separated",
    )
    parser.add_argument(
        "--bulk", type=int, default=1000, help="employees in the bulk hire (1000 at most)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of both variants")
    benchkit.add_report_arguments(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    benchkit.ensure_master_key()
    when = SYSTEM_CLOCK.now()
    where = args.database_url if args.store == "postgres" else "a fresh SQLite file"
    print(f"bench_chain [{args.label}] on {where}", flush=True)
    results, costs, machine = run_rounds(args)
    run = benchkit.Run(
        label=args.label,
        when=when,
        machine=machine,
        facts=(
            f"Store: {STORES[args.store].name}",
            f"Settings: {args.seconds:g} s per measurement after a"
            f" {bench_writes.warmup_of(args.seconds):g} s warm-up; rounds: {args.rounds}",
            costs.describe(),
        ),
        rows=table_rows(results, costs, args.bulk),
    )
    print()
    print(SECTION.render_console(run))
    SECTION.update_file(args.report, run)
    print(f"\nWritten to {benchkit.shown(args.report)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write benchmark of the PostgreSQL store: Registre against raw psycopg, on the same server.

    python scripts/bench_writes.py [--database-url URL] [--seconds 10] [--clients 1,16]
                                   [--processes 1,2] [--bulk 10000] [--label TEXT]
                                   [--report PATH]

In a fresh schema (dropped at the end) it measures:

- single-command writes: C clients (threads) each issuing `hire_employee` commands (one event
  per command) for S seconds, against C clients each INSERTing rows of the same size as a
  stored `Hired` event into a table shaped like the event table, one commit per row; with
  `--processes` above 1, the C clients are shared out between that many processes, each with
  its application and its group commit, as API workers would be;
- bulk hire: N employees by `hire_employees` commands (as many hires each as a command takes: an
  import larger than that is sent in parts; without that command, saved in
  batches), against one binary COPY of N rows of the same size.

While each measurement runs, a reader tails the table being written as a projection would
(ids above the last one seen, every 5 ms) and counts the ids that became visible after a higher
one: a projection would skip those for ever, so for Registre the count must be 0. The raw
INSERT baseline keeps no such order; its count shows that the check does catch late ids.

Results and ratios are printed and written to docs/BENCHMARKS.md (or `--report PATH`) between
`<!-- bench_writes:start -->` and `<!-- bench_writes:end -->`, one subsection per `--label`: a
run replaces the previous run of the same label and keeps the others, so variants of the
recorder can be compared side by side. The exit status is 1 when a late id was seen.
"""

import argparse
import multiprocessing
import os
import random
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, cast
from uuid import UUID

import benchkit
import psycopg
from benchkit import HIRE_DATE, TERMS, new_identity
from psycopg import sql

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce import commands as workforce
from application.workforce.commands import HireEmployee
from domain.actor import Actor
from domain.workforce import employee as employee_module
from domain.workforce.employee import Employee
from domain.workforce.employment import Identity
from storage.settings import StoreSettings

POOL_QUERY = "pool_size=20&max_overflow=10"  # enough connections for 16 client threads
RAW_TABLE = "raw_events"
BULK_BATCH = 500
TAIL_INTERVAL = 0.005
SINGLE_COMMAND_TARGETS = {16: 0.50}  # clients → minimum ratio to raw INSERT
BULK_TARGET = 0.25  # minimum ratio to raw COPY

ACTOR = Actor("bench-writes")

SECTION_INTRO = """## Write path (PostgreSQL)

Measured by `scripts/bench_writes.py` on one PostgreSQL server, in a fresh schema: Registre
commands (`hire_employee`, one event each, from C client threads) against raw psycopg INSERTs of
rows of the same size (one commit each, C connections); and a bulk hire (one `hire_employees`
command, or batches of `app.save` where that command does not exist) against one binary COPY of
as many rows. Targets: single-command writes at 16 clients >= 50 % of raw INSERT; bulk hire
>= 25 % of COPY; and no late id: a reader tailing the event log during every Registre run must
never see an id become visible after a higher one (a projection would skip it for ever). CPU
per operation: this process's (user + system, every thread) and the local PostgreSQL server's,
read from /proc over the run, warm-up included, the log's tail left out (this process's is not
known when the clients ran in other processes).
"""


# Measuring throughput -------------------------------------------------------------------------

Operation = Callable[[], None]
Client = Callable[[int], AbstractContextManager[Operation]]
"""Sets up client number i (a connection…) and yields the operation it repeats."""


@dataclass(frozen=True, slots=True)
class Throughput:
    operations: int
    seconds: float
    all_operations: int | None = None
    """Every operation, the warm-up's included, when all ran in this process (the CPU they
    cost is then measured, `compare`)."""

    @property
    def per_second(self) -> float:
        return self.operations / self.seconds if self.seconds > 0 else 0.0


def run_clients(client: Client, count: int, seconds: float, warmup: float) -> Throughput:
    """Run `count` client threads for `warmup` + `seconds`; count the operations started after
    the warm-up, over the time from the end of the warm-up to the last one's end."""
    started: list[float] = []
    barrier = threading.Barrier(count, action=lambda: started.append(time.perf_counter()))
    failed = threading.Event()
    counts = [0] * count
    totals = [0] * count
    ends = [0.0] * count
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            with client(index) as operation:
                barrier.wait()
                begin = started[0] + warmup
                while not failed.is_set() and (now := time.perf_counter()) < begin + seconds:
                    operation()
                    totals[index] += 1
                    if now >= begin:
                        counts[index] += 1
                ends[index] = time.perf_counter()
        except BaseException as error:
            errors.append(error)
            failed.set()
            barrier.abort()

    threads = [threading.Thread(target=work, args=(i,), name=f"client-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise next(
            (e for e in errors if not isinstance(e, threading.BrokenBarrierError)), errors[0]
        )
    return Throughput(sum(counts), max(ends) - (started[0] + warmup), sum(totals))


def timed(operations: int, action: Callable[[], None]) -> Throughput:
    start = time.perf_counter()
    action()
    return Throughput(operations, time.perf_counter() - start, operations)


# Checking the order of the log ----------------------------------------------------------------


class LogTail:
    """Follows a table by notification id as a projection would, from a thread of its own.

    A projection asks for the ids above the last one it saw; an id that becomes visible below
    that one later is skipped for ever. The tail also asks for the ids it is missing below the
    highest one seen, and notes in `late` those that appear.
    """

    def __init__(self, conninfo: str, table: sql.Composable):
        self._conninfo = conninfo
        self._query = sql.SQL(
            "SELECT notification_id FROM {0}"
            " WHERE notification_id > %s OR notification_id = ANY(%s::bigint[])"
            " ORDER BY notification_id"
        ).format(table)
        self._max_query = sql.SQL("SELECT coalesce(max(notification_id), 0) FROM {0}").format(table)
        self._highest = 0
        self._missing: set[int] = set()
        self.late: set[int] = set()
        self._stop = threading.Event()
        self._errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._follow, name="log-tail")
        self.cpu = benchkit.CpuUse(0.0, 0.0)
        """What following the log cost: its thread, and its backend."""

    def __enter__(self) -> "LogTail":
        self._connection = psycopg.connect(self._conninfo, autocommit=True)
        self._highest = cast(tuple[int], self._connection.execute(self._max_query).fetchone())[0]
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        self._connection.close()
        if self._errors and kind is None:
            raise self._errors[0]

    def stop(self) -> None:
        """Stops following, once what committed last was seen."""
        self._stop.set()
        self._thread.join()

    def _follow(self) -> None:
        thread_start = time.thread_time()
        backend = self._connection.info.backend_pid
        backend_start = benchkit.backend_cpu(backend)
        try:
            while not self._stop.wait(TAIL_INTERVAL):
                self._poll()
            self._poll()  # what committed last
        except BaseException as error:
            self._errors.append(error)
        self.cpu = benchkit.CpuUse(
            time.thread_time() - thread_start, benchkit.backend_cpu(backend) - backend_start
        )

    def _poll(self) -> None:
        rows = self._connection.execute(
            self._query, (self._highest, sorted(self._missing)), prepare=True
        ).fetchall()
        for (notification_id,) in rows:  # ascending: the late ones come first
            if notification_id > self._highest:
                self._missing.update(range(self._highest + 1, notification_id))
                self._highest = notification_id
            else:
                self._missing.discard(notification_id)
                self.late.add(notification_id)


# The store under test -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Store:
    app: Registre
    conninfo: str
    events: sql.Composable
    raw: sql.Composable


@dataclass(frozen=True, slots=True)
class RowSample:
    """What a stored `Hired` event looks like, for the raw rows to match."""

    topic: str
    state: bytes


@contextmanager
def open_store(conninfo: str, schema: str, data_dir: Path) -> Iterator[Store]:
    url = benchkit.store_url(conninfo, schema, POOL_QUERY)
    app = Registre(StoreSettings(url=url, data_dir=data_dir))
    try:
        events_table = cast(Any, app.recorder).events_table_name
        store = Store(
            app=app,
            conninfo=conninfo,
            events=sql.Identifier(schema, events_table),
            raw=sql.Identifier(schema, RAW_TABLE),
        )
        create_raw_table(store)
        yield store
    finally:
        app.close()


def create_raw_table(store: Store) -> None:
    """Shaped like the event table: same columns, keys and notification id index."""
    with psycopg.connect(store.conninfo, autocommit=True) as connection:
        connection.execute(
            sql.SQL(
                "CREATE TABLE {0} (originator_id uuid NOT NULL,"
                " originator_version bigint NOT NULL, topic text, state bytea,"
                " notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
            ).format(store.raw)
        )
        connection.execute(
            sql.SQL("CREATE UNIQUE INDEX ON {0} (notification_id)").format(store.raw)
        )


def hired_sample(store: Store) -> RowSample:
    with psycopg.connect(store.conninfo) as connection:
        row = connection.execute(
            sql.SQL(
                "SELECT topic, round(avg(length(state)))::int FROM {0}"
                " WHERE topic LIKE %s GROUP BY topic"
            ).format(store.events),
            ("%Employee.Hired",),
        ).fetchone()
    if row is None:
        raise RuntimeError("no Hired event in the store to measure")
    return RowSample(topic=row[0], state=os.urandom(row[1]))


# Registre workloads ---------------------------------------------------------------------------


def register_member(app: Registre, member_code: str = "40210") -> UUID:
    result = app.handle(
        Request(str(uuid.uuid4()), ACTOR),
        RegisterMember(
            member_code=member_code,
            declarant_number="40210402",
            legal_name="Ateliers Mécaniques du Rhône",
        ),
    )
    return result.aggregate_id


def prime(app: Registre, member_id: UUID, commands: int = 20) -> None:
    """A few commands before measuring: warm caches, and Hired events to take the size of."""
    with hire_client(app, member_id)(-1) as hire:
        for _ in range(commands):
            hire()


def hire_client(app: Registre, member_id: UUID) -> Client:
    @contextmanager
    def client(index: int) -> Iterator[Operation]:
        rng = random.Random()  # other people at each run: a NIR is hired once per member

        def hire() -> None:
            app.handle(
                Request(str(uuid.uuid4()), ACTOR),
                HireEmployee(
                    member_id=member_id,
                    identity=new_identity(rng),
                    hire_date=HIRE_DATE,
                    terms=TERMS,
                    confirm_homonym=True,  # same names and birth date by chance: not a duplicate
                ),
            )

        yield hire

    return client


def bulk_hirer(app: Registre, member_id: UUID, count: int) -> tuple[str, Callable[[], None]]:
    """How to hire `count` new people at once, and its name: the application's bulk command
    when it has one (one command for the whole import), else `app.save` in batches.

    The identities are made beforehand, as an import would read them from its file.
    """
    rng = random.Random()  # other people at each call: a NIR is hired once per member
    by_nir: dict[object, Identity] = {}
    while len(by_nir) < count:
        identity = new_identity(rng)
        by_nir.setdefault(identity.nir, identity)
    identities = list(by_nir.values())
    new_hire = getattr(workforce, "NewHire", None)
    if new_hire is not None:
        per_command = getattr(employee_module, "MAX_HIRES_AT_ONCE", count)

        def import_all() -> None:
            for first in range(0, count, per_command):
                app.handle(
                    Request(str(uuid.uuid4()), ACTOR),
                    workforce.HireEmployees(
                        member_id=member_id,
                        hires=[
                            new_hire(
                                identity=i, hire_date=HIRE_DATE, terms=TERMS, confirm_homonym=True
                            )
                            for i in identities[first : first + per_command]
                        ],
                    ),
                )

        return f"hire_employees commands of {min(per_command, count):,}", import_all

    def save_batches() -> None:
        for first in range(0, count, BULK_BATCH):
            app.save(
                *(
                    Employee.hire(
                        member_id=member_id,
                        identity=identity,
                        hire_date=HIRE_DATE,
                        terms=TERMS,
                        actor=ACTOR,
                    )
                    for identity in identities[first : first + BULK_BATCH]
                )
            )

    return f"app.save of {BULK_BATCH} at a time", save_batches


# Raw workloads --------------------------------------------------------------------------------


def insert_client(store: Store, sample: RowSample) -> Client:
    statement = sql.SQL(
        "INSERT INTO {0} (originator_id, originator_version, topic, state) VALUES (%s, 1, %s, %s)"
    ).format(store.raw)

    @contextmanager
    def client(_index: int) -> Iterator[Operation]:
        with psycopg.connect(store.conninfo) as connection:

            def insert() -> None:
                connection.execute(statement, (uuid.uuid4(), sample.topic, sample.state))
                connection.commit()

            yield insert

    return client


def copy_rows(store: Store, sample: RowSample, count: int) -> None:
    statement = sql.SQL(
        "COPY {0} (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
    ).format(store.raw)
    rows = [(uuid.uuid4(), 1, sample.topic, sample.state) for _ in range(count)]
    with psycopg.connect(store.conninfo) as connection:
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types(["uuid", "int8", "text", "bytea"])
            for row in rows:
                copy.write_row(row)
        connection.commit()


# Running the benchmark ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    metric: str
    registre: Throughput
    raw: Throughput
    target: float | None
    late_ids: int
    raw_late_ids: int
    registre_cpu: benchkit.CpuUse | None = None
    raw_cpu: benchkit.CpuUse | None = None
    """CPU seconds of one operation, this process's and PostgreSQL's."""

    @property
    def ratio(self) -> float:
        return self.registre.per_second / self.raw.per_second if self.raw.per_second else 0.0

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio >= self.target


def compare(
    store: Store,
    *,
    metric: str,
    target: float | None,
    registre: Callable[[], Throughput],
    raw: Callable[[], Throughput],
) -> Comparison:
    """Measure Registre then the raw baseline, each under a tail of the table it writes."""
    with LogTail(store.conninfo, store.events) as registre_tail:
        registre_result, registre_cpu = cpu_of(registre, registre_tail)
    with LogTail(store.conninfo, store.raw) as raw_tail:
        raw_result, raw_cpu = cpu_of(raw, raw_tail)
    comparison = Comparison(
        metric=metric,
        registre=registre_result,
        raw=raw_result,
        target=target,
        late_ids=len(registre_tail.late),
        raw_late_ids=len(raw_tail.late),
        registre_cpu=registre_cpu,
        raw_cpu=raw_cpu,
    )
    print(f"  {metric}: {format_progress(comparison)}", flush=True)
    return comparison


def cpu_of(
    run: Callable[[], Throughput], tail: LogTail
) -> tuple[Throughput, benchkit.CpuUse | None]:
    """The run's throughput, and the CPU one of its operations cost (this process's share is
    known only when they all ran in it), without the log's tail polling meanwhile."""
    before = benchkit.cpu_use()
    result = run()
    tail.stop()
    spent = benchkit.cpu_use() - before - tail.cpu
    if not result.all_operations:
        return result, None
    return result, benchkit.CpuUse(
        spent.process / result.all_operations, spent.postgres / result.all_operations
    )


def run_benchmark(store: Store, args: argparse.Namespace) -> tuple[RowSample, list[Comparison]]:
    app = store.app
    member_id = register_member(app)
    prime(app, member_id)
    sample = hired_sample(store)
    print(f"  stored Hired event: {len(sample.state)} bytes of state", flush=True)
    warmup = warmup_of(args.seconds)

    def hires(clients: int) -> Throughput:
        return run_clients(hire_client(app, member_id), clients, args.seconds, warmup)

    def inserts(clients: int) -> Throughput:
        return run_clients(insert_client(store, sample), clients, args.seconds, warmup)

    comparisons = [
        compare(
            store,
            metric=f"single-command writes, {clients} client{'s' if clients > 1 else ''}"
            + (f" in {processes} processes" if processes > 1 else ""),
            target=SINGLE_COMMAND_TARGETS.get(clients),
            registre=partial(hires, clients)
            if processes == 1
            else partial(hires_in_processes, store, member_id, clients, processes, args.seconds),
            raw=partial(inserts, clients),
        )
        for clients in args.clients
        for processes in args.processes
        if clients >= processes
    ]
    bulk = args.bulk
    # A member of its own: a NIR is hired once per member, and the random people the
    # single-command clients hired may hold one the bulk would draw again.
    bulk_path, hire_all = bulk_hirer(app, register_member(app, "40211"), bulk)
    comparisons.append(
        compare(
            store,
            metric=f"bulk hire of {bulk:,} employees ({bulk_path})".replace(",", " "),
            target=BULK_TARGET,
            registre=partial(timed, bulk, hire_all),
            raw=partial(timed, bulk, partial(copy_rows, store, sample, bulk)),
        )
    )
    return sample, comparisons


def hires_in_processes(
    store: Store, member_id: UUID, clients: int, processes: int, seconds: float
) -> Throughput:
    """`clients` hiring threads shared out between `processes` processes started together,
    each with its own application (its pool, its group commit) on the same schema."""
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Barrier(processes)
    results = spawn.Queue()
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    settings = store.app.settings
    workers = [
        spawn.Process(
            target=hire_in_a_process,
            args=(settings, member_id, share, seconds),
            kwargs={"ready": ready, "results": results},
        )
        for share in shares
    ]
    for worker in workers:
        worker.start()
    done = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    failures = [d for d in done if isinstance(d, str)]
    if failures:
        raise RuntimeError(failures[0])
    throughputs = cast(list[Throughput], done)
    return Throughput(sum(t.operations for t in throughputs), max(t.seconds for t in throughputs))


def hire_in_a_process(
    settings: StoreSettings,
    member_id: UUID,
    clients: int,
    seconds: float,
    *,
    ready: Any,
    results: Any,
) -> None:
    """One process of `hires_in_processes`: its application warmed up, then its clients once
    every process is ready; its throughput (or its error, as text) put in `results`."""
    try:
        app = Registre(settings)
        try:
            prime(app, member_id)
            ready.wait()
            results.put(
                run_clients(hire_client(app, member_id), clients, seconds, warmup_of(seconds))
            )
        finally:
            app.close()
    except Exception as error:
        results.put(f"{type(error).__name__}: {error}")


def warmup_of(seconds: float) -> float:
    return min(1.0, seconds / 5)


# Reporting ------------------------------------------------------------------------------------

SECTION = benchkit.ReportSection(
    name="bench_writes",
    intro=SECTION_INTRO,
    columns=(
        *("Metric", "Registre", "Raw", "Ratio", "Target", "Met?", "Late ids"),
        *("CPU per op, Registre", "CPU per op, raw"),
    ),
    alignments="|---|---:|---:|---:|---:|:---:|---:|---:|---:|",
)


def table_rows(comparisons: Sequence[Comparison]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            c.metric,
            f"{c.registre.per_second:,.0f}",
            f"{c.raw.per_second:,.0f}",
            f"{c.ratio:.1%}",
            "—" if c.target is None else f">= {c.target:.0%}",
            benchkit.met_cell(c.met),
            f"{c.late_ids} (raw {c.raw_late_ids})",
            format_cpu(c.registre_cpu),
            format_cpu(c.raw_cpu),
        )
        for c in comparisons
    )


def format_cpu(cpu: benchkit.CpuUse | None) -> str:
    """Microseconds: this process's + PostgreSQL's."""
    if cpu is None:
        return "—"
    return f"{cpu.process * 1e6:,.0f} + {cpu.postgres * 1e6:,.0f} µs"


def format_progress(c: Comparison) -> str:
    return (
        f"Registre {c.registre.per_second:,.0f}/s ({c.registre.operations} in"
        f" {c.registre.seconds:.2f} s), raw {c.raw.per_second:,.0f}/s, ratio {c.ratio:.1%},"
        f" late ids {c.late_ids} (raw {c.raw_late_ids}); CPU per operation"
        f" {format_cpu(c.registre_cpu)} (raw {format_cpu(c.raw_cpu)})"
    )


# Command line ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    benchkit.add_database_argument(parser)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument(
        "--clients",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 16],
        help="client counts, comma-separated",
    )
    parser.add_argument(
        "--processes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1],
        help="processes sharing the clients, comma-separated (each count measured)",
    )
    parser.add_argument("--bulk", type=int, default=10_000, help="employees in the bulk hire")
    benchkit.add_report_arguments(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    benchkit.ensure_master_key()
    when = datetime.now(UTC)
    print(f"bench_writes [{args.label}] on {args.database_url}", flush=True)
    with (
        benchkit.fresh_schema(args.database_url, "bench_writes") as schema,
        tempfile.TemporaryDirectory() as data_dir,
        open_store(args.database_url, schema, Path(data_dir)) as store,
    ):
        sample, comparisons = run_benchmark(store, args)
    late_ids = sum(c.late_ids for c in comparisons)
    run = benchkit.Run(
        label=args.label,
        when=when,
        machine=benchkit.machine_facts(args.database_url),
        facts=(
            f"Settings: {args.seconds:g} s per measurement after a {warmup_of(args.seconds):g} s"
            f" warm-up; event state {len(sample.state)} bytes",
            f"Late ids (visible after a higher id; must be 0): {late_ids}"
            " — the raw INSERT baseline keeps no order, its count shows the check catches them",
        ),
        rows=table_rows(comparisons),
    )
    print()
    print(SECTION.render_console(run))
    SECTION.update_file(args.report, run)
    print(f"\nWritten to {benchkit.shown(args.report)}")
    return 1 if late_ids else 0


if __name__ == "__main__":
    raise SystemExit(main())

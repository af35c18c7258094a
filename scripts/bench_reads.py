"""Read-side benchmark of the PostgreSQL store: projections, the API and as-of reads.

    python scripts/bench_reads.py [--database-url URL] [--label TEXT] [--report PATH]
                                  [--only catchup,lag,graphql,asof] [sizes…] [--profile FILE]

In a fresh schema (dropped at the end), with a random master key, it measures:

- catch-up: the store is filled with `--events` Hired events (bulk `hire_employees` commands of
  `--bulk` new hires, for `--members` members) and `--follow-ups` declared determinants; then a
  fresh runner's `catch_up()` over every read model, and `rebuild(name)` of each one (events
  applied per second), against reading the same events raw with psycopg (SELECT in pages of the
  runner's batch size) and through the application's `select_notifications` + mapper decode
  (with the page's keys fetched in one look-up, as the runner does);
- lag: a runner in the background (`runner.start()`, polling; then also woken by the event
  log's NOTIFY as `registre project` is) while `--writers` threads issue `hire_employee`
  commands for `--lag-seconds`: time from each command's return to its event's visibility in
  the workforce read model (its position reaching the event's notification id);
- graphql: the API in a uvicorn subprocess; pages of 100 employees of a member with
  `--graphql-employees` employees, through GraphQL (8 leaf fields) and through the plain JSON
  endpoint that runs the same query, asked by one client alone (latency without queueing),
  then by `--clients` concurrent HTTP clients; the endpoints take turns, in two rounds;
- asof: one employee with `--history` events (declared then withdrawn determinants); their
  state on a past date as known at a past instant, from the workforce read model and from the
  domain (`repository.get(id, version)` + `follow_up_on`), over `--runs` runs.

After the filling the schema's tables are VACUUM ANALYZEd, and ANALYZEd again before the GraphQL
and as-of measurements, as autovacuum would do after a bulk load. The catch-up baselines are
measured before and after the runs they are compared with, and the best kept (shared machine).

Results are printed and written to docs/BENCHMARKS.md (or `--report PATH`) between
`<!-- bench_reads:start -->` and `<!-- bench_reads:end -->`, one subsection per `--label` (a run
replaces the previous run of its label, the other labels stay). With `--profile FILE` the
catch-up of every read model runs under cProfile (stats dumped to FILE, the top printed) and the
report file is left alone.
"""

import argparse
import asyncio
import bisect
import cProfile
import math
import multiprocessing
import os
import pstats
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from uuid import UUID

import benchkit
import httpx
import psycopg
from benchkit import HIRE_DATE, ROOT, TERMS, new_identity
from psycopg import sql

from application.accounts.commands import NewAccount, OpenAccount
from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    DeclareDeterminant,
    HireEmployee,
    HireEmployees,
    NewHire,
    WithdrawDeterminant,
)
from contexts import READ_MODELS
from domain.accounts.access import AccountKind
from domain.actor import Actor
from domain.contact_details import Email
from domain.workforce.employee import Employee
from domain.workforce.follow_up import FollowUpDeterminant
from messaging.mailer import OutboxMailer
from projections.collector import collect_cycles_less_often
from projections.model import ActiveGenerations
from projections.runner import BATCH_SIZE, POLL_SECONDS, ProjectionRunner
from projections.store import PostgresReadStore, ReadStore
from projections.timeline import instant
from projections.workforce.workforce_queries import WorkforceQueries
from storage.settings import StoreSettings

POOL_QUERY = "pool_size=12&max_overflow=10"  # the writer threads, the runner and the benchmark
PHASES = ("catchup", "lag", "graphql", "asof")
LAG_MODES = ("polling", "NOTIFY")
OBSERVE_INTERVAL = 0.002
DRAIN_TIMEOUT = 300.0
SERVER_START_TIMEOUT = 180.0
SERIAL_REQUESTS = 200  # one client alone, per endpoint: the latency without queueing
PAGE = 100
GRAPHQL_FIELDS = (
    "id",
    "birthName",
    "firstName",
    "contractType",
    "category",
    "status",
    "jobTitle",
    "hireDate",
)
GRAPHQL_QUERY = (
    "query Page($member: UUID!, $first: Int!) { employees(memberId: $member, first: $first)"
    f" {{ edges {{ node {{ {' '.join(GRAPHQL_FIELDS)} }} }} }} }}"
)
CATCHUP_TARGET = 0.30  # minimum ratio of the raw read rate
LAG_TARGET_SECONDS = 1.0  # p99 below
GRAPHQL_P99_TARGET = 2.5  # maximum ratio of the plain endpoint's p99
ASOF_TARGET_MS = 5.0

ACTOR = Actor("bench-reads")
HISTORY_HIRE_DATE = date(2012, 1, 2)
FOLLOW_UP_DETERMINANT = FollowUpDeterminant.NIGHT_WORK

SECTION_INTRO = """## Read side (PostgreSQL)

Measured by `scripts/bench_reads.py` on one PostgreSQL server, in a fresh schema. Catch-up:
events applied per second by the projection runner (every read model at once, then each
`rebuild`) against reading the same events raw with psycopg in pages of the runner's batch,
and against the application's own read + decode as the runner does it
(`select_notifications`, the page's keys in one look-up, `mapper.to_domain_event`), which
every read model needs; and what an event costs in CPU to the benchmark's process and to the
local PostgreSQL server (read from /proc: a budget the shared machine's load does not blur),
for the catch-up and the heavy rebuilds. Lag: from a command's return to its event's
visibility in the workforce read model, with writer threads busy. GraphQL: a page of 100
employees × 8 fields over HTTP (uvicorn subprocess) against the plain JSON endpoint running
the same query, from one client, then from concurrent clients. As-of: one employee's state
on a past date as known at a past instant. Targets: catch-up >= 30 % of the raw read rate; lag
p99 < 1 s; GraphQL p99 <= 2.5 × plain; as-of < 5 ms.
"""

T = TypeVar("T")


# Timing ---------------------------------------------------------------------------------------


def timed(action: Callable[[], T]) -> tuple[T, float]:
    """The action's result and the seconds it took."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


@dataclass(frozen=True, slots=True)
class Samples:
    """Durations (or any values), sorted."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Iterable[float]) -> "Samples":
        return cls(tuple(sorted(values)))

    @classmethod
    def timing(cls, action: Callable[[], object], runs: int, warmup: int = 5) -> "Samples":
        for _ in range(warmup):
            action()
        return cls.of(timed(action)[1] for _ in range(runs))

    def percentile(self, p: float) -> float:
        """Nearest rank."""
        if not self.values:
            return math.nan
        rank = max(1, math.ceil(p / 100 * len(self.values)))
        return self.values[rank - 1]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p99(self) -> float:
        return self.percentile(99)


# Results --------------------------------------------------------------------------------------

RATE_UNITS = ("events/s", "rows/s", "req/s")


@dataclass(frozen=True, slots=True)
class Target:
    bound: float
    on_ratio: bool
    """Whether the bound applies to the ratio to the baseline, or to the measured value."""
    at_least: bool

    def met(self, result: "Result") -> bool | None:
        value = result.ratio if self.on_ratio else result.measured
        if value is None or math.isnan(value):
            return None
        return value >= self.bound if self.at_least else value < self.bound

    def describe(self, unit: str) -> str:
        sign = ">=" if self.at_least else ("<=" if self.on_ratio else "<")
        if not self.on_ratio:
            return f"{sign} {self.bound:g} {unit}"
        return f"{sign} {self.bound:.0%}" if unit in RATE_UNITS else f"{sign} {self.bound:g}x"


@dataclass(frozen=True, slots=True)
class Result:
    metric: str
    measured: float
    unit: str
    baseline: float | None = None
    target: Target | None = None
    baseline_unit: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline:
            return None
        return self.measured / self.baseline

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self)


def at_least_ratio(bound: float) -> Target:
    return Target(bound, on_ratio=True, at_least=True)


def at_most_ratio(bound: float) -> Target:
    return Target(bound, on_ratio=True, at_least=False)


def below(bound: float) -> Target:
    return Target(bound, on_ratio=False, at_least=False)


# The store under test -------------------------------------------------------------------------


class TracedRegistre(Registre):
    """The application, remembering per thread the notification id of the last event it saved
    (from the recordings `save` returns, so no extra query)."""

    def __init__(self, settings: StoreSettings):
        self._last_saved = threading.local()
        super().__init__(settings)

    def _notify(self, recordings: Any) -> None:
        super()._notify(recordings)
        if recordings:
            self._last_saved.id = recordings[-1].notification.id

    def last_notification_id(self) -> int:
        return cast(int, self._last_saved.id)


@dataclass(frozen=True, slots=True)
class Bench:
    settings: StoreSettings
    conninfo: str
    schema: str
    app: TracedRegistre
    store: ReadStore
    events: sql.Composable

    @contextmanager
    def fresh_app(self) -> Iterator[TracedRegistre]:
        """An application of its own: cold caches (aggregates, personal-data keys)."""
        app = TracedRegistre(self.settings)
        try:
            yield app
        finally:
            app.close()

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def runner(self, app: Registre | None = None) -> ProjectionRunner:
        runner = ProjectionRunner(app or self.app, self.store, READ_MODELS)
        runner.setup()
        return runner


@contextmanager
def open_bench(conninfo: str, schema: str, data_dir: Path) -> Iterator[Bench]:
    settings = StoreSettings(
        url=benchkit.store_url(conninfo, schema, POOL_QUERY), data_dir=data_dir
    )
    app = TracedRegistre(settings)
    store = ReadStore.open(settings, pool_size=12)
    try:
        events_table = cast(Any, app.recorder).events_table_name
        yield Bench(settings, conninfo, schema, app, store, sql.Identifier(schema, events_table))
    finally:
        store.close()
        app.close()


# Filling the store ----------------------------------------------------------------------------


def request() -> Request:
    return Request(str(uuid.uuid4()), ACTOR)


def register_member(app: Registre, number: int) -> UUID:
    result = app.handle(
        request(),
        RegisterMember(
            member_code=f"{50000 + number}",
            declarant_number=f"{40000000 + number}",
            legal_name=f"Ateliers Mécaniques du Rhône n° {number}",
        ),
    )
    return result.aggregate_id


def hire_in_bulk(app: Registre, member_id: UUID, count: int, bulk: int) -> list[UUID]:
    """`count` new employees of the member, by `hire_employees` commands of `bulk` hires."""
    rng = random.Random(member_id.int)
    hired: list[UUID] = []
    for first in range(0, count, bulk):
        hires = [
            NewHire(
                identity=new_identity(rng),
                hire_date=HIRE_DATE,
                terms=TERMS,
                confirm_homonym=True,  # same names and birth date by chance: not a duplicate
            )
            for _ in range(min(bulk, count - first))
        ]
        results = app.handle(request(), HireEmployees(member_id=member_id, hires=hires))
        hired += [r.aggregate_id for r in results]
    return hired


def declare_follow_ups(app: Registre, employee_ids: Sequence[UUID], writers: int) -> None:
    """One determinant declared for each employee, by single commands from writer threads."""

    def declare(employee_id: UUID) -> None:
        app.handle(
            request(),
            DeclareDeterminant(
                employee_id=employee_id, determinant=FOLLOW_UP_DETERMINANT, started_on=HIRE_DATE
            ),
        )

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(declare, employee_ids))


@dataclass
class Dataset:
    members: dict[UUID, list[UUID]] = field(default_factory=dict)
    """Member → its employees hired in bulk."""

    def member_with(self, employees: int) -> UUID | None:
        return next((m for m, ids in self.members.items() if len(ids) >= employees), None)


def fill_for_catchup(bench: Bench, data: Dataset, args: argparse.Namespace) -> None:
    per_member = math.ceil(args.events / args.members)
    remaining = args.events
    start = time.perf_counter()
    for number in range(args.members):
        member_id = register_member(bench.app, number)
        data.members[member_id] = hire_in_bulk(
            bench.app, member_id, min(per_member, remaining), args.bulk
        )
        remaining -= len(data.members[member_id])
        hired = args.events - remaining
        rate = hired / (time.perf_counter() - start)
        print(f"\r  filling: {hired:,} hired ({rate:,.0f}/s)", end="", flush=True)
    print()
    employees = [e for ids in data.members.values() for e in ids]
    follow_ups = random.Random(0).sample(employees, min(args.follow_ups, len(employees)))
    _, seconds = timed(lambda: declare_follow_ups(bench.app, follow_ups, args.writers))
    print(f"  {len(follow_ups):,} determinants declared in {seconds:.1f} s", flush=True)


def member_for_graphql(bench: Bench, data: Dataset, args: argparse.Namespace) -> UUID:
    found = data.member_with(args.graphql_employees)
    if found is not None:
        return found
    member_id = register_member(bench.app, len(data.members))
    data.members[member_id] = hire_in_bulk(bench.app, member_id, args.graphql_employees, args.bulk)
    return member_id


def analyze(bench: Bench, *, vacuum: bool = False) -> None:
    """Statistics of the schema's tables (and with `vacuum`, their visibility maps), as
    autovacuum would make them after a bulk load."""
    with psycopg.connect(bench.conninfo, autocommit=True) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (bench.schema,)
        ).fetchall()
        for (table,) in tables:
            command = "VACUUM ANALYZE {0}" if vacuum else "ANALYZE {0}"
            connection.execute(sql.SQL(command).format(sql.Identifier(bench.schema, table)))


# 1. Catch-up ----------------------------------------------------------------------------------


def read_raw(bench: Bench, batch: int) -> int:
    """Every event row by pages of `batch`, through psycopg; the number of rows."""
    query = sql.SQL(
        "SELECT notification_id, topic, state FROM {0} WHERE notification_id > %s"
        " ORDER BY notification_id LIMIT %s"
    ).format(bench.events)
    rows, position = 0, 0
    with psycopg.connect(bench.conninfo) as connection:
        while page := connection.execute(query, (position, batch), prepare=True).fetchall():
            rows += len(page)
            position = page[-1][0]
    return rows


def read_decoded(app: Registre, batch: int) -> int:
    """Every event by pages of `batch` as the runner reads them: select, the page's keys in one
    look-up, decode."""
    events, position = 0, 0
    while notifications := app.recorder.select_notifications(start=position + 1, limit=batch):
        app.prefetch_keys(notifications)
        for notification in notifications:
            app.decode(notification)
        events += len(notifications)
        position = notifications[-1].id
    return events


def read_baselines(bench: Bench) -> tuple[float, float]:
    """Rows/s of the raw SELECT, and events/s of the application's select + decode."""
    raw_rows, raw_seconds = timed(lambda: read_raw(bench, BATCH_SIZE))
    with bench.fresh_app() as app:
        decoded, decode_seconds = timed(lambda: read_decoded(app, BATCH_SIZE))
    raw, decode = raw_rows / raw_seconds, decoded / decode_seconds
    print(f"  raw SELECT {raw:,.0f} rows/s; select + decode {decode:,.0f} events/s", flush=True)
    return raw, decode


def measure_catchup(bench: Bench, args: argparse.Namespace) -> list[Result]:
    """Every read model at once, then each rebuilt, between two measurements of the baselines
    (the best of each is kept: the machine is shared)."""
    head = bench.head()
    analyze(bench, vacuum=True)
    before = read_baselines(bench)
    rates: dict[str, float] = {}
    costs: list[Result] = []
    catch_up_all = f"catch-up, all {len(READ_MODELS)} read models"
    with bench.fresh_app() as app:
        cpu = benchkit.cpu_use()
        seconds = catch_up(bench.runner(app), args.profile)
        costs += cpu_costs(catch_up_all, benchkit.cpu_use() - cpu, head, bound=True)
    rates[catch_up_all] = head / seconds
    print(f"  catch-up of every read model: {head / seconds:,.0f} events/s", flush=True)
    for model in () if args.profile else READ_MODELS:
        with bench.fresh_app() as app:
            cpu = benchkit.cpu_use()
            _, seconds = timed(lambda: bench.runner(app).rebuild(model.name))  # noqa: B023
            if model.by_record:  # the heavy ones
                costs += cpu_costs(f"rebuild {model.name}", benchkit.cpu_use() - cpu, head)
        rates[f"rebuild {model.name}"] = head / seconds
        print(f"  rebuild {model.name}: {head / seconds:,.0f} events/s", flush=True)
    for workers in () if args.profile else [w for w in args.workers if w > 1]:
        rates |= rebuild_in_processes(bench, workers)
    peaks: dict[int, int] = {}
    for workers in () if args.profile else args.workers:
        seconds, peaks[workers] = catch_up_in_processes(bench, workers)
        rates[f"catch-up, all read models, {workers} process(es) started cold"] = head / seconds
        print(
            f"  catch-up in {workers} process(es): {head / seconds:,.0f} events/s,"
            f" peak RSS {peaks[workers] / 1024:,.0f} MiB",
            flush=True,
        )
    after = before if args.profile else read_baselines(bench)
    raw, decode = max(before[0], after[0]), max(before[1], after[1])
    results = [
        Result(
            "select + decode alone (vs raw SELECT)", decode, "events/s", raw, baseline_unit="rows/s"
        )
    ]
    for metric, rate in rates.items():
        results += catchup_results(metric, rate, raw, decode)
    results += [
        Result(f"catch-up in {workers} process(es): peak RSS of one process", rss / 1024, "MiB")
        for workers, rss in peaks.items()
    ]
    return results + costs


def cpu_costs(
    metric: str, cpu: benchkit.CpuUse, events: int, *, bound: bool = False
) -> list[Result]:
    """What each event cost in CPU, in this process and in PostgreSQL; with `bound`, the rate
    the machine could reach if all its cores did only this work, at that cost."""
    process, postgres = cpu.process / events * 1e6, cpu.postgres / events * 1e6
    print(f"  {metric}: CPU per event {process:,.0f} µs here, {postgres:,.0f} µs PostgreSQL")
    costs = [
        Result(f"{metric}: CPU per event, this process", process, "µs"),
        Result(f"{metric}: CPU per event, PostgreSQL", postgres, "µs"),
    ]
    if bound:
        cores = os.cpu_count() or 1
        rate = cores / (cpu.process + cpu.postgres) * events
        costs.append(
            Result(f"{metric}: at most, its CPU cost on all {cores} cores", rate, "events/s")
        )
    return costs


def rebuild_in_processes(bench: Bench, workers: int) -> dict[str, float]:
    """Each read model built by record, rebuilt in `workers` parts, one per process
    (`registre projections rebuild NAME --workers`): events/s over the whole rebuild, and from
    the moment the parts start (without the start of the child processes, ~2 s here, which a
    service's rebuild of hours does not notice)."""
    try:  # imported here: the same script measures the code before parts existed
        from cli.read_side import run_parts_in_processes
        from projections.parts import Part, rebuild_in_parts
    except ImportError:
        return {}
    head, rates = bench.head(), {}
    for model in [m for m in READ_MODELS if m.by_record]:
        spans: list[tuple[float, float]] = []
        with bench.fresh_app() as app:
            runner = bench.runner(app)

            def run(parts: list[Part], until: int) -> None:
                spans.extend(run_parts_in_processes(runner, bench.settings, parts, until))  # noqa: B023

            begun = time.monotonic()
            rebuild_in_parts(runner, model.name, workers, run)
            ended = time.monotonic()
        started = min(start for start, _ in spans)
        whole, from_parts = head / (ended - begun), head / (ended - started)
        rates[f"rebuild {model.name} in {workers} processes"] = whole
        rates[f"rebuild {model.name} in {workers} processes, from the parts' start"] = from_parts
        print(
            f"  rebuild {model.name} in {workers} processes: {whole:,.0f} events/s,"
            f" {from_parts:,.0f} from the parts' start",
            flush=True,
        )
    return rates


def reset_read_side(bench: Bench) -> None:
    """Drop every read model's tables and the runner's bookkeeping: the read side from zero."""
    names = {m.name for m in READ_MODELS}
    with psycopg.connect(bench.conninfo, autocommit=True) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (bench.schema,)
        ).fetchall()
        for (table,) in tables:
            if table.startswith("projection_") or table.split("_g")[0] in names:
                drop = sql.SQL("DROP TABLE {0}").format(sql.Identifier(bench.schema, table))
                connection.execute(drop)


def catch_up_share(settings: StoreSettings, names: Sequence[str]) -> tuple[float, float, int]:
    """In a process of its own, started cold as `registre project --workers` starts one: the
    read models named caught up; when it started and ended (`time.monotonic`, one clock for
    every process of the machine on Linux), its peak RSS (KiB)."""
    collect_cycles_less_often()
    app = Registre(settings)
    store = ReadStore.open(settings)
    try:
        runner = ProjectionRunner(app, store, [m for m in READ_MODELS if m.name in names])
        runner.setup()
        start = time.monotonic()
        runner.catch_up()
        return start, time.monotonic(), peak_rss()
    finally:
        store.close()
        app.close()


def peak_rss() -> int:
    """This process's peak resident set (KiB) since it started: VmHWM, not `ru_maxrss`, which
    Linux carries over from the parent that forked it (the benchmark's own, filled process)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def catch_up_in_processes(bench: Bench, workers: int) -> tuple[float, int]:
    """Every read model from event zero, by `workers` processes sharing them out: seconds from
    the first start to the last end, and the largest peak RSS (KiB) of one of them."""
    reset_read_side(bench)
    ProjectionRunner(bench.app, bench.store, READ_MODELS).setup()
    shares = [[m.name for m in READ_MODELS]]
    if workers > 1:  # imported here: the same script measures the code before shares existed
        from projections.workers import share_out

        shares = [[m.name for m in share] for share in share_out(READ_MODELS, workers)]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(shares), mp_context=spawn) as pool:
        spans = list(pool.map(catch_up_share, [bench.settings] * len(shares), shares))
    seconds = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    return seconds, max(rss for _, _, rss in spans)


def catch_up(runner: ProjectionRunner, profile: str | None) -> float:
    if not profile:
        return timed(runner.catch_up)[1]
    profiler = cProfile.Profile()
    _, seconds = timed(lambda: profiler.runcall(runner.catch_up))
    profiler.dump_stats(profile)
    for order in ("tottime", "cumulative"):
        pstats.Stats(profiler).sort_stats(order).print_stats(30)
    return seconds


def catchup_results(metric: str, rate: float, raw: float, decode: float) -> list[Result]:
    return [
        Result(
            f"{metric} (vs raw SELECT)",
            rate,
            "events/s",
            raw,
            at_least_ratio(CATCHUP_TARGET),
            baseline_unit="rows/s",
        ),
        Result(f"{metric} (vs select + decode)", rate, "events/s", decode),
    ]


# 2. Lag under write load ----------------------------------------------------------------------


class PositionObserver:
    """Polls the workforce read model's position from a connection of its own, and keeps the
    moment each new position was first seen."""

    def __init__(self, conninfo: str, schema: str):
        self._conninfo = conninfo
        self._query = sql.SQL(
            "SELECT p.position FROM {0} p JOIN {1} a USING (name, generation)"
            " WHERE p.name = 'workforce'"
        ).format(
            sql.Identifier(schema, "projection_positions"),
            sql.Identifier(schema, "projection_active"),
        )
        self.times: list[float] = []
        self.positions: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._observe, name="position-observer")

    def __enter__(self) -> "PositionObserver":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _observe(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True) as connection:
            while not self._stop.wait(OBSERVE_INTERVAL):
                row = connection.execute(self._query, prepare=True).fetchone()
                position = cast(tuple[int], row)[0]
                if not self.positions or position > self.positions[-1]:
                    self.times.append(time.perf_counter())
                    self.positions.append(position)

    def visible_at(self, position: int) -> float | None:
        index = bisect.bisect_left(self.positions, position)
        return self.times[index] if index < len(self.times) else None

    def wait_for(self, position: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.positions or self.positions[-1] < position:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the workforce read model did not reach {position}")
            time.sleep(0.05)


@contextmanager
def notify_waker(store: ReadStore, app: Registre, runner: ProjectionRunner) -> Iterator[None]:
    """Wake the runner on the event log's NOTIFY, as `registre project` does."""
    if not isinstance(store, PostgresReadStore):
        raise TypeError("NOTIFY needs the PostgreSQL store")
    stop = threading.Event()
    channel = cast(Any, app.recorder).channel_name

    def listen() -> None:
        with store.listen(channel) as connection:
            while not stop.is_set():
                for _ in connection.notifies(timeout=POLL_SECONDS, stop_after=1):
                    runner.wake()

    thread = threading.Thread(target=listen, name="notify-waker")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


Commit = tuple[float, int]
"""When a command returned, and its event's notification id."""


def write_for(app: TracedRegistre, member_id: UUID, writers: int, seconds: float) -> list[Commit]:
    """`writers` threads issuing single `hire_employee` commands for `seconds`."""
    deadline = time.perf_counter() + seconds

    def writer(index: int) -> list[Commit]:
        rng, commits = random.Random(index), []
        while time.perf_counter() < deadline:
            app.handle(
                request(),
                HireEmployee(
                    member_id=member_id,
                    identity=new_identity(rng),
                    hire_date=HIRE_DATE,
                    terms=TERMS,
                    confirm_homonym=True,
                ),
            )
            commits.append((time.perf_counter(), app.last_notification_id()))
        return commits

    with ThreadPoolExecutor(writers) as pool:
        return [c for commits in pool.map(writer, range(writers)) for c in commits]


def measure_lag(bench: Bench, args: argparse.Namespace, mode: str) -> list[Result]:
    member_id = register_member(bench.app, 900 + LAG_MODES.index(mode))
    with bench.fresh_app() as app:
        runner = bench.runner(app)
        runner.catch_up()
        waker = notify_waker(bench.store, app, runner) if mode == "NOTIFY" else nullcontext()
        with PositionObserver(bench.conninfo, bench.schema) as observer, waker:
            runner.start()
            try:
                commits = write_for(app, member_id, args.writers, args.lag_seconds)
                observer.wait_for(max(nid for _, nid in commits), DRAIN_TIMEOUT)
            finally:
                runner.stop()
    lags = Samples.of(max(0.0, cast(float, observer.visible_at(n)) - t) for t, n in commits)
    rate = len(commits) / args.lag_seconds
    what = f"lag to workforce, {args.writers} writers at {rate:,.0f} commands/s, runner {mode}"
    print(f"  {what}: p50 {lags.p50:.3f} s, p99 {lags.p99:.3f} s, max {lags.values[-1]:.3f} s")
    return [
        Result(f"{what}: p50", lags.p50, "s"),
        Result(f"{what}: p99", lags.p99, "s", target=below(LAG_TARGET_SECONDS)),
    ]


# 3. GraphQL against plain JSON ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return cast(int, probe.getsockname()[1])


BENCH_STAFF_EMAIL = "bench@registre.localhost"


@contextmanager
def api_server(bench: Bench) -> Iterator[str]:
    """The API served by uvicorn in a subprocess, on the benchmark's schema; its base URL."""
    port = free_port()
    outbox = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    env = {
        **os.environ,
        "REGISTRE_DATABASE_URL": bench.settings.url,
        "REGISTRE_OUTBOX_DIR": str(outbox),
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "contexts:create_app_from_environment",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
        "--timeout-keep-alive", "60",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_healthy(server, base_url, log)
            os.environ["BENCH_TOKEN"] = staff_token(bench, base_url, outbox)
            yield base_url
        except BaseException:
            print(f"API server ({server.poll() or 'running'}), its log:\n{tail_of(log)}")
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)


def staff_token(bench: Bench, base_url: str, outbox: Path) -> str:
    """Signs in as the service's staff the way a person does: a code mailed to the outbox."""
    if bench.app.find_account(Email(BENCH_STAFF_EMAIL)) is None:
        person = NewAccount(
            email=Email(BENCH_STAFF_EMAIL), last_name="Bench", first_name="Mark", function="Bench"
        )
        bench.app.handle(
            Request(f"bench-{uuid.uuid4().hex}"),
            OpenAccount(person=person, kind=AccountKind.SERVICE_STAFF),
        )
    asked = "mutation($e: String!) { requestLoginCode(email: $e) { __typename } }"
    httpx.post(f"{base_url}/graphql", json={"query": asked, "variables": {"e": BENCH_STAFF_EMAIL}})
    deadline = time.monotonic() + 30
    while True:  # the mail is sent after the commit, by the mail reaction: wait for it
        mails = [m.get_content() for m in OutboxMailer(outbox).messages()]
        coded = [m for m in mails if "code de connexion : " in m]
        if coded or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    code = coded[-1].split("code de connexion : ")[1].split()[0]
    login = (
        "mutation($e: String!, $c: String!) {"
        " loginWithCode(email: $e, code: $c) { ... on SignedIn { token } } }"
    )
    reply = httpx.post(
        f"{base_url}/graphql",
        json={"query": login, "variables": {"e": BENCH_STAFF_EMAIL, "c": code}},
    ).json()
    token: str = reply["data"]["loginWithCode"]["token"]
    return token


def tail_of(log: IO[bytes], size: int = 5000) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-size:]


def wait_until_healthy(server: subprocess.Popen[bytes], base_url: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the API server stopped:\n{tail_of(log)}")
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the API server did not become healthy")


Call = Callable[[httpx.AsyncClient], Awaitable[None]]


def graphql_call(member_id: UUID) -> Call:
    body = {"query": GRAPHQL_QUERY, "variables": {"member": str(member_id), "first": PAGE}}

    async def call(client: httpx.AsyncClient) -> None:
        response = await client.post("/graphql", json=body)
        answer = response.raise_for_status().json()
        edges = (answer.get("data") or {}).get("employees", {}).get("edges", [])
        if answer.get("errors") or len(edges) != PAGE:
            raise RuntimeError(f"unexpected GraphQL answer: {str(answer)[:300]}")

    return call


def plain_call(member_id: UUID) -> Call:
    params: dict[str, str | int] = {"member": str(member_id), "first": PAGE}

    async def call(client: httpx.AsyncClient) -> None:
        response = await client.get("/plain/employees", params=params)
        rows = response.raise_for_status().json().get("rows", [])
        if len(rows) != PAGE:
            raise RuntimeError(f"unexpected plain answer: {response.text[:300]}")

    return call


@dataclass(frozen=True, slots=True)
class Load:
    latencies: Samples
    seconds: float

    @property
    def per_second(self) -> float:
        return len(self.latencies.values) / self.seconds

    def __add__(self, other: "Load") -> "Load":
        values = (*self.latencies.values, *other.latencies.values)
        return Load(Samples.of(values), self.seconds + other.seconds)


@dataclass(frozen=True, slots=True)
class Workload:
    clients: int
    requests: int
    seconds: float
    """At most, whichever ends first."""

    def split(self, rounds: int) -> "Workload":
        return Workload(self.clients, self.requests // rounds, self.seconds / rounds)


async def run_load(base_url: str, call: Call, workload: Workload) -> Load:
    """Concurrent clients repeating `call`, after a warm-up of two calls each."""
    clients = workload.clients
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"}
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=60, headers=headers
    ) as client:
        await asyncio.gather(*(call(client) for _ in range(2 * clients)))
        latencies: list[float] = []
        start = time.perf_counter()
        deadline = start + workload.seconds

        async def client_loop() -> None:
            while len(latencies) < workload.requests and time.perf_counter() < deadline:
                begin = time.perf_counter()
                await call(client)
                latencies.append(time.perf_counter() - begin)

        await asyncio.gather(*(client_loop() for _ in range(clients)))
        return Load(Samples.of(latencies), time.perf_counter() - start)


def compare_endpoints(
    base_url: str, calls: dict[str, Call], workload: Workload, rounds: int = 2
) -> dict[str, Load]:
    """Each endpoint under the workload, in rounds taking turns, so a drift hurts them alike."""
    loads: dict[str, list[Load]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            loads[name].append(asyncio.run(run_load(base_url, call, workload.split(rounds))))
    merged = {name: sum(parts[1:], parts[0]) for name, parts in loads.items()}
    for name, load in merged.items():
        print(
            f"  {name}, {workload.clients} client(s): p50 {load.latencies.p50 * 1e3:.1f} ms,"
            f" p99 {load.latencies.p99 * 1e3:.1f} ms, max {load.latencies.values[-1] * 1e3:.1f}"
            f" ms, {load.per_second:,.0f} req/s ({len(load.latencies.values)} requests)",
            flush=True,
        )
    return merged


def measure_graphql(bench: Bench, member_id: UUID, args: argparse.Namespace) -> list[Result]:
    bench.runner().catch_up()
    analyze(bench)
    calls = {"plain": plain_call(member_id), "GraphQL": graphql_call(member_id)}
    with api_server(bench) as base_url:
        alone = compare_endpoints(base_url, calls, Workload(1, SERIAL_REQUESTS, args.http_seconds))
        busy = compare_endpoints(
            base_url, calls, Workload(args.clients, args.requests, args.http_seconds)
        )
    values = PAGE * len(GRAPHQL_FIELDS)
    what = f"GraphQL page of {PAGE} × {len(GRAPHQL_FIELDS)} fields"
    g, p = busy["GraphQL"].latencies, busy["plain"].latencies
    g1, p1 = alone["GraphQL"].latencies, alone["plain"].latencies
    return [
        Result(f"{what}, 1 client: p50 (vs plain JSON)", g1.p50 * 1e3, "ms", p1.p50 * 1e3),
        Result(
            f"GraphQL cost per field value, 1 client ((p50 GraphQL − p50 plain) / {values})",
            (g1.p50 - p1.p50) / values * 1e6,
            "µs",
        ),
        Result(
            f"{what}, {args.clients} clients: p50 (vs plain JSON)", g.p50 * 1e3, "ms", p.p50 * 1e3
        ),
        Result(
            f"{what}, {args.clients} clients: p99 (vs plain JSON)",
            g.p99 * 1e3,
            "ms",
            p.p99 * 1e3,
            at_most_ratio(GRAPHQL_P99_TARGET),
        ),
        Result(
            f"{what}, {args.clients} clients: throughput (vs plain JSON)",
            busy["GraphQL"].per_second,
            "req/s",
            busy["plain"].per_second,
        ),
        Result(
            f"GraphQL cost per field value, {args.clients} clients ((p50 GraphQL − p50 plain)"
            f" / {values})",
            (g.p50 - p.p50) / values * 1e6,
            "µs",
        ),
    ]


# 4. As-of -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PastQuestion:
    """An employee's state on a past day, as known at a past instant (at a past version)."""

    employee_id: UUID
    version: int
    known_at: int
    valid_on: date


def build_history(app: Registre, member_id: UUID, events: int) -> PastQuestion:
    """One employee with `events` events: hired, then determinants declared and withdrawn in
    turn (periods of two days, four days apart)."""
    hired = app.handle(
        request(),
        HireEmployee(
            member_id=member_id,
            identity=new_identity(random.Random(events), born=(1970, 1990)),
            hire_date=HISTORY_HIRE_DATE,
            terms=replace(TERMS, trial_end=HISTORY_HIRE_DATE + timedelta(days=60)),
        ),
    )
    employee_id = hired.aggregate_id
    for number in range((events - 1) // 2):
        started_on = HISTORY_HIRE_DATE + timedelta(days=4 * number)
        declared = app.handle(
            request(),
            DeclareDeterminant(
                employee_id=employee_id, determinant=FOLLOW_UP_DETERMINANT, started_on=started_on
            ),
        )
        app.handle(
            request(),
            WithdrawDeterminant(
                employee_id=employee_id,
                determinant_id=cast(int, declared.created_id),
                last_day=started_on + timedelta(days=1),
            ),
        )
    version = app.employee(employee_id).version // 2
    then: Employee = app.repository.get(employee_id, version=version)
    valid_on = HISTORY_HIRE_DATE + timedelta(days=4 * (version // 4))  # in a declared period
    return PastQuestion(employee_id, version, instant(then.modified_on), valid_on)


def measure_asof(bench: Bench, args: argparse.Namespace) -> list[Result]:
    member_id = register_member(bench.app, 800)
    question, seconds = timed(lambda: build_history(bench.app, member_id, args.history))
    print(f"  {args.history:,} events of one employee recorded in {seconds:.1f} s", flush=True)
    _, applied = timed(bench.runner().catch_up)
    print(f"  the runner applied them in {applied:.1f} s", flush=True)
    analyze(bench)
    queries = WorkforceQueries(bench.store, ActiveGenerations(bench.store))
    q = question

    def from_read_model() -> str | None:
        row = queries.employee(q.employee_id, valid_on=q.valid_on, known_at=q.known_at)
        return None if row is None else row.category

    def from_domain() -> str:
        employee: Employee = bench.app.repository.get(q.employee_id, version=q.version)
        return employee.follow_up_on(q.valid_on).category.value

    if from_read_model() != from_domain():
        raise RuntimeError(f"as-of answers differ: {from_read_model()} != {from_domain()}")
    ms = 1000.0
    results = [
        Result(f"as-of apply: the runner on one employee's {args.history:,} events", applied, "s")
    ]
    for name, answer in (
        ("workforce query", from_read_model),
        ("domain, repository.get + follow_up_on", from_domain),
    ):
        samples = Samples.timing(answer, args.runs)
        print(f"  {name}: median {samples.p50 * ms:.2f} ms, p99 {samples.p99 * ms:.2f} ms")
        what = f"as-of {name}, {args.history:,}-event employee"
        results += [
            Result(f"{what}: median", samples.p50 * ms, "ms", target=below(ASOF_TARGET_MS)),
            Result(f"{what}: p99", samples.p99 * ms, "ms", target=below(ASOF_TARGET_MS)),
        ]
    return results


# Running the benchmark ------------------------------------------------------------------------


def run_benchmark(bench: Bench, args: argparse.Namespace) -> list[Result]:
    data, results = Dataset(), []
    if "catchup" in args.only:
        print("catch-up", flush=True)
        fill_for_catchup(bench, data, args)
        results += measure_catchup(bench, args)
        if args.profile:
            return results
    if "asof" in args.only:
        print("as-of", flush=True)
        results += measure_asof(bench, args)
    if "graphql" in args.only:
        print("GraphQL", flush=True)
        results += measure_graphql(bench, member_for_graphql(bench, data, args), args)
    if "lag" in args.only:
        for mode in LAG_MODES:
            print(f"lag, runner {mode}", flush=True)
            results += measure_lag(bench, args, mode)
    return results


# Reporting ------------------------------------------------------------------------------------

SECTION = benchkit.ReportSection(
    name="bench_reads",
    intro=SECTION_INTRO,
    columns=("Metric", "Measured", "Baseline", "Ratio", "Target", "Met?"),
    alignments="|---|---:|---:|---:|---:|:---:|",
)


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in RATE_UNITS:
        return f"{value:,.0f} {unit}"
    digits = {"s": 3, "ms": 2}.get(unit, 1)
    return f"{value:,.{digits}f} {unit}"


def format_ratio(result: Result) -> str:
    ratio = result.ratio
    if ratio is None:
        return "—"
    return f"{ratio:.1%}" if result.unit in RATE_UNITS else f"{ratio:.2f}x"


def table_rows(results: Sequence[Result]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            r.metric,
            format_value(r.measured, r.unit),
            format_value(r.baseline, r.baseline_unit or r.unit),
            format_ratio(r),
            "—" if r.target is None else r.target.describe(r.unit),
            benchkit.met_cell(r.met),
        )
        for r in results
    )


def settings_line(args: argparse.Namespace) -> str:
    parts = [f"runner batch {BATCH_SIZE}, poll {POLL_SECONDS:g} s"]
    if "catchup" in args.only:
        parts.append(
            f"catch-up: {args.events:,} bulk hires ({args.bulk:,} per command, {args.members}"
            f" members) + {args.follow_ups:,} declared determinants"
        )
    if "lag" in args.only:
        parts.append(
            f"lag: {args.writers} writer threads for {args.lag_seconds:g} s per mode, position"
            f" observed every {OBSERVE_INTERVAL * 1000:g} ms"
        )
    if "graphql" in args.only:
        parts.append(
            f"GraphQL: member of {args.graphql_employees:,} employees, {args.clients} clients,"
            f" up to {args.requests:,} requests or {args.http_seconds:g} s per endpoint,"
            " 1 uvicorn worker"
        )
    if "asof" in args.only:
        parts.append(f"as-of: {args.runs} runs after 5 warm-ups")
    return "; ".join(parts)


# Command line ---------------------------------------------------------------------------------


def phases(text: str) -> tuple[str, ...]:
    chosen = tuple(p.strip() for p in text.split(",") if p.strip())
    unknown = set(chosen) - set(PHASES)
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose among {','.join(PHASES)}")
    return chosen


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    benchkit.add_database_argument(parser)
    benchkit.add_report_arguments(parser)
    parser.add_argument("--only", type=phases, default=PHASES, help="catchup,lag,graphql,asof")
    parser.add_argument("--events", type=int, default=200_000, help="Hired events for catch-up")
    parser.add_argument("--bulk", type=int, default=1_000, help="new hires per bulk command")
    parser.add_argument("--members", type=int, default=20, help="members sharing the hires")
    parser.add_argument("--follow-ups", type=int, default=2_000, help="determinants declared")
    parser.add_argument("--writers", type=int, default=8, help="writer threads")
    parser.add_argument(
        "--workers",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=(1, 2),
        help="catch-up by that many processes (registre project --workers), e.g. 1,2",
    )
    parser.add_argument("--lag-seconds", type=float, default=20.0, help="writing, per mode")
    parser.add_argument("--graphql-employees", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=5_000, help="HTTP requests per endpoint")
    parser.add_argument("--http-seconds", type=float, default=30.0, help="at most, per endpoint")
    parser.add_argument("--history", type=int, default=1_000, help="events of the as-of employee")
    parser.add_argument("--runs", type=int, default=200, help="as-of runs")
    parser.add_argument("--profile", help="profile the catch-up into this file (no report)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    collect_cycles_less_often()  # as the processes that run the read models do
    benchkit.ensure_master_key()
    when = datetime.now(UTC)
    machine = benchkit.machine_facts(args.database_url, load_average=True)
    code = code_version()
    print(f"bench_reads [{args.label}] on {args.database_url}: {','.join(args.only)}", flush=True)
    with (
        benchkit.fresh_schema(args.database_url, "bench_reads") as schema,
        tempfile.TemporaryDirectory() as data_dir,
        open_bench(args.database_url, schema, Path(data_dir)) as bench,
    ):
        results = run_benchmark(bench, args)
        data = f"{bench.head():,} events in the log at the end"
    run = benchkit.Run(
        label=args.label,
        when=when,
        machine=machine,
        facts=(f"Code: {code}", f"Settings: {settings_line(args)}", f"Data: {data}"),
        rows=table_rows(results),
    )
    print()
    print(SECTION.render_console(run))
    if not args.profile:
        SECTION.update_file(args.report, run)
        print(f"\nWritten to {benchkit.shown(args.report)}")
    return 0


def code_version() -> str:
    """The commit measured, and the tracked files changed since (read when the run starts)."""

    def git(*arguments: str) -> str:
        done = subprocess.run(
            ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return done.stdout

    head = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    changed = [
        line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
    ]
    return f"commit {head}" + (f", uncommitted changes to {', '.join(changed)}" if changed else "")


if __name__ == "__main__":
    raise SystemExit(main())

"""Reads that touch employees' identities, on PostgreSQL: before and after sealing them.

    python scripts/bench_identity.py [--database-url URL] [--label TEXT] [--report PATH]
                                     [--employees N] [--history N] [--runs N]

In a fresh schema (dropped at the end): one member of `--employees` employees hired in bulk,
and one employee of `--history` events (determinants declared then withdrawn); the read
models caught up, the tables ANALYZEd. Then, straight on the workforce read model's queries
(no HTTP), over `--runs` runs each: the first page of 100 employees, a page deep in the list
(its cursor taken from the page before), a search by a whole name, a search by the first
letters of a name, a search by two words, and the as-of question of the long history (the
employee's state on a past day as known at a past instant). Written to docs/BENCHMARKS.md
between `<!-- bench_identity:start -->` and `<!-- bench_identity:end -->`, one subsection per
`--label`.
"""

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from uuid import UUID

import bench_reads
import benchkit
from bench_reads import (
    Samples,
    analyze,
    build_history,
    open_bench,
    register_member,
    request,
    timed,
)
from benchkit import HIRE_DATE, TERMS, new_identity

from application.registre import Registre
from application.workforce.commands import HireEmployee, HireEmployees, NewHire
from domain.calendar import SYSTEM_CLOCK
from projections.model import ActiveGenerations
from projections.timeline import instant
from projections.workforce.workforce_queries import WorkforceFilter, WorkforceQueries

PAGE = 100
HIRES = 30
WHOLE_NAME, NAME_START, TWO_WORDS = "nguyen", "ngu", "camille martin"

SECTION = benchkit.ReportSection(
    name="bench_identity",
    intro="""## Reads of identities (PostgreSQL)

Measured by `scripts/bench_identity.py` on the workforce read model's queries, without HTTP,
for a member of 10,000 employees: the first page of 100 and one half-way down the list, the
first page again when nothing is in memory (after a restart, or for a member not read lately)
and just after a hire, searches by name (a whole name, its first three letters, two words) and
an as-of question on one employee's long history. The same script ran on the code before the
sealing of identities (`docs/PERSONAL_DATA.md`) and after, one after the other, on the shared
machine (its load is in each run's header: the figures move by ±50 % with it).

What changed with sealing: a page no longer reads names from the table in order. The member's
order of names is unsealed once per process (the « cold » row: a key look-up per 500 employees
and an AES-GCM opening per name, ~0.4 s for 10,000), kept with the identities it opened, and
brought up to date by opening only the identities named since (« just after a hire »): the
people table's `named_at` is the log position of the naming event, so checking the order reads
one index entry. A page walks that order from the cursor, reads its 110 rows by id in one query
and opens no identity that did not change. A search reads the ids whose blind-index tokens
match every word (one query), places them by their position in the order, then walks them the
same way. Orders are kept for 64 members and 200,000 employees per process.

Measured one after the other (« before sealing, 2 » and « after sealing, 2 », load ~1): first
page 2.38 → 2.14 ms, half-way 4.39 → 2.09 ms, one-word searches 3.1 → 3.7–4.0 ms (×1.2: one more
query, on the blind index), two words 5.98 → 3.99 ms, as-of 0.45 → 0.43 ms: these reads keep
their speed. Dearer: the first page just after a hire (2.66 → 4.47 ms: the order of 10,000 copied
with the new name) and the first read of a member after a restart, or once its order left
memory (2.5 ms → 0.4 s for 10,000 employees, ~40 ms for 1,000). The earlier runs below are kept
for the record: the first sealed code opened every identity of a page and counted the member's
people to check its order.
""",
    columns=("Metric", "Median", "p99", "Rows"),
    alignments="|---|---:|---:|---:|",
)


HOMONYMS = {"confirm_homonym": True} if "confirm_homonym" in NewHire.__slots__ else {}
"""Random names repeat: each hire says it is another person (where the code asks it)."""


def hire_in_bulk(app: Registre, member_id: UUID, count: int, bulk: int = 1_000) -> None:
    rng = random.Random(member_id.int)
    for first in range(0, count, bulk):
        hires = [
            NewHire(identity=new_identity(rng), hire_date=HIRE_DATE, terms=TERMS, **HOMONYMS)
            for _ in range(min(bulk, count - first))
        ]
        app.handle(request(), HireEmployees(member_id=member_id, hires=hires))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    benchkit.add_database_argument(parser)
    benchkit.add_report_arguments(parser)
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=200)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args(argv)
    benchkit.ensure_master_key()
    when = SYSTEM_CLOCK.now()
    machine = benchkit.machine_facts(args.database_url, load_average=True)
    with (
        benchkit.fresh_schema(args.database_url, "bench_identity") as schema,
        tempfile.TemporaryDirectory() as data_dir,
        open_bench(args.database_url, schema, Path(data_dir)) as bench,
    ):
        member_id = register_member(bench.app, 1)
        started = time.perf_counter()
        hire_in_bulk(bench.app, member_id, args.employees)
        question = build_history(bench.app, register_member(bench.app, 2), args.history)
        print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        bench.runner().catch_up()
        print(f"  caught up in {time.perf_counter() - started:.1f} s", flush=True)
        analyze(bench, vacuum=True)
        queries = WorkforceQueries(bench.store, ActiveGenerations(bench.store))
        today, now = bench.app.clock.today(), instant(bench.app.clock.now())

        def page(where: WorkforceFilter | None = None, after: object = None) -> int:
            rows = queries.employees(
                member_id,
                today,
                now,
                where,
                after=after,
                limit=PAGE + 1,  # type: ignore[arg-type]
            )
            return len(rows)

        deep = None
        for _ in range(args.employees // PAGE // 2):
            rows = queries.employees(member_id, today, now, after=deep, limit=PAGE)
            deep = (rows[-1].sort_key, rows[-1].employee_id)

        def as_of() -> int:
            row = queries.employee(question.employee_id, question.valid_on, question.known_at)
            return int(row is not None)

        def cold_page() -> int:
            """The first page when the member's order of names must be unsealed again (a name
            changed) and no key is in memory (a new process)."""
            queries.__init__(bench.store, ActiveGenerations(bench.store))  # type: ignore[misc]
            vars(bench.store).pop("_identity_seal", None)
            return page()

        measured: list[tuple[str, Callable[[], int]]] = [
            (f"page of {PAGE}, the first", page),
            (f"page of {PAGE}, the first, cold (no order, no key in memory)", cold_page),
            (f"page of {PAGE}, half-way down the list", lambda: page(after=deep)),
            (
                f"search '{WHOLE_NAME}' (first {PAGE})",
                lambda: page(WorkforceFilter(search=WHOLE_NAME)),
            ),
            (
                f"search '{NAME_START}' (first {PAGE})",
                lambda: page(WorkforceFilter(search=NAME_START)),
            ),
            (
                f"search '{TWO_WORDS}' (first {PAGE})",
                lambda: page(WorkforceFilter(search=TWO_WORDS)),
            ),
            (f"as-of, one employee of {args.history:,} events", as_of),
        ]
        rows: list[tuple[str, ...]] = []
        for name, action in measured:
            found = action()
            samples = Samples.timing(action, args.runs)
            print(f"  {name}: median {samples.p50 * 1000:.2f} ms, {found} rows", flush=True)
            rows.append(
                (name, f"{samples.p50 * 1000:.2f} ms", f"{samples.p99 * 1000:.2f} ms", str(found))
            )
        runner, rng, after_hire = bench.runner(), random.Random(0), []
        for _ in range(HIRES):
            bench.app.handle(
                request(),
                HireEmployee(
                    member_id=member_id,
                    identity=new_identity(rng),
                    hire_date=HIRE_DATE,
                    terms=TERMS,
                    **HOMONYMS,
                ),
            )
            runner.catch_up()
            after_hire.append(timed(page)[1])
        samples = Samples.of(after_hire)
        name = f"page of {PAGE}, the first, just after a hire ({HIRES} hires)"
        print(f"  {name}: median {samples.p50 * 1000:.2f} ms", flush=True)
        rows.append((name, f"{samples.p50 * 1000:.2f} ms", f"{samples.p99 * 1000:.2f} ms", "101"))
    run = benchkit.Run(
        label=args.label,
        when=when,
        machine=machine,
        facts=(
            f"Code: {bench_reads.code_version()}",
            f"Settings: member of {args.employees:,} employees, {args.runs} runs after 5"
            f" warm-ups, history of {args.history:,} events",
        ),
        rows=tuple(rows),
    )
    print()
    print(SECTION.render_console(run))
    SECTION.update_file(args.report, run)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the workforce import: a DSN of N employees (10,000 by default), its dry run and
its application, then the dry run and the application of the same file again.

    python scripts/bench_import.py [--employees 10000] [--store sqlite|postgres]
                                   [--database-url URL]

The store is a fresh SQLite file in a temporary folder, or a fresh PostgreSQL schema (dropped
at the end). The member's employee ids are taken from the event log (the read models, which the
API and the CLI ask, are not part of what is timed). Goal: each step under 10 s. The figures
are printed; docs/BENCHMARKS.md (« Workforce import ») quotes a run.
"""

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID, uuid4

import benchkit

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.workforce_import import Change, WorkforceImport
from storage.settings import StoreSettings

SIREN, NIC = "732829320", "00017"
GOAL_SECONDS = 10.0


class HiredIds:
    """The store holds one member: every hire is its."""

    def __init__(self, app: Registre):
        self.app = app

    def settle(self) -> None:
        pass

    def employee_ids(self, member_id: UUID) -> list[UUID]:
        ids: list[UUID] = []
        start = 1
        while page := self.app.select_notifications(start, 10_000):
            ids += [n.originator_id for n in page if n.topic.endswith("Employee.Hired")]
            start = page[-1].id + 1
        return ids


def dsn_of(count: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = [f"S21.G00.06.001,'{SIREN}'", f"S21.G00.11.001,'{NIC}'"]
    seen: set[str] = set()
    while len(seen) < count:
        person = benchkit.new_identity(rng, born=(1962, 2004))
        assert person.nir is not None
        if person.nir.value in seen:
            continue
        seen.add(person.nir.value)
        hired = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}2024"
        lines += [
            f"S21.G00.30.001,'{person.nir.value[:13]}'",
            f"S21.G00.30.002,'{person.birth_name}'",
            f"S21.G00.30.004,'{person.first_name}'",
            f"S21.G00.30.005,'{'01' if person.sex.value == 'M' else '02'}'",
            f"S21.G00.30.006,'{person.birth_date:%d%m%Y}'",
            f"S21.G00.40.001,'{hired}'",
            "S21.G00.40.006,'Employé polyvalent'",
            "S21.G00.40.007,'01'",
        ]
    return ("\n".join(lines) + "\n").encode()


@contextmanager
def store(kind: str, database_url: str) -> Iterator[StoreSettings]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder)
            yield StoreSettings(url=f"sqlite:///{path / 'bench.sqlite3'}", data_dir=path)
        return
    benchkit.ensure_master_key()
    with benchkit.fresh_schema(database_url, "bench_import") as schema:
        url = benchkit.store_url(database_url, schema, "pool_size=4&max_overflow=4")
        with tempfile.TemporaryDirectory() as folder:
            yield StoreSettings(url=url, data_dir=Path(folder))


def timed(label: str, results: list[tuple[str, float]], work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = work()
    results.append((label, time.perf_counter() - started))
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    benchkit.add_database_argument(parser)
    args = parser.parse_args()
    content = dsn_of(args.employees)
    results: list[tuple[str, float]] = []
    with store(args.store, args.database_url) as settings:
        app = Registre(settings)
        try:
            register = RegisterMember(
                member_code="00010",
                declarant_number="12345678",
                legal_name="Bench",
                siret=SIREN + NIC,
            )
            member_id = app.handle(Request("register"), register).aggregate_id
            service = WorkforceImport(app, HiredIds(app))
            planned = timed("dry run (all new)", results, lambda: service.plan(member_id, content))
            assert planned.errors == (), planned.errors[:3]
            flagged = frozenset(
                r.person.row for r in planned.rows if Change.POSSIBLE_DUPLICATE in r.changes
            )
            request = Request.by(str(uuid4()), "bench")
            outcome = timed(
                "apply (all hired)", results, lambda: service.apply(planned, request, flagged)
            )
            assert outcome.failure is None
            assert len(outcome.applied) == args.employees
            again = timed("dry run again", results, lambda: service.plan(member_id, content))
            assert again.unchanged == args.employees
            timed("apply again", results, lambda: service.apply(again, request))
        finally:
            app.close()
    print(f"Import of a DSN of {args.employees:,} employees ({args.store}):")
    for label, seconds in results:
        print(f"  {label:<20} {seconds:6.2f} s  {'ok' if seconds < GOAL_SECONDS else 'SLOW'}")
    return 0 if all(seconds < GOAL_SECONDS for _, seconds in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""What the benchmark scripts (`scripts/bench_*.py`) share.

A scratch PostgreSQL schema and the store's URL in it, the master key, the description of the
machine, synthetic identities to hire, the common command-line options, and the report: a
console table, and a markdown subsection per labelled run inside a
`<!-- NAME:start -->` … `<!-- NAME:end -->` section of docs/BENCHMARKS.md.

The scripts run as `python scripts/bench_X.py`, so this folder is on `sys.path` and they
`import benchkit`.
"""

import argparse
import base64
import os
import platform
import random
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import cast

import psycopg
from psycopg import sql
from stdnum.fr import nir as stdnum_nir

from domain.identifiers import Nir, PcsCode
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from storage.keys import new_master_key

ROOT = Path(__file__).resolve().parent.parent
REPORT_FILE = ROOT / "docs" / "BENCHMARKS.md"
DEFAULT_DATABASE_URL = os.environ.get(
    "REGISTRE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


# CPU ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CpuUse:
    """CPU seconds (user + system) spent so far by this process, threads included, and by the
    local PostgreSQL server: its processes, and the backends that have exited (counted in the
    postmaster's children's times). Differences of two readings give what a run cost each."""

    process: float
    postgres: float

    def __sub__(self, earlier: "CpuUse") -> "CpuUse":
        return CpuUse(self.process - earlier.process, self.postgres - earlier.postgres)


def cpu_use() -> CpuUse:
    """Read from /proc: PostgreSQL's share is known only when the server runs on this machine
    (0 otherwise, or where /proc is not readable)."""
    postgres = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        name, seconds = _process_cpu(stat)
        if name.startswith("postgres"):
            postgres += seconds
    return CpuUse(time.process_time(), postgres)


def backend_cpu(pid: int) -> float:
    """The CPU seconds one PostgreSQL backend (`connection.info.backend_pid`) spent so far."""
    return _process_cpu(Path(f"/proc/{pid}/stat"))[1]


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
"""The unit of the CPU times /proc gives."""


def _process_cpu(stat: Path) -> tuple[str, float]:
    """A process's name and CPU seconds, its exited children's included (none when it ended
    while being read)."""
    try:
        text = stat.read_text()
    except OSError:
        return "", 0.0
    name, _, rest = text.partition(" (")[2].rpartition(") ")
    fields = rest.split()
    ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return name, ticks / _CLOCK_TICKS


# Set-up ---------------------------------------------------------------------------------------


def ensure_master_key() -> None:
    """A random master key in `REGISTRE_MASTER_KEY`, unless one is set already."""
    if not os.environ.get("REGISTRE_MASTER_KEY"):
        os.environ["REGISTRE_MASTER_KEY"] = base64.b64encode(new_master_key()).decode()


@contextmanager
def fresh_schema(conninfo: str, prefix: str) -> Iterator[str]:
    """A new schema named `{prefix}_<random>`, dropped with all it holds on the way out."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {0}").format(sql.Identifier(schema)))
    try:
        yield schema
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {0} CASCADE").format(sql.Identifier(schema)))


def store_url(conninfo: str, schema: str, pool_query: str) -> str:
    """The store's URL: the server's, in `schema`, with the pool options of `pool_query`."""
    separator = "&" if "?" in conninfo else "?"
    return f"{conninfo}{separator}schema={schema}&{pool_query}"


def machine_facts(conninfo: str, *, load_average: bool = False) -> str:
    """CPUs, the PostgreSQL version and its `synchronous_commit`, Python; with `load_average`,
    the load average now (the machine is shared)."""
    with psycopg.connect(conninfo) as connection:
        version = cast(tuple[str], connection.execute("SHOW server_version").fetchone())[0]
        sync = cast(tuple[str], connection.execute("SHOW synchronous_commit").fetchone())[0]
    return host_facts(
        f"PostgreSQL {version} (synchronous_commit={sync})", load_average=load_average
    )


def host_facts(database: str, *, load_average: bool = False) -> str:
    """CPUs, the `database` as described, Python; with `load_average`, the load average now."""
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    facts = f"{nproc} CPUs (nproc), {database}, Python {platform.python_version()}"
    if not load_average:
        return facts
    load = ", ".join(f"{average:.1f}" for average in os.getloadavg())
    return f"{facts}; load average at the start {load} (the machine is shared)"


# People to hire -------------------------------------------------------------------------------

HIRE_DATE = date(2025, 1, 6)
TERMS = ContractTerms(
    job_title="Technicienne de maintenance industrielle",
    contract_type=ContractType.CDI,
    pcs_code=PcsCode("477b"),
    trial_end=HIRE_DATE + timedelta(days=60),
)
BIRTH_NAMES = ("MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "LEFÈVRE", "GARCÍA", "NGUYEN")
FIRST_NAMES = {
    Sex.F: ("Camille", "Léa", "Manon", "Chloé", "Inès", "Anaïs"),
    Sex.M: ("Lucas", "Hugo", "Théo", "Nathan", "Mathis", "Raphaël"),
}


def new_identity(rng: random.Random, born: tuple[int, int] = (1962, 2004)) -> Identity:
    """A random person born between the years `born`, with a valid NIR."""
    sex = rng.choice((Sex.F, Sex.M))
    birth_date = date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
    body = (
        f"{1 if sex is Sex.M else 2}{birth_date.year % 100:02d}{birth_date.month:02d}"
        f"{rng.choice(('75', '69', '13', '59', '2A'))}{rng.randint(1, 999):03d}"
        f"{rng.randint(1, 999):03d}"
    )
    return Identity(
        birth_name=rng.choice(BIRTH_NAMES),
        first_name=rng.choice(FIRST_NAMES[sex]),
        birth_date=birth_date,
        sex=sex,
        usage_name=rng.choice((None, None, "DURAND", "LEROY")),
        nir=Nir(body + stdnum_nir.calc_check_digits(body)),
    )


# Command line ---------------------------------------------------------------------------------


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """`--label`, naming the run, and `--report`, the file it is written to."""
    parser.add_argument("--label", default="unlabelled", help="names the run in the report")
    parser.add_argument(
        "--report",
        type=Path,
        default=REPORT_FILE,
        metavar="PATH",
        help=f"the report file to update (default {REPORT_FILE.relative_to(ROOT)})",
    )


def shown(path: Path) -> Path:
    """The path as told to the user: relative to the repository when inside it."""
    resolved = path.resolve()
    return resolved.relative_to(ROOT) if resolved.is_relative_to(ROOT) else path


# Reporting ------------------------------------------------------------------------------------


def met_cell(met: bool | None) -> str:
    """A target's `Met?` cell."""
    return {None: "—", True: "yes", False: "NO"}[met]


@dataclass(frozen=True, slots=True)
class Run:
    """One labelled run, ready to show: its header and its table rows."""

    label: str
    when: datetime
    machine: str
    facts: tuple[str, ...]
    """Header lines after the label, date and machine (`Name: value`)."""
    rows: tuple[tuple[str, ...], ...]

    def header_lines(self) -> list[str]:
        return [
            f"Label: {self.label}",
            f"Date: {self.when:%Y-%m-%d %H:%M} UTC",
            f"Machine: {self.machine}",
            *self.facts,
        ]


@dataclass(frozen=True, slots=True)
class ReportSection:
    """A script's section of the report file, `<!-- NAME:start -->` … `<!-- NAME:end -->`:
    the `intro` text, then one subsection per run label, each `<!-- NAME:run KEY -->` then the
    run's header and a table of `columns`.

    `alignments` is the markdown table's separator row (`|---|---:|…`); on the console the first
    column is aligned left and the others right.
    """

    name: str
    intro: str
    columns: tuple[str, ...]
    alignments: str

    @property
    def start(self) -> str:
        return f"<!-- {self.name}:start -->"

    @property
    def end(self) -> str:
        return f"<!-- {self.name}:end -->"

    def run_mark(self, key: str) -> str:
        return f"<!-- {self.name}:run {key} -->"

    def render_console(self, run: Run) -> str:
        rows = [self.columns, *run.rows]
        widths = [max(len(row[i]) for row in rows) for i in range(len(self.columns))]
        lines = [
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join([*run.header_lines(), "", *lines])

    def render_markdown(self, run: Run) -> str:
        table = [
            "| " + " | ".join(self.columns) + " |",
            self.alignments,
            *("| " + " | ".join(row) + " |" for row in run.rows),
        ]
        header = [f"### {run.label}", "", *(f"- {line}" for line in run.header_lines()[1:])]
        return "\n".join([*header, "", *table, ""])

    def update_file(self, path: Path, run: Run) -> None:
        """Replace this label's run in the section (created at the end if missing); keep the
        other runs and the rest of the file."""
        text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
        start, end = text.find(self.start), text.find(self.end)
        if 0 <= start < end:
            before, section = text[:start], text[start + len(self.start) : end]
            after = text[end + len(self.end) :]
        else:
            before, section, after = text.rstrip("\n") + "\n\n", "", "\n"
        name = re.escape(self.name)
        pattern = re.compile(rf"<!-- {name}:run (\S+) -->\n(.*?)(?=<!-- {name}:run |\Z)", re.S)
        runs = {key: body.strip("\n") for key, body in pattern.findall(section)}
        runs[run_key(run.label)] = self.render_markdown(run).strip("\n")
        body = "\n\n".join(f"{self.run_mark(key)}\n{text}" for key, text in runs.items())
        new_section = f"{self.start}\n{self.intro}\n{body}\n\n{self.end}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(before + new_section + after, encoding="utf-8")


def run_key(label: str) -> str:
    """The key of a run in the report file, from its label."""
    return re.sub(r"[^\w.]+", "-", label.strip().lower()).strip("-") or "run"

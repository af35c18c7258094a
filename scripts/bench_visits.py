"""Visits benchmark: the visits a member of 10,000 employees owes as of a date, and the service's
overdue list.

    python scripts/bench_visits.py [--database-url URL] [--employees 10000]
                                   [--service-employees 200000] [--runs 100] [--quick]
                                   [--label TEXT] [--report PATH]

In a fresh PostgreSQL schema (dropped at the end), with a random master key, on a set day
(16/11/2026, so that two runs hold the same data):

1. A member of E employees hired over twelve years. Each career is planned as the service would
   have recorded it — the hire (a few apprentices, a fifth on fixed terms), a follow-up
   determinant putting a fifth of them in SIA or SIR (from the hire or from a later post, some
   withdrawn), departures, the visits held (most on time, some late, some never), absences and
   their returns — and each event is stamped at the instant it would have been recorded. The
   aggregates are saved directly, in batches, in the order of those instants (set-up: no
   commands, as `bench_invoices` registers its members), so the log and its knowledge instants
   read as years of use.
2. The DUE_VISITS read model alone is caught up by a fresh projection runner: events applied per
   second, against a raw psycopg SELECT of the same event rows in pages of the runner's batch,
   and against the application's own select + decode of them, which every read model needs.
3. The rest of the service — members of 5 to 3,000 employees, S employees in all — is planned,
   saved and caught up alike (the same figures).
4. `of_member` for the member (every visit its employees owe on a day, the overdue ones first):
   on the day, on a day two years before as known now, and on that day as known at its end;
   median and p95 of R runs (goal < 50 ms), each run followed by the very same SQL run raw by
   psycopg. Then the service's `overdue` first page (the 500 visits longest overdue, service-wide),
   reported against its raw SQL.

After each catch-up, no event may have been skipped by the read model, and before the queries
the answers for a few employees are checked against the domain's rule (`due_visits` on
`follow_up_file`). `--quick` shrinks every size, for a smoke test. Results go to
docs/BENCHMARKS.md between `<!-- bench_visits:start -->` and `<!-- bench_visits:end -->`, one
subsection per `--label`.
"""

import argparse
import itertools
import math
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import benchkit
import psycopg
from psycopg import sql

from application.registre import Registre
from domain.actor import Actor
from domain.calendar import PARIS, SYSTEM_CLOCK, SetClock, paris_date, stamping_at
from domain.identifiers import Siret
from domain.members.member import Member
from domain.visits.due import RENEWAL_YEARS, SIR_RENEWAL_YEARS, due_visits
from domain.visits.employee_file import follow_up_file
from domain.visits.follow_up_file import AbsenceKind, add_months
from domain.visits.follow_up_record import FollowUpRecord, VisitDocument
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.visits.organisation import HealthProfessional, ProfessionalDetails
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from projections.model import ActiveGenerations
from projections.runner import BATCH_SIZE, ProjectionRunner
from projections.store import ReadStore, Row
from projections.timeline import NEVER, knowledge, known_by_end_of
from projections.visits.due_queries import MAX_PAGE, DueVisitQueries
from projections.visits.due_visits import DueVisits
from storage.settings import StoreSettings

TODAY = date(2026, 11, 16)
NOW = datetime(2026, 11, 16, 8, tzinfo=UTC)  # 9:00 in Paris
PAST_DAY = date(2024, 11, 18)
HIRING_YEARS = 12
GOAL_MS = 50.0
WARMUPS = 5
SAVE_BATCH = 1_000
"""Steps applied between two saves."""
CHUNK_EMPLOYEES = 10_000
"""Careers planned and saved together (their steps in the order of their instants)."""
CHECKED_EMPLOYEES = 25
QUICK = {"employees": 300, "service_employees": 1_500, "runs": 5}
POOL_QUERY = "pool_size=4&max_overflow=4"
ACTOR = Actor("bench-visits")

_D = FollowUpDeterminant
SIR_DETERMINANTS = (
    _D.CMR_AGENTS,
    _D.ASBESTOS,
    _D.MANUAL_HANDLING_OVER_55KG,
    _D.BIOLOGICAL_AGENTS_GROUP_3_4,
    _D.IONISING_RADIATION_CAT_B,
    _D.IONISING_RADIATION_CAT_A,
)
SIA_DETERMINANTS = (
    _D.NIGHT_WORK,
    _D.DISABLED_WORKER,
    _D.BIOLOGICAL_AGENTS_GROUP_2,
    _D.INVALIDITY_PENSION,
)
BEFORE_ASSIGNMENT = frozenset({*SIR_DETERMINANTS, _D.NIGHT_WORK, _D.BIOLOGICAL_AGENTS_GROUP_2})
JOBS = ("Opératrice de production", "Technicien de maintenance", "Cariste", "Comptable")
ABSENCE_WEIGHTS = {
    AbsenceKind.OTHER: 60,
    AbsenceKind.WORK_ACCIDENT: 20,
    AbsenceKind.MATERNITY: 12,
    AbsenceKind.OCCUPATIONAL_DISEASE: 8,
}
ABSENCE_DAYS = {
    AbsenceKind.OTHER: (3, 150),
    AbsenceKind.WORK_ACCIDENT: (5, 180),
    AbsenceKind.MATERNITY: (112, 180),
    AbsenceKind.OCCUPATIONAL_DISEASE: (20, 240),
}
QUITTING = (ExitReason.RESIGNATION, ExitReason.DISMISSAL, ExitReason.CONVENTIONAL_TERMINATION)


# Careers, as the service recorded them --------------------------------------------------------


@dataclass
class Career:
    """One employee at a member: the aggregates its steps build, in the order they were
    recorded."""

    member_id: UUID
    employee: Employee | None = None
    record: FollowUpRecord | None = None

    def hired(self) -> Employee:
        if self.employee is None:
            raise RuntimeError("a career's first step is its hire")
        return self.employee

    def follow_up_record(self) -> FollowUpRecord:
        """The record, opened by its first change (as `RecordChange` does)."""
        if self.record is None:
            self.record = FollowUpRecord.open(self.member_id, self.hired().id, ACTOR)
        return self.record

    def aggregates(self) -> list[Any]:
        return [a for a in (self.employee, self.record) if a is not None]


Action = Callable[[Career, date], object]
"""A step's change, given the day it was recorded on."""
SEQUENCE = itertools.count()


@dataclass(frozen=True, order=True)
class Step:
    at: datetime
    seq: int
    career: Career = field(compare=False)
    action: Action = field(compare=False)


@dataclass(frozen=True)
class Staff:
    doctors: tuple[HealthProfessional, ...]
    nurses: tuple[HealthProfessional, ...]


def renewal_years(determinant: FollowUpDeterminant | None) -> int:
    if determinant is _D.IONISING_RADIATION_CAT_A:
        return 1
    if determinant in SIR_DETERMINANTS:
        return SIR_RENEWAL_YEARS
    return RENEWAL_YEARS[FollowUp.SIA if determinant in SIA_DETERMINANTS else FollowUp.SI][0]


def at(day: date, rng: random.Random) -> datetime:
    """An instant of the working day `day` (Paris time), in UTC."""
    opening = datetime(day.year, day.month, day.day, 8, tzinfo=PARIS)
    return (opening + timedelta(minutes=rng.randrange(600))).astimezone(UTC)


def days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


class CareerPlan:
    """Plans one career: a hire between `first_hire` and a month ago, then what followed."""

    def __init__(self, rng: random.Random, member_id: UUID, first_hire: date, staff: Staff):
        self.rng, self.staff = rng, staff
        self.career = Career(member_id)
        self.steps: list[Step] = []
        self.visits: set[tuple[VisitKind, date]] = set()
        self.diligent = rng.random() < 0.8
        self.hire_date = first_hire + days(rng, 0, (TODAY - first_hire).days - 30)
        self.apprentice = rng.random() < 0.04
        age = rng.randint(16, 18) if self.apprentice else rng.randint(19, 60)
        born = self.hire_date.year - age - 1
        self.identity: Identity = benchkit.new_identity(rng, born=(born, born))
        self.hired_at = at(self.hire_date - days(rng, 1, 20), rng)
        self.left_on: date | None = None
        self.last_held: date | None = None

    def plan(self) -> list[Step]:
        self._hire()
        determinant, started_on, ended_on = self._determinant()
        segments = [(self.hire_date, None if started_on > self.hire_date else determinant)]
        if started_on > self.hire_date:
            segments.append((started_on, determinant))
        if ended_on is not None:
            segments.append((ended_on + timedelta(days=1), None))
        for index, (start, in_force) in enumerate(segments):
            end = segments[index + 1][0] - timedelta(days=1) if index + 1 < len(segments) else None
            self._follow_ups(start, min(end or TODAY, self.last), in_force, first=index == 0)
        self._mid_career()
        self._absence()
        if determinant in SIR_DETERMINANTS and self.left_on and self.rng.random() < 0.5:
            held = max(self.hire_date, self.left_on - days(self.rng, 0, 20))
            self._visit(VisitKind.END_OF_CAREER, held, self.rng.choice(self.staff.doctors))
        return self.steps

    @property
    def last(self) -> date:
        """The last day of the employment as known today."""
        return self.left_on or TODAY

    def _step(self, when: datetime, action: Action) -> datetime | None:
        """Adds the step (not before the hire was recorded); None when not yet recorded."""
        when = max(when, self.hired_at + timedelta(hours=1))
        if when > NOW:
            return None
        self.steps.append(Step(when, next(SEQUENCE), self.career, action))
        return when

    def _hire(self) -> None:
        rng, hire_date = self.rng, self.hire_date
        planned_end = None
        if self.apprentice:
            contract_type, planned_end = ContractType.APPRENTICESHIP, add_months(hire_date, 24)
        elif rng.random() < 0.2:
            contract_type, planned_end = ContractType.CDD, hire_date + days(rng, 60, 540)
        else:
            contract_type = ContractType.CDI
        terms = replace(
            benchkit.TERMS,
            job_title=rng.choice(JOBS),
            contract_type=contract_type,
            trial_end=hire_date + timedelta(days=30),
            planned_end=planned_end,
        )
        identity, member_id = self.identity, self.career.member_id

        def hire(career: Career, _: date) -> None:
            career.employee = Employee.hire(
                member_id=member_id,
                identity=identity,
                hire_date=hire_date,
                terms=terms,
                actor=ACTOR,
            )

        self.steps.append(Step(self.hired_at, next(SEQUENCE), self.career, hire))
        years = (TODAY - hire_date).days / 365
        if planned_end is not None and rng.random() < 0.9:
            left_on, reason = planned_end, ExitReason.END_OF_FIXED_TERM
        elif years > 1 and rng.random() < min(0.7, 0.05 * years):
            left_on = hire_date + days(rng, 30, (TODAY - hire_date).days)
            reason = rng.choice(QUITTING)
        else:
            return
        if left_on > TODAY - timedelta(days=20):
            return  # not known yet
        self.left_on = left_on
        self._step(
            at(left_on + days(rng, 0, 15), rng),
            lambda c, _: c.hired().close_contract(left_on, reason, ACTOR),
        )

    def _determinant(self) -> tuple[FollowUpDeterminant | None, date, date | None]:
        """A fifth of the employees in SIA or SIR, from the hire or from a later post; a fifth
        of those leave it later."""
        rng, draw = self.rng, self.rng.random()
        pool = SIR_DETERMINANTS if draw < 0.08 else SIA_DETERMINANTS if draw < 0.2 else None
        span = (self.last - self.hire_date).days
        if pool is None or span < 60:
            return None, self.hire_date, None
        determinant = rng.choice(pool)
        started_on = self.hire_date
        if rng.random() < 0.25:
            started_on += days(rng, 30, span - 30)
        ended_on = None
        if rng.random() < 0.2 and (self.last - started_on).days > 90:
            ended_on = started_on + days(rng, 60, (self.last - started_on).days - 1)
        self._step(
            at(started_on - days(rng, 0, 10), rng),
            lambda c, _: c.hired().declare_determinant(determinant, started_on, ACTOR),
        )
        if ended_on is not None:
            last_day = ended_on
            self._step(
                at(ended_on + days(rng, 0, 10), rng),
                lambda c, _: c.hired().withdraw_determinant(1, last_day, ACTOR),
            )
        return determinant, started_on, ended_on

    def _follow_ups(
        self, start: date, end: date, determinant: FollowUpDeterminant | None, *, first: bool
    ) -> None:
        """The follow-up visits of a stretch of the career: a first visit when it opens a post
        (from the hire, or a new post with a determinant), then the renewals."""
        sir = determinant in SIR_DETERMINANTS
        years = renewal_years(determinant)
        if first or determinant is not None:
            kind = VisitKind.SIR_EXAM if sir else VisitKind.INFORMATION_AND_PREVENTION
            due = start if determinant in BEFORE_ASSIGNMENT else add_months(start, 3)
        else:
            kind, due = VisitKind.PERIODIC, add_months(self.last_held or start, 12 * years)
        while due <= end:
            held = self._held_for(due, not_before=start - timedelta(days=14))
            if held is None or held > end:
                return
            by = self.staff.doctors if sir or self.rng.random() < 0.3 else self.staff.nurses
            self._visit(kind, held, self.rng.choice(by))
            self.last_held, kind = held, VisitKind.PERIODIC
            if sir and years > 1:
                intermediate = add_months(held, 24) - days(self.rng, 0, 60)
                if intermediate <= end and (self.diligent or self.rng.random() < 0.5):
                    self._visit(VisitKind.INTERMEDIATE, intermediate, self.rng.choice(by))
            due = add_months(held, 12 * years)

    def _held_for(self, due: date, not_before: date) -> date | None:
        """When the visit due on `due` was held: most on time, some late, some never."""
        rng = self.rng
        if self.diligent or rng.random() < 0.5:
            return max(not_before, due - days(rng, 0, 45))
        if rng.random() < 0.3:
            return None
        return due + days(rng, 15, 400)

    def _visit(self, kind: VisitKind, held_on: date, by: HealthProfessional) -> None:
        if (kind, held_on) in self.visits or held_on > TODAY:
            return
        self.visits.add((kind, held_on))
        aptitude = by.details.role is ProfessionalRole.OCCUPATIONAL_DOCTOR and kind in {
            VisitKind.SIR_EXAM,
            VisitKind.PERIODIC,
        }
        document = (
            VisitDocument.APTITUDE_NOTICE if aptitude else VisitDocument.FOLLOW_UP_CERTIFICATE
        )
        professional_id, role = by.id, by.details.role
        self._step(
            at(held_on + days(self.rng, 0, 7), self.rng),
            lambda c, today: c.follow_up_record().record_visit(
                kind=kind,
                held_on=held_on,
                professional_id=professional_id,
                role=role,
                document=document,
                today=today,
                actor=ACTOR,
            ),
        )

    def _mid_career(self) -> None:
        year = self.identity.birth_date.year + 45
        if not self.hire_date.year <= year <= self.last.year:
            return
        if self.rng.random() < (0.7 if self.diligent else 0.2):
            low, high = max(date(year, 1, 1), self.hire_date), min(date(year, 12, 31), self.last)
            if low <= high:
                held = low + days(self.rng, 0, (high - low).days)
                self._visit(VisitKind.MID_CAREER, held, self.rng.choice(self.staff.nurses))

    def _absence(self) -> None:
        """One employee in seven away once: declared a few days in, its return when it came."""
        rng, span = self.rng, (self.last - self.hire_date).days
        if span < 60 or rng.random() >= 1 / 7:
            return
        kind = rng.choices(list(ABSENCE_WEIGHTS), list(ABSENCE_WEIGHTS.values()))[0]
        if kind is AbsenceKind.MATERNITY and self.identity.sex is Sex.M:
            kind = AbsenceKind.OTHER
        first_day = self.hire_date + days(rng, 20, span - 1)
        returned_on = first_day + days(rng, *ABSENCE_DAYS[kind])
        declared_at = self._step(
            at(first_day + days(rng, 1, 10), rng),
            lambda c, today: c.follow_up_record().declare_absence(
                kind=kind, first_day=first_day, returned_on=None, today=today, actor=ACTOR
            ),
        )
        if declared_at is None or returned_on > self.last:
            return  # still away, or left while away
        self._step(
            max(at(returned_on, rng), declared_at + timedelta(hours=1)),
            lambda c, today: c.follow_up_record().declare_return(1, returned_on, today, ACTOR),
        )
        length = (returned_on - first_day).days
        calls_for_visit = kind in {AbsenceKind.MATERNITY, AbsenceKind.OCCUPATIONAL_DISEASE} or (
            length >= (30 if kind is AbsenceKind.WORK_ACCIDENT else 60)
        )
        if calls_for_visit and rng.random() < 0.75:
            held = returned_on + days(rng, 0, 12)
            if held <= self.last:
                self._visit(VisitKind.RETURN_TO_WORK, held, rng.choice(self.staff.doctors))


# Building the service -------------------------------------------------------------------------


def register_staff(app: Registre) -> Staff:
    people = [
        ProfessionalDetails("Lefèvre", "Anne", ProfessionalRole.OCCUPATIONAL_DOCTOR),
        ProfessionalDetails("Benali", "Karim", ProfessionalRole.OCCUPATIONAL_DOCTOR),
        ProfessionalDetails("Garcia", "Luis", ProfessionalRole.NURSE),
        ProfessionalDetails("Moreau", "Julie", ProfessionalRole.NURSE),
        ProfessionalDetails("Nguyen", "Thi", ProfessionalRole.NURSE),
    ]
    with stamping_at(NOW - timedelta(days=366 * (HIRING_YEARS + 1))):
        registered = [HealthProfessional.register(details, ACTOR) for details in people]
    app.save(*registered)
    doctor = ProfessionalRole.OCCUPATIONAL_DOCTOR
    return Staff(
        doctors=tuple(p for p in registered if p.details.role is doctor),
        nurses=tuple(p for p in registered if p.details.role is not doctor),
    )


def record_steps(app: Registre, steps: list[Step]) -> None:
    """Each step applied at its instant, in order; the aggregates changed saved every
    `SAVE_BATCH` steps."""
    steps.sort()
    for first in range(0, len(steps), SAVE_BATCH):
        touched: dict[int, Career] = {}
        for step in steps[first : first + SAVE_BATCH]:
            with stamping_at(step.at):
                step.action(step.career, paris_date(step.at))
            touched[id(step.career)] = step.career
        app.save(*(a for career in touched.values() for a in career.aggregates()))


@dataclass
class Built:
    members: list[UUID] = field(default_factory=list)
    employees: int = 0
    """Recorded: in post today, and those who left."""
    in_post: int = 0
    seconds: float = 0.0
    checked: list[tuple[UUID, UUID]] = field(default_factory=list)
    """(member, employee) whose answers are checked against the domain."""


def build(
    app: Registre,
    staff: Staff,
    sizes: Sequence[int],
    *,
    seed: int,
    first_code: int,
    years: int | None = None,
) -> Built:
    """Members with these numbers of employees in post today (and those who left before),
    hiring for `years` (each its own number, 2 to 15, when None); their careers saved a chunk
    of members at a time."""
    rng, built, began = random.Random(seed), Built(), time.perf_counter()
    steps: list[Step] = []
    careers: list[tuple[UUID, CareerPlan]] = []
    for number, size in enumerate(sizes):
        first_hire = TODAY - timedelta(days=365 * (years or rng.randint(2, 15)))
        with stamping_at(at(first_hire - timedelta(days=60), rng)):
            member = Member.register(
                member_code=f"{first_code + number:06d}",
                declarant_number_hash="-",
                legal_name=f"Adhérent {first_code + number}",
                siret=Siret("73282932000033"),
                actor=ACTOR,
            )
        app.save(member)
        built.members.append(member.id)
        in_post = 0
        while in_post < size:
            plan = CareerPlan(rng, member.id, first_hire, staff)
            steps += plan.plan()
            careers.append((member.id, plan))
            in_post += plan.left_on is None
        built.in_post += in_post
        if len(careers) >= CHUNK_EMPLOYEES or number == len(sizes) - 1:
            record_steps(app, steps)
            built.employees += len(careers)
            built.checked += [
                (member_id, plan.career.hired().id)
                for member_id, plan in rng.sample(careers, min(CHECKED_EMPLOYEES, len(careers)))
            ]
            steps, careers = [], []
            rate = built.employees / (time.perf_counter() - began)
            print(f"\r  {built.employees:,} employees recorded ({rate:,.0f}/s)", end="", flush=True)
    print()
    built.seconds = time.perf_counter() - began
    return built


def service_sizes(total: int, rng: random.Random) -> list[int]:
    """Members' sizes adding up to `total`: most small, a few large."""
    sizes: list[int] = []
    while total > 0:
        low, high = rng.choices(((5, 20), (20, 100), (100, 500), (500, 3000)), (60, 25, 12, 3))[0]
        sizes.append(min(total, rng.randint(low, high)))
        total -= sizes[-1]
    return sizes


# Measuring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    metric: str
    measured: float
    unit: str
    baseline: float | None = None
    baseline_unit: str | None = None
    goal_ms: float | None = None

    def cells(self) -> tuple[str, ...]:
        ratio = "—"
        if self.baseline:
            ratio = (
                f"{self.measured / self.baseline:.1%}"
                if self.unit.endswith("/s")
                else f"{self.measured / self.baseline:.2f}x"
            )
        met = None if self.goal_ms is None else self.measured < self.goal_ms
        return (
            self.metric,
            shown(self.measured, self.unit),
            "—" if self.baseline is None else shown(self.baseline, self.baseline_unit or self.unit),
            ratio,
            "—" if self.goal_ms is None else f"< {self.goal_ms:g} ms",
            benchkit.met_cell(met),
        )


def shown(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if unit.endswith("/s") else f"{value:,.2f} {unit}"


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


@dataclass(frozen=True)
class Bench:
    settings: StoreSettings
    conninfo: str
    schema: str
    store: ReadStore

    @contextmanager
    def fresh_app(self) -> Iterator[Registre]:
        """An application of its own: cold caches (aggregates, personal-data keys)."""
        app = Registre(self.settings, clock=SetClock(NOW))
        try:
            yield app
        finally:
            app.close()

    def connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.conninfo, options=f"-c search_path={self.schema}")

    def analyze(self) -> None:
        """As autovacuum would after a bulk load."""
        with psycopg.connect(self.conninfo, autocommit=True) as connection:
            tables = connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (self.schema,)
            ).fetchall()
            for (table,) in tables:
                vacuum = sql.SQL("VACUUM ANALYZE {0}").format(sql.Identifier(self.schema, table))
                connection.execute(vacuum)


def read_raw(bench: Bench, events_table: str, after: int, upto: int) -> int:
    """The event rows after `after` up to `upto`, by pages of the runner's batch."""
    query = sql.SQL(
        "SELECT notification_id, topic, state FROM {0} WHERE notification_id > %s"
        " AND notification_id <= %s ORDER BY notification_id LIMIT %s"
    ).format(sql.Identifier(events_table))
    rows, position = 0, after
    with bench.connect() as connection:
        while page := connection.execute(query, (position, upto, BATCH_SIZE)).fetchall():
            rows += len(page)
            position = page[-1][0]
    return rows


def read_decoded(app: Registre, after: int, upto: int) -> int:
    """The same events as the runner reads them: select, the page's keys at once, decode."""
    events, position = 0, after
    while position < upto:
        page = app.select_notifications(position + 1, min(BATCH_SIZE, upto - position))
        if not page:
            break
        app.prefetch_keys(page)
        for notification in page:
            app.decode(notification)
        events, position = events + len(page), page[-1].id
    return events


def catch_up(bench: Bench, after: int, what: str) -> list[Result]:
    """DUE_VISITS alone caught up from `after` by a fresh runner, against the baselines."""
    with bench.fresh_app() as app:
        upto = app.max_notification_id()
        runner = ProjectionRunner(app, bench.store, [DueVisits])
        runner.setup()
        seconds = timed(runner.catch_up)
        if skipped := runner.failures():
            raise RuntimeError(f"DUE_VISITS skipped {len(skipped)} events: {skipped[0]}")
        events_table = cast(Any, app.recorder).events_table_name
    events = upto - after
    raw = events / timed(lambda: read_raw(bench, events_table, after, upto))
    with bench.fresh_app() as app:
        decoded = events / timed(lambda: read_decoded(app, after, upto))
    rate = events / seconds
    print(f"  catch-up {rate:,.0f} events/s; raw {raw:,.0f} rows/s; decode {decoded:,.0f}/s")
    metric = f"catch-up of DUE_VISITS, {what}: {events:,} events in {seconds:,.1f} s"
    return [
        Result(f"{metric} (vs raw SELECT)", rate, "events/s", raw, "rows/s"),
        Result(f"{metric} (vs select + decode)", rate, "events/s", decoded, "events/s"),
    ]


class RecordingStore:
    """The read store, remembering the last SQL read through it, to run the very same raw."""

    def __init__(self, store: ReadStore):
        self.store = store
        self.last: tuple[str, list[Any]] = ("", [])

    def read(self, query: str, params: Sequence[Any] = ()) -> list[Row]:
        self.last = (query, list(params))
        return self.store.read(query, params)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank, of sorted values."""
    return values[max(1, math.ceil(p / 100 * len(values))) - 1]


def time_query(
    bench: Bench,
    recording: RecordingStore,
    ask: Callable[[], list[Any]],
    what: str,
    *,
    runs: int,
    goal_ms: float | None = None,
) -> list[Result]:
    """The query and its SQL run raw by psycopg, in turns, after warm-ups: median and p95."""
    answer = ask()
    query, params = recording.last
    raw_sql = query.replace("%", "%%").replace("?", "%s")
    with bench.connect() as connection:

        def raw() -> None:
            connection.execute(raw_sql, params, prepare=True).fetchall()

        for _ in range(WARMUPS):
            ask()
            raw()
        pairs = [(timed(ask), timed(raw)) for _ in range(runs)]
        plan = connection.execute(f"EXPLAIN (ANALYZE, BUFFERS) {raw_sql}", params).fetchall()
    ms = [sorted(1000 * pair[i] for pair in pairs) for i in (0, 1)]
    what = f"{what} ({len(answer):,} rows)"
    print(f"  {what}: median {percentile(ms[0], 50):.1f} ms, p95 {percentile(ms[0], 95):.1f} ms")
    print("".join(f"    {line}\n" for (line,) in plan), end="")  # what the SQL does, to read
    return [
        Result(
            f"{what}: {name} (vs raw SQL)",
            percentile(ms[0], p),
            "ms",
            percentile(ms[1], p),
            goal_ms=goal_ms,
        )
        for name, p in (("median", 50), ("p95", 95))
    ]


def check_against_domain(app: Registre, queries: DueVisitQueries, built: Built) -> None:
    """The read model's answer for a few employees is the domain rule's, on the file as known
    now."""
    for member_id, employee_id in built.checked:
        employee: Employee = app.repository.get(employee_id)
        record_id = FollowUpRecord.create_id(employee_id)
        record = app.repository.get(record_id) if record_id in app.repository else None
        expected = [
            (d.due_by, d.kind.value, d.article, d.reason)
            for d in due_visits(follow_up_file(employee, record), TODAY)
        ]
        found = queries.of_member(member_id, TODAY, knowledge(None), employee_id)
        if sorted(expected) != sorted((v.due_by, v.kind.value, v.article, v.reason) for v in found):
            raise RuntimeError(f"DUE_VISITS differs from the rule for employee {employee_id}")


def measure_queries(
    bench: Bench, member: Built, service: Built, runs: int
) -> tuple[list[Result], str]:
    """The timings, and the name of the table read."""
    recording = RecordingStore(bench.store)
    queries = DueVisitQueries(cast(ReadStore, recording), ActiveGenerations(bench.store))
    with bench.fresh_app() as app:
        check_against_domain(app, queries, member)
        check_against_domain(app, queries, service)
    member_id, results = member.members[0], []
    questions = (
        ("today", TODAY, knowledge(None)),
        (f"on {PAST_DAY:%d/%m/%Y} as known now", PAST_DAY, knowledge(None)),
        (f"on {PAST_DAY:%d/%m/%Y} as known then", PAST_DAY, known_by_end_of(PAST_DAY)),
    )
    for name, on, known_at in questions:

        def owed(on: date = on, known_at: int = known_at) -> list[Any]:
            return queries.of_member(member_id, on, known_at)

        what = f"of_member, {name}, first page of {MAX_PAGE}"
        results += time_query(bench, recording, owed, what, runs=runs, goal_ms=GOAL_MS)

    def whole() -> list[Any]:
        return queries.of_member(member_id, TODAY, knowledge(None), limit=None)

    results += time_query(bench, recording, whole, "of_member, today, the whole list", runs=runs)
    what = f"overdue, first page of {MAX_PAGE}, service-wide"
    overdue = partial(queries.overdue, TODAY, knowledge(None))
    results += time_query(bench, recording, overdue, what, runs=runs)
    return results, queries.table("due")


def table_facts(bench: Bench, table: str) -> str:
    today = TODAY.toordinal()
    owed_today = "known_to = %s AND valid_from <= %s AND valid_to >= %s"
    query = sql.SQL(
        f"SELECT count(*), count(*) FILTER (WHERE {owed_today}),"
        f" count(*) FILTER (WHERE {owed_today} AND due_by < %s) FROM {{0}}"
    ).format(sql.Identifier(table))
    with bench.connect() as connection:
        row = connection.execute(query, (NEVER, today, today) * 2 + (today,)).fetchone()
    total, owed, overdue = cast(tuple[int, int, int], row)
    return f"{total:,} DUE_VISITS rows ({owed:,} owed today, {overdue:,} of them overdue)"


# Running --------------------------------------------------------------------------------------

SECTION = benchkit.ReportSection(
    name="bench_visits",
    intro="""## Visits owed (PostgreSQL)

Measured by `scripts/bench_visits.py` in a fresh schema, on a set day (16/11/2026): a member of
10,000 employees hired over twelve years, then the rest of a service of 200,000 employees, their
careers recorded as they would have been (determinants, departures, visits held on time, late or
never, absences and returns; each event stamped at its instant, saved in bulk in that order).
Catch-up: events per second of the DUE_VISITS read model alone, against a raw SELECT of the same
event rows and against the application's select + decode. `of_member` (the visits the
member's employees owe on a day, the most urgent first, a page of 500 as the portal asks for
them) today, two years ago, and two years ago as known then, and its whole list today; the
service's first page of overdue visits; each against its own SQL run raw. Goal: `of_member`
< 50 ms.
""",
    columns=("Metric", "Measured", "Baseline", "Ratio", "Goal", "Met?"),
    alignments="|---|---:|---:|---:|---:|:---:|",
)


def run(bench: Bench, args: argparse.Namespace) -> tuple[list[Result], str]:
    with bench.fresh_app() as app:
        print(f"a member of {args.employees:,} employees in post", flush=True)
        after = app.max_notification_id()
        staff = register_staff(app)
        member = build(app, staff, [args.employees], seed=1, first_code=1, years=HIRING_YEARS)
        bench.analyze()
        what = f"member of {member.in_post:,} in post ({member.employees:,} recorded)"
        results = catch_up(bench, after, what)
        service, rest = Built(), args.service_employees - args.employees
        if rest > 0:
            sizes = service_sizes(rest, random.Random(2))
            print(f"the rest of the service: {len(sizes):,} members, {rest:,} in post")
            after = app.max_notification_id()
            service = build(app, staff, sizes, seed=3, first_code=2)
            bench.analyze()
            what = f"{len(sizes):,} other members, {rest:,} in post"
            results += catch_up(bench, after, f"{what} ({service.employees:,} recorded)")
        events = app.max_notification_id()
    bench.analyze()
    timings, table = measure_queries(bench, member, service, args.runs)
    recorded = member.employees + service.employees
    data = (
        f"{member.in_post + service.in_post:,} employees in post ({recorded:,} recorded) at"
        f" {len(member.members) + len(service.members):,} members, {events:,} events (set-up"
        f" {recorded / (member.seconds + service.seconds):,.0f} employees/s);"
        f" {table_facts(bench, table)}"
    )
    return results + timings, data


def code_version() -> str:
    """The commit measured, and whether tracked files had changed."""
    command = ["git", "-C", str(benchkit.ROOT)]

    def git(*arguments: str) -> str:
        done = subprocess.run([*command, *arguments], capture_output=True, text=True, check=False)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    dirty = ", with uncommitted changes" if git("status", "--porcelain", "-uno") else ""
    return f"commit {head or 'unknown'}{dirty}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    benchkit.add_database_argument(parser)
    parser.add_argument("--employees", type=int, default=10_000, help="of the member measured")
    parser.add_argument(
        "--service-employees", type=int, default=200_000, help="of the whole service"
    )
    parser.add_argument("--runs", type=int, default=100, help="runs of each query")
    parser.add_argument("--quick", action="store_true", help=f"a smoke test: {QUICK}")
    benchkit.add_report_arguments(parser)
    args = parser.parse_args(argv)
    if args.quick:
        vars(args).update(QUICK)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    benchkit.ensure_master_key()
    when = SYSTEM_CLOCK.now()
    machine = benchkit.machine_facts(args.database_url, load_average=True)
    code = code_version()
    with (
        benchkit.fresh_schema(args.database_url, "bench_visits") as schema,
        tempfile.TemporaryDirectory() as data_dir,
    ):
        url = benchkit.store_url(args.database_url, schema, POOL_QUERY)
        settings = StoreSettings(url=url, data_dir=Path(data_dir))
        store = ReadStore.open(settings, pool_size=4)
        try:
            results, data = run(Bench(settings, args.database_url, schema, store), args)
        finally:
            store.close()
    load = ", ".join(f"{average:.1f}" for average in os.getloadavg())
    report = benchkit.Run(
        label=args.label,
        when=when,
        machine=machine,
        facts=(
            f"Code: {code}",
            f"Settings: runner batch {BATCH_SIZE}; {args.runs} runs of each query after"
            f" {WARMUPS} warm-ups, each followed by its raw SQL; load average at the end {load}",
            f"Data: {data}",
        ),
        rows=tuple(result.cells() for result in results),
    )
    print()
    print(SECTION.render_console(report))
    SECTION.update_file(args.report, report)
    print(f"\nWritten to {benchkit.shown(args.report)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

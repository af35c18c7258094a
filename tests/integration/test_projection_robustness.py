"""The read side under stress, on PostgreSQL: many writers committing at once while two runners
follow the log, and a `registre project` worker killed (SIGKILL) in the middle of a batch."""

import io
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar.testing import TestClient

from application.members.commands import ChangeAdministrativeInformation, RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    AmendContract,
    CloseContract,
    CorrectIdentity,
    DeclareDeterminant,
    EndExposure,
    EraseIdentity,
    HireEmployee,
    HireEmployees,
    NewHire,
    RecordExposure,
)
from cli import read_side
from contexts import AUDIT_TRAIL, READ_MODELS, create_app, open_services
from domain.actor import Actor
from domain.identifiers import CasNumber
from domain.members.member import Member
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, ExposureRoute
from messaging.mailer import OutboxMailer
from projections.batches import ConcurrentRunner
from projections.members.members import MemberDirectory
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.timeline import NEVER, OPEN_END, day
from projections.workforce.segments import Segment, timeline
from projections.workforce.workforce import SEGMENT_COLUMNS, SEGMENT_FIELDS
from storage.settings import StoreSettings

pytestmark = pytest.mark.postgres

WRITERS = 16
EMPLOYEES_PER_WRITER = 5
WRITE_SECONDS = 60
WAKE_SECONDS = 0.005
BATCH_SIZE = 8
CATCH_UP_SECONDS = 60
BULK_EMPLOYEES = 4000
BULK_CHUNK = 1000
FOLLOWED_UP = 200
KILL_ATTEMPTS = 3
RESTART_SECONDS = 120
STOP_SECONDS = 10
BENZENE = CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))
DETERMINANTS = (
    FollowUpDeterminant.ASBESTOS,
    FollowUpDeterminant.NIGHT_WORK,
    FollowUpDeterminant.CMR_AGENTS,
    FollowUpDeterminant.LIVE_ELECTRICAL_WORK,
)
FIRST_NAMES = ("Élodie", "Chloé", "Inès", "Léa", "Zoé", "Maël", "Noé", "Anaïs")
EXPOSURE_END = date(2024, 6, 30)


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def an_identity(n: int) -> Identity:
    return Identity(
        f"Durand-{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}",
        FIRST_NAMES[n % len(FIRST_NAMES)],
        date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
        Sex.F if n % 2 else Sex.M,
    )


def a_member(app: Registre, number: int) -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(
            member_code=f"{100 + number:05d}",
            declarant_number="73915284",
            legal_name=f"Atelier {number}",
        ),
    ).aggregate_id


def hire(app: Registre, member_id: UUID, n: int) -> UUID:
    return app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=an_identity(n),
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Soudeuse", ContractType.CDI),
        ),
    ).aggregate_id


def follow_up(app: Registre, employee_id: UUID, k: int) -> dict[int, date | None]:
    """A few commands on one employee; the exposures recorded (id → last day, None: open)."""
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=DETERMINANTS[k % len(DETERMINANTS)],
            started_on=date(2024, 3, 1) + timedelta(days=k % 28),
        ),
    )
    exposure = app.handle(
        a_request(),
        RecordExposure(
            employee_id=employee_id,
            agent=BENZENE,
            started_on=date(2024, 2, 1),
            routes=(ExposureRoute.INHALATION,),
        ),
    ).created_id
    assert exposure is not None
    exposures: dict[int, date | None] = {exposure: None}
    if k % 3 == 1:
        app.handle(
            a_request(),
            EndExposure(employee_id=employee_id, exposure_id=exposure, last_day=EXPOSURE_END),
        )
        exposures[exposure] = EXPOSURE_END
    if k % 4 == 2:
        app.handle(
            a_request(),
            AmendContract(
                employee_id=employee_id,
                terms=ContractTerms("Soudeuse", ContractType.CDD, planned_end=date(2024, 12, 31)),
                effective_on=date(2024, 5, 1),
            ),
        )
    if k % 2 == 0:
        app.handle(
            a_request(),
            CloseContract(
                employee_id=employee_id, last_day=date(2024, 9, 30), reason=ExitReason.RESIGNATION
            ),
        )
    if k % 7 == 3:  # a first name corrected (not another employee's whole identity)
        corrected = replace(an_identity(k), first_name="Rectifiée")
        app.handle(a_request(), CorrectIdentity(employee_id=employee_id, identity=corrected))
    if k % 11 == 5:
        app.handle(a_request(), EraseIdentity(employee_id=employee_id))
    return exposures


# Reading the read side ---------------------------------------------------------------------


def active_positions(read_store: ReadStore) -> dict[str, int]:
    """Each read model's position at its active generation ({} before the first setup)."""
    if read_store.read("SELECT to_regclass('projection_active')") == [(None,)]:
        return {}
    rows = read_store.read(
        "SELECT p.name, p.position FROM projection_positions p JOIN projection_active a"
        " ON a.name = p.name AND a.generation = p.generation"
    )
    return dict(rows)


def batch_in_flight(read_store: ReadStore) -> bool:
    """Whether a transaction has moved a position and not committed yet: a batch in progress
    (the lock its UPDATE of `projection_positions` holds until the end of the transaction)."""
    rows = read_store.read(
        "SELECT COUNT(*) FROM pg_locks WHERE relation = to_regclass('projection_positions')"
        " AND mode = 'RowExclusiveLock' AND granted"
    )
    return bool(rows[0][0])


def table_rows(read_store: ReadStore, table: str) -> list[tuple[Any, ...]]:
    return sorted(read_store.read(f"SELECT * FROM {table}"), key=repr)


def current_segments(read_store: ReadStore, generation: int) -> dict[str, list[Segment]]:
    rows = read_store.read(
        f"SELECT employee_id, {SEGMENT_COLUMNS} FROM workforce_g{generation}_segments"
        " WHERE known_to = ?",
        (NEVER,),
    )
    found: dict[str, list[Segment]] = {}
    for employee_id, *values in sorted(rows, key=lambda r: (r[0], r[1])):
        segment = dict(zip(SEGMENT_FIELDS, values, strict=True))
        segment["active"] = bool(segment["active"])  # INTEGER in the table
        segment["visit_before_assignment"] = bool(segment["visit_before_assignment"])
        found.setdefault(employee_id, []).append(Segment(**segment))
    return found


def log_ids(app: Registre) -> list[int]:
    head = app.recorder.max_notification_id() or 0
    ids: list[int] = []
    while len(ids) < head:
        page = app.recorder.select_notifications(start=len(ids) + 1, limit=1000)
        if not page:
            break
        ids += [n.id for n in page]
        if ids[-1] != len(ids):
            break  # a gap: reported by the caller
    return ids


# 1. Many writers, two runners -------------------------------------------------------------


@dataclass
class Written:
    members: list[UUID] = field(default_factory=list)
    employees: list[UUID] = field(default_factory=list)
    exposures: dict[UUID, dict[int, date | None]] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def writer(app: Registre, number: int, start: threading.Barrier, written: Written) -> None:
    """One writer: its own member and employees, commands interleaved with the others'."""
    try:
        start.wait(timeout=WRITE_SECONDS)
        member_id = a_member(app, number)
        base = number * EMPLOYEES_PER_WRITER
        employees = [hire(app, member_id, base + k) for k in range(EMPLOYEES_PER_WRITER)]
        exposures = {e: follow_up(app, e, base + k) for k, e in enumerate(employees)}
        with written.lock:
            written.members.append(member_id)
            written.employees += employees
            written.exposures.update(exposures)
    except BaseException as error:
        with written.lock:
            written.errors.append(error)


class CountingRunner(ProjectionRunner):
    """A runner that counts the batches it committed."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.committed = 0

    def run_once(self) -> int:
        read = super().run_once()  # raises ConcurrentRunner when the other runner won
        self.committed += read > 0
        return read


@contextmanager
def running(*runners: ProjectionRunner) -> Iterator[None]:
    """The runners in the background, woken every few milliseconds as a worker is by the event
    log's NOTIFY (`registre project`), so that they compete for every batch."""
    stop = threading.Event()

    def wake() -> None:
        while not stop.wait(WAKE_SECONDS):
            for runner in runners:
                runner.wake()

    waker = threading.Thread(target=wake, daemon=True)
    for runner in runners:
        runner.start()
    waker.start()
    try:
        yield
    finally:
        stop.set()
        waker.join()
        for runner in runners:
            runner.stop()


def test_a_projection_never_skips_an_event_while_many_writers_commit(
    postgres_store: StoreSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="projections")
    app, other_app = Registre(postgres_store), Registre(postgres_store)
    read_store, other_store = ReadStore.open(postgres_store), ReadStore.open(postgres_store)
    with closing(app), closing(other_app), closing(read_store), closing(other_store):
        runner = CountingRunner(app, read_store, READ_MODELS, batch_size=BATCH_SIZE)
        runner.setup()
        other = CountingRunner(other_app, other_store, READ_MODELS, batch_size=BATCH_SIZE)
        other.setup()
        written = Written()
        with running(runner, other):
            start = threading.Barrier(WRITERS)
            threads = [
                threading.Thread(target=writer, args=(app, n, start, written), daemon=True)
                for n in range(WRITERS)
            ]
            began = time.monotonic()
            deadline = began + WRITE_SECONDS
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(deadline - time.monotonic(), 0))
            assert not any(t.is_alive() for t in threads), "writers still running"
            writing = time.monotonic() - began
            assert written.errors == []
            head = app.recorder.max_notification_id() or 0
            assert runner.wait_for(head, timeout=CATCH_UP_SECONDS)
            assert other.wait_for(head, timeout=CATCH_UP_SECONDS)

        ids = log_ids(app)
        assert ids == list(range(1, head + 1)), "the event log itself has a gap"
        assert len(written.employees) == WRITERS * EMPLOYEES_PER_WRITER
        assert head > 300
        assert {s.name: s.position for s in runner.status()} == {m.name: head for m in READ_MODELS}
        assert runner.active_generations() == {m.name: 1 for m in READ_MODELS}

        audited = read_store.read("SELECT position FROM audit_g1_entries ORDER BY position")
        assert [p for (p,) in audited] == ids  # every event once: no gap, no duplicate

        members = read_store.read("SELECT member_id FROM members_g1_members")
        assert {UUID(m) for (m,) in members} == set(written.members)

        people = read_store.read("SELECT employee_id FROM workforce_g1_people")
        assert sorted(UUID(p) for (p,) in people) == sorted(written.employees)
        segments = current_segments(read_store, 1)
        for employee_id in written.employees:
            assert segments[str(employee_id)] == timeline(app.employee(employee_id)), employee_id

        versions = read_store.read(
            "SELECT employee_id, exposure_id, valid_to FROM exposures_g1_versions"
            " WHERE known_to = ?",
            (NEVER,),
        )
        expected = {
            (str(employee_id), exposure_id, OPEN_END if last_day is None else day(last_day))
            for employee_id, exposures in written.exposures.items()
            for exposure_id, last_day in exposures.items()
        }
        assert sorted(versions) == sorted(expected)

    failures = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert failures == [], [r.getMessage() for r in failures]
    assert runner.committed + other.committed > 0  # which one wins each batch is up to timing
    clashes = sum("another runner applied" in r.getMessage() for r in caplog.records)
    print(
        f"\n{head} events written in {writing:.1f} s; batches committed: {runner.committed} +"
        f" {other.committed}; refused by compare-and-set: {clashes}"
    )


# 2. A worker killed mid-batch ---------------------------------------------------------------


def fill(app: Registre, member_id: UUID, first: int, count: int) -> list[UUID]:
    """`count` employees hired in bulk, then a few commands on some, from 8 threads at once."""
    employees: list[UUID] = []
    for chunk in range(first, first + count, BULK_CHUNK):
        hires = [
            NewHire(an_identity(n), date(2024, 1, 2), ContractTerms("Vendeuse", ContractType.CDI))
            for n in range(chunk, min(chunk + BULK_CHUNK, first + count))
        ]
        results = app.handle(a_request(), HireEmployees(member_id=member_id, hires=hires))
        employees += [r.aggregate_id for r in results]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(follow_up, [app] * FOLLOWED_UP, employees[:FOLLOWED_UP], range(count)))
    return employees


def worker_command(*options: str) -> list[str]:
    return [str(Path(sys.executable).parent / "registre"), "project", *options]


@contextmanager
def worker_process(
    settings: StoreSettings, log: Path, *options: str
) -> Iterator[subprocess.Popen[bytes]]:
    """`registre project` in its own process; never left running."""
    env = {
        **os.environ,
        "REGISTRE_DATABASE_URL": settings.url,
        "REGISTRE_MASTER_KEY": os.environ["REGISTRE_MASTER_KEY"],
        "REGISTRE_DATA_DIR": str(settings.data_dir),
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            worker_command(*options),
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=STOP_SECONDS)


def poll(
    check: Callable[[], Any], process: subprocess.Popen[bytes], timeout: float, log: Path
) -> Any:
    """The first truthy `check()`, polling every 10 ms while the process runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if process.poll() is not None:
            pytest.fail(f"the worker exited ({process.returncode}):\n{log.read_text()}")
        time.sleep(0.01)
    pytest.fail(f"the worker made no progress in {timeout} s:\n{log.read_text()}")


@contextmanager
def opened(settings: StoreSettings) -> Iterator[tuple[Registre, ReadStore]]:
    """The application and the read store on `settings`, as a test beside a worker uses them."""
    app = Registre(settings)
    read_store = ReadStore.open(settings)
    with closing(app), closing(read_store):
        yield app, read_store


def test_the_read_side_survives_a_kill_of_the_worker_in_the_middle_of_a_batch(
    postgres_store: StoreSettings, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    with opened(postgres_store) as (app, read_store):
        member_id = a_member(app, 1)
        fill(app, member_id, 0, BULK_EMPLOYEES)
        before: dict[str, int] = {}
        for attempt in range(KILL_ATTEMPTS):
            head = app.recorder.max_notification_id() or 0

            def midway(head: int = head, before: dict[str, int] = before) -> dict[str, int]:
                positions = active_positions(read_store)
                if len(positions) < len(READ_MODELS):
                    return {}
                if min(positions.values()) >= head:
                    return positions  # finished already
                moved = any(p > before.get(name, 0) for name, p in positions.items())
                return positions if moved and batch_in_flight(read_store) else {}

            with worker_process(postgres_store, log) as worker:
                seen = poll(midway, worker, CATCH_UP_SECONDS, log)
                worker.send_signal(signal.SIGKILL)
                assert worker.wait(timeout=STOP_SECONDS) == -signal.SIGKILL
            killed = active_positions(read_store)
            if min(seen.values()) < head and min(killed.values()) < head:
                break
            before = killed  # it finished before the kill: a bigger store, and again
            fill(app, member_id, BULK_EMPLOYEES * (attempt + 1), BULK_EMPLOYEES * (attempt + 1))
        else:
            pytest.fail(f"the worker always finished before it could be killed ({killed})")
        print(f"\nkilled at {killed} of {head} (seen {seen}, attempt {attempt + 1})")
        assert all(0 <= p < head for p in killed.values()), killed
        assert any(p > 0 for p in killed.values()), killed
        # What the killed batch wrote was rolled back with its position: the audit trail holds
        # exactly the events up to its position.
        audited = read_store.read("SELECT COUNT(*), MAX(position) FROM audit_g1_entries")
        assert audited == [(killed["audit"], killed["audit"] or None)]

        with worker_process(postgres_store, log) as worker:
            poll(
                lambda: set(active_positions(read_store).values()) == {head},
                worker,
                RESTART_SECONDS,
                log,
            )
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=STOP_SECONDS) == 0, log.read_text()
        assert "Traceback" not in log.read_text(), log.read_text()

        runner = ProjectionRunner(app, read_store, READ_MODELS)
        runner.setup()
        assert runner.active_generations() == {m.name: 1 for m in READ_MODELS}
        for model in READ_MODELS:
            live = {
                base: table_rows(read_store, f"{model.name}_g1_{base}") for base in model.tables
            }
            generation = runner.rebuild(model.name)
            assert generation == 2
            for base in model.tables:
                rebuilt = table_rows(read_store, f"{model.name}_g2_{base}")
                assert len(rebuilt) == len(live[base]), (model.name, base)
                assert rebuilt == live[base], (model.name, base)
        assert {s.name: s.position for s in runner.status()} == {m.name: head for m in READ_MODELS}


def spawned_children(process: subprocess.Popen[bytes]) -> list[int]:
    """The processes `process` spawned through multiprocessing (Linux's /proc)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return [
        int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def test_read_models_shared_out_between_processes_build_what_one_process_builds(
    postgres_store: StoreSettings, tmp_path: Path
) -> None:
    log = tmp_path / "workers.log"
    with opened(postgres_store) as (app, read_store):
        fill(app, a_member(app, 1), 0, 300)
        head = app.recorder.max_notification_id() or 0

        def caught_up() -> bool:
            positions = active_positions(read_store)
            return len(positions) == len(READ_MODELS) and set(positions.values()) == {head}

        with worker_process(postgres_store, log, "--workers", "2") as worker:
            poll(caught_up, worker, CATCH_UP_SECONDS, log)
            [child] = spawned_children(worker)
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=STOP_SECONDS) == 0, log.read_text()
        assert not Path(f"/proc/{child}").exists(), "the child process stopped with its parent"
        assert "projections running in 2 process(es)" in log.read_text()
        assert "Traceback" not in log.read_text(), log.read_text()

        runner = ProjectionRunner(app, read_store, READ_MODELS)
        for model in READ_MODELS:
            generation = runner.rebuild(model.name)
            for base in model.tables:
                rebuilt = table_rows(read_store, f"{model.name}_g{generation}_{base}")
                assert rebuilt == table_rows(read_store, f"{model.name}_g1_{base}"), model.name


def test_on_sqlite_the_read_models_run_in_one_process(
    sqlite_store: StoreSettings, tmp_path: Path
) -> None:
    """SQLite writes one transaction at a time: more processes would only wait for each other."""
    log = tmp_path / "workers.log"
    with worker_process(sqlite_store, log, "--workers", "2") as worker:
        poll(lambda: "projections running in" in log.read_text(), worker, CATCH_UP_SECONDS, log)
        assert spawned_children(worker) == []
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=STOP_SECONDS) == 0, log.read_text()
    assert "SQLite: the read models run in one process" in log.read_text()
    assert "projections running in 1 process(es)" in log.read_text()


def test_a_projection_process_that_dies_stops_the_others_for_a_restart(
    postgres_store: StoreSettings, tmp_path: Path
) -> None:
    log = tmp_path / "workers.log"
    with worker_process(postgres_store, log, "--workers", "3") as worker:
        children = poll(
            lambda: len(spawned_children(worker)) == 2 and spawned_children(worker),
            worker,
            CATCH_UP_SECONDS,
            log,
        )
        os.kill(children[0], signal.SIGKILL)
        assert worker.wait(timeout=STOP_SECONDS) == 1, log.read_text()
    assert not Path(f"/proc/{children[1]}").exists(), "the other child stopped too"
    assert "1 projection process(es) stopped unexpectedly" in log.read_text()


def test_a_runner_that_read_a_stale_position_applies_nothing(
    app: Registre, read_store: ReadStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compare-and-set, deterministically: the second runner's batch is refused whole."""
    member_id = app.handle(
        Request.by(str(uuid4()), "user-1"),
        RegisterMember(
            member_code="00099", declarant_number="12345678", legal_name="Concurrence SARL"
        ),
    ).aggregate_id
    first = ProjectionRunner(app, read_store, [AUDIT_TRAIL])
    first.setup()
    late = ProjectionRunner(app, read_store, [AUDIT_TRAIL])
    assert first.run_once() == 1
    monkeypatch.setattr(late, "_positions", lambda models: {m.name: 0 for m in models})

    with pytest.raises(ConcurrentRunner):
        late.run_once()

    rows = read_store.read("SELECT position, aggregate_id FROM audit_g1_entries")
    assert rows == [(1, str(member_id))]


# 3. An event a read model cannot apply -------------------------------------------------------

SECRET = "Zéphyrine Secrète"
"""Personal data an error's text may quote: it must reach neither the failures nor the log."""


def registered_position(read_store: ReadStore, member_id: UUID) -> int:
    rows = read_store.read(
        "SELECT position FROM audit_g1_entries WHERE aggregate_id = ? AND aggregate_version = 1",
        (str(member_id),),
    )
    return int(rows[0][0])


def member_ids(read_store: ReadStore, generation: int = 1) -> set[UUID]:
    rows = read_store.read(f"SELECT member_id FROM members_g{generation}_members")
    return {UUID(member_id) for (member_id,) in rows}


def test_an_event_a_read_model_cannot_apply_is_skipped_and_the_read_side_goes_on(
    app: Registre,
    read_store: ReadStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug in one read model's apply for one event used to stop every read model: the runner
    retried the batch for ever, and every mutation waited in vain for its read model."""
    poisoned = Member.create_id("00102")  # `a_member(app, 2)`
    original = MemberDirectory.apply

    def apply(self: MemberDirectory, tx: Any, envelopes: Any) -> None:
        for envelope in envelopes:
            if envelope.aggregate_id == poisoned and envelope.event_name == "Registered":
                raise ValueError(f"cannot show {SECRET}")
        original(self, tx, envelopes)

    monkeypatch.setattr(MemberDirectory, "apply", apply)
    runner = ProjectionRunner(app, read_store, READ_MODELS)
    runner.setup()
    runner.start()
    try:
        before = a_member(app, 1)
        assert a_member(app, 2) == poisoned
        after = a_member(app, 3)
        employee = hire(app, after, 0)
        head = app.recorder.max_notification_id() or 0
        assert runner.wait_for(head, timeout=10), "a mutation waits for its read models"
    finally:
        runner.stop()

    position = registered_position(read_store, poisoned)
    assert member_ids(read_store) == {before, after}
    audited = read_store.read("SELECT position FROM audit_g1_entries ORDER BY position")
    assert [p for (p,) in audited] == list(range(1, head + 1))
    people = read_store.read("SELECT employee_id FROM workforce_g1_people")
    assert people == [(str(employee),)]
    assert {s.name: (s.position, s.failures) for s in runner.status()} == {
        m.name: (head, int(m is MemberDirectory)) for m in READ_MODELS
    }
    [failure] = runner.failures()
    assert (failure.name, failure.generation, failure.position, failure.topic, failure.error) == (
        "members",
        1,
        position,
        "domain.members.member:Member.Registered",
        "ValueError",
    )
    assert failure.summary.startswith("ValueError levée dans ")
    assert re.search(r"test_projection_robustness\.py:\d+ \(apply\)$", failure.summary)
    assert SECRET not in failure.summary
    assert SECRET not in caplog.text
    assert f"skips event {position} (domain.members.member:Member.Registered)" in caplog.text

    # A rebuild before the fix completes, and skips the event again.
    assert runner.rebuild("members") == 2
    assert member_ids(read_store, 2) == {before, after}
    assert [(f.generation, f.position) for f in runner.failures()] == [(2, position)]

    # Fixed, then rebuilt: the event is applied again and its failure is gone.
    monkeypatch.undo()
    assert runner.rebuild("members") == 3
    assert member_ids(read_store, 3) == {before, poisoned, after}
    assert runner.failures() == []
    assert {s.name: s.failures for s in runner.status()}["members"] == 0


def test_an_event_that_cannot_be_decoded_is_skipped_by_every_read_model_that_reads_it(
    app: Registre, read_store: ReadStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = a_member(app, 1)
    app.handle(
        a_request(),
        ChangeAdministrativeInformation(
            member_id=first, legal_name="Atelier renommé", siret=None, vat_number=None, has_cse=None
        ),
    )
    second = a_member(app, 2)
    unreadable = 2
    decode = app.mapper.to_domain_event

    def to_domain_event(stored: Any) -> Any:
        if getattr(stored, "id", None) == unreadable:  # a notification, not a stored event
            raise ValueError(f"cannot decode {SECRET}")
        return decode(stored)

    monkeypatch.setattr(app.mapper, "to_domain_event", to_domain_event)
    runner = ProjectionRunner(app, read_store, READ_MODELS)
    runner.setup()
    runner.catch_up()

    assert {s.name: s.position for s in runner.status()} == {m.name: 3 for m in READ_MODELS}
    # The read models of members' events report it; the others never decode it.
    assert sorted((f.name, f.position, f.topic, f.error) for f in runner.failures()) == [
        (
            name,
            unreadable,
            "domain.members.member:Member.AdministrativeInformationChanged",
            "ValueError",
        )
        for name in ("accounts", "audit", "declarations", "members")
    ]
    assert member_ids(read_store) == {first, second}
    named = read_store.read(
        "SELECT legal_name FROM members_g1_members WHERE member_id = ?", (str(first),)
    )
    assert named == [("Atelier 1",)]  # its change was skipped


def poisoned_member(app: Registre, member_code: str) -> UUID:
    """A member whose name holds NUL, which PostgreSQL's text refuses, written straight through
    the recorder (the commands, and the mapper, refuse such a text)."""
    member = Member(
        member_code=member_code,
        declarant_number_hash="not-a-hash",
        legal_name="Atelier PLACEHOLDER",
        siret=None,
        actor=Actor("user-1"),
    )
    stored = [app.mapper.to_stored_event(event) for event in member.collect_events()]
    nul = [replace(s, state=s.state.replace(b" PLACEHOLDER", b"\\u0000")) for s in stored]
    app.recorder.insert_events(nul)
    return member.id


def test_a_nul_byte_postgresql_refuses_stops_neither_the_read_side_nor_the_api(
    postgres_store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Registre(postgres_store)
    read_store = ReadStore.open(postgres_store)
    with closing(app), closing(read_store):
        before = a_member(app, 1)
        poisoned = poisoned_member(app, "00102")
        after = a_member(app, 3)
        employee = hire(app, after, 0)
        head = app.recorder.max_notification_id() or 0
        runner = ProjectionRunner(app, read_store, READ_MODELS)
        runner.setup()
        runner.catch_up()

        position = registered_position(read_store, before) + 1
        assert {(f.name, f.position, f.error) for f in runner.failures()} == {
            ("members", position, "psycopg.DataError"),
            ("audit", position, "psycopg.DataError"),
        }
        assert {s.name: s.position for s in runner.status()} == {m.name: head for m in READ_MODELS}
        assert member_ids(read_store) == {before, after}
        audited = read_store.read("SELECT position FROM audit_g1_entries ORDER BY position")
        assert [p for (p,) in audited] == [p for p in range(1, head + 1) if p != position]
        assert read_store.read("SELECT employee_id FROM workforce_g1_people") == [(str(employee),)]
        assert poisoned not in member_ids(read_store)

    # `registre projections status` lists it; the API starts and /health counts it.
    monkeypatch.setenv("REGISTRE_DATABASE_URL", postgres_store.url)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(postgres_store.data_dir))
    out = io.StringIO()
    assert read_side.status(out) == 0
    printed = out.getvalue()
    assert "échecs" in printed
    assert (
        f"génération 1, événement {position} (domain.members.member:Member.Registered)" in printed
    )
    outbox = OutboxMailer(postgres_store.data_dir / "outbox")
    services = open_services(postgres_store, run_projections=True, mailer=outbox)
    try:
        with TestClient(create_app(services)) as client:
            health = client.get("/health")
    finally:
        services.close()
    assert health.status_code == 200
    failures = {p["name"]: p["failures"] for p in health.json()["projections"]}
    assert failures == {m.name: int(m.name in {"members", "audit"}) for m in READ_MODELS}

    # `registre projections rebuild` completes, and says what it skipped again.
    out = io.StringIO()
    assert read_side.rebuild("members", out) == 0
    assert "members : génération 2 en service." in out.getvalue()
    assert "members : 1 événement(s) non appliqué(s)" in out.getvalue()

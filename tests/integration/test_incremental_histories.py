"""The read models that draw an employee's state again only from the first day a change may
touch (the workforce timeline, `retimed`; the due visits, categories remembered for long
histories and rows kept while owed) say, at every instant a command was recorded, what the
employee's aggregates said then, drawn whole — on a random history of commands long enough to
be snapshotted and to have its categories remembered (hires, rehires, corrected hires, closings,
determinants declared, withdrawn and retracted, CMR exposures, visits held and withdrawn,
absences and returns, birth dates corrected, an erasure), while the runner follows the log in
small batches that each fail once after the read models folded them (applied again carefully,
the caches ahead of the tables) and the shared folder keeps one aggregate only (reloaded from
snapshots and events). A rebuild in one batch then writes the same due rows."""

import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError

import projections.aggregates
from application.commands import Command
from application.members.commands import RegisterMember
from application.registre import SNAPSHOT_INTERVAL, Registre
from application.requests import Request
from application.visits.follow_up import (
    DeclareAbsence,
    DeclareReturn,
    RecordVisit,
    WithdrawAbsence,
    WithdrawVisit,
)
from application.visits.organisation import RegisterProfessional
from application.workforce.commands import (
    AmendContract,
    CloseContract,
    CorrectContract,
    CorrectIdentity,
    DeclareDeterminant,
    EndExposure,
    EraseIdentity,
    HireEmployees,
    NewHire,
    RecordExposure,
    RehireEmployee,
    RetractDeterminant,
    WithdrawDeterminant,
    WithdrawExposure,
)
from contexts import READ_MODELS
from domain.calendar import SetClock
from domain.errors import DomainError, NotFound
from domain.visits.due_spans import due_spans
from domain.visits.employee_file import follow_up_file
from domain.visits.follow_up_file import AbsenceKind
from domain.visits.follow_up_record import FollowUpRecord, VisitDocument
from domain.visits.kinds import VisitKind
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from projections.model import Envelope, ReadModel
from projections.runner import ProjectionRunner
from projections.store import ReadStore, Tx
from projections.timeline import instant
from projections.visits.due_visits import LONG_HISTORY, DueVisits, stored_span
from projections.workforce.segments import SEGMENT_FIELDS, Segment, timeline
from projections.workforce.workforce import SEGMENT_COLUMNS
from tests.integration.visits_scenario import DOCTOR, NURSE
from tests.unit.test_employee import benzene, wood_dust

HIRE = date(2024, 1, 2)
STARTED = datetime(2026, 6, 1, 8, tzinfo=UTC)
COMMANDS = 240
SEED = 5
Row = tuple[Any, ...]


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


class FailsOnce(ReadModel):
    """Fails the first time it is handed each batch, after the other read models folded it
    (its name sorts last): the runner rolls the batch back and applies it again carefully."""

    name = "zz_fails_once"
    tables = ("nothing",)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.seen: set[tuple[int, int]] = set()

    def create(self, tx: Tx) -> None:
        tx.execute(f"CREATE TABLE {self.table('nothing')} (x INTEGER)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        batch = (envelopes[0].position, len(envelopes))
        if batch not in self.seen:
            self.seen.add(batch)
            raise RuntimeError("this batch fails once")


@dataclass
class Said:
    """What the aggregates said after each command, drawn whole, by instant."""

    due: dict[int, dict[UUID, set[Row]]] = field(default_factory=dict)
    segments: dict[int, dict[UUID, list[Segment]]] = field(default_factory=dict)
    erased_at: dict[UUID, int] = field(default_factory=dict)


def drawn_whole(app: Registre, employee_id: UUID) -> set[Row]:
    employee: Employee = app.repository.get(employee_id)
    record: FollowUpRecord | None
    try:
        record = app.repository.get(FollowUpRecord.create_id(employee_id))
    except AggregateNotFoundError:
        record = None
    return {
        (str(employee_id), str(employee.member_id), *stored_span(span))
        for span in due_spans(follow_up_file(employee, record))
    }


def a_day(rng: random.Random, first: date = HIRE, days: int = 900) -> date:
    return first + timedelta(days=rng.randint(0, days))


def a_command(
    rng: random.Random, app: Registre, employee_id: UUID, professionals: list[UUID]
) -> Command[Any]:
    employee: Employee = app.repository.get(employee_id)
    determinant = rng.randint(1, max(1, employee.determinants_declared))
    exposure = rng.randint(1, max(1, employee.exposures_recorded))
    roll = rng.random()
    choices: list[tuple[float, Callable[[], Command[Any]]]] = [
        (
            0.30,
            lambda: DeclareDeterminant(
                employee_id=employee_id,
                determinant=rng.choice(list(FollowUpDeterminant)),
                started_on=a_day(rng),
            ),
        ),
        (
            0.38,
            lambda: WithdrawDeterminant(
                employee_id=employee_id, determinant_id=determinant, last_day=a_day(rng)
            ),
        ),
        (
            0.41,
            lambda: RetractDeterminant(
                employee_id=employee_id, determinant_id=determinant, error_note="Erreur"
            ),
        ),
        (
            0.47,
            lambda: RecordExposure(
                employee_id=employee_id,
                agent=rng.choice([benzene(), wood_dust()]),
                started_on=a_day(rng),
                ended_on=rng.choice([None, a_day(rng)]),
            ),
        ),
        (
            0.50,
            lambda: EndExposure(employee_id=employee_id, exposure_id=exposure, last_day=a_day(rng)),
        ),
        (
            0.52,
            lambda: WithdrawExposure(
                employee_id=employee_id, exposure_id=exposure, error_note="Erreur"
            ),
        ),
        (
            0.55,
            lambda: AmendContract(
                employee_id=employee_id,
                terms=ContractTerms(rng.choice(["Cariste", "Soudeuse"]), ContractType.CDI),
                effective_on=a_day(rng),
            ),
        ),
        (
            0.58,
            lambda: CorrectContract(
                employee_id=employee_id,
                hire_date=a_day(rng, HIRE - timedelta(days=30), 400),
                terms=ContractTerms(
                    "Vendeuse", rng.choice([ContractType.CDI, ContractType.APPRENTICESHIP])
                ),
            ),
        ),
        (
            0.62,
            lambda: CloseContract(
                employee_id=employee_id, last_day=a_day(rng), reason=ExitReason.RESIGNATION
            ),
        ),
        (
            0.66,
            lambda: RehireEmployee(
                employee_id=employee_id,
                hire_date=a_day(rng),
                terms=ContractTerms("Vendeuse", ContractType.CDI),
            ),
        ),
        (
            0.69,
            lambda: CorrectIdentity(
                employee_id=employee_id,
                identity=replace(
                    employee.identity or an_identity(0),
                    birth_date=date(rng.choice([1980, 1981, 2007]), rng.randint(1, 12), 1),
                ),
            ),
        ),
        (
            0.84,
            lambda: RecordVisit(
                employee_id=employee_id,
                kind=rng.choice(list(VisitKind)),
                held_on=a_day(rng, HIRE - timedelta(days=20), (app.today() - HIRE).days + 20),
                professional_id=rng.choice(professionals),
                document=VisitDocument.NONE,
            ),
        ),
        (
            0.87,
            lambda: WithdrawVisit(
                employee_id=employee_id, visit_id=rng.randint(1, 6), error_note="Erreur"
            ),
        ),
        (
            0.94,
            lambda: DeclareAbsence(
                employee_id=employee_id,
                kind=rng.choice(list(AbsenceKind)),
                first_day=a_day(rng),
                returned_on=rng.choice([None, a_day(rng)]),
            ),
        ),
        (
            0.98,
            lambda: DeclareReturn(
                employee_id=employee_id, absence_id=rng.randint(1, 4), returned_on=a_day(rng)
            ),
        ),
        (
            1.00,
            lambda: WithdrawAbsence(
                employee_id=employee_id, absence_id=rng.randint(1, 4), error_note="Erreur"
            ),
        ),
    ]
    return next(make for up_to, make in choices if roll < up_to)()


def an_identity(number: int) -> Identity:
    return Identity("Durand", f"Salariée {number}", date(1980 + number, 3, 1), Sex.F)


def a_history(app: Registre, after_each: Callable[[], None]) -> tuple[list[UUID], Said]:
    """Two employees hired together, then random commands on either (the second erased half
    way), the read models caught up after every third (a command's events may be read in two
    batches)."""
    rng = random.Random(SEED)
    clock = app.clock = SetClock(STARTED)
    member_id = app.handle(
        a_request(),
        RegisterMember(member_code="00010", declarant_number="12345678", legal_name="Boulangerie"),
    ).aggregate_id
    professionals = [
        app.handle(a_request(), RegisterProfessional(details=details)).aggregate_id
        for details in (DOCTOR, NURSE)
    ]
    hires = [
        NewHire(an_identity(n), HIRE, ContractTerms("Vendeuse", ContractType.CDI)) for n in range(2)
    ]
    results = app.handle(a_request(), HireEmployees(member_id=member_id, hires=hires))
    employees = [result.aggregate_id for result in results]
    said = Said()

    def remember() -> None:
        at = instant(clock.now())
        said.due[at] = {e: drawn_whole(app, e) for e in employees}
        said.segments[at] = {e: timeline(app.repository.get(e)) for e in employees}

    remember()
    for number in range(COMMANDS):
        clock.advance(minutes=1)
        employee_id = employees[number % 2 if rng.random() < 0.5 else 0]
        command: Command[Any] = a_command(rng, app, employee_id, professionals)
        if number == COMMANDS // 2:
            command = EraseIdentity(employee_id=employees[1])
        try:
            app.handle(a_request(), command)
        except (DomainError, NotFound):
            continue
        if isinstance(command, EraseIdentity):
            said.erased_at[employees[1]] = instant(clock.now())
        remember()
        if number % 3 == 0:
            after_each()
    return employees, said


def due_rows(read_store: ReadStore, generation: int) -> list[Row]:
    return sorted(tuple(r) for r in read_store.read(f"SELECT * FROM due_visits_g{generation}_due"))


def segment_rows(read_store: ReadStore) -> list[Row]:
    return [
        tuple(r)
        for r in read_store.read(
            f"SELECT employee_id, known_from, known_to, {SEGMENT_COLUMNS}"
            " FROM workforce_g1_segments"
        )
    ]


def as_row(segment: Segment) -> Row:
    values = (getattr(segment, name) for name in SEGMENT_FIELDS)
    return tuple(int(v) if isinstance(v, bool) else v for v in values)


def test_at_every_instant_the_rows_are_the_state_drawn_whole(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(projections.aggregates, "SHARED_MAXSIZE", 1)
    monkeypatch.setattr(projections.aggregates, "_shared", threading.local())
    app = Registre(store)
    read_store = ReadStore.open(store)
    try:
        runner = ProjectionRunner(app, read_store, [*READ_MODELS, FailsOnce], batch_size=2)
        runner.setup()
        employees, said = a_history(app, runner.catch_up)
        runner.catch_up()

        long_one: Employee = app.repository.get(employees[0])
        assert len(long_one.determinants or ()) + len(long_one.exposures or ()) >= LONG_HISTORY
        assert long_one.version > SNAPSHOT_INTERVAL
        assert len(long_one.contracts) > 1
        assert employees[1] in said.erased_at
        assert len(said.due) > COMMANDS // 2

        due = due_rows(read_store, 1)
        segments = segment_rows(read_store)
        assert all(row[4] < row[5] for row in due)  # no row known over no instant
        for at, owed in said.due.items():
            for employee_id, expected in owed.items():
                erased_at = said.erased_at.get(employee_id)
                before_erasure = erased_at is not None and at < erased_at
                known = {
                    (*row[:4], *row[6:])
                    for row in due
                    if row[0] == str(employee_id) and row[4] <= at < row[5]
                }
                assert known == (set() if before_erasure else expected), (at, employee_id)
                if before_erasure:
                    continue  # the timeline before an erasure is drawn again without birth date
                drawn = sorted(
                    row[3:]
                    for row in segments
                    if row[0] == str(employee_id) and row[1] <= at < row[2]
                )
                assert drawn == sorted(map(as_row, said.segments[at][employee_id])), at
        assert read_store.read("SELECT name FROM projection_failures") == []
        fails_once = runner._instances[FailsOnce.name]
        assert isinstance(fails_once, FailsOnce)
        assert len(fails_once.seen) > COMMANDS // 4  # so many batches applied twice

        rebuilt = ProjectionRunner(app, read_store, READ_MODELS, batch_size=500).rebuild(
            DueVisits.name
        )
        assert due_rows(read_store, rebuilt) == due
    finally:
        read_store.close()
        app.close()

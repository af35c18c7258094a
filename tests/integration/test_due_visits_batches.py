"""The due visits read model writes a batch's changes in a few statements: whatever the batches,
it keeps exactly the rows it keeps when it applies the log one event at a time — hires in bulk
(one instant for many employees), absences, returns, convocation notes, withdrawals, a
determinant, a long run of determinants (whose categories are remembered between drawings), a
departure and an erasure between two changes of the record."""

from datetime import date, timedelta
from uuid import UUID, uuid4

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.visits.follow_up import (
    DeclareAbsence,
    DeclareReturn,
    SetConvocationNotes,
    WithdrawAbsence,
)
from application.workforce.commands import (
    CloseContract,
    DeclareDeterminant,
    EraseIdentity,
    HireEmployees,
    NewHire,
    WithdrawDeterminant,
)
from contexts import READ_MODELS
from domain.visits.due_spans import due_spans
from domain.visits.employee_file import follow_up_file
from domain.visits.follow_up_file import AbsenceKind
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from projections.model import table_prefix
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.timeline import NEVER
from projections.visits.due_visits import LONG_HISTORY, DueVisits, stored_span

LONG_RUN = LONG_HISTORY + 2
ORDER = {
    "files": "employee_id",
    "due": "employee_id, known_from, valid_from, kind, due_by",
    "record_items": "employee_id, item, item_id",
    "record_notes": "employee_id",
}


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def hire_three(app: Registre) -> list[UUID]:
    member_id = app.handle(
        a_request(),
        RegisterMember(member_code="00010", declarant_number="12345678", legal_name="Boulangerie"),
    ).aggregate_id
    hires = [
        NewHire(
            identity=Identity("Durand", f"Salariée {n}", date(2007, 3, 1 + n), Sex.F),
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Vendeuse", ContractType.CDI),
        )
        for n in range(3)
    ]
    results = app.handle(a_request(), HireEmployees(member_id=member_id, hires=hires))
    return [r.aggregate_id for r in results]


def a_history(app: Registre) -> UUID:
    """The history; the employee with a long run of determinants (and no record)."""
    first, second, third = hire_three(app)
    for employee_id in (first, second):
        absence = app.handle(
            a_request(),
            DeclareAbsence(
                employee_id=employee_id, kind=AbsenceKind.WORK_ACCIDENT, first_day=date(2024, 3, 4)
            ),
        ).created_id
        assert absence is not None
        app.handle(
            a_request(),
            DeclareReturn(
                employee_id=employee_id, absence_id=absence, returned_on=date(2024, 5, 6)
            ),
        )
    app.handle(
        a_request(),
        SetConvocationNotes(employee_id=first, convocation_constraints="Le matin", comment="RAS"),
    )
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=third,
            determinant=FollowUpDeterminant.NIGHT_WORK,
            started_on=date(2024, 2, 1),
        ),
    )
    for number in range(LONG_RUN):
        declared = app.handle(
            a_request(),
            DeclareDeterminant(
                employee_id=third,
                determinant=FollowUpDeterminant.HYPERBARIC,
                started_on=date(2024, 3, 1) + timedelta(days=10 * number),
            ),
        ).created_id
        assert declared is not None
        app.handle(
            a_request(),
            WithdrawDeterminant(
                employee_id=third,
                determinant_id=declared,
                last_day=date(2024, 3, 4) + timedelta(days=10 * number),
            ),
        )
    app.handle(a_request(), EraseIdentity(employee_id=second))
    app.handle(a_request(), WithdrawAbsence(employee_id=second, absence_id=1, error_note="Erreur"))
    app.handle(
        a_request(),
        CloseContract(employee_id=first, last_day=date(2024, 9, 30), reason=ExitReason.RESIGNATION),
    )
    return third


def due_tables(read_store: ReadStore, generation: int) -> dict[str, list[tuple[object, ...]]]:
    prefix = table_prefix(DueVisits.name, generation)
    return {
        table: read_store.read(f"SELECT * FROM {prefix}{table} ORDER BY {order}")
        for table, order in ORDER.items()
    }


def owed_now(tables: dict[str, list[tuple[object, ...]]], employee_id: UUID) -> set[tuple]:
    return {
        (row[2], row[3], row[6], row[7], row[8], row[9])
        for row in tables["due"]
        if row[0] == str(employee_id) and row[5] == NEVER
    }


def drawn_whole(employee: Employee) -> set[tuple]:
    """What the employee owes, their file drawn from scratch (they have no record)."""
    return {stored_span(span) for span in due_spans(follow_up_file(employee, None))}


def test_any_batches_keep_the_rows_of_one_event_at_a_time(
    app: Registre, read_store: ReadStore
) -> None:
    long_run = a_history(app)
    one_at_a_time = ProjectionRunner(app, read_store, READ_MODELS, batch_size=1)
    one_at_a_time.setup()
    one_at_a_time.catch_up()
    expected = due_tables(read_store, 1)
    assert expected["due"]
    assert expected["record_items"]
    assert expected["record_notes"]
    assert {row[0] for row in expected["due"]} == {row[0] for row in expected["files"]}
    assert owed_now(expected, long_run) == drawn_whole(app.repository.get(long_run))

    for batch_size in (2, 5, 500):
        generation = ProjectionRunner(app, read_store, READ_MODELS, batch_size=batch_size).rebuild(
            DueVisits.name
        )
        assert due_tables(read_store, generation) == expected, f"batches of {batch_size}"

"""Step 9, assigning a work situation to several employees at once, on both stores: the
determinant of the situation is declared for every employee selected in one save, their
follow-up categories follow (in the aggregate and in the WORKFORCE read model), one bad id
refuses the whole selection, a retry changes nothing, and another member's employee is refused
exactly like an unknown one."""

from collections.abc import Iterator
from datetime import date
from uuid import UUID, uuid4

import pytest

from application.catalogues.commands import RetireWorkSituation
from application.catalogues.loader import default_catalogues
from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    AssignWorkSituation,
    DeclareDeterminant,
    HireEmployee,
    SituationAssignment,
    WithdrawDeterminant,
)
from domain.batch import BatchRefused
from domain.errors import DomainError, NotFound, RuleViolation
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.timeline import NEVER
from projections.workforce.workforce import Workforce
from projections.workforce.workforce_queries import WorkforceQueries
from storage.settings import StoreSettings

NOW = NEVER - 1
HIRED_ON = date(2024, 1, 2)
STARTED_ON = date(2024, 3, 1)
CMR = FollowUpDeterminant.CMR_AGENTS
CMR_CODE = "cmr_agents"
"""The work situation whose determinant is `CMR`."""


def a_request(on_behalf_of: UUID | None = None) -> Request:
    return Request.by(str(uuid4()), "user-1", on_behalf_of=on_behalf_of)


@pytest.fixture
def read_side(app: Registre, store: StoreSettings) -> Iterator[tuple[ProjectionRunner, ReadStore]]:
    read_store = ReadStore.open(store)
    runner = ProjectionRunner(app, read_store, [Workforce])
    runner.setup()
    yield runner, read_store
    read_store.close()


def a_member(app: Registre, member_code: str = "00010") -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(
            member_code=member_code, declarant_number="12345678", legal_name="Soudures Dupont"
        ),
    ).aggregate_id


def hire(app: Registre, member_id: UUID, first_name: str, hired_on: date = HIRED_ON) -> UUID:
    identity = Identity("Dupont", first_name, date(1985, 5, 17), Sex.F)
    return app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=identity,
            hire_date=hired_on,
            terms=ContractTerms("Soudeuse", ContractType.CDI),
        ),
    ).aggregate_id


def versions(app: Registre, *employee_ids: UUID) -> list[int]:
    return [app.employee(employee_id).version for employee_id in employee_ids]


def determinant_of(code: str) -> FollowUpDeterminant:
    determinant = default_catalogues().work_situation(code).determinant
    assert determinant is not None
    return determinant


@pytest.mark.parametrize(
    ("situation", "category"), [("cmr_agents", FollowUp.SIR), ("night_work", FollowUp.SIA)]
)
def test_every_selected_employee_gets_the_situation_and_their_category_follows(
    app: Registre, read_side: tuple[ProjectionRunner, ReadStore], situation: str, category: FollowUp
) -> None:
    runner, read_store = read_side
    member_id = a_member(app)
    first, second, other = (hire(app, member_id, name) for name in ("Élodie", "Chloé", "Inès"))
    assert default_catalogues().work_situation(situation).category_on(STARTED_ON) is category

    done = app.handle(
        a_request(),
        AssignWorkSituation(
            member_id=member_id,
            situation_code=situation,
            employee_ids=[first, second],
            started_on=STARTED_ON,
        ),
    )

    assert done.situation == default_catalogues().work_situation(situation)
    assert [result.aggregate_id for result in done.declared] == [first, second]
    assert (done.already_in_force, done.category_changed) == ((), (first, second))
    assert all(result.version == 2 for result in done.declared), "hired, then assigned"
    employee: Employee = app.employee(first)
    assert employee.follow_up_on(STARTED_ON).category is category
    assert employee.follow_up_on(date(2024, 2, 29)).category is FollowUp.SI
    runner.catch_up()
    workforce = WorkforceQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))
    rows = workforce.employees_by_ids([first, second, other], STARTED_ON, NOW)
    assert [rows[e].category for e in (first, second, other)] == [
        category.value,
        category.value,
        "SI",
    ]
    assert determinant_of(situation).value in rows[first].determinants
    before = workforce.employees_by_ids([first], date(2024, 2, 29), NOW)
    assert before[first].category == "SI"


def test_a_situation_that_informs_only_is_assigned_and_changes_no_category(app: Registre) -> None:
    """Seed 000 shows psychosocial risks assigned to employees (issue 15)."""
    member_id = a_member(app)
    employee_id = hire(app, member_id, "Élodie")
    assign = AssignWorkSituation(
        member_id=member_id,
        situation_code="psychosocial",
        employee_ids=[employee_id],
        started_on=STARTED_ON,
    )

    done = app.handle(a_request(), assign)
    again = app.handle(a_request(), assign)

    assert (done.declared[0].aggregate_id, done.category_changed) == (employee_id, ())
    assert (again.declared, again.already_in_force) == ((), (employee_id,))
    employee: Employee = app.employee(employee_id)
    (period,) = employee.determinants or ()
    assert (period.determinant, period.situation) == (
        FollowUpDeterminant.REPORTED_SITUATION,
        "Risques psychosociaux",
    )
    assert employee.follow_up_on(STARTED_ON).category is FollowUp.SI


@pytest.mark.parametrize(
    ("situation_code", "error", "code"),
    [("no_such_situation", NotFound, "UNKNOWN_WORK_SITUATION")],
    ids=["unknown"],
)
def test_a_situation_the_catalogue_does_not_let_assign_is_refused_by_the_command(
    app: Registre, situation_code: str, error: type[DomainError], code: str
) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id, "Élodie")

    with pytest.raises(error) as refused:
        app.handle(
            a_request(),
            AssignWorkSituation(
                member_id=member_id,
                situation_code=situation_code,
                employee_ids=[employee_id],
                started_on=STARTED_ON,
            ),
        )

    assert refused.value.code == code
    assert versions(app, employee_id) == [1]


def test_the_situation_is_the_one_of_the_catalogue_in_effect_when_first_assigned(
    app: Registre,
) -> None:
    """Regression: the command resolves the code (it was resolved before the command, so a
    retry after the situation was retired was refused instead of answered)."""
    member_id = a_member(app)
    employee_id = hire(app, member_id, "Élodie")
    request = a_request()

    def assign(request: Request) -> SituationAssignment:
        return app.handle(
            request,
            AssignWorkSituation(
                member_id=member_id,
                situation_code="night_work",
                employee_ids=[employee_id],
                started_on=STARTED_ON,
            ),
        )

    done = assign(request)
    staff = Request.by(str(uuid4()), "staff-1")
    app.handle(staff, RetireWorkSituation(code="night_work", source="Plus suivi ici"))

    assert done.situation == default_catalogues().work_situation("night_work")
    assert assign(request) == done, "the retry: the first answer"
    with pytest.raises(NotFound) as refused:
        assign(a_request())
    assert refused.value.code == "UNKNOWN_WORK_SITUATION", "retired since"


def test_an_employee_already_sir_is_assigned_without_a_change_of_category(app: Registre) -> None:
    member_id = a_member(app)
    welder, baker = hire(app, member_id, "Élodie"), hire(app, member_id, "Chloé")
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=welder, determinant=FollowUpDeterminant.ASBESTOS, started_on=STARTED_ON
        ),
    )

    done = app.handle(
        a_request(),
        AssignWorkSituation(
            member_id=member_id,
            situation_code="night_work",
            employee_ids=[welder, baker],
            started_on=STARTED_ON,
        ),
    )

    assert [result.aggregate_id for result in done.declared] == [welder, baker]
    assert done.category_changed == (baker,), "SIR stays SIR with night work (SIA) on top"


def test_one_unknown_employee_refuses_the_whole_selection(app: Registre) -> None:
    member_id = a_member(app)
    first, second = hire(app, member_id, "Élodie"), hire(app, member_id, "Chloé")

    with pytest.raises(BatchRefused) as refused:
        app.handle(
            a_request(),
            AssignWorkSituation(
                member_id=member_id,
                situation_code=CMR_CODE,
                employee_ids=[first, uuid4(), second],
                started_on=STARTED_ON,
            ),
        )

    assert [(r.position, r.code) for r in refused.value.refusals] == [(2, "EMPLOYEE_NOT_FOUND")]
    assert versions(app, first, second) == [1, 1], "nothing saved for anyone"


def test_one_employee_the_rules_refuse_refuses_the_whole_selection_naming_their_position(
    app: Registre,
) -> None:
    member_id = a_member(app)
    first = hire(app, member_id, "Élodie")
    late = hire(app, member_id, "Chloé", hired_on=date(2024, 6, 1))

    with pytest.raises(RuleViolation) as refused:
        app.handle(
            a_request(),
            AssignWorkSituation(
                member_id=member_id,
                situation_code=CMR_CODE,
                employee_ids=[first, late],
                started_on=STARTED_ON,
            ),
        )

    assert isinstance(refused.value, BatchRefused)
    assert [(r.position, r.code) for r in refused.value.refusals] == [(2, "DATE_BEFORE_HIRE")]
    assert "Salarié n° 2, champ startedOn : " in refused.value.message
    assert "Chloé" not in refused.value.message
    assert versions(app, first, late) == [1, 1]


def test_an_empty_selection_is_refused(app: Registre) -> None:
    member_id = a_member(app)

    with pytest.raises(DomainError) as refused:
        app.handle(
            a_request(),
            AssignWorkSituation(
                member_id=member_id, situation_code=CMR_CODE, employee_ids=[], started_on=STARTED_ON
            ),
        )

    assert (refused.value.code, refused.value.field) == ("NO_EMPLOYEE", "employee_ids")


def test_a_retry_or_a_second_selection_leaves_those_already_assigned_as_they_are(
    app: Registre,
) -> None:
    member_id = a_member(app)
    first, second, third = (hire(app, member_id, name) for name in ("Élodie", "Chloé", "Inès"))
    request = a_request()

    def assign(request: Request, *employee_ids: UUID) -> SituationAssignment:
        return app.handle(
            request,
            AssignWorkSituation(
                member_id=member_id,
                situation_code=CMR_CODE,
                employee_ids=list(employee_ids),
                started_on=STARTED_ON,
            ),
        )

    done = assign(request, first, second)
    assert assign(request, first, second) == done, "the same request: the first result"
    assert versions(app, first, second) == [2, 2]

    again = assign(a_request(), first, third, second, third)
    assert [result.aggregate_id for result in again.declared] == [third]
    assert again.already_in_force == (first, second)
    assert versions(app, first, second, third) == [2, 2, 2]

    nothing = assign(a_request(), first, second, third)
    assert nothing.declared == ()
    assert nothing.already_in_force == (first, second, third)
    assert versions(app, first, second, third) == [2, 2, 2]
    employee = app.employee(first)
    assert len([d for d in employee.determinants or () if d.determinant is CMR]) == 1


def test_a_period_ended_before_the_date_is_no_reason_to_skip(app: Registre) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id, "Élodie")
    declared = app.handle(
        a_request(),
        DeclareDeterminant(employee_id=employee_id, determinant=CMR, started_on=date(2024, 1, 15)),
    )
    app.handle(
        a_request(),
        WithdrawDeterminant(
            employee_id=employee_id,
            determinant_id=declared.created_id or 0,
            last_day=date(2024, 2, 1),
        ),
    )

    done = app.handle(
        a_request(),
        AssignWorkSituation(
            member_id=member_id,
            situation_code=CMR_CODE,
            employee_ids=[employee_id],
            started_on=STARTED_ON,
        ),
    )

    assert [result.aggregate_id for result in done.declared] == [employee_id]
    assert done.category_changed == (employee_id,)


def test_another_members_employee_is_refused_like_an_unknown_one(app: Registre) -> None:
    a_id, b_id = a_member(app, "00010"), a_member(app, "00020")
    a_employee, b_employee = hire(app, a_id, "Élodie"), hire(app, b_id, "Basile")

    def refusal(member_id: UUID, employee_id: UUID, on_behalf_of: UUID | None) -> tuple[str, str]:
        with pytest.raises(DomainError) as refused:
            app.handle(
                a_request(on_behalf_of),
                AssignWorkSituation(
                    member_id=member_id,
                    situation_code=CMR_CODE,
                    employee_ids=[a_employee, employee_id],
                    started_on=STARTED_ON,
                ),
            )
        return refused.value.code, refused.value.message

    unknown = refusal(a_id, uuid4(), a_id)
    assert refusal(a_id, b_employee, a_id) == unknown, "A's user naming B's employee"
    assert refusal(a_id, b_employee, None) == unknown, "the service, B's employee under A"
    assert refusal(b_id, b_employee, a_id)[0] == "MEMBER_NOT_FOUND", "A's user naming B"
    assert refusal(b_id, b_employee, a_id) == refusal(uuid4(), b_employee, a_id)
    assert versions(app, a_employee, b_employee) == [1, 1]

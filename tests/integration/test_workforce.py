"""The workforce and headcount read models: any validity date, any knowledge instant."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    AmendContract,
    CloseContract,
    DeclareDeterminant,
    EraseIdentity,
    HireEmployee,
)
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.timeline import NEVER, instant
from projections.workforce.headcount import HeadcountQueries
from projections.workforce.workforce import Workforce
from projections.workforce.workforce_queries import WorkforceFilter, WorkforceQueries
from storage.settings import StoreSettings

NOW = NEVER - 1


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


@pytest.fixture
def read_side(app: Registre, store: StoreSettings) -> Iterator[tuple[ProjectionRunner, ReadStore]]:
    read_store = ReadStore.open(store)
    runner = ProjectionRunner(app, read_store, [Workforce], batch_size=3)
    runner.setup()
    yield runner, read_store
    read_store.close()


def queries(read_store: ReadStore) -> tuple[WorkforceQueries, HeadcountQueries]:
    generations = ActiveGenerations(read_store, refresh_seconds=0)
    return WorkforceQueries(read_store, generations), HeadcountQueries(read_store, generations)


def a_member(app: Registre) -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(member_code="00010", declarant_number="12345678", legal_name="Boulangerie"),
    ).aggregate_id


def hire(
    app: Registre, member_id: UUID, first_name: str, contract: ContractType, **terms: object
) -> UUID:
    identity = Identity("Durand", first_name, date(1990, 5, 17), Sex.F)
    return app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=identity,
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Vendeuse", contract, **terms),
        ),
    ).aggregate_id


def test_status_and_category_answer_for_any_date(app: Registre, read_side) -> None:
    runner, read_store = read_side
    member_id = a_member(app)
    cdd = hire(app, member_id, "Élodie", ContractType.CDD, planned_end=date(2024, 6, 30))
    night = hire(app, member_id, "Chloé", ContractType.CDI)
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=night,
            determinant=FollowUpDeterminant.NIGHT_WORK,
            started_on=date(2024, 3, 1),
        ),
    )
    runner.catch_up()
    workforce, headcount = queries(read_store)

    on_june_30 = {r.employee_id: r for r in workforce.employees(member_id, date(2024, 6, 30), NOW)}
    assert on_june_30[cdd].active
    assert on_june_30[night].category == "SIA"
    on_july_1 = {r.employee_id: r for r in workforce.employees(member_id, date(2024, 7, 1), NOW)}
    assert not on_july_1[cdd].active
    assert workforce.employee(night, date(2024, 2, 29), NOW).category == "SI"  # type: ignore[union-attr]
    count = headcount.headcount(member_id, date(2024, 3, 1), NOW)
    assert (count.total, count.by_category, count.by_contract_type) == (
        2,
        {"SI": 1, "SIA": 1},
        {"CDD": 1, "CDI": 1},
    )
    assert headcount.headcount(member_id, date(2024, 7, 1), NOW).total == 1
    assert workforce.employees(member_id, date(2023, 12, 31), NOW) == []


def test_knowledge_dates_show_what_was_recorded_then(app: Registre, read_side) -> None:
    runner, read_store = read_side
    member_id = a_member(app)
    employee = hire(app, member_id, "Élodie", ContractType.CDI)
    before_exit = instant(datetime.now(UTC))
    app.handle(
        a_request(),
        CloseContract(
            employee_id=employee, last_day=date(2024, 3, 31), reason=ExitReason.RESIGNATION
        ),
    )
    runner.catch_up()
    workforce, _ = queries(read_store)

    as_known_before = workforce.employee(employee, date(2024, 5, 1), before_exit)
    as_known_now = workforce.employee(employee, date(2024, 5, 1), NOW)
    assert as_known_before is not None
    assert as_known_before.active
    assert as_known_now is not None
    assert not as_known_now.active


def test_filters_and_accent_insensitive_search(app: Registre, read_side) -> None:
    runner, read_store = read_side
    member_id = a_member(app)
    elodie = hire(app, member_id, "Élodie", ContractType.CDI)
    hire(app, member_id, "Chloé", ContractType.APPRENTICESHIP)
    runner.catch_up()
    workforce, _ = queries(read_store)
    day = date(2024, 5, 1)

    found = workforce.employees(member_id, day, NOW, WorkforceFilter(search="elodie"))
    assert [r.employee_id for r in found] == [elodie]
    apprentices = workforce.employees(
        member_id, day, NOW, WorkforceFilter(contract_type="APPRENTICESHIP")
    )
    assert [r.first_name for r in apprentices] == ["Chloé"]
    first_page = workforce.employees(member_id, day, NOW, limit=1)
    second_page = workforce.employees(
        member_id, day, NOW, after=(first_page[0].sort_key, first_page[0].employee_id), limit=1
    )
    assert {first_page[0].first_name, second_page[0].first_name} == {"Élodie", "Chloé"}


def test_erasure_wipes_the_names(app: Registre, read_side) -> None:
    runner, read_store = read_side
    member_id = a_member(app)
    employee = hire(app, member_id, "Élodie", ContractType.CDI)
    app.handle(a_request(), EraseIdentity(employee_id=employee))
    runner.catch_up()
    workforce, _ = queries(read_store)

    row = workforce.employee(employee, date(2024, 5, 1), NOW)
    assert row is not None
    assert row.active
    assert (row.birth_name, row.first_name, row.birth_date) == (None, None, None)


def test_a_rebuild_gives_the_same_tables(app: Registre, read_side) -> None:
    runner, read_store = read_side
    member_id = a_member(app)
    employee = hire(app, member_id, "Élodie", ContractType.CDD, planned_end=date(2024, 6, 30))
    app.handle(
        a_request(),
        AmendContract(
            employee_id=employee,
            terms=ContractTerms("Vendeuse", ContractType.CDD, planned_end=date(2024, 12, 31)),
            effective_on=date(2024, 6, 1),
        ),
    )
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee,
            determinant=FollowUpDeterminant.ASBESTOS,
            started_on=date(2024, 4, 1),
        ),
    )
    runner.catch_up()
    live = segment_rows(read_store, "workforce_g1_segments")
    runner.rebuild("workforce")
    assert segment_rows(read_store, "workforce_g2_segments") == live
    assert len(live) > 3


def segment_rows(read_store: ReadStore, table: str) -> list[tuple[object, ...]]:
    rows = read_store.read(
        f"SELECT employee_id, known_to = {NEVER}, valid_from, valid_to, active, category,"
        f" contract_type, determinants FROM {table}"
    )
    return sorted(rows, key=repr)

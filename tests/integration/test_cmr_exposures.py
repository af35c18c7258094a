"""The CMR EXPOSURES read model on both stores, bitemporal: who was exposed to what on a valid
date, as recorded at a knowledge instant; identity display, erasure, and a rebuild."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from stdnum.fr import nir

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    CorrectIdentity,
    EndExposure,
    EraseIdentity,
    HireEmployee,
    RecordExposure,
    WithdrawExposure,
)
from domain.identifiers import CasNumber, Nir
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from domain.workforce.health import AgentKind, CmrAgent, ExposureDegree, ExposureRoute
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.timeline import NEVER, instant, knowledge
from projections.workforce.exposures import CmrExposureQueries, CmrExposures, ExposureRow
from tests.api.graphql_client import a_nir

NIR_BODY = "2900575056123"  # F, born in May 1990
NIR_NUMBER = NIR_BODY + nir.calc_check_digits(NIR_BODY)
TRICHLORO = CmrAgent(AgentKind.SUBSTANCE, "Trichloréthylène", CasNumber("79-01-6"))
HAP = CmrAgent(AgentKind.PROCESS, "Travaux exposant aux HAP")
BENZENE = CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))


@pytest.fixture
def runner(app: Registre, read_store: ReadStore) -> ProjectionRunner:
    projection_runner = ProjectionRunner(app, read_store, [CmrExposures])
    projection_runner.setup()
    return projection_runner


@pytest.fixture
def queries(read_store: ReadStore) -> CmrExposureQueries:
    return CmrExposureQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def now() -> int:
    return instant(datetime.now(UTC))


def an_identity(**changes: Any) -> Identity:
    """Marie Kowalczyk (NIR_NUMBER), or another person: another NIR, drawn from the names (a
    NIR is hired once per member)."""
    values: dict[str, Any] = {
        "birth_name": "Kowalczyk",
        "first_name": "Marie",
        "birth_date": date(1990, 5, 12),
        "sex": Sex.F,
        "nir": Nir(NIR_NUMBER),
    }
    person = values | changes
    if "nir" not in changes and (person["birth_name"], person["first_name"]) != (
        "Kowalczyk",
        "Marie",
    ):
        names = f"{person['birth_name']} {person['first_name']} {person.get('usage_name')}"
        person["nir"] = Nir(a_nir(person["sex"].value, person["birth_date"], names))
    return Identity(**person)


def a_member(app: Registre, member_code: str = "00010") -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(
            member_code=member_code, declarant_number="73915284", legal_name="Martin SAS"
        ),
    ).aggregate_id


def hire(app: Registre, member_id: UUID, **identity: Any) -> UUID:
    return app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=an_identity(**identity),
            hire_date=date(2024, 1, 15),
            terms=ContractTerms("Soudeuse", ContractType.CDI),
        ),
    ).aggregate_id


def record(
    app: Registre, employee_id: UUID, agent: CmrAgent, started_on: date, **details: Any
) -> int:
    created = app.handle(
        a_request(),
        RecordExposure(employee_id=employee_id, agent=agent, started_on=started_on, **details),
    ).created_id
    assert created is not None
    return created


@dataclass(frozen=True)
class Story:
    """A member, Marie exposed to trichloroethylene from 1 Feb (ended 30 June) and to HAP from
    1 March (withdrawn: recorded in error), with the knowledge instants between the commands."""

    member_id: UUID
    employee_id: UUID
    trichloro: int
    hap: int
    before: int
    recorded: int
    ended: int
    withdrawn: int


@pytest.fixture
def story(app: Registre) -> Story:
    member_id = a_member(app)
    employee_id = hire(app, member_id)
    before = now()
    trichloro = record(
        app,
        employee_id,
        TRICHLORO,
        date(2024, 2, 1),
        routes=(ExposureRoute.INHALATION, ExposureRoute.SKIN),
        hours_per_week=Decimal("12.5"),
        degree=ExposureDegree.HIGH,
        comment="Dégraissage des pièces",
    )
    hap = record(app, employee_id, HAP, date(2024, 3, 1))
    recorded = now()
    app.handle(
        a_request(),
        EndExposure(employee_id=employee_id, exposure_id=trichloro, last_day=date(2024, 6, 30)),
    )
    ended = now()
    app.handle(
        a_request(),
        WithdrawExposure(employee_id=employee_id, exposure_id=hap, error_note="Autre salarié"),
    )
    withdrawn = now()
    return Story(member_id, employee_id, trichloro, hap, before, recorded, ended, withdrawn)


def agents(rows: list[ExposureRow]) -> list[tuple[str, date | None]]:
    return [(row.agent_name, row.valid_to) for row in rows]


def as_of(queries: CmrExposureQueries, story: Story, valid_on: date, known_at: int) -> list[Any]:
    return agents(
        queries.exposures(member_id=story.member_id, valid_on=valid_on, known_at=known_at)
    )


# Bitemporal queries ---------------------------------------------------------------------------


def test_nothing_is_known_before_it_was_recorded(
    story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()

    assert as_of(queries, story, date(2024, 4, 1), story.before) == []
    assert as_of(queries, story, date(2024, 4, 1), knowledge(date(2000, 1, 1))) == []


def test_as_recorded_before_the_end_the_exposure_is_open(
    story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()

    assert as_of(queries, story, date(2024, 4, 1), story.recorded) == [
        ("Travaux exposant aux HAP", None),
        ("Trichloréthylène", None),
    ]
    assert as_of(queries, story, date(2024, 7, 1), story.recorded) == [
        ("Travaux exposant aux HAP", None),
        ("Trichloréthylène", None),
    ]


def test_as_recorded_after_the_end_the_exposure_stops_on_its_last_day(
    story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()

    ended = ("Trichloréthylène", date(2024, 6, 30))
    assert as_of(queries, story, date(2024, 6, 30), story.ended) == [
        ("Travaux exposant aux HAP", None),
        ended,
    ]
    assert as_of(queries, story, date(2024, 7, 1), story.ended) == [
        ("Travaux exposant aux HAP", None)
    ]


def test_a_withdrawn_exposure_is_in_earlier_knowledge_only(
    app: Registre, story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()

    assert ("Travaux exposant aux HAP", None) in as_of(
        queries, story, date(2024, 4, 1), story.ended
    )
    assert as_of(queries, story, date(2024, 4, 1), story.withdrawn) == [
        ("Trichloréthylène", date(2024, 6, 30))
    ]
    assert as_of(queries, story, date(2024, 4, 1), knowledge(None)) == [
        ("Trichloréthylène", date(2024, 6, 30))
    ]
    assert as_of(queries, story, date(2024, 4, 1), knowledge(app.clock.today())) == [
        ("Trichloréthylène", date(2024, 6, 30))
    ]


def test_an_exposure_is_not_there_before_its_start_nor_after_its_end(
    story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()

    assert as_of(queries, story, date(2024, 1, 31), story.withdrawn) == []
    assert as_of(queries, story, date(2024, 2, 1), story.withdrawn) == [
        ("Trichloréthylène", date(2024, 6, 30))
    ]
    assert as_of(queries, story, date(2024, 2, 29), story.ended) == [
        ("Trichloréthylène", date(2024, 6, 30))
    ]
    assert as_of(queries, story, date(2024, 7, 1), story.withdrawn) == []


def test_a_row_carries_the_details_of_the_exposure(
    story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()

    (row,) = queries.exposures(member_id=None, valid_on=date(2024, 4, 1), known_at=story.withdrawn)
    assert (row.employee_id, row.member_id, row.exposure_id) == (
        story.employee_id,
        story.member_id,
        story.trichloro,
    )
    assert (row.agent_kind, row.agent_name, row.cas_number) == (
        AgentKind.SUBSTANCE,
        "Trichloréthylène",
        "79-01-6",
    )
    assert row.routes == (ExposureRoute.INHALATION, ExposureRoute.SKIN)
    assert (row.hours_per_week, row.degree) == (Decimal("12.5"), ExposureDegree.HIGH)
    assert row.comment == "Dégraissage des pièces"
    assert (row.valid_from, row.valid_to) == (date(2024, 2, 1), date(2024, 6, 30))
    assert story.recorded < instant(row.known_from) < story.ended
    assert row.known_from.tzinfo is UTC
    assert row.known_to is None
    assert (row.birth_name, row.usage_name, row.first_name, row.birth_date) == (
        "KOWALCZYK",
        None,
        "Marie",
        date(1990, 5, 12),
    )


def test_the_history_keeps_every_version(
    story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()

    history = queries.history(story.employee_id)

    assert [(r.exposure_id, r.valid_to, r.known_to is None) for r in history] == [
        (story.trichloro, None, False),
        (story.trichloro, date(2024, 6, 30), True),
        (story.hap, None, False),
    ]
    first, second, hap = history
    assert first.known_to == second.known_from
    assert hap.known_to is not None
    assert story.ended < instant(hap.known_to) < story.withdrawn
    assert hap.routes == ()
    assert (hap.cas_number, hap.hours_per_week, hap.degree) == (None, None, None)


def test_lists_are_ordered_by_employee_name_then_agent(
    app: Registre, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    member_id = a_member(app)
    zola = hire(app, member_id, birth_name="Zola")
    emery = hire(app, member_id, birth_name="Émery", first_name="Jeanne")
    dupont = hire(app, member_id, birth_name="Dupont", usage_name="Abadie")
    for employee_id in (zola, emery, dupont):
        record(app, employee_id, TRICHLORO, date(2024, 2, 1))
        record(app, employee_id, BENZENE, date(2024, 2, 1))
    other_member = a_member(app, "00020")
    record(app, hire(app, other_member, birth_name="Bernard"), HAP, date(2024, 2, 1))
    runner.catch_up()

    rows = queries.exposures(member_id=member_id, valid_on=date(2024, 4, 1), known_at=now())
    everyone = queries.exposures(member_id=None, valid_on=date(2024, 4, 1), known_at=now())

    assert [(r.usage_name or r.birth_name, r.agent_name) for r in rows] == [
        ("ABADIE", "Benzène"),
        ("ABADIE", "Trichloréthylène"),
        ("ÉMERY", "Benzène"),
        ("ÉMERY", "Trichloréthylène"),
        ("ZOLA", "Benzène"),
        ("ZOLA", "Trichloréthylène"),
    ]
    assert [r.usage_name or r.birth_name for r in everyone][:3] == ["ABADIE", "ABADIE", "BERNARD"]
    one = queries.exposures(
        member_id=member_id, valid_on=date(2024, 4, 1), known_at=now(), employee_id=emery
    )
    assert {r.employee_id for r in one} == {emery}


def test_exposures_of_several_employees_come_in_one_batch(
    app: Registre, story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    unexposed = hire(app, story.member_id, first_name="Anne")
    runner.catch_up()

    found = queries.exposures_for_employees(
        [story.employee_id, unexposed, story.employee_id], date(2024, 4, 1), story.ended
    )

    assert list(found) == [story.employee_id, unexposed]
    assert agents(found[story.employee_id]) == [
        ("Travaux exposant aux HAP", None),
        ("Trichloréthylène", date(2024, 6, 30)),
    ]
    assert found[unexposed] == []
    assert queries.exposures_for_employees([], date(2024, 4, 1), story.ended) == {}


# Identity ----------------------------------------------------------------------------------------


def test_a_corrected_identity_shows_on_every_version(
    app: Registre, story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()
    app.handle(
        a_request(),
        CorrectIdentity(employee_id=story.employee_id, identity=an_identity(usage_name="Martin")),
    )
    runner.catch_up()

    history = queries.history(story.employee_id)

    assert {(r.birth_name, r.usage_name, r.first_name) for r in history} == {
        ("KOWALCZYK", "MARTIN", "Marie")
    }


def test_an_erasure_keeps_the_exposures_but_not_the_names(
    app: Registre, story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()
    app.handle(a_request(), EraseIdentity(employee_id=story.employee_id))
    runner.catch_up()

    history = queries.history(story.employee_id)
    (current,) = queries.exposures(
        member_id=story.member_id, valid_on=date(2024, 4, 1), known_at=knowledge(None)
    )

    assert len(history) == 3
    assert {(r.birth_name, r.usage_name, r.first_name, r.birth_date) for r in history} == {
        (None, None, None, None)
    }
    assert (current.agent_name, current.cas_number) == ("Trichloréthylène", "79-01-6")


def test_the_nir_is_never_stored(
    story: Story, runner: ProjectionRunner, read_store: ReadStore
) -> None:
    runner.catch_up()

    generation = runner.active_generations()["exposures"]
    rows = read_store.read(f"SELECT * FROM exposures_g{generation}_versions")
    assert rows
    assert NIR_NUMBER not in repr(rows)
    assert NIR_BODY not in repr(rows)


# Following the log --------------------------------------------------------------------------


def questions(queries: CmrExposureQueries, story: Story) -> list[list[ExposureRow]]:
    instants = (story.before, story.recorded, story.ended, story.withdrawn, NEVER - 1)
    days = (date(2024, 1, 31), date(2024, 2, 1), date(2024, 4, 1), date(2024, 7, 1))
    answers = [
        queries.exposures(member_id=story.member_id, valid_on=valid_on, known_at=known_at)
        for valid_on in days
        for known_at in instants
    ]
    return [*answers, queries.history(story.employee_id)]


def test_a_rebuild_gives_the_same_answers(
    app: Registre, story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    app.handle(
        a_request(),
        CorrectIdentity(employee_id=story.employee_id, identity=an_identity(usage_name="Martin")),
    )
    runner.catch_up()
    live = questions(queries, story)

    assert runner.rebuild("exposures") == 2
    assert queries.generations.of("exposures") == 2
    assert questions(queries, story) == live


def test_a_rebuild_after_an_erasure_gives_the_same_answers(
    app: Registre, story: Story, runner: ProjectionRunner, queries: CmrExposureQueries
) -> None:
    runner.catch_up()
    app.handle(a_request(), EraseIdentity(employee_id=story.employee_id))
    runner.catch_up()
    live = questions(queries, story)

    runner.rebuild("exposures")

    assert questions(queries, story) == live


def test_small_batches_and_a_runner_started_midway_give_the_same_answers(
    app: Registre, read_store: ReadStore, queries: CmrExposureQueries
) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id)
    first = ProjectionRunner(app, read_store, [CmrExposures], batch_size=2)
    first.setup()
    before = now()
    trichloro = record(app, employee_id, TRICHLORO, date(2024, 2, 1))
    first.catch_up()
    recorded = now()
    app.handle(
        a_request(),
        EndExposure(employee_id=employee_id, exposure_id=trichloro, last_day=date(2024, 6, 30)),
    )
    ended = now()
    hap = record(app, employee_id, HAP, date(2024, 3, 1))
    app.handle(
        a_request(),
        WithdrawExposure(employee_id=employee_id, exposure_id=hap, error_note="Doublon"),
    )
    withdrawn = now()

    midway = ProjectionRunner(app, read_store, [CmrExposures], batch_size=1)
    midway.catch_up()

    story = Story(member_id, employee_id, trichloro, hap, before, recorded, ended, withdrawn)
    assert [len(a) for a in questions(queries, story)[:5]] == [0] * 5
    assert as_of(queries, story, date(2024, 7, 1), recorded) == [("Trichloréthylène", None)]
    assert as_of(queries, story, date(2024, 7, 1), ended) == []
    assert len(queries.history(employee_id)) == 3

"""`registre audit replay` computes a member's workforce and CMR list from the events alone; on
both stores it agrees with the WORKFORCE and CMR EXPOSURES read models (the queries the GraphQL
API asks) for every validity date and knowledge instant of a history corrected afterwards: an
exposure withdrawn and recorded again the next day, another one ended, an employee who left, a
contract amended, an identity corrected, another erased. The replay is a logged health read."""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest

from application.accounts.access_store import AccessEvent, AccessStore
from application.registre import Registre
from application.workforce.replay import (
    OPERATION,
    Replay,
    ReplayedEmployee,
    ReplayedExposure,
    replay,
    replay_logged,
)
from domain.calendar import SetClock
from domain.errors import NotFound
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.timeline import from_instant, instant, knowledge
from projections.workforce.exposures import CmrExposureQueries, CmrExposures, ExposureRow
from projections.workforce.workforce import Workforce
from projections.workforce.workforce_queries import WorkforceQueries, WorkforceRow
from storage.settings import StoreSettings
from tests.integration.replay_history import MEMBER_CODE, START, History, paris, record_history


@pytest.fixture
def clock() -> SetClock:
    return SetClock(START)


@pytest.fixture
def app(store: StoreSettings, clock: SetClock) -> Iterator[Registre]:
    application = Registre(store, clock=clock)
    yield application
    application.close()


@pytest.fixture
def history(app: Registre, clock: SetClock) -> History:
    return record_history(app, clock)


@pytest.fixture
def read_models(
    app: Registre, read_store: ReadStore
) -> tuple[WorkforceQueries, CmrExposureQueries]:
    runner = ProjectionRunner(app, read_store, [Workforce, CmrExposures])
    runner.setup()
    runner.catch_up()
    generations = ActiveGenerations(read_store, refresh_seconds=0)
    return WorkforceQueries(read_store, generations), CmrExposureQueries(read_store, generations)


def employee_view(row: WorkforceRow | ReplayedEmployee) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ReplayedEmployee.__struct_fields__}


def exposure_view(row: ExposureRow | ReplayedExposure) -> dict[str, Any]:
    view = {name: getattr(row, name) for name in ReplayedExposure.__struct_fields__}
    for name in ("agent_kind", "degree"):
        view[name] = getattr(view[name], "value", view[name])
    view["routes"] = tuple(getattr(r, "value", r) for r in view["routes"])
    return view


def instants(history: History) -> list[datetime]:
    """End of each day something was recorded, the instant inside the correction, the day
    before anything, and now."""
    days = [date(2024, 1, 9), date(2024, 1, 10), date(2024, 2, 5), date(2024, 2, 6)]
    days += [date(2024, 3, 1), date(2024, 4, 2), date(2024, 4, 10)]
    return [from_instant(knowledge(d)) for d in days] + [history.between, paris(2024, 5, 1)]


VALID_ON = [
    date(2024, 1, 14),
    date(2024, 1, 21),
    date(2024, 2, 1),
    date(2024, 2, 20),
    date(2024, 2, 29),
    date(2024, 3, 1),
    date(2024, 4, 1),
    date(2025, 3, 1),
]


def test_the_replay_agrees_with_the_read_models_for_every_date_and_instant(
    app: Registre,
    history: History,
    read_models: tuple[WorkforceQueries, CmrExposureQueries],
) -> None:
    workforce, exposures = read_models
    compared = 0
    for known_at in instants(history):
        for valid_on in VALID_ON:
            replayed = replay(app, MEMBER_CODE, valid_on, known_at)
            rows = workforce.employees(history.member_id, valid_on, instant(known_at), limit=100)
            listed = exposures.exposures(
                member_id=history.member_id, valid_on=valid_on, known_at=instant(known_at)
            )
            at = f"on {valid_on} as known at {known_at}"
            assert [employee_view(e) for e in replayed.employees] == [
                employee_view(r) for r in rows
            ], at
            assert [exposure_view(e) for e in replayed.exposures] == [
                exposure_view(r) for r in listed
            ], at
            compared += len(rows) + len(listed)
    assert compared > 100, "the history shows something at most dates and instants"


def test_the_replay_shows_the_corrections_as_they_were_known(
    app: Registre, history: History
) -> None:
    def exposures_of_alice(valid_on: date, known_at: datetime) -> list[tuple[str, date]]:
        replayed = replay(app, MEMBER_CODE, valid_on, known_at)
        return [
            (e.agent_name, e.valid_from)
            for e in replayed.exposures
            if e.employee_id == history.alice
        ]

    first_known = from_instant(knowledge(date(2024, 2, 5)))
    assert exposures_of_alice(date(2024, 2, 20), first_known) == [
        ("Travaux exposant aux HAP", date(2024, 1, 20)),
        ("Trichloréthylène", date(2024, 2, 1)),
    ]
    assert exposures_of_alice(date(2024, 2, 20), history.between) == [
        ("Travaux exposant aux HAP", date(2024, 1, 20))
    ]
    corrected = from_instant(knowledge(date(2024, 2, 6)))
    assert exposures_of_alice(date(2024, 2, 20), corrected)[1] == (
        "Trichloréthylène",
        date(2024, 1, 22),
    )
    now = app.clock.now()
    assert exposures_of_alice(date(2024, 2, 29), now) == [
        ("Travaux exposant aux HAP", date(2024, 1, 20)),
        ("Trichloréthylène", date(2024, 1, 22)),
    ]
    assert exposures_of_alice(date(2024, 3, 1), now) == [("Trichloréthylène", date(2024, 1, 22))]
    gone = replay(app, MEMBER_CODE, date(2024, 3, 1), now)
    bob = next(e for e in gone.employees if e.employee_id == history.bob)
    assert (bob.active, bob.category, bob.last_day) == (False, None, date(2024, 2, 29))
    assert history.bob not in {e.employee_id for e in gone.present}
    alice = next(e for e in gone.employees if e.employee_id == history.alice)
    assert alice.job_title == "Soudeuse"
    later = replay(app, MEMBER_CODE, date(2024, 4, 1), now)
    alice = next(e for e in later.employees if e.employee_id == history.alice)
    assert (alice.job_title, alice.pcs_code) == ("Cheffe d'équipe", "621a")


def test_an_erased_person_is_shown_without_identity_even_as_known_before_the_erasure(
    app: Registre, history: History
) -> None:
    before_erasure = from_instant(knowledge(date(2024, 3, 1)))

    replayed = replay(app, MEMBER_CODE, date(2024, 2, 20), before_erasure)

    denise = next(e for e in replayed.employees if e.employee_id == history.denise)
    assert (denise.birth_name, denise.first_name, denise.birth_date) == (None, None, None)
    assert denise.category == "SIR", "her exposure stays: health data kept for its retention"
    (benzene,) = (e for e in replayed.exposures if e.employee_id == history.denise)
    assert (benzene.birth_name, benzene.agent_name) == (None, "Benzène")
    chloe = next(e for e in replayed.employees if e.employee_id == history.chloe)
    assert (chloe.usage_name, chloe.birth_date) == ("MOREL", date(2006, 2, 20)), "the current"


def test_nothing_is_replayed_before_it_was_recorded(app: Registre, history: History) -> None:
    replayed = replay(app, MEMBER_CODE, date(2024, 3, 1), paris(2024, 1, 1))

    assert (replayed.legal_name, replayed.employees, replayed.exposures) == (None, (), ())
    assert replayed.events_read == 0
    with pytest.raises(NotFound):
        replay(app, "99999", date(2024, 3, 1), paris(2024, 5, 1))


def test_the_replay_is_a_logged_health_read(
    app: Registre, history: History, store: StoreSettings
) -> None:
    access = AccessStore.open(store)
    try:
        replayed: Replay = replay_logged(
            app, access, MEMBER_CODE, date(2024, 2, 20), app.clock.now()
        )
        (entry,) = access.log_entries(
            event=AccessEvent.HEALTH_DATA_READ, member_id=history.member_id, before=None, limit=5
        )
    finally:
        access.close()
    assert (entry.operation, entry.account_id, entry.at) == (OPERATION, None, app.clock.now())
    shown = {history.alice, history.bob, history.chloe, history.denise}
    assert {e.employee_id for e in replayed.employees} == shown
    assert set(entry.subjects) == {str(i) for i in shown}

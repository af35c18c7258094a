"""A read model rebuilt in parts by record (`projections.parts`) holds the rows of the same read
model rebuilt whole; a rebuild whose parts did not all finish serves nothing of them; a part
applies each event once."""

from collections.abc import Callable, Sequence
from pprint import pformat
from typing import TypeVar
from uuid import uuid4

import pytest
from eventsourcing.utils import get_topic

from application.registre import Registre
from application.workforce.commands import EraseIdentity
from cli.main import main
from contexts import READ_MODELS
from domain.visits.follow_up_record import FollowUpRecord
from domain.workforce.employee import Employee
from projections import parts
from projections.batches import ConcurrentRunner
from projections.parts import Part, rebuild_in_parts
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from storage.settings import StoreSettings
from tests.integration.test_event_round_trip import every_event
from tests.integration.test_projection_robustness import a_member, a_request, follow_up, hire
from tests.integration.test_rebuild_equivalence import Tables, differences, read_tables

T = TypeVar("T")
BY_RECORD = [model for model in READ_MODELS if model.by_record]


def a_history(app: Registre) -> None:
    """Hires, determinants, exposures, corrections and an erasure (`follow_up`), and every
    event class of every aggregate."""
    member_id = a_member(app, 3)
    for k in range(12):
        follow_up(app, hire(app, member_id, k), k)
    every_event(app)


def for_the_command_line(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch, history: Callable[[Registre], T]
) -> T:
    """The store the command line opens (its environment), filled by `history`."""
    monkeypatch.setenv("REGISTRE_DATABASE_URL", store.url)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(store.data_dir))
    app = Registre(store)
    try:
        return history(app)
    finally:
        app.close()


def one_after_another(runner: ProjectionRunner) -> Callable[[Sequence[Part], int], None]:
    def run(shares: Sequence[Part], until: int) -> None:
        for part in shares:
            parts.build(runner, part, until)

    return run


def tables_of(read_store: ReadStore, name: str, generation: int) -> Tables:
    generations = {model.name: 1 for model in READ_MODELS} | {name: generation}
    return {
        table: rows
        for table, rows in read_tables(read_store, generations).items()
        if table.startswith(f"{name}.")
    }


def test_by_record_names_the_read_models_whose_records_stand_alone() -> None:
    assert {model.name for model in BY_RECORD} == {"audit", "workforce", "exposures", "due_visits"}


@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_a_read_model_built_in_parts_holds_the_rows_of_the_same_built_whole(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre], model: type
) -> None:
    a_history(app)
    whole_runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5)
    whole_runner.setup()
    whole = whole_runner.rebuild(model.name)
    in_parts_runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5)
    run = one_after_another(in_parts_runner)

    built = rebuild_in_parts(in_parts_runner, model.name, 3, run)

    assert in_parts_runner.active_generations()[model.name] == built
    assert in_parts_runner.failures() == []
    expected = tables_of(read_store, model.name, whole)
    found = tables_of(read_store, model.name, built)
    assert any(expected.values())
    assert not differences(expected, found), pformat(differences(expected, found), width=100)
    assert read_store.read("SELECT * FROM projection_parts") == []


@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_an_erasure_applied_while_the_parts_are_built_reaches_the_generation_they_build(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre], model: type
) -> None:
    member_id = a_member(app, 4)
    employees = [hire(app, member_id, k) for k in range(6)]
    for k, employee_id in enumerate(employees):
        follow_up(app, employee_id, k + 1)  # k + 1 = 5 erases one: one more erasure below
    live = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    live.setup()
    live.catch_up()
    in_parts = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5)

    def erasing_between_parts(shares: Sequence[Part], until: int) -> None:
        parts.build(in_parts, shares[0], until)
        app.handle(a_request(), EraseIdentity(employee_id=employees[0]))
        live.catch_up()  # the erasure reaches the generation being built, as the live one
        for part in shares[1:]:
            parts.build(in_parts, part, until)

    built = rebuild_in_parts(in_parts, model.name, 2, erasing_between_parts)
    whole = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5).rebuild(model.name)

    expected = tables_of(read_store, model.name, whole)
    found = tables_of(read_store, model.name, built)
    assert not differences(expected, found), pformat(differences(expected, found), width=100)


def test_a_rebuild_whose_parts_did_not_all_finish_serves_nothing_of_them(
    app: Registre, read_store: ReadStore
) -> None:
    a_history(app)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()
    runner.catch_up()
    served = runner.active_generations()["workforce"]

    def only_the_first(shares: Sequence[Part], until: int) -> None:
        parts.build(runner, shares[0], until)

    with pytest.raises(RuntimeError, match="unfinished"):
        rebuild_in_parts(runner, "workforce", 2, only_the_first)
    assert runner.active_generations()["workforce"] == served
    left = read_store.read("SELECT generation FROM projection_parts WHERE name = 'workforce'")
    assert {generation for (generation,) in left} == {served + 1}

    rebuilt = rebuild_in_parts(runner, "workforce", 2, one_after_another(runner))
    assert rebuilt == served + 2
    assert read_store.read("SELECT * FROM projection_parts") == []
    kept = read_store.read("SELECT generation FROM projection_positions WHERE name = 'workforce'")
    assert sorted(generation for (generation,) in kept) == [served, rebuilt]


def test_a_part_applies_each_event_once(app: Registre, read_store: ReadStore) -> None:
    a_history(app)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()
    built: list[Part] = []

    def twice(shares: Sequence[Part], until: int) -> None:
        for part in shares:
            parts.build(runner, part, until)
            parts.build(runner, part, until)  # finished: nothing more to apply
            built.append(part)
        with read_store.transaction() as tx, pytest.raises(ConcurrentRunner):
            parts.move(tx, shares[0], 0, until)  # a second builder of a part stops there

    generation = rebuild_in_parts(runner, "audit", 2, twice)

    assert [part.index for part in built] == [0, 1]
    positions = read_store.read(
        f"SELECT position FROM audit_g{generation}_entries ORDER BY position"
    )
    assert [p for (p,) in positions] == list(range(1, app.max_notification_id() + 1))


def test_a_read_model_not_built_by_record_is_rebuilt_whole(
    app: Registre, read_store: ReadStore
) -> None:
    a_history(app)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()
    asked: list[Sequence[Part]] = []

    generation = rebuild_in_parts(runner, "members", 2, lambda s, _: asked.append(s))

    assert asked == []
    assert runner.active_generations()["members"] == generation == 2


def test_an_employee_and_the_follow_up_record_made_for_them_are_in_one_part() -> None:
    due_visits = next(model for model in READ_MODELS if model.name == "due_visits")
    employee_topic = get_topic(Employee.Hired)
    record_topic = get_topic(FollowUpRecord.FollowUpRecordOpened)
    for employee_id in (uuid4() for _ in range(50)):
        record_id = FollowUpRecord.create_id(employee_id=employee_id)
        for count in (2, 3, 7):
            part = Part("due_visits", 2, record_id.int % count, count)
            assert part.holds(due_visits.part_key(employee_topic, employee_id))
            assert part.holds(due_visits.part_key(record_topic, record_id))


@pytest.mark.postgres
def test_the_command_line_rebuilds_in_processes_what_one_process_builds(
    postgres_store: StoreSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for_the_command_line(postgres_store, monkeypatch, a_history)
    assert main(["projections", "rebuild", "audit"]) == 0  # sets the read side up: generation 1
    assert main(["projections", "rebuild", "audit", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "audit : génération 2 en service." in out
    assert "audit : génération 3 en service." in out

    read_store = ReadStore.open(postgres_store)
    try:
        whole, in_parts = tables_of(read_store, "audit", 2), tables_of(read_store, "audit", 3)
    finally:
        read_store.close()
    assert any(whole.values())
    assert not differences(whole, in_parts), pformat(differences(whole, in_parts), width=100)

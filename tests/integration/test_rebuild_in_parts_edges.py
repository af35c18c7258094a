"""The rebuild in parts (`projections.parts`) at its edges — an empty log, parts holding no
record, unreadable rows, ids that are no UUID, erasures applied by the live runner before,
while and after the parts pass them (threads on PostgreSQL), a part run twice at once or
stopped midway, revisions and rebuilds overtaking an unfinished one — each against the same
read model rebuilt whole. An independent probe of the feature wrote them; the three it found
failing (an erasure a part had passed applied again by the live runner, a text id, part rows
left by a revision change) are fixed."""

import contextlib
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pprint import pformat
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from application.registre import Registre
from application.workforce.commands import (
    CloseContract,
    DeclareDeterminant,
    EraseIdentity,
)
from cli.main import main
from contexts import READ_MODELS
from domain.workforce.employee import Employee
from domain.workforce.employment import ExitReason
from projections import parts
from projections.batches import ConcurrentRunner
from projections.parts import Part, rebuild_in_parts
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from storage.settings import StoreSettings
from tests.integration.test_event_round_trip import every_event
from tests.integration.test_hostile_events import append_with_text_id
from tests.integration.test_projection_robustness import (
    DETERMINANTS,
    a_member,
    a_request,
    follow_up,
    hire,
)
from tests.integration.test_rebuild_equivalence import differences
from tests.integration.test_rebuild_in_parts import (
    BY_RECORD,
    for_the_command_line,
    one_after_another,
    tables_of,
)

HIRED = get_topic(Employee.Hired)


def assert_as_rebuilt_whole(
    read_store: ReadStore, app: Registre, name: str, built: int, batch_size: int
) -> None:
    """The generation built in parts holds the rows of the read model rebuilt whole now."""
    whole = ProjectionRunner(app, read_store, READ_MODELS, batch_size=batch_size).rebuild(name)
    assert_same(read_store, name, whole, built)


def assert_same(read_store: ReadStore, name: str, whole: int, built: int) -> None:
    expected = tables_of(read_store, name, whole)
    found = tables_of(read_store, name, built)
    assert not differences(expected, found), pformat(differences(expected, found), width=100)


def failed_positions(runner: ProjectionRunner, name: str, generation: int) -> set[int]:
    return {f.position for f in runner.failures() if (f.name, f.generation) == (name, generation)}


# 1. An empty log, and parts that hold no record ----------------------------------------------


@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_an_empty_log_is_rebuilt_in_parts(
    app: Registre, read_store: ReadStore, model: type
) -> None:
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()
    asked: list[int] = []

    def run(shares: Sequence[Part], until: int) -> None:
        asked.append(until)
        one_after_another(runner)(shares, until)

    built = rebuild_in_parts(runner, model.name, 3, run)

    assert asked == [0]
    assert runner.active_generations()[model.name] == built == 2
    assert read_store.read("SELECT * FROM projection_parts") == []
    assert not any(tables_of(read_store, model.name, built).values())


@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_parts_that_hold_no_record_of_the_log(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre], model: type
) -> None:
    member_id = a_member(app, 1)
    for k in range(3):
        follow_up(app, hire(app, member_id, k), k)
    ids = {n.originator_id for n in app.select_notifications(1, 10_000)}
    count = 64  # at most a handful of records: most parts hold none
    empty = [k for k in range(count) if not any(Part("x", 0, k, count).holds(i) for i in ids)]
    assert empty
    whole = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5)
    whole.setup()
    expected = whole.rebuild(model.name)
    runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5)

    built = rebuild_in_parts(runner, model.name, count, one_after_another(runner))

    assert_same(read_store, model.name, expected, built)
    assert read_store.read("SELECT * FROM projection_parts") == []


def test_a_part_is_a_partition_of_record_ids_whether_uuid_or_text() -> None:
    ids = [uuid4() for _ in range(200)]
    for count in (2, 3, 7):
        for record_id in ids:
            holders = [k for k in range(count) if Part("x", 1, k, count).holds(record_id)]
            as_text = [k for k in range(count) if Part("x", 1, k, count).holds(str(record_id))]
            assert len(holders) == 1
            assert holders == as_text


# 2. Unreadable events in a part --------------------------------------------------------------


@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_unreadable_events_in_parts_are_skipped_once_as_a_whole_rebuild_skips_them(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre], model: type
) -> None:
    member_id = a_member(app, 1)
    for k in range(4):
        follow_up(app, hire(app, member_id, k), k)
    hired = next(n for n in app.select_notifications(1, 1_000) if n.topic == HIRED)
    hostile = []
    for topic, state in (
        (HIRED, b"[1, 2]"),
        (HIRED, b"{}"),
        ("domain.nowhere:Nothing.Happened", b"{}"),
        ("", b"{}"),
        (HIRED, hired.state[:-3]),
    ):
        for _ in range(3):  # records of several parts
            app.recorder.insert_events([StoredEvent(uuid4(), 1, topic, state)])
            hostile.append(app.max_notification_id())
    follow_up(app, hire(app, member_id, 9), 9)
    whole_runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=4)
    whole_runner.setup()
    whole = whole_runner.rebuild(model.name)
    skipped_whole = failed_positions(whole_runner, model.name, whole)
    assert skipped_whole  # each read model reads Employee events, and the unknown topics
    runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=4)

    built = rebuild_in_parts(runner, model.name, 3, one_after_another(runner))

    assert failed_positions(runner, model.name, built) == skipped_whole
    assert_same(read_store, model.name, whole, built)


def test_a_record_whose_id_is_text_and_no_uuid_does_not_stop_a_rebuild_in_parts(
    sqlite_store: StoreSettings,
) -> None:
    """SQLite keeps originator ids as text: a hand-made row whose id is no UUID is one
    unreadable event for a whole rebuild (`test_hostile_events`); a rebuild in parts must skip
    it too, not stop."""
    app = Registre(sqlite_store)
    read_store = ReadStore.open(sqlite_store)
    try:
        member_id = a_member(app, 1)
        for k in range(3):
            hire(app, member_id, k)
        hired = next(n for n in app.select_notifications(1, 100) if n.topic == HIRED)
        append_with_text_id(app, sqlite_store, "not-a-uuid", hired.state)
        head = app.max_notification_id()
        runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
        runner.setup()
        whole = runner.rebuild("workforce")
        assert failed_positions(runner, "workforce", whole) == {head}

        built = rebuild_in_parts(runner, "workforce", 2, one_after_another(runner))

        assert runner.active_generations()["workforce"] == built
        assert failed_positions(runner, "workforce", built) == {head}
        assert_same(read_store, "workforce", whole, built)
    finally:
        read_store.close()
        app.close()


# 3. Erasures applied by the live runner while the parts are built ------------------------------


@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_a_live_erasure_of_an_event_a_part_has_passed_keeps_the_records_later_events(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre], model: type
) -> None:
    """The live runner lags (stopped a while, or busy): it applies an erasure recorded before
    the rebuild began after the part of that employee has passed it, and that employee has
    events after the erasure. A whole rebuild past the erasure is not erased again
    (`position < erased.position`); a generation built in parts stays at position 0 meanwhile."""
    member_id = a_member(app, 1)
    employees = [hire(app, member_id, k) for k in range(4)]
    live = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    live.setup()
    live.catch_up()  # the live runner stops here for a while
    erased = employees[0]
    app.handle(a_request(), EraseIdentity(employee_id=erased))
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=erased, determinant=DETERMINANTS[0], started_on=date(2024, 3, 1)
        ),
    )
    app.handle(
        a_request(),
        CloseContract(
            employee_id=erased, last_day=date(2024, 9, 30), reason=ExitReason.RESIGNATION
        ),
    )
    in_parts = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5)

    def parts_then_the_live_runner(shares: Sequence[Part], until: int) -> None:
        for part in shares:
            parts.build(in_parts, part, until)
        live.catch_up()  # back: applies the erasure, to the generation being built too

    built = rebuild_in_parts(in_parts, model.name, 2, parts_then_the_live_runner)
    assert_as_rebuilt_whole(read_store, open_app(), model.name, built, 5)


@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_a_live_erasure_recorded_before_the_rebuild_reaches_the_parts_not_yet_there(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre], model: type
) -> None:
    """The same lagging live runner, the erasure applied between the parts (the part of the
    erased record before or after), no event of the employee after the erasure."""
    member_id = a_member(app, 1)
    employees = [hire(app, member_id, k) for k in range(6)]
    for k, employee_id in enumerate(employees):
        follow_up(app, employee_id, k + 1)
    live = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    live.setup()
    live.catch_up()
    for employee_id in employees[:3]:  # employees[4] was erased by its follow-up (k + 1 = 5)
        app.handle(a_request(), EraseIdentity(employee_id=employee_id))
    in_parts = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5)

    def live_between(shares: Sequence[Part], until: int) -> None:
        parts.build(in_parts, shares[0], until)
        live.catch_up()
        for part in shares[1:]:
            parts.build(in_parts, part, until)

    built = rebuild_in_parts(in_parts, model.name, 2, live_between)
    assert_as_rebuilt_whole(read_store, open_app(), model.name, built, 5)


@pytest.mark.parametrize("store", ["postgres"], indirect=True)
@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_erasures_committed_while_parts_run_in_threads_reach_the_generation(
    app: Registre,
    read_store: ReadStore,
    open_app: Callable[[], Registre],
    store: StoreSettings,
    model: type,
) -> None:
    """PostgreSQL, real threads: two parts building, the live runner following the log, and
    erasures committed meanwhile (after the rebuild began, so the parts never apply them); no
    deadlock, and the result is a whole rebuild's."""
    member_id = a_member(app, 1)
    employees = [hire(app, member_id, k) for k in range(16)]
    for k, employee_id in enumerate(employees):
        follow_up(app, employee_id, 2 * k)  # k % 11 == 5 never: no erasure yet
    live = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=3)
    live.setup()
    live.catch_up()
    builders = runners_of_their_own(open_app, store, 2, 3)
    errors: list[BaseException] = []
    stop = threading.Event()

    def follow() -> None:
        try:
            while not stop.is_set():
                with contextlib.suppress(ConcurrentRunner):
                    live.run_once()
        except BaseException as error:
            errors.append(error)

    def in_threads(shares: Sequence[Part], until: int) -> None:
        threads = building_in_threads(builders, shares, until, errors)
        for employee_id in employees[1::2]:  # 8 was erased by its follow-up
            app.handle(a_request(), EraseIdentity(employee_id=employee_id))
        joined(threads, "a part never ended (deadlock?)")

    follower = threading.Thread(target=follow)
    follower.start()
    try:
        built = rebuild_in_parts(
            ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=3),
            model.name,
            2,
            in_threads,
        )
    finally:
        stop.set()
        follower.join(timeout=60)
        for runner in builders:
            runner.store.close()
    assert not follower.is_alive()
    assert errors == []
    live.catch_up()
    assert_as_rebuilt_whole(read_store, open_app(), model.name, built, 3)


# 4. A part run twice, rebuilds overlapping ------------------------------------------------------


@pytest.mark.parametrize("store", ["postgres"], indirect=True)
@pytest.mark.parametrize("model", ["workforce", "exposures"])
def test_a_part_run_by_two_threads_at_once_applies_each_event_once(
    app: Registre,
    read_store: ReadStore,
    open_app: Callable[[], Registre],
    store: StoreSettings,
    model: str,
) -> None:
    member_id = a_member(app, 1)
    for k in range(10):
        follow_up(app, hire(app, member_id, k), k)
    whole_runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=2)
    whole_runner.setup()
    whole = whole_runner.rebuild(model)
    builders = runners_of_their_own(open_app, store, 4, 2)
    outcomes: list[object] = []
    barrier = threading.Barrier(4)

    def twice_each(shares: Sequence[Part], until: int) -> None:
        def build(runner: ProjectionRunner, part: Part) -> None:
            barrier.wait()
            try:
                parts.build(runner, part, until)
                outcomes.append(part.index)
            except ConcurrentRunner as busy:
                outcomes.append(busy)

        threads = [
            threading.Thread(target=build, args=(runner, shares[k % 2]))
            for k, runner in enumerate(builders)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
            assert not thread.is_alive()
        for part in shares:  # whoever stopped: the part is finished by running it again
            parts.build(builders[0], part, until)

    try:
        built = rebuild_in_parts(
            ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=2),
            model,
            2,
            twice_each,
        )
    finally:
        for runner in builders:
            runner.store.close()
    assert len(outcomes) == 4
    assert_same(read_store, model, whole, built)


def test_a_rebuild_in_parts_overtaken_by_another_rebuild_serves_the_other_and_leaks_nothing(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app, 1)
    for k in range(5):
        follow_up(app, hire(app, member_id, k), k)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()
    runner.catch_up()
    other = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5)
    overtaking: list[int] = []

    def overtaken(shares: Sequence[Part], until: int) -> None:
        parts.build(runner, shares[0], until)
        overtaking.append(rebuild_in_parts(other, "workforce", 2, one_after_another(other)))
        parts.build(runner, shares[1], until)

    with pytest.raises((LookupError, ConcurrentRunner, RuntimeError)):
        rebuild_in_parts(runner, "workforce", 2, overtaken)

    assert runner.active_generations()["workforce"] == overtaking[0]
    assert read_store.read("SELECT * FROM projection_parts") == []
    runner.catch_up()
    again = runner.rebuild("workforce")
    assert_same(read_store, "workforce", again, overtaking[0])


def test_a_whole_rebuild_drops_a_generation_whose_parts_did_not_finish(
    app: Registre, read_store: ReadStore
) -> None:
    member_id = a_member(app, 1)
    for k in range(5):
        follow_up(app, hire(app, member_id, k), k)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()
    runner.catch_up()

    def only_the_first(shares: Sequence[Part], until: int) -> None:
        parts.build(runner, shares[0], until)

    with pytest.raises(RuntimeError, match="unfinished"):
        rebuild_in_parts(runner, "exposures", 2, only_the_first)
    assert runner.active_generations()["exposures"] == 1

    rebuilt = runner.rebuild("exposures")

    assert rebuilt == 3
    assert read_store.read("SELECT * FROM projection_parts") == []
    kept = read_store.read("SELECT generation FROM projection_positions WHERE name = 'exposures'")
    assert sorted(g for (g,) in kept) == [1, 3]


def test_a_generation_built_in_parts_is_not_served_until_every_part_is_there(
    app: Registre, read_store: ReadStore
) -> None:
    member_id = a_member(app, 1)
    for k in range(5):
        follow_up(app, hire(app, member_id, k), k)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()
    runner.catch_up()
    seen: list[dict[str, int]] = []

    def watching(shares: Sequence[Part], until: int) -> None:
        for part in shares:
            parts.build(runner, part, until)
            seen.append(runner.active_generations())
            runner.run_once()  # the live runner meanwhile
            assert {s.name for s in runner.status()} == {m.name for m in READ_MODELS}

    built = rebuild_in_parts(runner, "audit", 2, watching)

    assert [s["audit"] for s in seen] == [1, 1]
    assert runner.active_generations()["audit"] == built == 2


def test_a_revision_changed_while_parts_are_unfinished_leaks_no_part(
    app: Registre,
    read_store: ReadStore,
    open_app: Callable[[], Registre],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`setup` replaces every generation of a read model whose revision changed
    (`generations.replace_stale`): the parts of an unfinished rebuild must go with them."""
    member_id = a_member(app, 1)
    hire(app, member_id, 1)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()

    def only_the_first(shares: Sequence[Part], until: int) -> None:
        parts.build(runner, shares[0], until)

    with pytest.raises(RuntimeError, match="unfinished"):
        rebuild_in_parts(runner, "workforce", 2, only_the_first)
    workforce = next(m for m in READ_MODELS if m.name == "workforce")
    monkeypatch.setattr(workforce, "revision", workforce.revision + 1)

    ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=5).setup()

    positions = read_store.read(
        "SELECT generation FROM projection_positions WHERE name = 'workforce'"
    )
    assert [g for (g,) in positions] == [3]
    assert read_store.read("SELECT * FROM projection_parts") == []


# 5. The history of the equivalence tests, with odd part counts and a batch of one ---------------


@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_parts_of_batch_one_and_five_parts_equal_the_whole(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre], model: type
) -> None:
    member_id = a_member(app, 2)
    for k in range(8):
        follow_up(app, hire(app, member_id, k), k)
    every_event(app)
    whole_runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=7)
    whole_runner.setup()
    whole = whole_runner.rebuild(model.name)
    runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=1)

    built = rebuild_in_parts(runner, model.name, 5, one_after_another(runner))

    assert_same(read_store, model.name, whole, built)
    assert failed_positions(runner, model.name, built) == failed_positions(
        whole_runner, model.name, whole
    )


def test_part_positions_only_move_forward_from_the_position_read(
    app: Registre, read_store: ReadStore
) -> None:
    a_member(app, 1)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=5)
    runner.setup()
    checked: list[bool] = []

    def stale(shares: Sequence[Part], until: int) -> None:
        parts.build(runner, shares[0], until)
        with read_store.transaction() as tx, pytest.raises(ConcurrentRunner):
            parts.move(tx, shares[0], 0, until)
        assert parts.position(read_store, shares[0]) == until
        checked.append(True)
        parts.build(runner, shares[1], until)

    rebuild_in_parts(runner, "audit", 2, stale)
    assert checked == [True]
    with pytest.raises(LookupError):
        parts.position(read_store, Part("audit", 2, 0, 2))


# 6. A part's batch in flight while the live runner commits an erasure (PostgreSQL, threads) ------


@pytest.mark.parametrize("store", ["postgres"], indirect=True)
@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
@pytest.mark.parametrize("when", ["read, not locked", "locked, writing"])
def test_an_erasure_committed_while_a_parts_batch_is_in_flight(  # noqa: PLR0917 (fixtures)
    app: Registre,
    read_store: ReadStore,
    open_app: Callable[[], Registre],
    store: StoreSettings,
    monkeypatch: pytest.MonkeyPatch,
    model: type,
    when: str,
) -> None:
    """The part of the erased employee has read (decoded) a batch holding that employee's
    events; the live runner then commits the erasure of that employee (recorded after the
    rebuild began). Either before the part's transaction took its shared lock (the live runner
    erases first, the part writes after), or while the part holds it (the live runner waits)."""
    member_id = a_member(app, 1)
    employees = [hire(app, member_id, k) for k in range(4)]
    for k, employee_id in enumerate(employees):
        follow_up(app, employee_id, 3 * k)  # 3k % 11 == 5 never for k < 4: none erased
    erased = employees[1]
    live = runners_of_their_own(open_app, store, 1, 50)[0]
    live.setup()
    live.catch_up()
    builder = runners_of_their_own(open_app, store, 1, 50)[0]
    in_flight, erasure_done = threading.Event(), threading.Event()
    original_move = parts.move

    def pausing_move(tx, part, done, last):  # type: ignore[no-untyped-def]
        if part.holds(erased) and not in_flight.is_set():
            if when == "read, not locked":
                in_flight.set()
                assert erasure_done.wait(60)
                original_move(tx, part, done, last)
            else:
                original_move(tx, part, done, last)
                in_flight.set()
                assert not erasure_done.wait(2)  # the live runner waits for this batch
            return
        original_move(tx, part, done, last)

    monkeypatch.setattr(parts, "move", pausing_move)
    errors: list[BaseException] = []

    def in_thread(shares: Sequence[Part], until: int) -> None:
        def build() -> None:
            try:
                for part in shares:
                    parts.build(builder, part, until)
            except BaseException as error:
                errors.append(error)

        thread = threading.Thread(target=build)
        thread.start()
        assert in_flight.wait(60)
        app.handle(a_request(), EraseIdentity(employee_id=erased))

        def erase_live() -> None:
            try:
                live.catch_up()
            except BaseException as error:
                errors.append(error)
            erasure_done.set()

        eraser = threading.Thread(target=erase_live)
        eraser.start()
        eraser.join(60)
        thread.join(60)
        assert not eraser.is_alive(), "deadlock"
        assert not thread.is_alive(), "deadlock"

    try:
        built = rebuild_in_parts(
            ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=50),
            model.name,
            2,
            in_thread,
        )
    finally:
        live.store.close()
        builder.store.close()
    assert errors == []
    assert_as_rebuilt_whole(read_store, open_app(), model.name, built, 50)


@pytest.mark.parametrize("store", ["postgres"], indirect=True)
@pytest.mark.parametrize("model", BY_RECORD, ids=lambda model: model.name)
def test_a_lagging_live_runner_catching_up_erasures_while_parts_run_in_threads(
    app: Registre,
    read_store: ReadStore,
    open_app: Callable[[], Registre],
    store: StoreSettings,
    model: type,
) -> None:
    """Erasures recorded before the rebuild (no event after them), applied by a live runner
    that catches up while two parts run: no deadlock, the result of a whole rebuild."""
    member_id = a_member(app, 1)
    employees = [hire(app, member_id, k) for k in range(12)]
    live = runners_of_their_own(open_app, store, 1, 2)[0]
    live.setup()
    live.catch_up()
    for k, employee_id in enumerate(employees):
        follow_up(app, employee_id, 2 * k)  # employees[8] erased (16 % 11 == 5)
    for employee_id in employees[1::2]:
        app.handle(a_request(), EraseIdentity(employee_id=employee_id))
    builders = runners_of_their_own(open_app, store, 2, 2)
    errors: list[BaseException] = []

    def with_live(shares: Sequence[Part], until: int) -> None:
        threads = building_in_threads(builders, shares, until, errors)
        threads.append(threading.Thread(target=live.catch_up))
        threads[-1].start()
        joined(threads, "deadlock")

    try:
        built = rebuild_in_parts(
            ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=2),
            model.name,
            2,
            with_live,
        )
    finally:
        live.store.close()
        for runner in builders:
            runner.store.close()
    assert errors == []
    assert_as_rebuilt_whole(read_store, open_app(), model.name, built, 2)


def runners_of_their_own(
    open_app: Callable[[], Registre], store: StoreSettings, count: int, batch_size: int
) -> list[ProjectionRunner]:
    """Runners each with an application and a read store of its own, as in other processes
    (their stores closed by the caller)."""
    return [
        ProjectionRunner(open_app(), ReadStore.open(store), READ_MODELS, batch_size=batch_size)
        for _ in range(count)
    ]


def building_in_threads(
    builders: Sequence[ProjectionRunner],
    shares: Sequence[Part],
    until: int,
    errors: list[BaseException],
) -> list[threading.Thread]:
    """A thread per part, each built by its own runner, started; what they raise in `errors`."""

    def build(runner: ProjectionRunner, part: Part) -> None:
        try:
            parts.build(runner, part, until)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=build, args=(runner, part))
        for runner, part in zip(builders, shares, strict=True)
    ]
    for thread in threads:
        thread.start()
    return threads


def joined(threads: Sequence[threading.Thread], failure: str) -> None:
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), failure


# 7. A part stopped mid-way and run again; the command line with 3 workers ----------------------


@pytest.mark.parametrize("model", ["workforce", "exposures"])
def test_a_part_stopped_in_the_middle_resumes_where_it_stopped(
    app: Registre,
    read_store: ReadStore,
    open_app: Callable[[], Registre],
    monkeypatch: pytest.MonkeyPatch,
    model: str,
) -> None:
    member_id = a_member(app, 1)
    for k in range(8):
        follow_up(app, hire(app, member_id, k), k)
    whole_runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=3)
    whole_runner.setup()
    whole = whole_runner.rebuild(model)
    runner = ProjectionRunner(open_app(), read_store, READ_MODELS, batch_size=3)
    original_move = parts.move
    calls = {"n": 0}

    class Crash(Exception):
        pass

    def crashing_move(tx, part, done, last):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        original_move(tx, part, done, last)
        if calls["n"] in (4, 9):
            raise Crash  # after the position moved, before the rows: the batch rolls back

    def with_crashes(shares: Sequence[Part], until: int) -> None:
        monkeypatch.setattr(parts, "move", crashing_move)
        for part in shares:
            while True:
                try:
                    parts.build(runner, part, until)
                    break
                except Crash:
                    continue
        monkeypatch.setattr(parts, "move", original_move)

    built = rebuild_in_parts(runner, model, 2, with_crashes)

    assert calls["n"] >= 9
    assert_same(read_store, model, whole, built)


@pytest.mark.postgres
def test_the_command_line_with_three_workers_skips_an_unreadable_event_once(
    postgres_store: StoreSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def history(app: Registre) -> int:
        member_id = a_member(app, 1)
        for k in range(6):
            follow_up(app, hire(app, member_id, k), k)
        app.recorder.insert_events([StoredEvent(uuid4(), 1, HIRED, b"[1, 2]")])
        hostile = app.max_notification_id()
        hire(app, member_id, 7)
        return hostile

    hostile = for_the_command_line(postgres_store, monkeypatch, history)
    assert main(["projections", "rebuild", "workforce"]) == 0
    assert main(["projections", "rebuild", "workforce", "--workers", "3"]) == 0
    out = capsys.readouterr().out
    assert "workforce : génération 3 en service." in out
    assert out.count("1 événement(s) non appliqué(s)") == 2
    read_store = ReadStore.open(postgres_store)
    try:
        assert read_store.read("SELECT * FROM projection_parts") == []
        rows = read_store.read(
            "SELECT generation, position FROM projection_failures WHERE name = 'workforce'"
        )
        assert (3, hostile) in rows
        assert_same(read_store, "workforce", 2, 3)
    finally:
        read_store.close()

"""The event log is chained and its changes are named: a row altered, deleted, moved or made
unreadable in the database is named at the right event, on SQLite and on PostgreSQL; old stores
are chained when opened; concurrent writers, threads or processes, keep one chain; a rebuild
after verification gives the same read models. Checkpoints and exports:
`test_audit_checkpoints.py`."""

import threading
from datetime import date

from application.registre import Registre
from contexts import READ_MODELS
from domain.workforce.employment import ContractType, Sex
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from storage.settings import StoreSettings
from tests.integration.chained_log import (
    Database,
    Person,
    database_fixture,  # noqa: F401 (a fixture)
    event_at,
    hire_one_more,
    populate,
    verify,
)
from tests.integration.test_rebuild_equivalence import Hire, Terms, differences, read_tables


def test_every_event_is_chained_in_log_order(app: Registre, database: Database) -> None:
    populate(app)
    verdict = verify(app)
    assert verdict.holds, verdict
    assert verdict.events == len(database.positions()) >= 7
    ranks = [r[0] for r in database.execute("SELECT chain_seq FROM {t} ORDER BY {p}")]
    assert ranks == list(range(1, len(ranks) + 1))


def test_an_altered_state_is_named_at_its_event(app: Registre, database: Database) -> None:
    populate(app)
    target = database.positions()[4]
    altered = event_at(app, target)
    database.execute("UPDATE {t} SET state = ? WHERE {p} = ?", (altered.state + b" ", target))
    broken = verify(app).broken
    assert broken is not None
    assert (broken.position, broken.originator_id, broken.version) == (
        target,
        altered.originator_id,
        altered.originator_version,
    )
    assert "contenu a été modifié" in broken.reason


def test_a_deleted_event_is_named_at_the_event_after_it(app: Registre, database: Database) -> None:
    populate(app)
    positions = database.positions()
    database.execute("DELETE FROM {t} WHERE {p} = ?", (positions[3],))
    broken = verify(app).broken
    assert broken is not None
    assert broken.position == positions[4]
    assert "l'événement de rang 4 de la chaîne, qui le précédait, manque : supprimé" in (
        broken.reason
    )


def test_two_swapped_events_are_named_at_the_first(app: Registre, database: Database) -> None:
    populate(app)
    positions = database.positions()
    database.swap(positions[2], positions[5])
    broken = verify(app).broken
    assert broken is not None
    assert broken.position == positions[2]
    assert broken.reason == (
        "il porte le rang 6 de la chaîne mais prend la place du rang 3, qui se trouve plus loin"
        f" (position {positions[5]}) : des événements ont été déplacés"
    )


def test_contents_swapped_between_two_rows_are_named_at_the_first(
    app: Registre, database: Database
) -> None:
    populate(app)
    positions = database.positions()
    first, second = event_at(app, positions[1]), event_at(app, positions[6])
    for row, position in ((second, positions[1]), (first, positions[6])):
        database.execute("UPDATE {t} SET state = ? WHERE {p} = ?", (row.state, position))
    broken = verify(app).broken
    assert broken is not None
    assert broken.position == positions[1]


def test_a_store_written_before_the_chain_is_chained_when_opened(
    store: StoreSettings, app: Registre, database: Database
) -> None:
    """The chain's columns dropped, as a store of before the chain had none: the store opened
    has them again and every event chained; an event without hash amid chained ones is not
    chained again (that would hide a change), it is named."""
    populate(app)
    app.close()
    database.execute("ALTER TABLE {t} DROP COLUMN chain_seq")
    database.execute("ALTER TABLE {t} DROP COLUMN chain_hash")
    reopened = Registre(store)
    try:
        verdict = verify(reopened)
        assert verdict.holds
        assert verdict.events == len(database.positions()) >= 7
        hire_one_more(reopened)
        middle = database.positions()[3]
        database.execute("UPDATE {t} SET chain_hash = NULL WHERE {p} = ?", (middle,))
    finally:
        reopened.close()
    again = Registre(store)
    try:
        broken = verify(again).broken
    finally:
        again.close()
    assert broken is not None
    assert broken.position == middle
    assert "pas d'empreinte de chaîne" in broken.reason


def test_concurrent_writers_keep_one_chain(app: Registre, database: Database) -> None:
    world = populate(app, employees=0)
    errors: list[BaseException] = []

    def hire(thread: int) -> None:
        try:
            for index in range(8):
                person = Person(
                    f"Martin{'e' * index}", f"Léa{'e' * thread}", date(1990, 1, 1), Sex.F
                )
                Hire(0, person, date(2024, 1, 2), Terms(ContractType.CDI, "Vendeuse")).run(world)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=hire, args=(t,)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    verdict = verify(app)
    assert verdict.holds, verdict
    assert verdict.events == len(database.positions()) >= 49


def test_a_full_rebuild_after_verification_gives_the_same_read_models(
    store: StoreSettings, app: Registre
) -> None:
    read_store = ReadStore.open(store, pool_size=2)
    try:
        runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=4)
        runner.setup()
        populate(app)
        runner.catch_up()
        live = read_tables(read_store, runner.active_generations())
        assert verify(app).holds
        rebuilder = ProjectionRunner(app, read_store, READ_MODELS, batch_size=3)
        rebuilt = read_tables(read_store, {m.name: rebuilder.rebuild(m.name) for m in READ_MODELS})
    finally:
        read_store.close()
    assert live["audit.entries"]
    assert not differences(live, rebuilt)


def test_two_processes_writing_in_turn_keep_one_chain(
    store: StoreSettings, app: Registre, database: Database
) -> None:
    """Each writer believes the log ends where its own last write left it: after the other
    one wrote, it finds out in its write and chains after the other's events."""
    populate(app, employees=1)
    other = Registre(store)
    try:
        for turn in range(3):
            for index, writer in enumerate((other, app, app, other)):
                hire_one_more(writer, f"Roux{'x' * (4 * turn + index)}")
    finally:
        other.close()
    verdict = verify(app)
    assert verdict.holds, verdict
    topics = [event_at(app, position).topic for position in database.positions()]
    assert sum(topic.endswith("Employee.Hired") for topic in topics) == 1 + 12
    assert verdict.events == len(database.positions())


def test_a_row_made_unreadable_is_named_not_a_crash(app: Registre, database: Database) -> None:
    populate(app)
    target = database.positions()[2]
    database.execute("UPDATE {t} SET topic = NULL WHERE {p} = ?", (target,))
    broken = verify(app).broken
    assert broken is not None
    assert broken.position == target
    assert broken.reason == "il est illisible : il a été modifié hors de l'application"

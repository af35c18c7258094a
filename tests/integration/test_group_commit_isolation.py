"""A writer whose write the database refuses fails alone: the other writers queued in the same
group commit are written, in order, once each (issue 10, item 2: a member's bad requests made
the writes of other members fail)."""

import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from application.registre import Registre
from storage.recorders import COMMAND_RECORD, CommandRecord
from storage.settings import StoreSettings

WRITERS = 40
POISONED = 17
POISONED_TOPIC = "tests:Poisoned"
QUEUEING_SECONDS = 0.5


def events_of(originator: UUID, topic: str = "tests:Poked") -> list[StoredEvent]:
    return [StoredEvent(originator, version, topic, b"{}") for version in (1, 2)]


def record(request_id: str) -> CommandRecord:
    return CommandRecord(request_id, "poke", "fingerprint", b"{}")


Poison = Callable[[Registre], tuple[list[StoredEvent], CommandRecord]]


def refused_by_the_database(app: Registre) -> tuple[list[StoredEvent], CommandRecord]:
    """An event a trigger refuses: an error of the database nobody foresaw."""
    recorder: Any = app.recorder
    if app.settings.is_postgres:
        schema = sql.Identifier(recorder.datastore.schema)
        with psycopg.connect(postgres_url(app.settings), autocommit=True) as connection:
            connection.execute(
                sql.SQL(
                    "CREATE FUNCTION {0}.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$"
                    " BEGIN IF NEW.topic = {1} THEN RAISE EXCEPTION 'poisoned'; END IF;"
                    " RETURN NEW; END $$"
                ).format(schema, sql.Literal(POISONED_TOPIC))
            )
            connection.execute(
                sql.SQL(
                    "CREATE TRIGGER refuse_poison BEFORE INSERT ON {0}.{1}"
                    " FOR EACH ROW EXECUTE FUNCTION {0}.refuse_poison()"
                ).format(schema, sql.Identifier(recorder.events_table_name))
            )
    else:
        with sqlite3.connect(sqlite_path(app.settings)) as connection:
            connection.execute(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON stored_events"
                f" WHEN NEW.topic = '{POISONED_TOPIC}'"
                " BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
            )
    return events_of(uuid4(), POISONED_TOPIC), record("poisoned")


def nul_in_request_id(_: Registre) -> tuple[list[StoredEvent], CommandRecord]:
    """The incident: a request id with a NUL byte, which PostgreSQL text cannot hold."""
    return events_of(uuid4()), record("poisoned\x00")


def request_id_too_long_for_its_index(_: Registre) -> tuple[list[StoredEvent], CommandRecord]:
    """A key longer than a B-tree entry may be: PostgreSQL answers with an OperationalError,
    the class of errors otherwise retried as a lost connection."""
    return events_of(uuid4()), record(secrets.token_hex(10_000))


def postgres_url(settings: StoreSettings) -> str:
    return settings.url.split("?")[0]


def sqlite_path(settings: StoreSettings) -> str:
    return settings.eventsourcing_env()["SQLITE_DBNAME"]


@contextmanager
def log_held(app: Registre) -> Iterator[None]:
    """Another transaction holds the event log, so that the writers queue up behind it."""
    settings = app.settings
    if settings.is_postgres:
        recorder: Any = app.recorder
        with psycopg.connect(postgres_url(settings)) as connection:
            connection.execute(
                sql.SQL("LOCK TABLE {0}.{1} IN EXCLUSIVE MODE").format(
                    sql.Identifier(recorder.datastore.schema),
                    sql.Identifier(recorder.events_table_name),
                )
            )
            yield
            connection.rollback()
    else:
        connection = sqlite3.connect(sqlite_path(settings), isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield
            connection.execute("ROLLBACK")
        finally:
            connection.close()


def write_concurrently(
    app: Registre, writes: list[tuple[list[StoredEvent], CommandRecord]]
) -> list[list[int] | BaseException]:
    """Every write from its own thread: the first is waiting on the held log before the others
    start, so that they all queue up and are written together once the log is free."""
    outcomes: list[list[int] | BaseException] = [RuntimeError("not written")] * len(writes)

    def write(index: int) -> None:
        events, command = writes[index]
        try:
            ids = app.recorder.insert_events(events, **{COMMAND_RECORD: command})
            outcomes[index] = list(ids or [])
        except Exception as error:
            outcomes[index] = error

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(writes))]
    with log_held(app):
        threads[0].start()
        time.sleep(QUEUEING_SECONDS)
        for thread in threads[1:]:
            thread.start()
        time.sleep(QUEUEING_SECONDS)
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def check_only_the_poisoned_write_failed(
    app: Registre, writes: list[tuple[list[StoredEvent], CommandRecord]]
) -> None:
    outcomes = write_concurrently(app, writes)

    assert isinstance(outcomes[POISONED], Exception)
    written = {i: ids for i, ids in enumerate(outcomes) if isinstance(ids, list)}
    assert sorted(written) == [i for i in range(WRITERS) if i != POISONED]
    for ids in written.values():
        assert len(ids) == 2
        assert ids[1] == ids[0] + 1
    recorder: Any = app.recorder
    log = recorder.select_notifications(start=1, limit=10 * WRITERS)
    assert [n.id for n in log] == sorted(i for ids in written.values() for i in ids)
    by_id = {n.id: n for n in log}
    for index, ids in written.items():
        events = writes[index][0]
        assert [(by_id[i].originator_id, by_id[i].originator_version) for i in ids] == [
            (e.originator_id, e.originator_version) for e in events
        ]
        assert recorder.find_command(writes[index][1].request_id) is not None
    assert writes[POISONED][0][0].originator_id not in {n.originator_id for n in log}


def test_a_write_the_database_refuses_fails_alone(app: Registre) -> None:
    writes = [(events_of(uuid4()), record(f"request-{i}")) for i in range(WRITERS)]
    writes[POISONED] = refused_by_the_database(app)

    check_only_the_poisoned_write_failed(app, writes)


@pytest.mark.postgres
@pytest.mark.parametrize("poison", [nul_in_request_id, request_id_too_long_for_its_index])
def test_a_value_postgresql_cannot_store_fails_its_writer_alone(
    postgres_store: StoreSettings, poison: Poison
) -> None:
    app = Registre(postgres_store)
    try:
        writes = [(events_of(uuid4()), record(f"request-{i}")) for i in range(WRITERS)]
        writes[POISONED] = poison(app)

        check_only_the_poisoned_write_failed(app, writes)
    finally:
        app.close()

"""Hostile rows in the event log never stop the read side (`contexts.READ_MODELS` caught up by
one runner), on both stores: each such event is skipped, recorded as a failure by the read
models that read its topic (`ReadModel.reads`) and by no other, every position reaches the head,
the events after it are applied, and nothing personal reaches the logs or the failure rows."""

import logging
import sqlite3
from collections.abc import Callable
from uuid import UUID, uuid4

import msgspec
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from application.registre import Registre
from contexts import READ_MODELS
from domain.members.member import Member
from domain.workforce.employee import Employee
from projections.model import reads_topic
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from storage.settings import StoreSettings
from tests.integration.test_projection_robustness import a_member, hire

SECRET = "Zéphyrine-Quintessa"
"""A personal value some hostile events hold: it must reach no log and no failure row."""
REGISTERED = get_topic(Member.Registered)
HIRED = get_topic(Employee.Hired)


def real_state(app: Registre, topic: str) -> dict[str, object]:
    """The decoded JSON of the first stored event of that topic."""
    notification = next(n for n in app.select_notifications(1, 1_000) if n.topic == topic)
    state: dict[str, object] = msgspec.json.decode(notification.state)
    return state


def with_changes(app: Registre, topic: str, **changes: object) -> bytes:
    return msgspec.json.encode({**real_state(app, topic), **changes})


Hostile = Callable[[Registre], tuple[str, bytes]]

CASES: dict[str, Hostile] = {
    "not-json": lambda app: (HIRED, f'{{"identity": "{SECRET}" \xff'.encode("latin-1")),
    "json-list": lambda app: (REGISTERED, b"[1, 2]"),
    "json-null": lambda app: (REGISTERED, b"null"),
    "json-string": lambda app: (REGISTERED, f'"{SECRET}"'.encode()),
    "wrong-type": lambda app: (REGISTERED, with_changes(app, REGISTERED, legal_name=123)),
    "wrong-type-personal-field": lambda app: (
        HIRED,
        with_changes(app, HIRED, identity={"last_name": SECRET, "birth_date": "31/02/1980"}),
    ),
    "bad-seal": lambda app: (
        HIRED,
        with_changes(app, HIRED, identity={"$sealed": "no-such-category", "data": SECRET}),
    ),
    "missing-fields": lambda app: (REGISTERED, b"{}"),
    "extra-field": lambda app: (REGISTERED, with_changes(app, REGISTERED, surplus=SECRET)),
    "nul": lambda app: (REGISTERED, with_changes(app, REGISTERED, legal_name=f"{SECRET}\x00")),
    "class-version-on-v1": lambda app: (REGISTERED, with_changes(app, REGISTERED, class_version=1)),
    "topic-of-no-module": lambda app: ("domain.nowhere:Nothing.Happened", b"{}"),
    "topic-of-no-attribute": lambda app: ("domain.members.member:Member.Nothing", b"{}"),
    "topic-of-a-function": lambda app: ("builtins:len", b"{}"),
    "topic-of-a-module-attribute": lambda app: ("os:sep", b"{}"),
    "topic-of-a-module": lambda app: ("os:path", b"{}"),
    "topic-of-a-slotted-class": lambda app: ("uuid:UUID", b"{}"),
    "topic-of-an-aggregate": lambda app: ("domain.members.member:Member", b"{}"),
    "empty-topic": lambda app: ("", b"{}"),
    "topic-of-no-module-name": lambda app: (":Member", b"{}"),
    "relative-topic": lambda app: (".members:Member.Registered", b"{}"),
}


def append_with_text_id(app: Registre, store: StoreSettings, record_id: str, state: bytes) -> None:
    """A hire appended to a SQLite log by hand, under an id that need not be a UUID."""
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as connection:
        connection.execute(
            f"INSERT INTO {app.recorder.events_table_name}"  # type: ignore[attr-defined]
            " (originator_id, originator_version, topic, state) VALUES (?, 1, ?, ?)",
            (record_id, HIRED, state),
        )


def readers(topic: str) -> set[str]:
    return {m.name for m in READ_MODELS if reads_topic(m.reads, topic)}


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_event_is_skipped_by_its_readers_and_the_read_side_reaches_the_head(
    app: Registre, read_store: ReadStore, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.DEBUG)
    member_id = a_member(app, 1)
    hire(app, member_id, 1)
    topic, state = CASES[case](app)
    app.recorder.insert_events([StoredEvent(uuid4(), 1, topic, state)])
    hostile = app.max_notification_id()
    after = a_member(app, 2)
    hire(app, after, 2)
    head = app.max_notification_id()

    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=3)
    runner.setup()
    runner.catch_up()

    assert {s.name: s.position for s in runner.status()} == {m.name: head for m in READ_MODELS}
    failures = runner.failures()
    assert {f.position for f in failures} <= {hostile}
    failed = {f.name for f in failures}
    assert failed <= readers(topic), case
    members = {UUID(m) for (m,) in read_store.read("SELECT member_id FROM members_g1_members")}
    assert after in members
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert SECRET not in logged
    assert all(SECRET not in f"{f.error} {f.summary} {f.topic}" for f in failures)


UNDECODABLE = [
    "not-json",
    "json-list",
    "json-null",
    "json-string",
    "wrong-type",
    "wrong-type-personal-field",
    "bad-seal",
    "topic-of-no-module",
    "topic-of-no-attribute",
    "topic-of-a-function",
    "topic-of-a-module-attribute",
    "topic-of-a-module",
    "topic-of-a-slotted-class",
]


@pytest.mark.parametrize("case", UNDECODABLE)
def test_an_undecodable_event_is_recorded_by_every_read_model_that_reads_its_topic(
    app: Registre, read_store: ReadStore, case: str
) -> None:
    a_member(app, 1)
    hire(app, a_member(app, 3), 1)
    topic, state = CASES[case](app)
    app.recorder.insert_events([StoredEvent(uuid4(), 1, topic, state)])
    hostile = app.max_notification_id()

    runner = ProjectionRunner(app, read_store, READ_MODELS)
    runner.setup()
    runner.catch_up()

    assert {f.name for f in runner.failures() if f.position == hostile} == readers(topic)


def test_an_originator_id_that_is_no_uuid_does_not_stop_the_read_side(
    sqlite_store: StoreSettings,
) -> None:
    """SQLite keeps originator ids as text: a row whose id is no UUID (a hand-made row, a bad
    restore) is one unreadable event, not a stopped read side."""
    app = Registre(sqlite_store)
    read_store = ReadStore.open(sqlite_store)
    try:
        a_member(app, 1)
        after = a_member(app, 2)
        hired = next(n for n in app.select_notifications(1, 100) if n.topic == REGISTERED)
        # Last in the log: the next write would refuse to chain it (its id is no UUID).
        append_with_text_id(app, sqlite_store, "not-a-uuid", hired.state)
        head = app.max_notification_id()

        runner = ProjectionRunner(app, read_store, READ_MODELS)
        runner.setup()
        runner.catch_up()

        assert {s.name: s.position for s in runner.status()} == {m.name: head for m in READ_MODELS}
        members = {UUID(m) for (m,) in read_store.read("SELECT member_id FROM members_g1_members")}
        assert after in members
    finally:
        read_store.close()
        app.close()


def test_the_status_of_a_read_side_whose_next_event_is_unreadable_is_given(
    app: Registre, read_store: ReadStore
) -> None:
    """`status()` (the API's health, `registre project status`) measures the lag by decoding the
    next event: an unreadable one must not make it fail (minor; before the change too)."""
    runner = ProjectionRunner(app, read_store, READ_MODELS)
    runner.setup()
    a_member(app, 1)
    runner.catch_up()
    app.recorder.insert_events([StoredEvent(uuid4(), 1, HIRED, b"not json")])

    assert {s.name: s.lag_events for s in runner.status()} == {m.name: 1 for m in READ_MODELS}

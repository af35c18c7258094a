"""A read model says which events it reads (`ReadModel.reads`): it is handed those only, alone
or beside others, and the runner decodes no event that none of its read models reads."""

from collections.abc import Sequence
from typing import Any, ClassVar

import pytest
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from application.registre import Registre
from domain.members.member import Member
from domain.workforce.employee import Employee
from projections.model import Envelope, ReadModel, reads_topic
from projections.runner import ProjectionRunner
from projections.store import ReadStore, Tx
from tests.integration.test_projection_robustness import a_member, hire


class EventsSeen(ReadModel):
    """Keeps the name of every event it is handed."""

    name = "events_seen"
    tables = ("seen",)

    def create(self, tx: Tx) -> None:
        tx.execute(f"CREATE TABLE {self.table('seen')} (position INTEGER, event TEXT)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        tx.executemany(
            f"INSERT INTO {self.table('seen')} VALUES (?, ?)",
            [(e.position, e.event_name) for e in envelopes],
        )


class MemberEventsSeen(EventsSeen):
    name = "member_events_seen"
    reads: ClassVar[tuple[type, ...]] = (Member.Event,)


def seen(store: ReadStore, model: type[ReadModel]) -> list[str]:
    rows = store.read(f"SELECT event FROM {model.name}_g1_seen ORDER BY position")
    return [name for (name,) in rows]


@pytest.fixture
def decoded(app: Registre, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The topics of the notifications the application decodes from now on."""
    topics: list[str] = []
    decode = app.decode

    def counting(notification: Notification) -> Any:
        topics.append(notification.topic)
        return decode(notification)

    monkeypatch.setattr(app, "decode", counting)
    return topics


def test_a_read_model_is_handed_only_the_events_it_reads_and_no_other_is_decoded(
    app: Registre, read_store: ReadStore, decoded: list[str]
) -> None:
    member_id = a_member(app, 1)
    hire(app, member_id, 1)
    a_member(app, 2)
    head = app.max_notification_id()

    runner = ProjectionRunner(app, read_store, [MemberEventsSeen])
    runner.setup()
    runner.catch_up()

    assert seen(read_store, MemberEventsSeen) == ["Registered", "Registered"]
    assert {s.name: s.position for s in runner.status()} == {MemberEventsSeen.name: head}
    assert decoded == [get_topic(Member.Registered)] * 2  # the hire's events pass undecoded


def test_beside_a_read_model_of_every_event_it_is_still_handed_only_its_own(
    app: Registre, read_store: ReadStore, decoded: list[str]
) -> None:
    member_id = a_member(app, 1)
    hire(app, member_id, 1)
    head = app.max_notification_id()

    runner = ProjectionRunner(app, read_store, [MemberEventsSeen, EventsSeen])
    runner.setup()
    runner.catch_up()

    assert seen(read_store, MemberEventsSeen) == ["Registered"]
    assert "Hired" in seen(read_store, EventsSeen)
    assert len(seen(read_store, EventsSeen)) == head == len(decoded)
    runner.rebuild(MemberEventsSeen.name)
    assert seen_generation(read_store, MemberEventsSeen, 2) == ["Registered"]


def seen_generation(store: ReadStore, model: type[ReadModel], generation: int) -> list[str]:
    rows = store.read(f"SELECT event FROM {model.name}_g{generation}_seen ORDER BY position")
    return [name for (name,) in rows]


def test_an_event_of_a_topic_that_names_no_class_is_read_by_every_read_model() -> None:
    assert reads_topic((Member.Event,), "domain.nowhere:Nothing.Happened")
    assert reads_topic((Member.Event,), get_topic(Member.Registered))
    assert not reads_topic((Member.Event,), get_topic(Employee.Hired))
    assert reads_topic((object,), get_topic(Employee.Hired))

"""The mapper's own decoding (`RegistreMapper.to_domain_event`) gives what eventsourcing's
generic decoding followed by the typed conversion gives (`_snapshot_or_upcast`), for every
notification of a history that emits every event class (sealed personal data, erased
identities, catalogue edits) and for every snapshot of it, on both stores; and it honours the
cipher and compressor the mapper is constructed with, as eventsourcing's decoding does."""

from collections.abc import Callable
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from application.registre import Registre
from application.requests import Request
from application.workforce.commands import EraseIdentity
from storage.settings import StoreSettings
from tests.integration.test_event_round_trip import assert_identical, every_event
from tests.integration.test_projection_robustness import a_member, a_request, follow_up, hire


def stored(n: Any) -> StoredEvent:
    return StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)


def assert_same_decoding(app: Registre, event: StoredEvent) -> None:
    name = f"{event.topic} v{event.originator_version}"
    new = app.mapper.to_domain_event(event)
    old = app.mapper._snapshot_or_upcast(event)
    assert type(new) is type(old), name
    assert_identical(vars(new), vars(old), name)


def test_every_notification_decodes_as_eventsourcing_and_the_typed_conversion_did(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app, 7)
    employees = [hire(app, member_id, n) for n in range(12)]
    for k, employee_id in enumerate(employees):
        follow_up(app, employee_id, k)  # k = 5: identity erased (its key destroyed)
    aggregate_ids = every_event(app)  # its catalogue edits retire benzene: after the follow-ups
    app.handle(
        Request.by("erase-1", "user-1"), EraseIdentity(employee_id=employees[0])
    )  # erased after a correction or not
    snapshotted = [*aggregate_ids, member_id, *employees]
    for aggregate_id in snapshotted:
        app.take_snapshot(aggregate_id)

    reader = open_app()  # nothing from a cache
    notifications = reader.select_notifications(1, 100_000)
    assert len(notifications) == reader.max_notification_id() > 200
    for notification in notifications:
        assert_same_decoding(reader, stored(notification))

    assert reader.snapshots is not None
    recorder = reader.snapshots.recorder
    count = 0
    for aggregate_id in snapshotted:
        for snapshot in recorder.select_events(aggregate_id):
            assert_same_decoding(reader, snapshot)
            count += 1
    assert count >= len(snapshotted)


def test_an_erased_identity_reads_as_none_by_both_decodings(app: Registre) -> None:
    member_id = a_member(app, 1)
    employee_id = hire(app, member_id, 1)
    app.handle(a_request(), EraseIdentity(employee_id=employee_id))
    hired = next(
        n
        for n in app.select_notifications(1, 100)
        if n.originator_id in {employee_id, str(employee_id)} and n.originator_version == 1
    )
    fresh = Registre(app.settings)
    try:
        new = fresh.mapper.to_domain_event(stored(hired))
        old = fresh.mapper._snapshot_or_upcast(stored(hired))
        assert vars(new) == vars(old)
        assert new.identity is None  # type: ignore[attr-defined]
    finally:
        fresh.close()


@pytest.mark.parametrize("env", [{"COMPRESSOR_TOPIC": "zlib"}], ids=["zlib"])
def test_events_written_through_the_configured_compressor_read_back(
    store: StoreSettings, env: dict[str, str]
) -> None:
    """The mapper is constructed with the factory's compressor and cipher (COMPRESSOR_TOPIC,
    CIPHER_TOPIC from the environment): it writes through them, so it must read through them.
    eventsourcing's decoding (`_snapshot_or_upcast`) does; the mapper's own does not."""
    app = Registre(store, env=env)
    try:
        member_id = a_member(app, 1)
        (registered,) = app.select_notifications(1, 1)
        assert app.mapper._snapshot_or_upcast(stored(registered)).legal_name == "Atelier 1"  # type: ignore[attr-defined]
        assert app.mapper.to_domain_event(stored(registered)).legal_name == "Atelier 1"  # type: ignore[attr-defined]
        assert app.repository.get(member_id).legal_name == "Atelier 1"
    finally:
        app.close()


def test_a_class_version_key_on_a_version_1_class_is_dropped_as_eventsourcing_drops_it(
    app: Registre,
) -> None:
    """eventsourcing pops `class_version` from the state of every event before building it; the
    mapper's own decoding keeps it as an attribute of a version-1 event."""
    a_member(app, 1)
    (registered,) = app.select_notifications(1, 1)
    state = registered.state[:-1] + b',"class_version":1}'
    event = StoredEvent(registered.originator_id, 1, registered.topic, state)
    old = app.mapper._snapshot_or_upcast(event)
    new = app.mapper.to_domain_event(event)
    assert "class_version" not in vars(old)
    assert vars(new) == vars(old)

"""Reading many aggregates at once (`RegistreApplication.load_many`) gives what reading each one
does: from its latest snapshot and the events after it, personal data opened, on both stores."""

from collections.abc import Iterator
from datetime import date
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.postgres import PostgresAggregateRecorder

from application.registre import SNAPSHOT_INTERVAL, Registre
from domain.actor import Actor
from domain.calendar import stamping_at
from domain.members.member import Member
from domain.workforce.employee import Employee
from storage import bulk
from storage.settings import StoreSettings
from tests.integration.test_application import a_member, an_identity, grow_to, hire
from tests.stores import postgres_base_url


@pytest.fixture
def app(store: StoreSettings) -> Iterator[Registre]:
    application = Registre(store)
    yield application
    application.close()


def test_many_aggregates_read_together_are_those_read_one_by_one(app: Registre) -> None:
    member_id = a_member(app)
    snapshotted = hire(app, member_id)
    grow_to(app, snapshotted, SNAPSHOT_INTERVAL + 3)
    fresh = hire(
        app,
        member_id,
        hire_date=date(2024, 3, 1),
        identity=an_identity(first_name="Paul", nir=None),
    )
    missing = uuid4()

    employees = app.load_many(Employee, [snapshotted, fresh, member_id, missing, fresh])

    assert set(employees) == {snapshotted, fresh}, "a member is no employee, a missing id none"
    for employee_id, employee in employees.items():
        alone: Employee = app.repository.get(employee_id)
        assert employee.version == alone.version
        assert employee.identity == alone.identity is not None, "personal data opened"
        assert employee.exposures == alone.exposures
    assert employees[snapshotted].version == SNAPSHOT_INTERVAL + 3
    assert app.load_many(Member, [member_id])[member_id].legal_name == "Martin SAS"
    assert app.load_many(Member, []) == {}


def test_more_aggregates_than_a_query_holds_are_all_read(app: Registre) -> None:
    count = bulk.CHUNK * 2 + 7
    with stamping_at(app.clock.now()):
        members = [
            Member.register(
                member_code=f"{n:05d}",
                declarant_number_hash="-",
                legal_name=f"Adhérent {n}",
                siret=None,
                actor=Actor("test"),
            )
            for n in range(count)
        ]
    app.save(*members)

    read = app.load_many(Member, [member.id for member in members])

    assert [read[member.id].legal_name for member in members] == [
        f"Adhérent {n}" for n in range(count)
    ]


def test_the_latest_of_several_snapshots_is_the_one_read(app: Registre) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id)
    grow_to(app, employee_id, 2 * SNAPSHOT_INTERVAL + 3)
    assert app.snapshots is not None

    latest = bulk.latest_of(app.snapshots.recorder, [employee_id, uuid4()])

    assert list(latest) == [employee_id]
    assert latest[employee_id].originator_version == 2 * SNAPSHOT_INTERVAL


@pytest.mark.postgres
def test_a_few_aggregates_are_read_by_index_whatever_the_plan(
    postgres_store: StoreSettings,
) -> None:
    """Regression: a command reading its two identity marks together planned the join over the
    whole event log; psycopg prepares a statement run five times, and the generic plan made
    while the log was small (a new schema, statistics never taken) read every event of the log
    at each hire once it had grown."""
    application = Registre(postgres_store)
    try:
        events = application.recorder
        assert isinstance(events, PostgresAggregateRecorder)
        assert application.snapshots is not None
        snapshots = application.snapshots.recorder
        datastore = events.datastore
        statements = [
            bulk._statement(query, datastore.originator_id_type, datastore.schema, table)
            for query, table in (
                (bulk._AFTER_POSTGRES, events.events_table_name),
                (bulk._LATEST_POSTGRES, snapshots.events_table_name),  # type: ignore[attr-defined]
            )
        ]
        ids = f"'{{{uuid4()},{uuid4()}}}'::uuid[], '{{0,0}}'::bigint[]"
        with psycopg.connect(postgres_base_url(), autocommit=True) as connection:
            connection.execute("SET plan_cache_mode = force_generic_plan")
            for number, statement in enumerate(statements):
                numbered = statement.replace(b"%s", b"$1", 1).replace(b"%s", b"$2", 1)
                connection.execute(b"PREPARE bulk_%d AS " % number + numbered)
                plan = connection.execute(f"EXPLAIN EXECUTE bulk_{number}({ids})").fetchall()
                assert not any("Seq Scan" in line for (line,) in plan), plan
    finally:
        application.close()

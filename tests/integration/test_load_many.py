"""Reading many aggregates at once (`RegistreApplication.load_many`) gives what reading each one
does: from its latest snapshot and the events after it, personal data opened, on both stores."""

from collections.abc import Iterator
from datetime import date
from uuid import uuid4

import pytest

from application.registre import SNAPSHOT_INTERVAL, Registre
from domain.actor import Actor
from domain.calendar import stamping_at
from domain.members.member import Member
from domain.workforce.employee import Employee
from storage import bulk
from storage.settings import StoreSettings
from tests.integration.test_application import a_member, an_identity, grow_to, hire


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

"""A slot is booked (or an appointment moved into it) only on a day to come, with a professional
still in the service that day, at a centre still open that day (regressions: each was accepted)."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta

import pytest

from application.registre import Registre
from application.visits.appointments import RescheduleAppointment
from application.visits.organisation import CloseVisitCentre, RecordProfessionalDeparture
from domain.calendar import SetClock
from domain.errors import RuleViolation
from domain.visits.appointment import Appointment, AppointmentStatus
from domain.visits.availability import Availability
from storage.settings import StoreSettings
from tests.integration.test_appointment_side_effects import (
    DAY,
    Scene,
    a_scene,
    booking,
    requested,
    staff,
)

Change = Callable[[Registre, Scene, SetClock], None]


@pytest.fixture
def clock() -> SetClock:
    return SetClock(datetime.combine(DAY - timedelta(days=7), time(10), tzinfo=UTC))


@pytest.fixture
def app(store: StoreSettings, clock: SetClock) -> Iterator[Registre]:
    application = Registre(store, clock=clock)
    yield application
    application.close()


def days_pass(app: Registre, scene: Scene, clock: SetClock) -> None:
    clock.advance(days=9)  # the clock stood a week before DAY


def doctor_leaves(app: Registre, scene: Scene, clock: SetClock) -> None:
    left_on = DAY - timedelta(days=1)
    app.handle(
        staff(), RecordProfessionalDeparture(professional_id=scene.doctor_id, left_on=left_on)
    )


def centre_closes(app: Registre, scene: Scene, clock: SetClock) -> None:
    availability: Availability = app.repository.get(Availability.id_of(scene.doctor_id, DAY))
    centre_id = availability.slots[0].centre_id
    app.handle(staff(), CloseVisitCentre(centre_id=centre_id, closed_on=DAY))


CHANGES = [
    pytest.param(days_pass, "SLOT_PASSED", id="the-day-has-passed"),
    pytest.param(doctor_leaves, "PROFESSIONAL_LEFT", id="the-doctor-has-left"),
    pytest.param(centre_closes, "CENTRE_CLOSED", id="the-centre-is-closed"),
]


@pytest.mark.parametrize(("change", "code"), CHANGES)
def test_a_slot_that_can_no_longer_be_honoured_is_not_booked(
    app: Registre, clock: SetClock, change: Change, code: str
) -> None:
    scene = a_scene(app)
    appointment_id = requested(app, scene)
    change(app, scene, clock)

    with pytest.raises(RuleViolation) as refused:
        app.handle(staff(), booking(scene, appointment_id))

    assert refused.value.code == code
    appointment: Appointment = app.repository.get(appointment_id)
    assert appointment.status is AppointmentStatus.REQUESTED


@pytest.mark.parametrize(("change", "code"), CHANGES)
def test_an_appointment_is_not_moved_into_such_a_slot(
    app: Registre, clock: SetClock, change: Change, code: str
) -> None:
    scene = a_scene(app)
    appointment_id = requested(app, scene)
    app.handle(staff(), booking(scene, appointment_id))
    change(app, scene, clock)

    with pytest.raises(RuleViolation) as refused:
        app.handle(
            staff(),
            RescheduleAppointment(
                appointment_id=appointment_id,
                professional_id=scene.doctor_id,
                day=DAY,
                slot_id=scene.slots[time(11)],
            ),
        )

    assert refused.value.code == code

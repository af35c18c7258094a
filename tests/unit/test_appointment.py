"""The Appointment: requested by a member, booked by staff into a slot, moved, cancelled by the
member (two business days ahead) or by staff, attended or missed — every transition and refusal;
and the service's visit settings the application feeds it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.errors import DomainError, InvalidValue, RuleViolation
from domain.money import Money
from domain.visits.appointment import Appointment, AppointmentStatus, Requester
from domain.visits.availability import Availability
from domain.visits.business_days import BusinessCalendar, Region
from domain.visits.kinds import VisitKind
from domain.visits.settings import DEFAULT_NO_SHOW_FEE, VisitSettings

MEMBER = uuid4()
EMPLOYEE = uuid4()
DOCTOR = uuid4()
CENTRE = uuid4()
MEMBER_USER = Actor("user-1", on_behalf_of=MEMBER)
STAFF = Actor("staff-1")
REQUESTED_ON = date(2026, 4, 27)
DAY = date(2026, 5, 18)
"""A Monday: with Ascension on Thursday 14 May, the last day to cancel is Tuesday 12 May."""
FRANCE = BusinessCalendar()
FEE = Money(Decimal(50))


def request(**changes: Any) -> Appointment:
    arguments: dict[str, Any] = {
        "member_id": MEMBER,
        "employee_id": EMPLOYEE,
        "kind": VisitKind.PERIODIC,
        "requested_by": Requester.EMPLOYER,
        "reason": "Visite périodique due en mai.",
        "constraints": None,
        "preferred_from": date(2026, 5, 4),
        "preferred_to": date(2026, 5, 29),
        "requested_on": REQUESTED_ON,
        "actor": MEMBER_USER,
    }
    return Appointment.request(**(arguments | changes))


def day_of_slots(day: date = DAY) -> Availability:
    availability = Availability.open(DOCTOR, day, STAFF)
    availability.publish(CENTRE, time(9), 30, STAFF)
    availability.publish(CENTRE, time(9, 30), 30, STAFF)
    return availability


def event_names(aggregate: Appointment) -> list[str]:
    return [type(e).__name__ for e in aggregate.collect_events()]


# Requesting -----------------------------------------------------------------------------------


def test_a_member_requests_a_visit_for_an_employee() -> None:
    appointment = request(constraints="  Pas le mercredi.\n\n  Plutôt le matin.  ")

    assert appointment.status is AppointmentStatus.REQUESTED
    assert appointment.owning_member == MEMBER
    assert appointment.constraints == "Pas le mercredi.\n\nPlutôt le matin."
    assert appointment.slot is None
    (requested,) = appointment.collect_events()
    assert type(requested).__name__ == "AppointmentRequested"
    assert vars(requested)["member_id"] == MEMBER  # the audit trail files it by member
    assert vars(requested)["actor"] == MEMBER_USER


def test_the_free_texts_are_sealed_as_health_data() -> None:
    appointment = request()
    appointment.cancel_by_staff("Salarié hospitalisé.", None, STAFF)

    fields = {name for e in appointment.collect_events() for name in vars(e)}
    assert set(Appointment.personal_data) <= fields


def test_the_employer_may_not_request_a_pre_return_visit() -> None:
    with pytest.raises(RuleViolation) as refused:
        request(kind=VisitKind.PRE_RETURN)

    assert refused.value.code == "PRE_RETURN_NOT_BY_EMPLOYER"
    assert "L4624-2-4" in refused.value.message
    for who_may in ("le salarié", "médecin traitant", "médecin conseil", "médecin du travail"):
        assert who_may in refused.value.message


@pytest.mark.parametrize(
    "requester",
    [
        Requester.EMPLOYEE,
        Requester.ATTENDING_DOCTOR,
        Requester.MEDICAL_ADVISER,
        Requester.OCCUPATIONAL_DOCTOR,
    ],
)
def test_a_pre_return_visit_is_requested_by_the_others(requester: Requester) -> None:
    appointment = request(kind=VisitKind.PRE_RETURN, requested_by=requester, actor=STAFF)

    assert appointment.requested_by is requester


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        (
            {"preferred_from": date(2026, 5, 29), "preferred_to": date(2026, 5, 4)},
            "INVALID_PREFERRED_PERIOD",
            "preferred_to",
        ),
        (
            {"preferred_from": date(2026, 4, 1), "preferred_to": date(2026, 4, 26)},
            "INVALID_PREFERRED_PERIOD",
            "preferred_to",
        ),
        ({"preferred_to": date(2027, 4, 29)}, "INVALID_PREFERRED_PERIOD", "preferred_to"),
        ({"preferred_from": date(1, 1, 1)}, "INVALID_PREFERRED_PERIOD", "preferred_to"),
        ({"reason": "   "}, "INVALID_TEXT", "reason"),
        ({"reason": "x" * 501}, "INVALID_TEXT", "reason"),
        ({"reason": "Visite\u202epériodique"}, "INVALID_TEXT", "reason"),
        ({"constraints": "Le matin\x00"}, "INVALID_TEXT", "constraints"),
    ],
)
def test_an_impossible_request_is_refused(changes: dict[str, Any], code: str, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        request(**changes)

    assert (refused.value.code, refused.value.field) == (code, field)


def test_a_preferred_period_may_have_begun_and_end_a_year_ahead() -> None:
    request(preferred_from=date(2026, 4, 1), preferred_to=REQUESTED_ON)
    request(preferred_to=date(2027, 4, 28))


# Booking and moving ---------------------------------------------------------------------------


def test_staff_book_a_request_into_a_free_slot() -> None:
    appointment, availability = request(), day_of_slots()
    slot = availability.slots[0]

    appointment.book(availability, slot.id, STAFF)

    assert appointment.status is AppointmentStatus.BOOKED
    assert appointment.slot == slot
    assert availability.holder_of(slot.id) == appointment.id
    assert event_names(appointment)[-1] == "AppointmentBooked"


def test_a_slot_another_appointment_holds_is_not_booked() -> None:
    availability = day_of_slots()
    slot_id = availability.slots[0].id
    request().book(availability, slot_id, STAFF)
    late = request()

    with pytest.raises(RuleViolation) as refused:
        late.book(availability, slot_id, STAFF)

    assert refused.value.code == "SLOT_TAKEN"
    assert late.status is AppointmentStatus.REQUESTED


def test_staff_move_an_appointment_within_a_day() -> None:
    appointment, availability = request(), day_of_slots()
    first, second = availability.slots
    appointment.book(availability, first.id, STAFF)

    appointment.reschedule(availability, availability, second.id, STAFF)

    assert appointment.slot == second
    assert availability.holder_of(first.id) is None
    assert availability.holder_of(second.id) == appointment.id
    rescheduled = appointment.collect_events()[-1]
    assert vars(rescheduled)["previous"] == first


def test_staff_move_an_appointment_to_another_day() -> None:
    appointment, monday, tuesday = request(), day_of_slots(), day_of_slots(date(2026, 5, 19))
    appointment.book(monday, monday.slots[0].id, STAFF)

    appointment.reschedule(monday, tuesday, tuesday.slots[1].id, STAFF)

    assert appointment.slot == tuesday.slots[1]
    assert monday.free_slots == monday.slots
    assert tuesday.holder_of(tuesday.slots[1].id) == appointment.id


def test_moving_onto_the_same_slot_or_a_taken_one_is_refused() -> None:
    appointment, other, availability = request(), request(), day_of_slots()
    first, second = availability.slots
    appointment.book(availability, first.id, STAFF)
    other.book(availability, second.id, STAFF)

    with pytest.raises(RuleViolation) as same:
        appointment.reschedule(availability, availability, first.id, STAFF)
    with pytest.raises(RuleViolation) as taken:
        appointment.reschedule(availability, availability, second.id, STAFF)

    assert (same.value.code, taken.value.code) == ("SAME_SLOT", "SLOT_TAKEN")
    assert availability.holder_of(first.id) == appointment.id
    assert appointment.slot == first


def test_the_day_of_the_booked_slot_is_the_one_to_free() -> None:
    appointment, monday, tuesday = request(), day_of_slots(), day_of_slots(date(2026, 5, 19))
    appointment.book(monday, monday.slots[0].id, STAFF)

    with pytest.raises(ValueError, match="availability"):
        appointment.cancel_by_staff("Médecin absent.", tuesday, STAFF)
    with pytest.raises(ValueError, match="one object"):
        appointment.reschedule(monday, replayed(monday), monday.slots[1].id, STAFF)


def replayed(availability: Availability) -> Availability:
    copy: Availability | None = None
    for domain_event in availability.collect_events():
        copy = domain_event.mutate(copy)
    assert copy is not None
    return copy


# Cancelling -----------------------------------------------------------------------------------


def booked() -> tuple[Appointment, Availability]:
    appointment, availability = request(), day_of_slots()
    appointment.book(availability, availability.slots[0].id, STAFF)
    return appointment, availability


@pytest.mark.parametrize(
    ("asked_on", "notice_days", "calendar", "last_day"),
    [
        (date(2026, 5, 4), 2, FRANCE, None),
        (date(2026, 5, 12), 2, FRANCE, None),
        (date(2026, 5, 13), 2, FRANCE, "mardi 12 mai 2026"),
        (date(2026, 5, 15), 2, FRANCE, "mardi 12 mai 2026"),
        (DAY, 2, FRANCE, "mardi 12 mai 2026"),
        (date(2026, 5, 20), 2, FRANCE, "mardi 12 mai 2026"),  # after the day
        (date(2026, 5, 14), 1, FRANCE, None),  # Ascension itself: Friday lies between
        (date(2026, 5, 15), 1, FRANCE, "jeudi 14 mai 2026"),
        (date(2026, 5, 11), 3, FRANCE, None),
        (date(2026, 5, 12), 3, FRANCE, "lundi 11 mai 2026"),
        (date(2026, 5, 12), 2, BusinessCalendar(Region.ALSACE_MOSELLE), None),
    ],
)
def test_the_member_cancels_while_enough_business_days_lie_before_the_day(
    asked_on: date, notice_days: int, calendar: BusinessCalendar, last_day: str | None
) -> None:
    appointment, availability = booked()
    slot = availability.slots[0]

    if last_day is None:
        appointment.cancel_by_member(asked_on, notice_days, calendar, availability, MEMBER_USER)
        assert appointment.status is AppointmentStatus.CANCELLED
        assert availability.holder_of(slot.id) is None
        cancelled = appointment.collect_events()[-1]
        assert type(cancelled).__name__ == "AppointmentCancelledByMember"
        assert vars(cancelled)["freed"] == slot
    else:
        with pytest.raises(RuleViolation) as refused:
            appointment.cancel_by_member(asked_on, notice_days, calendar, availability, MEMBER_USER)
        assert refused.value.code == "CANCELLATION_TOO_LATE"
        assert f"au plus tard le {last_day}" in refused.value.message
        assert "lundi 18 mai 2026" in refused.value.message
        assert appointment.status is AppointmentStatus.BOOKED
        assert availability.holder_of(slot.id) == appointment.id


def test_the_refusal_says_how_many_business_days_ahead() -> None:
    appointment, availability = booked()

    with pytest.raises(RuleViolation) as two:
        appointment.cancel_by_member(date(2026, 5, 13), 2, FRANCE, availability, MEMBER_USER)
    with pytest.raises(RuleViolation) as one:
        appointment.cancel_by_member(date(2026, 5, 15), 1, FRANCE, availability, MEMBER_USER)

    assert "2 jours ouvrés à l'avance" in two.value.message
    assert "1 jour ouvré à l'avance" in one.value.message


def test_the_member_withdraws_a_request_not_yet_booked_at_any_time() -> None:
    appointment = request()

    appointment.cancel_by_member(date(2026, 5, 29), 2, FRANCE, None, MEMBER_USER)

    assert appointment.status is AppointmentStatus.CANCELLED
    assert vars(appointment.collect_events()[-1])["last_day"] is None


def test_staff_cancel_with_a_reason_and_free_the_slot() -> None:
    appointment, availability = booked()

    with pytest.raises(InvalidValue) as no_reason:
        appointment.cancel_by_staff("  ", availability, STAFF)
    appointment.cancel_by_staff("Médecin absent ce jour-là.", availability, STAFF)

    assert no_reason.value.field == "reason"
    assert appointment.status is AppointmentStatus.CANCELLED
    assert availability.free_slots == availability.slots
    cancelled = appointment.collect_events()[-1]
    assert vars(cancelled)["cancellation_reason"] == "Médecin absent ce jour-là."


# After the day --------------------------------------------------------------------------------


def test_attendance_is_recorded_from_the_day_on() -> None:
    appointment, _ = booked()

    with pytest.raises(RuleViolation, match="lundi 18 mai 2026") as too_soon:
        appointment.record_attendance(date(2026, 5, 17), STAFF)
    appointment.record_attendance(DAY, STAFF)

    assert too_soon.value.code == "APPOINTMENT_NOT_YET"
    assert appointment.status is AppointmentStatus.ATTENDED


def test_a_no_show_is_recorded_with_the_fee_billed_to_the_employer() -> None:
    appointment, availability = booked()

    appointment.record_no_show(date(2026, 5, 19), date(2026, 5, 15), FEE, STAFF)

    assert appointment.status is AppointmentStatus.MISSED
    missed = vars(appointment.collect_events()[-1])
    assert (missed["late_cancellation_asked_on"], missed["fee"]) == (date(2026, 5, 15), FEE)
    assert availability.holder_of(availability.slots[0].id) == appointment.id


@pytest.mark.parametrize(
    ("recorded_on", "late_cancellation_asked_on", "code"),
    [
        (date(2026, 5, 15), None, "APPOINTMENT_NOT_YET"),
        (date(2026, 5, 19), date(2026, 5, 19), "INVALID_LATE_CANCELLATION"),
    ],
)
def test_an_impossible_no_show_is_refused(
    recorded_on: date, late_cancellation_asked_on: date | None, code: str
) -> None:
    appointment, _ = booked()

    with pytest.raises(DomainError) as refused:
        appointment.record_no_show(recorded_on, late_cancellation_asked_on, None, STAFF)

    assert refused.value.code == code
    assert appointment.status is AppointmentStatus.BOOKED


# Every transition -----------------------------------------------------------------------------


@dataclass
class Scene:
    appointment: Appointment
    availability: Availability


def in_status(status: str) -> Scene:
    appointment, availability = request(), day_of_slots()
    if status == "requested":
        return Scene(appointment, availability)
    appointment.book(availability, availability.slots[0].id, STAFF)
    if status == "cancelled_by_member":
        appointment.cancel_by_member(date(2026, 5, 4), 2, FRANCE, availability, MEMBER_USER)
    elif status == "cancelled_by_staff":
        appointment.cancel_by_staff("Doublon.", availability, STAFF)
    elif status == "attended":
        appointment.record_attendance(DAY, STAFF)
    elif status == "missed":
        appointment.record_no_show(DAY, None, None, STAFF)
    return Scene(appointment, availability)


ACTIONS: dict[str, Callable[[Scene], None]] = {
    "book": lambda s: s.appointment.book(s.availability, s.availability.slots[1].id, STAFF),
    "reschedule": lambda s: s.appointment.reschedule(
        s.availability, s.availability, s.availability.slots[1].id, STAFF
    ),
    "cancel_by_member": lambda s: s.appointment.cancel_by_member(
        date(2026, 5, 4), 2, FRANCE, s.availability, MEMBER_USER
    ),
    "cancel_by_staff": lambda s: s.appointment.cancel_by_staff("Doublon.", s.availability, STAFF),
    "attend": lambda s: s.appointment.record_attendance(DAY, STAFF),
    "miss": lambda s: s.appointment.record_no_show(DAY, None, FEE, STAFF),
}
ALLOWED = {
    "requested": {"book", "cancel_by_member", "cancel_by_staff"},
    "booked": {"reschedule", "cancel_by_member", "cancel_by_staff", "attend", "miss"},
}
REFUSAL_CODES = {
    "requested": "APPOINTMENT_REQUESTED",
    "booked": "APPOINTMENT_BOOKED",
    "cancelled_by_member": "APPOINTMENT_CANCELLED",
    "cancelled_by_staff": "APPOINTMENT_CANCELLED",
    "attended": "APPOINTMENT_ATTENDED",
    "missed": "APPOINTMENT_MISSED",
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", REFUSAL_CODES)
def test_every_transition_and_refusal(status: str, action: str) -> None:
    scene = in_status(status)
    before = scene.appointment.status

    if action in ALLOWED.get(status, set()):
        ACTIONS[action](scene)
        assert scene.appointment.status is not before or action == "reschedule"
    else:
        with pytest.raises(RuleViolation, match=r"^Impossible .* ce rendez-vous : il ") as refused:
            ACTIONS[action](scene)
        assert refused.value.code == REFUSAL_CODES[status]
        assert scene.appointment.status is before


# The service's settings -----------------------------------------------------------------------


def test_settings_default_to_two_business_days_and_no_billed_no_show() -> None:
    settings = VisitSettings.start(STAFF)

    assert settings.cancellation_notice_days == 2
    assert settings.no_show_fee_due is None
    assert settings.no_show_fee == DEFAULT_NO_SHOW_FEE == Money(Decimal(50))


def test_settings_change_with_history_and_only_when_they_change() -> None:
    settings = VisitSettings.start(STAFF)

    settings.set_cancellation_notice(3, STAFF)
    settings.set_cancellation_notice(3, STAFF)
    settings.set_no_show_billing(True, Money(Decimal("75.50")), STAFF)
    settings.set_no_show_billing(True, Money(Decimal("75.50")), STAFF)

    assert settings.cancellation_notice_days == 3
    assert settings.no_show_fee_due == Money(Decimal("75.50"))
    assert [type(e).__name__ for e in settings.collect_events()] == [
        "VisitSettingsOpened",
        "CancellationNoticeSet",
        "NoShowBillingSet",
    ]
    assert VisitSettings.start(STAFF).id == settings.id


@pytest.mark.parametrize("days", [0, 11, -1])
def test_the_cancellation_notice_has_bounds(days: int) -> None:
    with pytest.raises(InvalidValue) as refused:
        VisitSettings.start(STAFF).set_cancellation_notice(days, STAFF)

    assert refused.value.code == "INVALID_CANCELLATION_NOTICE"


@pytest.mark.parametrize("fee", ["0", "-10", "1000.01"])
def test_the_no_show_fee_has_bounds(fee: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        VisitSettings.start(STAFF).set_no_show_billing(True, Money(Decimal(fee)), STAFF)

    assert refused.value.code == "INVALID_NO_SHOW_FEE"

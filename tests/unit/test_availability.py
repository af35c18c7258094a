"""A professional's slots of a day: published without overlap, withdrawn while free, held by one
appointment at a time — and two concurrent bookings of one slot cannot both be saved."""

import pickle
from datetime import date, time
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.popo import POPOAggregateRecorder
from eventsourcing.utils import get_topic

from domain.actor import Actor
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.visits.availability import Availability, Slot

STAFF = Actor("staff-1")
DOCTOR = uuid4()
CENTRE = uuid4()
OTHER_CENTRE = uuid4()
DAY = date(2026, 5, 18)


def day_with(*slots: tuple[time, int]) -> Availability:
    availability = Availability.open(DOCTOR, DAY, STAFF)
    for starts_at, minutes in slots:
        availability.publish(CENTRE, starts_at, minutes, STAFF)
    return availability


def test_one_aggregate_per_professional_and_day() -> None:
    availability = day_with()

    assert availability.id == Availability.id_of(DOCTOR, DAY)
    assert Availability.id_of(DOCTOR, date(2026, 5, 19)) != availability.id
    assert Availability.id_of(uuid4(), DAY) != availability.id


def test_a_published_slot_is_free_and_says_where_and_when() -> None:
    availability = day_with((time(14), 30))

    slot = availability.publish(OTHER_CENTRE, time(9, 30), 45, STAFF)

    assert slot == Slot(slot.id, OTHER_CENTRE, DOCTOR, DAY, time(9, 30), 45)
    assert slot.ends_at == time(10, 15)
    assert availability.slot(slot.id) == slot
    assert [s.starts_at for s in availability.free_slots] == [time(9, 30), time(14)]
    assert availability.holder_of(slot.id) is None
    assert slot.id == day_with((time(9, 30), 45)).slots[0].id  # from the day and the time


@pytest.mark.parametrize(
    ("starts_at", "minutes", "overlaps"),
    [
        (time(8, 30), 30, False),  # ends as the other begins
        (time(9, 30), 30, False),  # begins as the other ends
        (time(9, 15), 30, True),
        (time(8, 45), 30, True),
        (time(9, 10), 5, True),  # inside
        (time(8), 120, True),  # around
        (time(9), 30, True),  # the same
    ],
)
def test_slots_of_one_professional_never_overlap(
    starts_at: time, minutes: int, overlaps: bool
) -> None:
    availability = day_with((time(9), 30))

    if overlaps:
        with pytest.raises(RuleViolation, match="09:00 à 09:30") as refused:
            availability.publish(OTHER_CENTRE, starts_at, minutes, STAFF)
        assert refused.value.code == "SLOT_OVERLAP"
        assert len(availability.slots) == 1
    else:
        availability.publish(OTHER_CENTRE, starts_at, minutes, STAFF)
        assert len(availability.slots) == 2


@pytest.mark.parametrize(
    ("starts_at", "minutes", "code"),
    [
        (time(9), 4, "INVALID_SLOT_DURATION"),
        (time(9), 241, "INVALID_SLOT_DURATION"),
        (time(23, 45), 30, "INVALID_SLOT_DURATION"),  # past midnight
        (time(9, 0, 30), 30, "INVALID_SLOT_START"),
    ],
)
def test_an_impossible_slot_is_refused(starts_at: time, minutes: int, code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        day_with().publish(CENTRE, starts_at, minutes, STAFF)

    assert refused.value.code == code


def test_a_slot_may_end_at_midnight() -> None:
    assert day_with((time(23, 30), 30)).slots[0].ends_at == time(0)


def test_a_free_slot_is_withdrawn_a_booked_one_is_not() -> None:
    availability = day_with((time(9), 30), (time(10), 30))
    free, booked = availability.slots
    availability.hold(booked.id, uuid4(), STAFF)

    availability.withdraw(free.id, STAFF)
    with pytest.raises(RuleViolation, match="réservé") as refused:
        availability.withdraw(booked.id, STAFF)

    assert refused.value.code == "SLOT_BOOKED"
    assert availability.slots == (booked,)
    with pytest.raises(NotFound):
        availability.withdraw(free.id, STAFF)


def test_a_slot_is_held_by_one_appointment_until_freed() -> None:
    availability = day_with((time(9), 30))
    slot = availability.slots[0]
    first, second = uuid4(), uuid4()

    assert availability.hold(slot.id, first, STAFF) == slot
    with pytest.raises(RuleViolation) as taken:
        availability.hold(slot.id, second, STAFF)
    with pytest.raises(RuleViolation) as not_held:
        availability.free(slot.id, second, STAFF)
    availability.free(slot.id, first, STAFF)
    availability.hold(slot.id, second, STAFF)

    assert (taken.value.code, not_held.value.code) == ("SLOT_TAKEN", "SLOT_NOT_HELD")
    assert availability.holder_of(slot.id) == second
    assert availability.free_slots == ()


def test_an_unknown_slot_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        day_with((time(9), 30)).hold(uuid4(), uuid4(), STAFF)

    assert refused.value.code == "SLOT_NOT_FOUND"


def save(recorder: POPOAggregateRecorder, aggregate: Availability) -> None:
    recorder.insert_events(
        [
            StoredEvent(e.originator_id, e.originator_version, get_topic(type(e)), pickle.dumps(e))
            for e in aggregate.collect_events()
        ]
    )


def load(recorder: POPOAggregateRecorder, availability_id: UUID) -> Availability:
    """The aggregate as a process loads it from the store."""
    aggregate: Availability | None = None
    for stored in recorder.select_events(availability_id):
        aggregate = pickle.loads(stored.state).mutate(aggregate)
    assert aggregate is not None
    return aggregate


def test_two_concurrent_bookings_of_one_slot_cannot_both_be_saved() -> None:
    recorder = POPOAggregateRecorder()
    published = day_with((time(9), 30))
    slot_id = published.slots[0].id
    save(recorder, published)
    loaded_by_one, loaded_by_other = load(recorder, published.id), load(recorder, published.id)

    loaded_by_one.hold(slot_id, uuid4(), STAFF)
    loaded_by_other.hold(slot_id, uuid4(), STAFF)  # each sees the slot free
    save(recorder, loaded_by_one)

    with pytest.raises(IntegrityError):
        save(recorder, loaded_by_other)
    with pytest.raises(RuleViolation, match="vient d'être réservé"):
        load(recorder, published.id).hold(slot_id, uuid4(), STAFF)  # decided again

"""The service's time (`domain.calendar`): Paris calendar dates of UTC instants, the clocks, and
the stamp every aggregate's events take from the command deciding them."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import CanMutateAggregate

import application.registre  # noqa: F401 (every aggregate of the domain, imported)
from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.calendar import PARIS, SYSTEM_CLOCK, SetClock, event_stamp, paris_date, stamping_at
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex

NEW_YEAR_IN_PARIS = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)


def test_an_instant_is_dated_by_the_paris_calendar() -> None:
    assert paris_date(NEW_YEAR_IN_PARIS) == date(2027, 1, 1)
    assert paris_date(datetime(2026, 12, 31, 0, 30, tzinfo=PARIS)) == date(2026, 12, 31)
    assert paris_date(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == date(2026, 3, 29)
    assert paris_date(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == date(2026, 3, 29)
    assert paris_date(datetime(2026, 10, 24, 22, 30, tzinfo=UTC)) == date(2026, 10, 25)
    assert paris_date(datetime(2026, 7, 14, 21, 59, tzinfo=UTC)) == date(2026, 7, 14)


def test_a_set_clock_stands_still_until_it_is_set_or_moved() -> None:
    clock = SetClock(datetime(2027, 1, 1, 0, 30, tzinfo=PARIS))
    assert clock.now() == NEW_YEAR_IN_PARIS
    assert clock.now().tzinfo is UTC
    assert clock.today() == date(2027, 1, 1)
    clock.advance(timedelta(minutes=30))
    clock.advance(hours=23)
    assert clock.now() == NEW_YEAR_IN_PARIS + timedelta(hours=23, minutes=30)
    assert clock.today() == date(2027, 1, 2)
    clock.set(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 10, 25)


def test_an_instant_without_its_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        SetClock(datetime(2026, 12, 31, 23, 30))  # noqa: DTZ001 (the case refused)


def test_the_system_clock_gives_aware_utc_instants_and_the_paris_day() -> None:
    now = SYSTEM_CLOCK.now()
    assert now.tzinfo is UTC
    assert SYSTEM_CLOCK.today() in {paris_date(now), paris_date(SYSTEM_CLOCK.now())}


def _aggregates() -> list[type[RegistreAggregate]]:
    found, pending = [], list(RegistreAggregate.__subclasses__())
    while pending:
        aggregate = pending.pop()
        found.append(aggregate)
        pending.extend(aggregate.__subclasses__())
    return found


def _event_classes(aggregate: type[Any]) -> list[type[Any]]:
    return [
        value
        for value in vars(aggregate).values()
        if isinstance(value, type) and issubclass(value, CanMutateAggregate)
    ]


def test_every_event_of_every_aggregate_is_stamped_by_the_service_clock() -> None:
    """eventsourcing makes an event class for each decorated method and redefines the declared
    ones under the aggregate's `Event`: all of them must take the command's stamp."""
    aggregates = _aggregates()
    names = {aggregate.__name__ for aggregate in aggregates}
    assert {"Account", "Member", "Employee", "Declaration", "Campaign"} <= names
    assert {"RiskAssessment", "CatalogueEdits"} <= names
    stamped = RegistreAggregate.Event.create_timestamp
    for aggregate in aggregates:
        events = _event_classes(aggregate)
        assert len(events) > 2, aggregate
        for event_class in events:
            assert issubclass(event_class, RegistreAggregate.Event), event_class
            assert event_class.create_timestamp is stamped, event_class


def test_events_made_inside_a_command_carry_its_instant_and_outside_the_system_time() -> None:
    identity = Identity("DURAND", "Camille", date(1990, 5, 1), Sex.F)
    actor, terms = Actor("staff-1"), ContractTerms("Boulangère", ContractType.CDI)
    with stamping_at(NEW_YEAR_IN_PARIS):
        assert event_stamp() == NEW_YEAR_IN_PARIS
        employee = Employee.hire(
            member_id=uuid4(),
            identity=identity,
            hire_date=date(2027, 1, 1),
            terms=terms,
            actor=actor,
        )
        employee.correct_identity(replace(identity, first_name="Camilla"), actor)
    stamps = {event.timestamp for event in employee.collect_events()}
    assert stamps == {NEW_YEAR_IN_PARIS}
    before = SYSTEM_CLOCK.now()
    assert before <= event_stamp() <= SYSTEM_CLOCK.now()

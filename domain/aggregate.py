"""The base of every aggregate of the domain: its events carry the service's time.

eventsourcing stamps an event with `create_timestamp()`; here that is the instant of the command
deciding it (`domain.calendar.event_stamp`), taken from the application's clock, so a test that
sets the clock sets the events' timestamps too. The decorator-made events of an aggregate
subclass its `Event` (and `Created`) classes, which subclass `RegistreAggregate.Event`.
"""

from datetime import datetime

from eventsourcing.domain import Aggregate

from domain.calendar import event_stamp


class RegistreAggregate(Aggregate):
    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            return event_stamp()

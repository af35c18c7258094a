"""Seed 000's end and seed 004 §2.4: the confirmed declaration's recap becomes its invoice; the
direct-debit reduction earned, then lost on a rejected debit; a credit note; a reopened
declaration billed for the difference; the échéancier, the same once every read model has been
rebuilt from the first event.

The days of these scenarios are those of seed 000's season (`service_instant`), but for those
played at any hour; the spec's own steps: a contract closed, and the days that pass.
"""

from datetime import date, datetime, time

import pytest
from pytest_bdd import scenarios

from domain.calendar import PARIS
from domain.workforce.employment import ExitReason
from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal, sign_in_with_code
from features.steps.annual_declaration import *  # noqa: F403 (the declaration's steps)
from features.steps.annual_declaration import action, employee_id
from features.steps.billing import *  # noqa: F403 (the billing's steps)
from features.steps.billing import send_form
from features.steps.read_models import *  # noqa: F403 (the rebuild of the read side)
from features.steps.reopening import *  # noqa: F403 (the service reopens a declaration)
from tests.api.sessions import STAFF_EMAIL, sign_in

scenarios("facturation.feature")

CONTRACT_CLOSED = "... on CloseContractSuccess { version }"
WORKING_HOUR = time(10)
"""When the days of the scenarios begin, in Paris."""


@pytest.fixture
def service_instant() -> datetime | None:
    """Seed 000's season: the declarations of 2026 are confirmed in January, so that a debit
    can still fall by the 15 February deadline of the reduction (the scenarios played at any
    hour are given their instants by `features.conftest`)."""
    return datetime.combine(date(2026, 1, 20), WORKING_HOUR, tzinfo=PARIS)


# Steps ----------------------------------------------------------------------------------------


@action(
    "{first_name:Name} enregistre la sortie de {name}, dernier jour le {last_day:Date},"
    " pour {reason:ExitReason}"
)
def contract_closed(
    portal: Portal, first_name: str, name: str, last_day: date, reason: ExitReason
) -> None:
    fields = {
        "employeeId": employee_id(portal, name),
        "lastDay": last_day.isoformat(),
        "reason": reason.name,
    }
    send_form(portal, portal.person(first_name), "closeContract", fields, CONTRACT_CLOSED)


@action("le {day:Date} arrive ; chacun se reconnecte au portail")
def day_comes(portal: Portal, day: date) -> None:
    """The service's clock moves to that day; sessions last 8 hours, so the service's staff and
    each person who had signed in sign in again."""
    assert day > portal.clock.today(), f"nous sommes déjà le {portal.clock.today():%d/%m/%Y}"
    portal.clock.set(datetime.combine(day, WORKING_HOUR, tzinfo=PARIS))
    portal.staff_token = sign_in(portal.client, portal.outbox, STAFF_EMAIL)
    portal.client.headers.pop("Authorization", None)
    for who in portal.people.values():
        if who.token is not None:
            sign_in_with_code(portal, who)

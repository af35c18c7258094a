"""Issue 13: the care team a member sees; an appointment asked for, booked by the service and
listed in « Mes rendez-vous à venir »; cancelled in time, or refused as too late when a public
holiday is not a business day, the notice being the service's setting; a pre-return visit the
employer may not ask for (L4624-2-4).

The days of these scenarios are those of May 2026 (`service_instant`), around Ascension and
Pentecost Monday.
"""

from datetime import datetime

import pytest
from pytest_bdd import scenarios

from domain.calendar import PARIS
from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.annual_declaration import *  # noqa: F403 (users and employees)
from features.steps.visits import *  # noqa: F403 (the steps of visits)

scenarios("visites.feature")


@pytest.fixture
def service_instant() -> datetime | None:
    """Monday 4 May 2026, 10:00 in Paris."""
    return datetime(2026, 5, 4, 10, tzinfo=PARIS)

"""Issue 13: the visits owed as the member reads them — a hire's information and prevention
visit (3 months, 2 for an apprentice), a night post's before assignment, a reinforced follow-up's
aptitude exam then its intermediate visit and renewal, a return to work after an absence (or
none after a shorter one) —; and a no-show the service bills the employer, without naming the
employee.

The days of these scenarios start on Monday 4 May 2026 (`service_instant`), and move on as the
scenarios say.
"""

from datetime import datetime

import pytest
from pytest_bdd import scenarios

from domain.calendar import PARIS
from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.annual_declaration import *  # noqa: F403 (users and employees)
from features.steps.billing import *  # noqa: F403 (the seller, the terms, the invoices)
from features.steps.due_visits import *  # noqa: F403 (the steps of due visits)
from features.steps.visits import *  # noqa: F403 (professionals, appointments, the days)

scenarios("visites_dues.feature")


@pytest.fixture
def service_instant() -> datetime | None:
    """Monday 4 May 2026, 10:00 in Paris."""
    return datetime(2026, 5, 4, 10, tzinfo=PARIS)

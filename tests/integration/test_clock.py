"""One clock: the application's commands stamp their events with its instant and compare business
dates with its Paris calendar date, on both stores.

Regression: "today" was the UTC day in places; between 23:00 and 24:00 UTC (22:00 in summer) it
was still yesterday in the portal while it was already tomorrow for the people using it.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from application.declaration.commands import CompleteDeclarationStep, OpenCampaign
from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from domain.calendar import PARIS, SetClock
from domain.declaration.steps import Step
from domain.errors import DomainError
from domain.money import Money
from storage.settings import StoreSettings

NEW_YEAR_IN_PARIS = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
"""Already 1 January 2027, 00:30, in Paris; still 31 December in UTC."""


@pytest.fixture
def clock() -> SetClock:
    return SetClock(NEW_YEAR_IN_PARIS)


@pytest.fixture
def registre(store: StoreSettings, clock: SetClock) -> Iterator[Registre]:
    application = Registre(store, clock=clock)
    yield application
    application.close()


def register(app: Registre) -> UUID:
    result = app.handle(
        Request("register-00021"),
        RegisterMember(
            member_code="00021", declarant_number="48151623", legal_name="Boulangerie des Ducs"
        ),
    )
    return result.aggregate_id


def test_a_command_stamps_every_event_with_the_instant_of_the_clock(
    registre: Registre, clock: SetClock
) -> None:
    member_id = register(registre)
    clock.advance(minutes=1)
    campaign = registre.handle(Request("open-2027"), a_campaign(opens_on=date(2027, 1, 1)))

    assert stamps(registre, member_id) == [NEW_YEAR_IN_PARIS]
    opened = stamps(registre, campaign.aggregate_id)
    assert opened == [NEW_YEAR_IN_PARIS + timedelta(minutes=1)]
    assert registre.today() == date(2027, 1, 1)


def test_a_campaign_opens_on_its_day_in_paris_whatever_the_utc_day(
    registre: Registre, clock: SetClock
) -> None:
    member_id = register(registre)
    registre.handle(Request("open-2027"), a_campaign(opens_on=date(2027, 1, 1)))
    clock.set(datetime(2026, 12, 31, 23, 30, tzinfo=PARIS))  # 22:30 UTC: still 31 December

    assert refusal(registre, member_id, "too-early") == "DECLARATION_NOT_ENTERABLE"
    clock.set(NEW_YEAR_IN_PARIS)
    assert refusal(registre, member_id, "on-time") != "DECLARATION_NOT_ENTERABLE"


def stamps(app: Registre, aggregate_id: UUID) -> list[datetime]:
    return [event.timestamp for event in app.events.get(aggregate_id)]  # type: ignore[attr-defined]


def a_campaign(opens_on: date) -> OpenCampaign:
    return OpenCampaign(
        year=opens_on.year,
        opens_on=opens_on,
        deadline=opens_on + timedelta(days=58),
        rate_per_capita=Money.euros(79),
        tool_price=Money.euros(150),
    )


def refusal(app: Registre, member_id: UUID, request_id: str) -> str | None:
    try:
        app.handle(
            Request(request_id),
            CompleteDeclarationStep(member_id=member_id, year=2027, step=Step.COMPANY),
        )
    except DomainError as error:
        return error.code
    return None

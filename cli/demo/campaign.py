"""The demo's declaration campaign: the current year's, open from 1 January, so that a fresh
`start` can walk the declaration journey without staff opening one first."""

import uuid
from datetime import date

from application.declaration.commands import OpenCampaign
from application.registre import Registre
from application.requests import Request
from domain.actor import SYSTEM
from domain.money import Money

DEMO_RATE_PER_CAPITA = Money.euros(79)
DEMO_TOOL_PRICE = Money.euros(150)


def open_current_campaign(app: Registre, today: date) -> int | None:
    """Open this year's campaign unless it exists; the year opened, or None if it was there."""
    year = today.year
    if app.find_campaign(year) is not None:
        return None
    app.handle(
        Request(str(uuid.uuid4()), SYSTEM),
        OpenCampaign(
            year=year,
            opens_on=date(year, 1, 1),
            deadline=date(year, 3, 31),
            rate_per_capita=DEMO_RATE_PER_CAPITA,
            tool_price=DEMO_TOOL_PRICE,
        ),
    )
    return year


def campaign_line(year: int) -> str:
    return (
        f"Campagne de déclaration {year} ouverte (du 01/01/{year} au 31/03/{year}) :"
        " la déclaration annuelle peut être saisie."
    )

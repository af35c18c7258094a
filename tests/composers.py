"""Composers of a declaration's frozen copy for stores with no read side."""

from datetime import date

from domain.declaration.campaign import Campaign
from domain.declaration.composed import Composed
from domain.declaration.contribution import Contribution
from domain.declaration.declaration import Declaration
from domain.money import Money

NO_CONTRIBUTION = Contribution(0, Money.euros(79), None)


class FixedCopy:
    """Always the same text: how the read side composes the copy is not the concern of these
    tests, only that confirmation keeps the text it was given."""

    def __init__(self, frozen: str):
        self.frozen = frozen

    def compose(self, campaign: Campaign, declaration: Declaration, today: date) -> Composed:
        return Composed(self.frozen, NO_CONTRIBUTION)

"""The contribution of the annual declaration's recap (step 10): who is billed, and how much.

The base offer is billed per worker followed (L4622-6), counted on the campaign's reference
date; temp workers are followed through their agency and interns are not employees, so neither
is billed. The optional risk-assessment tool is billed on top, at the campaign's price. VAT is
20 % of the amount HT (RULES.md §5; seed 000: 3 × 79 € + 150 € = 387 € HT, 464,40 € TTC).
"""

from dataclasses import dataclass
from decimal import Decimal

from domain.money import Money
from domain.workforce.employment import ContractType

VAT_RATE = Decimal("0.20")
NOT_BILLED = frozenset({ContractType.TEMPORARY, ContractType.INTERNSHIP})


def is_billed(contract_type: ContractType) -> bool:
    return contract_type not in NOT_BILLED


@dataclass(frozen=True, slots=True)
class Contribution:
    billed_headcount: int
    rate_per_capita: Money
    tool_price: Money | None
    """None when the member did not subscribe the tool."""

    @property
    def base(self) -> Money:
        return self.rate_per_capita * self.billed_headcount

    @property
    def amount_ht(self) -> Money:
        return self.base + (self.tool_price or Money.zero())

    @property
    def vat(self) -> Money:
        return self.amount_ht.vat(VAT_RATE)

    @property
    def amount_ttc(self) -> Money:
        return self.amount_ht + self.vat

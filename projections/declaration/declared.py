"""What a member declares, composed from the read models: the recap of step 10 and the frozen
copy that confirmation keeps (with its hash) as the declaration sent to the service.

The copy is canonical JSON (keys sorted, no spaces): the same facts always give the same text,
so the same hash, and a rebuild of the read models cannot change a confirmed copy, which is
kept as it was sent, in the confirmation event.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec

from domain.declaration.campaign import Campaign
from domain.declaration.composed import Composed
from domain.declaration.contribution import Contribution, is_billed
from domain.declaration.declaration import Declaration
from domain.money import Money
from domain.workforce.employment import ContractType
from projections.members.members import MemberDirectoryQueries, MemberView
from projections.timeline import knowledge
from projections.workforce.exposures import EXPOSURE_FIELDS, CmrExposureQueries, ExposureRow
from projections.workforce.headcount import HeadcountQueries
from projections.workforce.workforce import WorkforceFilter, WorkforceQueries, WorkforceRow

PAGE = 100


class Recap(msgspec.Struct, frozen=True, kw_only=True):
    """Step 10: declared headcount on the day, billed headcount on the reference date, and the
    contribution (HT, VAT 20 %, TTC)."""

    declared_on: date
    declared_headcount: int
    by_category: dict[str, int]
    by_contract_type: dict[str, int]
    reference_date: date
    billed_headcount: int
    rate_per_capita: Decimal
    tool_price: Decimal | None
    amount_ht: Decimal
    vat: Decimal
    amount_ttc: Decimal

    @property
    def contribution(self) -> Contribution:
        tool_price = None if self.tool_price is None else Money(self.tool_price)
        return Contribution(self.billed_headcount, Money(self.rate_per_capita), tool_price)


def recap(
    headcounts: HeadcountQueries,
    member_id: UUID,
    *,
    today: date,
    reference_date: date,
    rate_per_capita: Money,
    tool_price: Money | None,
) -> Recap:
    """`tool_price`: the campaign's price when the member subscribed the tool, else None."""
    now = knowledge(None)
    declared = headcounts.headcount(member_id, today, now)
    on_reference = headcounts.headcount(member_id, reference_date, now)
    billed = sum(
        count
        for contract_type, count in on_reference.by_contract_type.items()
        if is_billed(ContractType(contract_type))
    )
    contribution = Contribution(billed, rate_per_capita, tool_price)
    return Recap(
        declared_on=today,
        declared_headcount=declared.total,
        by_category=declared.by_category,
        by_contract_type=declared.by_contract_type,
        reference_date=reference_date,
        billed_headcount=billed,
        rate_per_capita=rate_per_capita.amount,
        tool_price=None if tool_price is None else tool_price.amount,
        amount_ht=contribution.amount_ht.amount,
        vat=contribution.vat.amount,
        amount_ttc=contribution.amount_ttc.amount,
    )


def active_employees(workforce: WorkforceQueries, member_id: UUID, day: date) -> list[WorkforceRow]:
    """Every employee under contract on `day`, by name (all the pages)."""
    rows: list[WorkforceRow] = []
    active_only = WorkforceFilter(active=True)
    after: tuple[str, UUID] | None = None
    while True:
        page = workforce.employees(
            member_id, day, knowledge(None), active_only, after=after, limit=PAGE
        )
        rows += page
        if len(page) < PAGE:
            return rows
        after = (page[-1].sort_key, page[-1].employee_id)


FROZEN_EMPLOYEE_FIELDS = (
    "employee_id",
    "birth_name",
    "usage_name",
    "first_name",
    "birth_date",
    "contract_type",
    "job_title",
    "pcs_code",
    "branch_code",
    "hire_date",
    "category",
    "determinants",
)
"""What the frozen copy keeps of an employee (a `WorkforceRow`)."""
FROZEN_EXPOSURE_FIELDS = (
    "employee_id",
    "birth_name",
    "first_name",
    "birth_date",
    *EXPOSURE_FIELDS,
    "valid_from",
    "valid_to",
)
"""What it keeps of an exposure (an `ExposureRow`): one line of the CMR list of décret
2024-307, who, to what, how, since when."""


def frozen_copy(
    *,
    member: MemberView,
    year: int,
    edition: int,
    employees: list[WorkforceRow],
    exposures: list[ExposureRow],
    declaration: dict[str, Any],
    totals: Recap,
) -> str:
    """The canonical JSON of everything declared. `declaration` holds the declaration's own
    answers (prevention, risks, tool, purchase order)."""
    content = {
        "year": year,
        "edition": edition,
        "member": member,
        "workforce": [_kept(row, FROZEN_EMPLOYEE_FIELDS) for row in employees],
        "cmr_exposures": [_kept(row, FROZEN_EXPOSURE_FIELDS) for row in exposures],
        "declaration": declaration,
        "recap": totals,
    }
    return msgspec.json.encode(content, order="sorted").decode()


def _kept(row: msgspec.Struct, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


@dataclass(frozen=True, slots=True)
class DeclaredSources:
    """The read models a declaration is composed from: the read side's composer of frozen
    copies (`application.declaration.composer.DeclarationComposer`)."""

    members: MemberDirectoryQueries
    workforce: WorkforceQueries
    headcounts: HeadcountQueries
    exposures: CmrExposureQueries
    catch_up: Callable[[], object]
    """Brings the read models up to the log as it is now: a change another user has just made
    is in the copy."""

    def compose(self, campaign: Campaign, declaration: Declaration, today: date) -> Composed:
        """The frozen copy of `declaration` as the service receives it today."""
        self.catch_up()
        member_id = declaration.member_id
        member = self.members.member(member_id)
        if member is None:
            raise LookupError(f"member {member_id} is not in the directory yet")
        own = {
            "prevention": declaration.prevention,
            "risks": list(declaration.risks),
            "declined_risks": list(declaration.declined_risks),
            "tool_subscribed": declaration.tool_subscribed,
            "terms_accepted": declaration.terms_accepted,
            "purchase_order": declaration.purchase_order,
        }
        totals = recap(
            self.headcounts,
            member_id,
            today=today,
            reference_date=campaign.reference_date,
            rate_per_capita=campaign.rate_per_capita,
            tool_price=declaration.tool_price if declaration.tool_subscribed else None,
        )
        frozen = frozen_copy(
            member=member,
            year=declaration.year,
            edition=declaration.edition,
            employees=active_employees(self.workforce, member_id, today),
            exposures=self.exposures.exposures(
                member_id=member_id, valid_on=today, known_at=knowledge(None)
            ),
            declaration=own,
            totals=totals,
        )
        return Composed(frozen, totals.contribution)

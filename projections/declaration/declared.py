"""What a member declares, composed from the read models: the recap of step 10 and the frozen
copy that confirmation keeps (with its hash) as the declaration sent to the service.

The copy is canonical JSON (keys sorted, no spaces): the same facts always give the same text,
so the same hash, and a rebuild of the read models cannot change a confirmed copy, which is
kept as it was sent, in the confirmation event.

The copy names no one in clear: each employee's names and birth date are sealed in it under
that employee's identity key (`identity`, sealed deterministically, so the same facts still give
the same text). The copy is shown with them opened (`open_copy`); once a person's identity is
erased, the copy — in the event, the read model and every backup — no longer names them, and its
hash still proves it unchanged.
"""

from collections.abc import Callable, Mapping
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
from projections.personal import (
    SealedIdentity,
    open_identities,
    seal_kept,
    seal_of,
)
from projections.store import ReadStore
from projections.timeline import knowledge
from projections.workforce.exposures import EXPOSURE_FIELDS, CmrExposureQueries, ExposureRow
from projections.workforce.headcount import HeadcountQueries
from projections.workforce.workforce_queries import WorkforceFilter, WorkforceQueries, WorkforceRow

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
    "contract_type",
    "job_title",
    "pcs_code",
    "branch_code",
    "hire_date",
    "category",
    "determinants",
)
"""What the frozen copy keeps of an employee (a `WorkforceRow`), besides the sealed identity."""
EMPLOYEE_IDENTITY_FIELDS = ("birth_name", "usage_name", "first_name", "birth_date")
FROZEN_EXPOSURE_FIELDS = (
    "employee_id",
    *EXPOSURE_FIELDS,
    "valid_from",
    "valid_to",
)
"""What it keeps of an exposure (an `ExposureRow`): one line of the CMR list of décret
2024-307, who, to what, how, since when."""
EXPOSURE_IDENTITY_FIELDS = ("birth_name", "first_name", "birth_date")
SEALED = "identity"
"""The field of a line of the copy holding the employee's identity, sealed."""


def frozen_copy(
    *,
    member: MemberView,
    year: int,
    edition: int,
    employees: list[WorkforceRow],
    exposures: list[ExposureRow],
    declaration: dict[str, Any],
    totals: Recap,
    identities: Mapping[UUID, str | None],
) -> str:
    """The canonical JSON of everything declared. `declaration` holds the declaration's own
    answers (prevention, risks, tool, purchase order); `identities` each employee's identity,
    sealed (`sealed_identities`)."""
    content = {
        "year": year,
        "edition": edition,
        "member": member,
        "workforce": [_kept(row, FROZEN_EMPLOYEE_FIELDS, identities) for row in employees],
        "cmr_exposures": [_kept(row, FROZEN_EXPOSURE_FIELDS, identities) for row in exposures],
        "declaration": declaration,
        "recap": totals,
    }
    return msgspec.json.encode(content, order="sorted").decode()


def _kept(
    row: WorkforceRow | ExposureRow, fields: tuple[str, ...], identities: Mapping[UUID, str | None]
) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields} | {SEALED: identities.get(row.employee_id)}


def sealed_identities(
    store: ReadStore, employees: list[WorkforceRow], exposures: list[ExposureRow]
) -> dict[UUID, str | None]:
    """Each listed employee's identity as the copy keeps it: sealed under the person's key."""
    shown = {
        row.employee_id: SealedIdentity(
            row.birth_name, row.usage_name, row.first_name, row.birth_date, None
        )
        for row in exposures
    } | {
        row.employee_id: SealedIdentity(
            row.birth_name, row.usage_name, row.first_name, row.birth_date, row.sex
        )
        for row in employees
    }
    keys = seal_of(store).keys(store.read, shown)
    return {i: seal_kept(keys.get(i), identity) for i, identity in shown.items()}


def open_copy(store: ReadStore, frozen: str) -> str:
    """The copy as shown: each line's identity opened into the names and birth date it was
    composed with (None once the person's identity is erased). A copy confirmed before
    identities were sealed in copies names people in clear: those erased since are shown
    without their names all the same. A copy naming no one is returned as it is."""
    content = msgspec.json.decode(frozen)
    if not isinstance(content, dict):
        return frozen
    lines = [
        (line, fields)
        for part, fields in (
            ("workforce", EMPLOYEE_IDENTITY_FIELDS),
            ("cmr_exposures", EXPOSURE_IDENTITY_FIELDS),
        )
        for line in content.get(part) or ()
        if isinstance(line, dict) and "employee_id" in line
    ]
    if not lines:
        return frozen
    sealed = {UUID(line["employee_id"]): line.get(SEALED) for line, _ in lines if SEALED in line}
    opened = open_identities(store, store.read, sealed)
    in_clear = [UUID(line["employee_id"]) for line, _ in lines if SEALED not in line]
    kept = seal_of(store).keys(store.read, in_clear)
    for line, fields in lines:
        employee_id = UUID(line["employee_id"])
        if SEALED in line:
            identity = opened[employee_id]
            del line[SEALED]
            line.update({name: getattr(identity, name) for name in fields})
        elif employee_id not in kept:  # erased since it was confirmed
            line.update(dict.fromkeys(fields))
    return msgspec.json.encode(content, order="sorted").decode()


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
        employees = active_employees(self.workforce, member_id, today)
        exposures = self.exposures.exposures(
            member_id=member_id, valid_on=today, known_at=knowledge(None)
        )
        frozen = frozen_copy(
            member=member,
            year=declaration.year,
            edition=declaration.edition,
            employees=employees,
            exposures=exposures,
            declaration=own,
            totals=totals,
            identities=sealed_identities(self.workforce.store, employees, exposures),
        )
        return Composed(frozen, totals.contribution)

"""Invoicing the contributions that confirmed declarations determined: the first edition in
full, a later one by the difference with the edition before — per part: the employees (at the
direct-debit reduction the first invoice holds) and the tool; more is billed, less is credited.

`IssueContributionInvoice` bills one confirmation; `IssueContributionInvoices` bills many in one
save (each series saved once), as the billing process sends them after a campaign's
confirmations. A confirmation already billed is passed over: the same confirmation sent again,
alone or in another batch, is never billed twice.
"""

from datetime import date
from decimal import Decimal
from uuid import UUID

import msgspec

from application.base import RegistreApplication
from application.billing.commands import Issue
from application.billing.issuing import Draft, Issuing
from application.commands import Decision
from application.declaration.commands import DECLARATION_NOT_FOUND
from application.requests import CommandResult, Request
from domain.billing.invoice import Invoice
from domain.billing.kinds import InvoiceKind
from domain.billing.lines import InvoiceLine
from domain.declaration.contribution import Contribution
from domain.declaration.declaration import Declaration
from domain.errors import RuleViolation
from domain.money import Money

MAX_BATCH = 1000


class ConfirmedContribution(msgspec.Struct, frozen=True, kw_only=True):
    """What one confirmation bills (the declaration's `ContributionDetermined`)."""

    declaration_id: UUID
    member_id: UUID
    year: int
    edition: int
    contribution: Contribution
    reference_date: date
    purchase_order: str | None = None

    @property
    def source(self) -> str:
        return f"declaration/{self.declaration_id}/{self.edition}"

    def bill(self, issuing: Issuing) -> None:
        if self.edition == 1:
            lines = contribution_lines(self.year, self.contribution, self.reference_date)
            if lines:
                issuing.numbered(
                    Draft(
                        source=self.source,
                        kind=InvoiceKind.CONTRIBUTION,
                        member_id=self.member_id,
                        year=self.year,
                        lines=lines,
                        purchase_order=self.purchase_order,
                        discountable=(0,) if self.contribution.billed_headcount else (),
                    )
                )
            return
        self._bill_difference(issuing)

    def _bill_difference(self, issuing: Issuing) -> None:
        declaration = issuing.app.load(Declaration, self.declaration_id, DECLARATION_NOT_FOUND)
        before = dict(declaration.contributions).get(self.edition - 1)
        first = issuing.find(Invoice, Invoice.id_of(f"declaration/{self.declaration_id}/1"))
        if before is None or first is None:
            raise RuleViolation(
                "La version précédente de la déclaration n'a pas été facturée.",
                code="NOTHING_TO_BILL",
            )
        label = f"Régularisation de la cotisation {self.year} (déclaration modifiée)"
        more, less = changed_lines(before, self.contribution, first.reduction_held)
        if more:
            issuing.numbered(
                Draft(
                    source=self.source,
                    kind=InvoiceKind.ADJUSTMENT,
                    member_id=self.member_id,
                    year=self.year,
                    lines=more,
                    reason=label,
                    purchase_order=self.purchase_order,
                )
            )
        if less:
            issuing.credit(first, less, reason=label, source=f"{self.source}/credit")


class IssueContributionInvoice(ConfirmedContribution, Issue, frozen=True, kw_only=True):
    """Sent after a declaration was confirmed, with the contribution it determined."""

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        issuing = Issuing(app, request)
        self.bill(issuing)
        return issuing.decision()


class IssueContributionInvoices(Issue, frozen=True, kw_only=True):
    """Many confirmations at once (at most `MAX_BATCH`); those already billed are passed over."""

    confirmations: tuple[ConfirmedContribution, ...]

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        if not 1 <= len(self.confirmations) <= MAX_BATCH:
            raise RuleViolation(
                f"Un lot compte 1 à {MAX_BATCH} confirmations.", code="INVALID_BATCH_SIZE"
            )
        issuing = Issuing(app, request)
        issuing.prefetch(
            (confirmation.member_id for confirmation in self.confirmations),
            (confirmation.source for confirmation in self.confirmations),
        )
        for confirmation in self.confirmations:
            if not issuing.has_issued(confirmation.source):
                confirmation.bill(issuing)
        return issuing.decision()


def changed_lines(
    before: Contribution, now: Contribution, reduction: Decimal
) -> tuple[tuple[InvoiceLine, ...], tuple[InvoiceLine, ...]]:
    """The lines to bill and the lines to credit from one contribution to the next."""
    more: list[InvoiceLine] = []
    less: list[InvoiceLine] = []
    employees = now.billed_headcount - before.billed_headcount
    if employees:
        (more if employees > 0 else less).append(
            InvoiceLine(
                f"Régularisation : {abs(employees)} salarié(s) suivi(s)",
                Decimal(abs(employees)),
                now.rate_per_capita,
                allowance_rate=reduction,
            )
        )
    tool = (now.tool_price or Money.zero()) - (before.tool_price or Money.zero())
    if not tool.is_zero:
        (more if not tool.is_negative else less).append(
            InvoiceLine(
                "Régularisation : outil d'évaluation des risques",
                Decimal(1),
                Money(abs(tool.amount)),
            )
        )
    return tuple(more), tuple(less)


def contribution_lines(
    year: int, contribution: Contribution, reference_date: date
) -> tuple[InvoiceLine, ...]:
    lines = []
    if contribution.billed_headcount:
        lines.append(
            InvoiceLine(
                f"Cotisation {year} : salariés suivis au {reference_date:%d/%m/%Y}",
                Decimal(contribution.billed_headcount),
                contribution.rate_per_capita,
            )
        )
    if contribution.tool_price is not None and not contribution.tool_price.is_zero:
        lines.append(
            InvoiceLine(
                f"Outil d'évaluation des risques {year} (offre complémentaire)",
                Decimal(1),
                contribution.tool_price,
            )
        )
    return tuple(lines)

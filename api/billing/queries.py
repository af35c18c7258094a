"""Queries of billing: a member's invoices and its account schedule, as of a date (default:
today in Paris), for the member's billing and administrator users, the service and auditors."""

from datetime import date
from uuid import UUID

import strawberry

from api.authorization import Rule, Scope, query
from api.billing.types import AccountSchedule, Invoice
from api.context import GraphQLInfo
from api.threads import blocking
from domain.accounts.access import Right
from projections.billing.queries import InvoiceQueries

READS_BILLING = Rule(Right.READ_BILLING, scope=Scope(member="member_id"))


@strawberry.type
class BillingQueries:
    @query("Les factures et avoirs d'un adhérent, les plus récents d'abord.", READS_BILLING)
    async def invoices(
        self,
        info: GraphQLInfo,
        member_id: UUID,
        year: int | None = None,
        as_of: date | None = None,
    ) -> list[Invoice]:
        services = info.context.services
        day = as_of or services.clock.today()
        views = await blocking(lambda: services.read(InvoiceQueries).invoices(member_id, day, year))
        return [Invoice.of(view) for view in views]

    @query("L'échéancier d'un adhérent : débits, crédits et solde à une date.", READS_BILLING)
    async def account_schedule(
        self, info: GraphQLInfo, member_id: UUID, as_of: date | None = None
    ) -> AccountSchedule:
        services = info.context.services
        day = as_of or services.clock.today()
        schedule = await blocking(lambda: services.read(InvoiceQueries).schedule(member_id, day))
        return AccountSchedule.of(schedule)

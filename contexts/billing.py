"""Billing: the service's settings as a seller, invoices and credit notes numbered without gap,
payments and direct debits."""

from api.billing.mutations import BillingMutations
from api.billing.queries import BillingQueries
from application.billing import commands
from contexts.context import Context
from domain.billing.invoice import Invoice
from domain.billing.series import InvoiceSeries
from domain.billing.settings import BillingSettings
from projections.billing.audit_summaries import SUMMARIES
from projections.billing.invoices import Invoices

BILLING = Context(
    name="billing",
    aggregates=(BillingSettings, InvoiceSeries, Invoice),
    commands=(commands,),
    read_models=(Invoices,),
    audit_summaries=SUMMARIES,
    queries=(BillingQueries,),
    mutations=(BillingMutations,),
)

"""Billing: the service's settings as a seller, invoices and credit notes numbered without gap,
payments and direct debits."""

from contexts.context import Context
from domain.billing.invoice import Invoice
from domain.billing.series import InvoiceSeries
from domain.billing.settings import BillingSettings
from projections.billing.audit_summaries import SUMMARIES

BILLING = Context(
    name="billing",
    aggregates=(BillingSettings, InvoiceSeries, Invoice),
    audit_summaries=SUMMARIES,
)

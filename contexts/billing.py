"""Billing: the service's settings as a seller, invoices and credit notes numbered without gap,
payments and direct debits."""

from api.billing.mutations import BillingMutations
from api.billing.queries import BillingQueries
from api.billing.returns_routes import ROUTES as RETURNS_ROUTES
from api.billing.routes import ROUTES
from api.billing.sepa_mutations import SepaMutations
from application.billing import commands, contributions, no_show
from application.billing.no_show import NoShowInvoicing
from application.billing.reactions import (
    ContributionInvoicing,
    DebitReturnedMail,
    InvoiceAvailableMail,
    InvoiceDocumentKeeping,
    LostDiscountInvoicing,
    MembershipInvoicing,
)
from application.billing.sepa import collection
from contexts.context import Context
from domain.billing.invoice import Invoice
from domain.billing.mandate_use import MandateUse
from domain.billing.series import InvoiceSeries
from domain.billing.settings import BillingSettings
from projections.billing.audit_summaries import SUMMARIES
from projections.billing.invoices import Invoices

BILLING = Context(
    name="billing",
    aggregates=(BillingSettings, InvoiceSeries, Invoice, MandateUse),
    commands=(commands, contributions, no_show, collection),
    read_models=(Invoices,),
    audit_summaries=SUMMARIES,
    reactions=(
        ContributionInvoicing,
        MembershipInvoicing,
        LostDiscountInvoicing,
        NoShowInvoicing,
        InvoiceDocumentKeeping,
        InvoiceAvailableMail,
        DebitReturnedMail,
    ),
    queries=(BillingQueries,),
    mutations=(BillingMutations, SepaMutations),
    routes=(*ROUTES, *RETURNS_ROUTES),
)

"""The composition root: every bounded context, registered once, gathered for the API, the CLI,
the worker and the tests alike.

A context declares what it brings in its own module here (`contexts/<context>.py`, a
`Context`); registering it is adding it to `CONTEXTS`. Everything else is derived: the
aggregates, the read models (the audit trail knowing every context's summaries), the mail
reactions, the command messages, the GraphQL schema and the HTTP routes. The order of
`CONTEXTS` is the order of the root fields of `Query` and `Mutation`.
"""

from typing import Any

from litestar import Litestar

from api.app import create_app as create_app_with
from api.app import create_app_opening
from api.schema import registre_schema
from api.services import Services
from application.commands import Command
from contexts.accounts import ACCOUNTS
from contexts.billing import BILLING
from contexts.catalogues import CATALOGUES
from contexts.context import Context
from contexts.declaration import DECLARATION
from contexts.members import MEMBERS
from contexts.risk_assessment import RISK_ASSESSMENT
from contexts.visits import VISITS
from contexts.workforce import WORKFORCE
from projections.audit import AuditTrail
from projections.collector import collect_cycles_less_often
from projections.summaries import gathered
from storage.settings import StoreSettings

CONTEXTS: tuple[Context, ...] = (
    ACCOUNTS,
    MEMBERS,
    WORKFORCE,
    DECLARATION,
    RISK_ASSESSMENT,
    CATALOGUES,
    BILLING,
    VISITS,
)

AGGREGATES = [aggregate for context in CONTEXTS for aggregate in context.aggregates]
AUDIT_TRAIL = AuditTrail.summarising(gathered(*(c.audit_summaries for c in CONTEXTS)))
READ_MODELS = [model for context in CONTEXTS for model in context.read_models] + [AUDIT_TRAIL]
REACTIONS = [reaction for context in CONTEXTS for reaction in context.reactions]
COMMANDS: list[type[Command[Any]]] = [
    message for context in CONTEXTS for message in context.command_messages()
]
SCHEMA = registre_schema(
    [query for context in CONTEXTS for query in context.queries],
    [mutation for context in CONTEXTS for mutation in context.mutations],
)
ROUTES = [route for context in CONTEXTS for route in context.routes]


def open_services(settings: StoreSettings, **options: Any) -> Services:
    """`Services.open` with every context's read models and reactions (and its options)."""
    return Services.open(settings, read_models=READ_MODELS, reactions=REACTIONS, **options)


def create_app(services: Services) -> Litestar:
    """The API over services the caller opened (and closes)."""
    return create_app_with(services, SCHEMA, ROUTES)


def create_app_from_environment() -> Litestar:
    """The API over the store `REGISTRE_DATABASE_URL` names, opened at start-up and closed at
    shut-down (`uvicorn --factory contexts:create_app_from_environment`)."""

    def opening(settings: StoreSettings, run_projections: bool) -> Services:
        if run_projections:
            collect_cycles_less_often()
        return open_services(settings, run_projections=run_projections)

    return create_app_opening(opening, SCHEMA, ROUTES)

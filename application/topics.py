"""Topics of events and snapshots stored before their module moved into its context's package.

A stored event names its class by topic (`domain.employee:Employee.Hired`); events are never
rewritten, so every aggregate and event class that ever lived in a former module stays
resolvable under its old topic. The topics are registered one by one, never as a module alias:
`domain.declaration` is now a package, and an alias for it would send the topics of its own
modules (`domain.declaration.campaign:Campaign`) looking inside the former module.
"""

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from domain.accounts.account import Account
from domain.catalogues.edits import CatalogueEdits
from domain.declaration.campaign import Campaign
from domain.declaration.declaration import Declaration
from domain.members.member import Member
from domain.risk_assessment.assessment import RiskAssessment
from domain.workforce.employee import Employee

FORMER_MODULES: dict[str, type[Aggregate]] = {
    "domain.account": Account,
    "domain.catalogue_edits": CatalogueEdits,
    "domain.campaign": Campaign,
    "domain.declaration": Declaration,
    "domain.member": Member,
    "domain.risk_assessment": RiskAssessment,
    "domain.employee": Employee,
}


def former_topics() -> dict[str, type]:
    """Every topic an aggregate or one of its events had in its former module."""
    topics: dict[str, type] = {}
    for former, aggregate in FORMER_MODULES.items():
        topics[f"{former}:{aggregate.__name__}"] = aggregate
        for name in dir(aggregate):
            value = getattr(aggregate, name)
            if isinstance(value, type) and issubclass(value, aggregate.Event):
                topics[f"{former}:{aggregate.__name__}.{name}"] = value
    return topics


def register_former_modules() -> None:
    for topic, cls in former_topics().items():
        register_topic(topic, cls)

"""Topics of events and snapshots stored before their module moved into its context's package.

A stored event names its class by topic (`domain.employee:Employee.Hired`); events are never
rewritten, so every module that ever held an aggregate stays resolvable under its old name.
"""

from types import ModuleType

from eventsourcing.utils import register_topic

from domain.accounts import account
from domain.catalogues import edits
from domain.declaration import campaign, declaration
from domain.members import member
from domain.risk_assessment import assessment
from domain.workforce import employee

FORMER_MODULES: dict[str, ModuleType] = {
    "domain.account": account,
    "domain.catalogue_edits": edits,
    "domain.campaign": campaign,
    "domain.declaration": declaration,
    "domain.member": member,
    "domain.risk_assessment": assessment,
    "domain.employee": employee,
}


def register_former_modules() -> None:
    for former, module in FORMER_MODULES.items():
        register_topic(former, module)

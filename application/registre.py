"""The Registre application: every bounded context over one event log. Commands are messages
sent to `handle`; what stays a method is each context's queries, composed side by side here."""

from typing import Any, ClassVar

from eventsourcing.domain import MutableOrImmutableAggregate

from application.accounts.commands import AccountQueries
from application.catalogues.commands import CatalogueQueries
from application.declaration.commands import DeclarationQueries
from application.members.commands import MemberQueries
from application.risk_assessment.commands import RiskAssessmentQueries
from application.topics import register_former_modules
from application.workforce.commands import WorkforceQueries
from domain.aggregate import RegistreAggregate

SNAPSHOT_INTERVAL = 50


class EverySnapshotted(dict[type[MutableOrImmutableAggregate[Any]], int]):
    """Every aggregate of the house is snapshotted every `SNAPSHOT_INTERVAL` events, without
    being listed: the interval of a class is its first base's found here."""

    def get(self, key: Any, default: Any = None) -> Any:
        for base in getattr(key, "__mro__", ()):
            if base in self:
                return self[base]
        return default


register_former_modules()


class Registre(
    MemberQueries,
    AccountQueries,
    WorkforceQueries,
    DeclarationQueries,
    RiskAssessmentQueries,
    CatalogueQueries,
):
    """One ordered log for accounts, members, employees and declarations, so read models and the
    audit trail follow a single sequence of events."""

    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = (
        EverySnapshotted({RegistreAggregate: SNAPSHOT_INTERVAL})
    )

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
from domain.accounts.account import Account
from domain.catalogues.edits import CatalogueEdits
from domain.declaration.campaign import Campaign
from domain.declaration.declaration import Declaration
from domain.members.member import Member
from domain.risk_assessment.assessment import RiskAssessment
from domain.workforce.employee import Employee

SNAPSHOT_INTERVAL = 50

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

    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {
        Member: SNAPSHOT_INTERVAL,
        Employee: SNAPSHOT_INTERVAL,
        Account: SNAPSHOT_INTERVAL,
        Declaration: SNAPSHOT_INTERVAL,
        Campaign: SNAPSHOT_INTERVAL,
        RiskAssessment: SNAPSHOT_INTERVAL,
        CatalogueEdits: SNAPSHOT_INTERVAL,
    }

"""The Registre application: every bounded context's commands over one event log."""

from typing import Any, ClassVar

from eventsourcing.domain import MutableOrImmutableAggregate

from application.accounts import AccountCommands
from application.catalogue_edits import CatalogueEditCommands
from application.declarations import DeclarationCommands
from application.risk_assessment import RiskAssessmentCommands
from application.workforce import WorkforceCommands
from domain.account import Account
from domain.campaign import Campaign
from domain.catalogue_edits import CatalogueEdits
from domain.declaration import Declaration
from domain.employee import Employee
from domain.member import Member
from domain.risk_assessment import RiskAssessment

SNAPSHOT_INTERVAL = 50


class Registre(
    AccountCommands,
    WorkforceCommands,
    DeclarationCommands,
    RiskAssessmentCommands,
    CatalogueEditCommands,
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

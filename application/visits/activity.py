"""Commands of a member's activity summary, by the service's staff: an action carried out at the
member recorded (in the summary of the year of its day, opened by its first action), corrected,
or withdrawn when recorded by mistake."""

from uuid import UUID

from application.base import RegistreApplication, result_of
from application.commands import Command, Decision
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from domain.errors import NotFound
from domain.members.member import Member
from domain.visits.activity import ACTION_NOT_FOUND, ActivitySummary, WorkplaceActionDetails


class RecordWorkplaceAction(Command[CommandResult], frozen=True, kw_only=True):
    member_id: UUID
    details: WorkplaceActionDetails

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        app.load(Member, self.member_id, MEMBER_NOT_FOUND, request.actor)
        year = self.details.held_on.year
        summary_id = ActivitySummary.create_id(self.member_id, year)
        try:
            summary = app.load_for_change(ActivitySummary, summary_id, request, MEMBER_NOT_FOUND)
        except NotFound:
            summary = ActivitySummary.open(self.member_id, year, request.actor)
        created = summary.record_action(self.details, app.today(), request.actor)
        return [summary], result_of(summary, created)


class ActionChange(Command[CommandResult], frozen=True, kw_only=True):
    """A change of an action already in the member's summary of `year`."""

    member_id: UUID
    year: int
    action_id: int

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        summary_id = ActivitySummary.create_id(self.member_id, self.year)
        summary = app.load_for_change(ActivitySummary, summary_id, request, ACTION_NOT_FOUND)
        self.change(summary, app, request)
        return [summary], result_of(summary)

    def change(self, summary: ActivitySummary, app: RegistreApplication, request: Request) -> None:
        raise NotImplementedError


class CorrectWorkplaceAction(ActionChange, frozen=True, kw_only=True):
    details: WorkplaceActionDetails

    def change(self, summary: ActivitySummary, app: RegistreApplication, request: Request) -> None:
        summary.correct_action(self.action_id, self.details, app.today(), request.actor)


class WithdrawWorkplaceAction(ActionChange, frozen=True, kw_only=True):
    error_note: str

    def change(self, summary: ActivitySummary, app: RegistreApplication, request: Request) -> None:
        summary.withdraw_action(self.action_id, self.error_note, request.actor)

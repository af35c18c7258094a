"""A member's activity summary (seed 004 §2.7): read for a year by every user of the member, the
service's staff and auditors; the actions recorded, corrected and withdrawn by the staff. The
printed summary is downloaded from `api.visits.routes`."""

from datetime import date
from typing import Self
from uuid import UUID

import strawberry

from api.authorization import Rule, Scope, query
from api.commands import ChangeInput, CommandInput
from api.context import GraphQLInfo
from api.from_structs import converted, fields_of
from api.message_mutations import own_success, sends
from api.rules import SERVICE
from api.services import Services
from api.threads import blocking
from api.visits.enums import VisitKind
from application.requests import CommandResult
from application.visits.activity import (
    CorrectWorkplaceAction,
    RecordWorkplaceAction,
    WithdrawWorkplaceAction,
)
from domain.accounts.access import Right
from domain.visits.activity import WorkplaceActionDetails, WorkplaceActionKind
from projections.visits import activity_queries as views
from projections.visits.activity_queries import ActivityQueries

strawberry.enum(WorkplaceActionKind, description="Type d'action en milieu de travail (AMT).")

READS_SUMMARY = Rule(Right.READ_COMPANY, scope=Scope(member="member_id"))


@strawberry.type(description="Action du service en milieu de travail : type, date, objet.")
@fields_of(views.WorkplaceActionView)
class WorkplaceAction:
    kind_label: str

    @classmethod
    def of(cls, view: views.WorkplaceActionView) -> Self:
        return converted(cls, view, kind_label=view.kind.label)


@strawberry.type(description="Nombre de visites d'un type tenues dans l'année.")
@fields_of(views.VisitCountView)
class VisitCount:
    kind: VisitKind
    kind_label: str

    @classmethod
    def of(cls, view: views.VisitCountView) -> Self:
        return converted(cls, view, kind_label=view.kind.label)


@strawberry.type(
    description="Synthèse d'activité d'un adhérent pour une année : les actions du service en"
    " milieu de travail et les visites de ses salariés, comptées par type (sans nom)."
)
@fields_of(views.ActivitySummaryView)
class ActivitySummary:
    version: int | None = strawberry.field(
        description="Version de la synthèse, pour corriger ou retirer une action ; null tant"
        " qu'aucune action n'est enregistrée."
    )
    actions: list[WorkplaceAction]
    visits: list[VisitCount]
    visits_total: int

    @classmethod
    def of(cls, view: views.ActivitySummaryView) -> Self:
        return converted(
            cls,
            view,
            actions=[WorkplaceAction.of(action) for action in view.actions],
            visits=[VisitCount.of(count) for count in view.visits],
            visits_total=view.visits_total,
        )


@strawberry.type
class ActivitySummaryQueries:
    @query(
        "La synthèse d'activité d'un adhérent pour une année ; null pour un adhérent inconnu."
        " Imprimable en PDF : GET /visits/{memberId}/activity/{year}/summary.pdf.",
        READS_SUMMARY,
    )
    async def activity_summary(
        self, info: GraphQLInfo, member_id: UUID, year: int
    ) -> ActivitySummary | None:
        services = info.context.services

        def read() -> ActivitySummary | None:
            if services.members.member(member_id) is None:
                return None
            view = services.read(ActivityQueries).summary(member_id, year)
            return None if view is None else ActivitySummary.of(view)

        return await blocking(read)


@strawberry.input(description="Une action en milieu de travail, telle que la synthèse la montre.")
class WorkplaceActionInput:
    kind: WorkplaceActionKind
    held_on: date
    subject: str
    duration_minutes: int | None = None
    participants: int | None = None

    def to_domain(self) -> WorkplaceActionDetails:
        return WorkplaceActionDetails(
            kind=self.kind,
            held_on=self.held_on,
            subject=self.subject,
            duration_minutes=self.duration_minutes,
            participants=self.participants,
        )


@strawberry.input
class RecordWorkplaceActionInput(CommandInput):
    member_id: UUID
    details: WorkplaceActionInput


@strawberry.input
class CorrectWorkplaceActionInput(ChangeInput):
    member_id: UUID
    year: int
    action_id: int
    details: WorkplaceActionInput


@strawberry.input
class WithdrawWorkplaceActionInput(ChangeInput):
    member_id: UUID
    year: int
    action_id: int
    error_note: str


@strawberry.type
class SummaryChanged:
    aggregate_id: UUID
    version: int
    created_id: int | None = strawberry.field(
        description="Le numéro de l'action enregistrée (null après une correction ou un retrait)."
    )

    @classmethod
    def read(cls, _: Services, result: CommandResult) -> Self:
        return cls(
            aggregate_id=result.aggregate_id, version=result.version, created_id=result.created_id
        )


SUMMARY_CHANGED = own_success(
    SummaryChanged, "ActivitySummaryChanged", "La synthèse d'activité de l'année, changée."
)


@strawberry.type
class ActivitySummaryMutations:
    record_workplace_action = sends(
        RecordWorkplaceAction,
        RecordWorkplaceActionInput,
        SUMMARY_CHANGED,
        "Enregistrer une action du service en milieu de travail chez un adhérent, dans la"
        " synthèse de l'année de sa date ; createdId est son numéro.",
        SERVICE,
    )
    correct_workplace_action = sends(
        CorrectWorkplaceAction,
        CorrectWorkplaceActionInput,
        SUMMARY_CHANGED,
        "Corriger une action enregistrée à tort (sa date reste dans la même année).",
        SERVICE,
    )
    withdraw_workplace_action = sends(
        WithdrawWorkplaceAction,
        WithdrawWorkplaceActionInput,
        SUMMARY_CHANGED,
        "Retirer une action enregistrée par erreur.",
        SERVICE,
    )

"""The visits owed by a member's employees (overdue and upcoming) and the service's overdue
visits, as of a date and as known on a day; the follow-up record's mutations: visits held
(by the service), absences and returns (by the employer or the service)."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, Self
from uuid import UUID

import strawberry

from api.authorization import HealthRead, Rule, Scope, query
from api.commands import CommandInput
from api.context import GraphQLInfo
from api.from_structs import converted, fields_of
from api.knowledge import KnownAtInstant, dates_asked
from api.message_mutations import answer, sends
from api.rules import SERVICE
from api.services import Services
from api.threads import blocking
from api.visits.enums import AbsenceKind, VisitDocument, VisitKind
from api.workforce.types import KnownAt, ValidOn
from application.requests import CommandResult
from application.visits.follow_up import (
    DeclareAbsence,
    DeclareReturn,
    RecordVisit,
    SetConvocationNotes,
    WithdrawAbsence,
    WithdrawVisit,
)
from domain.accounts.access import Right
from domain.calendar import moved
from projections.timeline import knowledge
from projections.visits import due_queries as views
from projections.visits.due_queries import DueVisitQueries
from projections.visits.organisation_queries import OrganisationQueries


def _employees_listed(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    return {visit.employee_id for visit in result}


def _employee_asked(_: Any, arguments: dict[str, Any]) -> Iterable[UUID]:
    return [arguments["employee_id"]]


# What is owed tells the follow-up category (an aptitude exam is SIR's), and the record tells
# why a worker was away: reading either is a read of health data, logged.
READS_DUE = Rule(
    Right.READ_APPOINTMENTS,
    scope=Scope(member="member_id"),
    health=HealthRead(None, _employees_listed),
)
READS_PLANNING = Rule(Right.ADMINISTER_SERVICE, health=HealthRead(None, _employees_listed))
READS_RECORD = Rule(
    Right.READ_APPOINTMENTS,
    scope=Scope(employee="employee_id"),
    health=HealthRead(None, _employee_asked),
)
MANAGES_ABSENCES = Rule(Right.MANAGE_APPOINTMENTS)
MANAGES_WORKFORCE = Rule(Right.MANAGE_WORKFORCE)
"""The employee form's notes are kept with the form (seed 004 §2.3)."""
MAX_PLANNING = timedelta(days=92)


@strawberry.type(description="Visite due par un salarié : type, échéance, article, motif.")
@fields_of(views.DueVisitView)
class DueVisit:
    kind_label: str
    overdue: bool = strawberry.field(description="Échéance dépassée à la date demandée.")

    @classmethod
    def of(cls, view: views.DueVisitView, on: date) -> Self:
        return converted(cls, view, kind_label=view.kind.label, overdue=view.due_by < on)


@strawberry.type(description="Visite qui a eu lieu, telle qu'enregistrée par le service.")
@fields_of(views.HeldVisitView)
class HeldVisit:
    kind_label: str


@strawberry.type(description="Absence déclarée, et sa reprise si elle est connue.")
@fields_of(views.AbsenceView)
class Absence:
    kind_label: str


@strawberry.type(
    description="Le suivi d'un salarié : ses visites et ses absences, numérotées, et ce que"
    " l'employeur demande pour ses convocations."
)
class FollowUpRecord:
    visits: list[HeldVisit]
    absences: list[Absence]
    convocation_constraints: str | None
    comment: str | None

    @classmethod
    def of(cls, view: views.RecordView) -> Self:
        return cls(
            visits=[converted(HeldVisit, v, kind_label=v.kind.label) for v in view.visits],
            absences=[converted(Absence, a, kind_label=a.kind.label) for a in view.absences],
            convocation_constraints=view.convocation_constraints,
            comment=view.comment,
        )


@strawberry.type(description="Le suivi du salarié, changé.")
class FollowUpRecordChanged:
    aggregate_id: UUID
    version: int
    created_id: int | None = strawberry.field(
        description="Le numéro de la visite ou de l'absence enregistrée."
    )

    @classmethod
    def read(cls, _: Services, result: CommandResult) -> Self:
        return cls(
            aggregate_id=result.aggregate_id, version=result.version, created_id=result.created_id
        )


@strawberry.type
class FollowUpQueries:
    @query(
        "Les visites dues par les salariés d'un adhérent à une date (en retard, puis à venir),"
        " selon ce qui était enregistré à un jour ; par pages de 500 (`offset`).",
        READS_DUE,
    )
    async def due_visits(
        self,
        info: GraphQLInfo,
        *,
        member_id: UUID,
        valid_on: ValidOn = None,
        known_at: KnownAt = None,
        known_at_instant: KnownAtInstant = None,
        employee_id: UUID | None = None,
        offset: int = 0,
    ) -> list[DueVisit]:
        services = info.context.services
        on, known = dates_asked(services.clock, valid_on, known_at, known_at_instant)
        queries = services.read(DueVisitQueries)
        views = await blocking(
            lambda: queries.of_member(member_id, on, known, employee_id, offset=max(offset, 0))
        )
        return [DueVisit.of(view, on) for view in views]

    @query(
        "Les visites en retard du service, par centre de visite ou professionnel de l'équipe"
        " (pour la planification du service).",
        READS_PLANNING,
    )
    async def overdue_visits(
        self,
        info: GraphQLInfo,
        valid_on: ValidOn = None,
        centre_id: UUID | None = None,
        professional_id: UUID | None = None,
        offset: int = 0,
    ) -> list[DueVisit]:
        on = valid_on or info.context.services.clock.today()
        return await _planning(
            info,
            first=None,
            last=moved(on, -timedelta(days=1)),
            on=on,
            centre_id=centre_id,
            professional_id=professional_id,
            offset=offset,
        )

    @query(
        "Les visites à venir du service jusqu'à un jour (trois mois au plus), par centre de"
        " visite ou professionnel de l'équipe (pour la planification du service).",
        READS_PLANNING,
    )
    async def upcoming_visits(
        self,
        info: GraphQLInfo,
        *,
        until: date,
        valid_on: ValidOn = None,
        centre_id: UUID | None = None,
        professional_id: UUID | None = None,
        offset: int = 0,
    ) -> list[DueVisit]:
        on = valid_on or info.context.services.clock.today()
        last = min(until, moved(on, MAX_PLANNING))
        return await _planning(
            info,
            first=on,
            last=last,
            on=on,
            centre_id=centre_id,
            professional_id=professional_id,
            offset=offset,
        )

    @query("Les visites et les absences d'un salarié, avec leurs numéros.", READS_RECORD)
    async def follow_up_record(self, info: GraphQLInfo, employee_id: UUID) -> FollowUpRecord:
        queries = info.context.services.read(DueVisitQueries)
        return FollowUpRecord.of(await blocking(lambda: queries.record(employee_id)))


async def _planning(
    info: GraphQLInfo,
    *,
    first: date | None,
    last: date,
    on: date,
    centre_id: UUID | None,
    professional_id: UUID | None,
    offset: int,
) -> list[DueVisit]:
    services = info.context.services

    def read() -> list[views.DueVisitView]:
        members = None
        if centre_id is not None or professional_id is not None:
            members = services.read(OrganisationQueries).members_served(
                on, centre_id, professional_id
            )
        return services.read(DueVisitQueries).due_by(
            first, last, on=on, known_at=knowledge(None), member_ids=members, offset=max(offset, 0)
        )

    return [DueVisit.of(view, on) for view in await blocking(read)]


@strawberry.input
class RecordVisitInput(CommandInput):
    employee_id: UUID
    kind: VisitKind
    held_on: date
    professional_id: UUID
    document: VisitDocument


@strawberry.input
class WithdrawVisitInput(CommandInput):
    employee_id: UUID
    visit_id: int
    error_note: str


@strawberry.input
class DeclareAbsenceInput(CommandInput):
    employee_id: UUID
    kind: AbsenceKind
    first_day: date
    returned_on: date | None = None


@strawberry.input
class DeclareReturnInput(CommandInput):
    employee_id: UUID
    absence_id: int
    returned_on: date


@strawberry.input
class SetConvocationNotesInput(CommandInput):
    employee_id: UUID
    convocation_constraints: str | None = None
    comment: str | None = None


@strawberry.input
class WithdrawAbsenceInput(CommandInput):
    employee_id: UUID
    absence_id: int
    error_note: str


RECORD_CHANGED = answer("FollowUpRecordResult", FollowUpRecordChanged, FollowUpRecordChanged.read)


@strawberry.type
class FollowUpMutations:
    record_visit = sends(
        RecordVisit,
        RecordVisitInput,
        RECORD_CHANGED,
        "Enregistrer une visite qui a eu lieu (par le service).",
        SERVICE,
    )
    withdraw_visit = sends(
        WithdrawVisit,
        WithdrawVisitInput,
        RECORD_CHANGED,
        "Retirer une visite enregistrée par erreur (par le service).",
        SERVICE,
    )
    declare_absence = sends(
        DeclareAbsence,
        DeclareAbsenceInput,
        RECORD_CHANGED,
        "Déclarer une absence d'un salarié (et sa reprise si elle est connue).",
        MANAGES_ABSENCES,
    )
    declare_return = sends(
        DeclareReturn,
        DeclareReturnInput,
        RECORD_CHANGED,
        "Déclarer le jour de reprise d'un salarié absent.",
        MANAGES_ABSENCES,
    )
    set_convocation_notes = sends(
        SetConvocationNotes,
        SetConvocationNotesInput,
        RECORD_CHANGED,
        "Renseigner les contraintes de convocation et le commentaire d'un salarié.",
        MANAGES_WORKFORCE,
    )
    withdraw_absence = sends(
        WithdrawAbsence,
        WithdrawAbsenceInput,
        RECORD_CHANGED,
        "Retirer une absence déclarée par erreur.",
        MANAGES_ABSENCES,
    )

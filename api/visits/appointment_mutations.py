"""Mutations of appointments: a member's users (administrator, convocation) request and cancel;
the service records requests for the other people the law lets ask, publishes slots, books,
reschedules, cancels, and records attendance and no-shows; and keeps its visit settings."""

from datetime import date, time
from decimal import Decimal
from uuid import UUID

import strawberry

from api.authorization import Rule
from api.commands import ChangeInput, CommandInput
from api.context import GraphQLInfo
from api.message_mutations import RecordChanged, message_from, own_success, sends
from api.rules import SERVICE
from api.visits.enums import Requester, VisitKind
from application.visits.appointments import (
    BookAppointment,
    CancelAppointment,
    CancelAppointmentByStaff,
    PublishSlot,
    RecordAttendance,
    RecordNoShow,
    RequestAppointment,
    RescheduleAppointment,
    SetCancellationNotice,
    SetNoShowBilling,
    WithdrawSlot,
)
from domain.accounts.access import Right
from domain.money import Money

MANAGES_APPOINTMENTS = Rule(Right.MANAGE_APPOINTMENTS)


@strawberry.input
class RequestAppointmentInput(CommandInput):
    member_id: UUID
    employee_id: UUID
    kind: VisitKind
    reason: str
    preferred_from: date
    preferred_to: date
    constraints: str | None = None
    requested_by: Requester = strawberry.field(
        default=Requester.EMPLOYER,
        description="Un autre demandeur que l'employeur n'est enregistré que par le service.",
    )


@strawberry.input
class AppointmentInput(CommandInput):
    appointment_id: UUID


@strawberry.input
class PublishSlotInput(CommandInput):
    professional_id: UUID
    centre_id: UUID
    day: date
    starts_at: time = strawberry.field(description="Heure de Paris.")
    minutes: int


@strawberry.input
class WithdrawSlotInput(CommandInput):
    availability_id: UUID
    slot_id: UUID


@strawberry.input
class BookAppointmentInput(CommandInput):
    appointment_id: UUID
    professional_id: UUID
    day: date
    slot_id: UUID


@strawberry.input
class CancelAppointmentByStaffInput(CommandInput):
    appointment_id: UUID
    reason: str


@strawberry.input
class RecordNoShowInput(CommandInput):
    appointment_id: UUID
    late_cancellation_asked_on: date | None = None


@strawberry.input
class SetCancellationNoticeInput(ChangeInput):
    days: int


@strawberry.input
class SetNoShowBillingInput(ChangeInput):
    billed: bool
    fee: Decimal = strawberry.field(description="€ HT.")


APPOINTMENT_CHANGED = own_success(RecordChanged, "AppointmentChanged", "Le rendez-vous, changé.")
SLOTS_CHANGED = own_success(RecordChanged, "SlotsChanged", "Les créneaux du jour, changés.")
SETTINGS_CHANGED = own_success(
    RecordChanged, "VisitSettingsChanged", "Les paramètres des visites, changés."
)


def _no_show_billing(input: SetNoShowBillingInput, _: GraphQLInfo) -> SetNoShowBilling:
    return message_from(SetNoShowBilling, input, fee=Money(input.fee))


@strawberry.type
class AppointmentMutations:
    request_appointment = sends(
        RequestAppointment,
        RequestAppointmentInput,
        APPOINTMENT_CHANGED,
        "Demander un rendez-vous pour un salarié (la pré-reprise ne se demande pas par"
        " l'employeur).",
        MANAGES_APPOINTMENTS,
    )
    cancel_appointment = sends(
        CancelAppointment,
        AppointmentInput,
        APPOINTMENT_CHANGED,
        "Annuler un rendez-vous, dans le délai en jours ouvrés fixé par le service.",
        MANAGES_APPOINTMENTS,
    )
    publish_slot = sends(
        PublishSlot,
        PublishSlotInput,
        SLOTS_CHANGED,
        "Publier un créneau (par le service).",
        SERVICE,
    )
    withdraw_slot = sends(
        WithdrawSlot,
        WithdrawSlotInput,
        SLOTS_CHANGED,
        "Retirer un créneau libre (par le service).",
        SERVICE,
    )
    book_appointment = sends(
        BookAppointment,
        BookAppointmentInput,
        APPOINTMENT_CHANGED,
        "Programmer une demande sur un créneau libre : le salarié est convoqué (par le service).",
        SERVICE,
    )
    reschedule_appointment = sends(
        RescheduleAppointment,
        BookAppointmentInput,
        APPOINTMENT_CHANGED,
        "Déplacer un rendez-vous sur un autre créneau libre (par le service).",
        SERVICE,
    )
    cancel_appointment_by_staff = sends(
        CancelAppointmentByStaff,
        CancelAppointmentByStaffInput,
        APPOINTMENT_CHANGED,
        "Annuler un rendez-vous, avec son motif (par le service).",
        SERVICE,
    )
    record_attendance = sends(
        RecordAttendance,
        AppointmentInput,
        APPOINTMENT_CHANGED,
        "Noter que le salarié est venu (par le service).",
        SERVICE,
    )
    record_no_show = sends(
        RecordNoShow,
        RecordNoShowInput,
        APPOINTMENT_CHANGED,
        "Noter que le salarié n'est pas venu, sans avoir annulé à temps (par le service).",
        SERVICE,
    )
    set_cancellation_notice = sends(
        SetCancellationNotice,
        SetCancellationNoticeInput,
        SETTINGS_CHANGED,
        "Fixer le délai d'annulation des rendez-vous, en jours ouvrés (par le service).",
        SERVICE,
    )
    set_no_show_billing = sends(
        _no_show_billing,
        SetNoShowBillingInput,
        SETTINGS_CHANGED,
        "Facturer ou non les absences aux visites, et leur montant (par le service).",
        SERVICE,
    )

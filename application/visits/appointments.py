"""Commands of appointments: requests by members (and by the service for the people the law lets
ask), the service's availability, bookings, reschedulings, cancellations, attendance and
no-shows, and the service's visit settings."""

from datetime import date, datetime, time
from uuid import UUID

from application.base import RegistreApplication, result_of
from application.commands import Change, Command, Decision, SettingsChange
from application.requests import CommandResult, Request
from application.visits.organisation import CENTRE_NOT_FOUND, PROFESSIONAL_NOT_FOUND
from application.workforce.commands import EMPLOYEE_NOT_FOUND
from domain.calendar import PARIS
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.members.member import Member
from domain.money import Money
from domain.visits.appointment import Appointment, Requester
from domain.visits.availability import Availability
from domain.visits.business_days import BusinessCalendar, Region
from domain.visits.kinds import VisitKind
from domain.visits.organisation import CHANGE_WINDOW, HealthProfessional, VisitCentre
from domain.visits.settings import SETTINGS_ID, VisitSettings
from domain.workforce.employee import Employee

APPOINTMENT_NOT_FOUND = NotFound("Ce rendez-vous n'existe pas.", code="APPOINTMENT_NOT_FOUND")
NO_AVAILABILITY = NotFound(
    "Ce professionnel n'a aucun créneau ce jour-là.", code="AVAILABILITY_NOT_FOUND"
)


SETTINGS_NOT_SET = NotFound(
    "Les paramètres des visites ne sont pas encore renseignés.", code="VISIT_SETTINGS_NOT_SET"
)


def visit_settings(app: RegistreApplication, request: Request) -> VisitSettings:
    """The service's visit settings (their defaults until the service changes them)."""
    try:
        return app.load(VisitSettings, SETTINGS_ID, SETTINGS_NOT_SET)
    except NotFound:
        return VisitSettings.start(request.actor)


def availability_of(app: RegistreApplication, professional_id: UUID, day: date) -> Availability:
    return app.load(Availability, Availability.id_of(professional_id, day), NO_AVAILABILITY)


def booked_availability(app: RegistreApplication, appointment: Appointment) -> Availability | None:
    """The day of the professional whose slot the appointment holds, if it holds one."""
    slot = appointment.slot
    return None if slot is None else availability_of(app, slot.professional_id, slot.day)


def check_bookable(app: RegistreApplication, availability: Availability, slot_id: UUID) -> None:
    """A slot is booked only on a day to come, with a professional still in the service, at a
    centre still open."""
    slot = availability.slot(slot_id)
    starts = datetime.combine(slot.day, slot.starts_at, tzinfo=PARIS)
    if starts <= app.clock.now():
        raise RuleViolation(f"Le créneau {slot.describe()} est passé.", code="SLOT_PASSED")
    professional = app.load(HealthProfessional, slot.professional_id, PROFESSIONAL_NOT_FOUND)
    left_on = professional.left_on
    if left_on is not None and left_on < slot.day:
        raise RuleViolation(
            f"{professional.details.first_name} {professional.details.last_name} aura quitté le"
            f" service le {slot.day:%d/%m/%Y}.",
            code="PROFESSIONAL_LEFT",
        )
    centre = app.load(VisitCentre, slot.centre_id, CENTRE_NOT_FOUND)
    if centre.closed_on is not None and centre.closed_on <= slot.day:
        raise RuleViolation(
            f"Le centre « {centre.details.name} » sera fermé le {slot.day:%d/%m/%Y}.",
            code="CENTRE_CLOSED",
        )


# Requests -------------------------------------------------------------------------------------


class RequestAppointment(Command[CommandResult], frozen=True, kw_only=True):
    """An appointment asked for an employee of the member; by the member's users (the
    employer), or recorded by the service for another person the law lets ask."""

    member_id: UUID
    employee_id: UUID
    kind: VisitKind
    reason: str
    preferred_from: date
    preferred_to: date
    constraints: str | None = None
    requested_by: Requester = Requester.EMPLOYER

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        if request.actor.on_behalf_of is not None and self.requested_by is not Requester.EMPLOYER:
            raise RuleViolation(
                "Un utilisateur de l'adhérent demande un rendez-vous au nom de l'employeur.",
                code="REQUESTER_NOT_ALLOWED",
                field="requested_by",
            )
        employee = app.load(Employee, self.employee_id, EMPLOYEE_NOT_FOUND, request.actor)
        if employee.member_id != self.member_id:
            raise EMPLOYEE_NOT_FOUND.fresh()
        if employee.identity is None:
            raise RuleViolation(
                "L'identité de ce salarié a été effacée : il ne peut plus être convoqué.",
                code="IDENTITY_ERASED",
            )
        appointment = Appointment.request(
            member_id=self.member_id,
            employee_id=self.employee_id,
            kind=self.kind,
            requested_by=self.requested_by,
            reason=self.reason,
            constraints=self.constraints,
            preferred_from=self.preferred_from,
            preferred_to=self.preferred_to,
            requested_on=app.today(),
            actor=request.actor,
        )
        return [appointment], result_of(appointment)


# The service's availability -------------------------------------------------------------------


class PublishSlot(Command[CommandResult], frozen=True, kw_only=True):
    """A time a professional receives at a centre, offered to bookings."""

    professional_id: UUID
    centre_id: UUID
    day: date
    starts_at: time
    minutes: int

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        today = app.today()
        if not today <= self.day <= today + CHANGE_WINDOW:
            raise InvalidValue(
                "Un créneau se publie pour un jour à venir, dans l'année.",
                code="DATE_OUT_OF_RANGE",
                field="day",
            )
        professional = app.load(HealthProfessional, self.professional_id, PROFESSIONAL_NOT_FOUND)
        professional.check_active()
        centre = app.load(VisitCentre, self.centre_id, CENTRE_NOT_FOUND)
        if centre.closed_on is not None and centre.closed_on <= self.day:
            raise RuleViolation(
                f"Le centre « {centre.details.name} » est fermé ce jour-là.", code="CENTRE_CLOSED"
            )
        if self.day.weekday() not in centre.details.opening_days:
            raise RuleViolation(
                f"Le centre « {centre.details.name} » ne reçoit pas ce jour de la semaine.",
                code="CENTRE_NOT_OPEN",
            )
        availability_id = Availability.id_of(self.professional_id, self.day)
        try:
            availability = app.load_for_change(
                Availability, availability_id, request, NO_AVAILABILITY
            )
        except NotFound:
            availability = Availability.open(self.professional_id, self.day, request.actor)
        availability.publish(self.centre_id, self.starts_at, self.minutes, request.actor)
        return [availability], result_of(availability)


class WithdrawSlot(Change[Availability], frozen=True, kw_only=True):
    """A slot nobody booked, no longer offered."""

    aggregate = Availability
    not_found = NO_AVAILABILITY
    target = "availability_id"
    calls = Availability.withdraw
    availability_id: UUID
    slot_id: UUID


# Bookings and what follows --------------------------------------------------------------------


class AppointmentChange(Command[CommandResult], frozen=True, kw_only=True):
    appointment_id: UUID

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        appointment = app.load_for_change(
            Appointment, self.appointment_id, request, APPOINTMENT_NOT_FOUND
        )
        also = self.change(appointment, app, request)
        return [appointment, *also], result_of(appointment)

    def change(
        self, appointment: Appointment, app: RegistreApplication, request: Request
    ) -> list[Availability | VisitSettings]:
        """Changes the appointment; returns the other records changed with it."""
        raise NotImplementedError


class BookAppointment(AppointmentChange, frozen=True, kw_only=True):
    """The request booked into a free slot: the employee is convened. Of two bookings of one
    slot at once, the second is decided again, and finds the slot taken."""

    decide_again_on_race = True
    professional_id: UUID
    day: date
    slot_id: UUID

    def change(
        self, appointment: Appointment, app: RegistreApplication, request: Request
    ) -> list[Availability | VisitSettings]:
        availability = availability_of(app, self.professional_id, self.day)
        check_bookable(app, availability, self.slot_id)
        appointment.book(availability, self.slot_id, request.actor)
        return [availability]


class RescheduleAppointment(AppointmentChange, frozen=True, kw_only=True):
    decide_again_on_race = True
    professional_id: UUID
    day: date
    slot_id: UUID

    def change(
        self, appointment: Appointment, app: RegistreApplication, request: Request
    ) -> list[Availability | VisitSettings]:
        current = booked_availability(app, appointment)
        if current is None:
            raise RuleViolation(
                "Ce rendez-vous n'est pas encore programmé.", code="APPOINTMENT_REQUESTED"
            )
        same_day = current.id == Availability.id_of(self.professional_id, self.day)
        target = current if same_day else availability_of(app, self.professional_id, self.day)
        check_bookable(app, target, self.slot_id)
        appointment.reschedule(current, target, self.slot_id, request.actor)
        return [current] if same_day else [current, target]


class CancelAppointment(AppointmentChange, frozen=True, kw_only=True):
    """The member cancels, in time by the business-day rule (RULES.md §5 bis)."""

    def change(
        self, appointment: Appointment, app: RegistreApplication, request: Request
    ) -> list[Availability | VisitSettings]:
        settings = visit_settings(app, request)
        member = app.load(Member, appointment.member_id, APPOINTMENT_NOT_FOUND)
        region = Region.of_worksite(member.worksite_address)
        availability = booked_availability(app, appointment)
        appointment.cancel_by_member(
            app.today(),
            settings.cancellation_notice_days,
            BusinessCalendar(region),
            availability,
            request.actor,
        )
        return [] if availability is None else [availability]


class CancelAppointmentByStaff(AppointmentChange, frozen=True, kw_only=True):
    reason: str

    def change(
        self, appointment: Appointment, app: RegistreApplication, request: Request
    ) -> list[Availability | VisitSettings]:
        availability = booked_availability(app, appointment)
        appointment.cancel_by_staff(self.reason, availability, request.actor)
        return [] if availability is None else [availability]


class RecordAttendance(AppointmentChange, frozen=True, kw_only=True):
    def change(
        self, appointment: Appointment, app: RegistreApplication, request: Request
    ) -> list[Availability | VisitSettings]:
        appointment.record_attendance(app.today(), request.actor)
        return []


class RecordNoShow(AppointmentChange, frozen=True, kw_only=True):
    """The employee did not come; billed to the employer when the service's settings say so."""

    late_cancellation_asked_on: date | None = None

    def change(
        self, appointment: Appointment, app: RegistreApplication, request: Request
    ) -> list[Availability | VisitSettings]:
        fee = visit_settings(app, request).no_show_fee_due
        appointment.record_no_show(app.today(), self.late_cancellation_asked_on, fee, request.actor)
        return []


# The service's settings -----------------------------------------------------------------------


class VisitSettingsChange(SettingsChange[VisitSettings], frozen=True, kw_only=True):
    aggregate = VisitSettings
    not_found = SETTINGS_NOT_SET


class SetCancellationNotice(VisitSettingsChange, frozen=True, kw_only=True):
    calls = VisitSettings.set_cancellation_notice
    days: int


class SetNoShowBilling(VisitSettingsChange, frozen=True, kw_only=True):
    calls = VisitSettings.set_no_show_billing
    billed: bool
    fee: Money

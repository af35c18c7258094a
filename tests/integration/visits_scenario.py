"""A visits scenario that records every event of the visits context: a visit centre opened,
changed and closed, professionals registered, changed and gone, a member's care team formed,
changed and given a centre, the service's settings, slots published, withdrawn, booked and
freed, appointments requested, booked, moved, cancelled by either side, attended and missed,
and the member's activity summary: actions recorded, corrected and withdrawn (used by the
round-trip and audit-trail tests)."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from uuid import UUID, uuid4

from application.registre import Registre
from application.requests import Request
from application.visits.activity import (
    CorrectWorkplaceAction,
    RecordWorkplaceAction,
    WithdrawWorkplaceAction,
)
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
from application.visits.follow_up import (
    DeclareAbsence,
    DeclareReturn,
    RecordVisit,
    SetConvocationNotes,
    WithdrawAbsence,
    WithdrawVisit,
)
from application.visits.organisation import (
    AssignProfessional,
    AssignVisitCentre,
    ChangeProfessional,
    ChangeVisitCentre,
    CloseVisitCentre,
    OpenVisitCentre,
    RecordProfessionalDeparture,
    RegisterProfessional,
    WithdrawProfessional,
)
from domain.address import Address
from domain.calendar import PARIS, SetClock
from domain.contact_details import Email, PhoneNumber
from domain.money import Money
from domain.visits.activity import WorkplaceActionDetails, WorkplaceActionKind
from domain.visits.availability import Availability
from domain.visits.follow_up_file import AbsenceKind
from domain.visits.follow_up_record import VisitDocument
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.visits.organisation import CentreDetails, ProfessionalDetails, Weekday

CENTRE = CentreDetails(
    name="Centre Marseille Joliette",
    address=Address(("40 boulevard de Dunkerque",), "13002", "Marseille"),
    phone=PhoneNumber("04 91 00 00 00"),
    opening_days=frozenset(Weekday),
    access_note="Parking visiteurs au sous-sol",
)
DOCTOR = ProfessionalDetails(
    last_name="Lefèvre",
    first_name="Anne",
    role=ProfessionalRole.OCCUPATIONAL_DOCTOR,
    phone=PhoneNumber("04 91 00 00 01"),
    email=Email("a.lefevre@sante-travail.example"),
)
NURSE = ProfessionalDetails(last_name="Garcia", first_name="Luis", role=ProfessionalRole.NURSE)


def staff() -> Request:
    return Request.by(str(uuid4()), "staff-visits")


def every_visits_event(app: Registre, member_id: UUID, employee_id: UUID) -> list[UUID]:
    """Returns the ids of the centre, the two professionals, the member's care team, the
    settings, the doctor's two days, the four appointments, the employee's follow-up record and
    the member's activity summary of this year."""
    today = app.today()
    centre_id = app.handle(staff(), OpenVisitCentre(details=CENTRE)).aggregate_id
    app.handle(
        staff(),
        ChangeVisitCentre(centre_id=centre_id, details=replace(CENTRE, name="Centre Joliette")),
    )
    doctor_id = app.handle(staff(), RegisterProfessional(details=DOCTOR)).aggregate_id
    nurse_id = app.handle(staff(), RegisterProfessional(details=NURSE)).aggregate_id
    app.handle(
        staff(),
        ChangeProfessional(
            professional_id=nurse_id, details=replace(NURSE, phone=PhoneNumber("04 91 00 00 02"))
        ),
    )
    team_id = app.handle(
        staff(),
        AssignProfessional(member_id=member_id, professional_id=doctor_id, effective_on=today),
    ).aggregate_id
    app.handle(
        staff(),
        AssignProfessional(member_id=member_id, professional_id=nurse_id, effective_on=today),
    )
    app.handle(
        staff(), AssignVisitCentre(member_id=member_id, centre_id=centre_id, effective_on=today)
    )
    appointments = every_appointment_event(app, member_id, employee_id, centre_id, doctor_id)
    record_id = every_follow_up_event(app, employee_id, doctor_id)
    later = today + timedelta(days=30)
    app.handle(
        staff(),
        WithdrawProfessional(member_id=member_id, role=ProfessionalRole.NURSE, effective_on=later),
    )
    app.handle(staff(), RecordProfessionalDeparture(professional_id=nurse_id, left_on=later))
    app.handle(staff(), CloseVisitCentre(centre_id=centre_id, closed_on=later))
    summary_id = every_activity_event(app, member_id)
    return [centre_id, doctor_id, nurse_id, team_id, *appointments, record_id, summary_id]


def every_activity_event(app: Registre, member_id: UUID) -> UUID:
    today = app.today()
    visit = WorkplaceActionDetails(
        kind=WorkplaceActionKind.WORKPLACE_VISIT,
        held_on=today,
        subject="Atelier de découpe",
        duration_minutes=90,
    )
    recorded = app.handle(staff(), RecordWorkplaceAction(member_id=member_id, details=visit))
    assert recorded.created_id is not None
    app.handle(
        staff(),
        CorrectWorkplaceAction(
            member_id=member_id,
            year=today.year,
            action_id=recorded.created_id,
            details=replace(visit, subject="Atelier de découpe et quai de chargement"),
        ),
    )
    session = replace(
        visit, kind=WorkplaceActionKind.AWARENESS_SESSION, subject="Bruit", participants=12
    )
    mistaken = app.handle(staff(), RecordWorkplaceAction(member_id=member_id, details=session))
    assert mistaken.created_id is not None
    app.handle(
        staff(),
        WithdrawWorkplaceAction(
            member_id=member_id,
            year=today.year,
            action_id=mistaken.created_id,
            error_note="Autre adhérent",
        ),
    )
    return recorded.aggregate_id


def every_follow_up_event(app: Registre, employee_id: UUID, doctor_id: UUID) -> UUID:
    today = app.today()
    record_id = app.handle(
        staff(),
        RecordVisit(
            employee_id=employee_id,
            kind=VisitKind.INFORMATION_AND_PREVENTION,
            held_on=today - timedelta(days=10),
            professional_id=doctor_id,
            document=VisitDocument.FOLLOW_UP_CERTIFICATE,
        ),
    ).aggregate_id
    mistaken = app.handle(
        staff(),
        RecordVisit(
            employee_id=employee_id,
            kind=VisitKind.PERIODIC,
            held_on=today,
            professional_id=doctor_id,
            document=VisitDocument.NONE,
        ),
    ).created_id
    assert mistaken is not None
    app.handle(
        staff(), WithdrawVisit(employee_id=employee_id, visit_id=mistaken, error_note="Doublon")
    )
    first = app.handle(
        staff(),
        DeclareAbsence(
            employee_id=employee_id,
            kind=AbsenceKind.WORK_ACCIDENT,
            first_day=today - timedelta(days=60),
        ),
    ).created_id
    assert first is not None
    app.handle(
        staff(),
        DeclareReturn(
            employee_id=employee_id, absence_id=first, returned_on=today - timedelta(days=20)
        ),
    )
    wrong = app.handle(
        staff(),
        DeclareAbsence(employee_id=employee_id, kind=AbsenceKind.OTHER, first_day=today),
    ).created_id
    assert wrong is not None
    app.handle(
        staff(), WithdrawAbsence(employee_id=employee_id, absence_id=wrong, error_note="Erreur")
    )
    app.handle(
        staff(),
        SetConvocationNotes(
            employee_id=employee_id,
            convocation_constraints="Pas le mercredi",
            comment="Travaille en équipe de nuit",
        ),
    )
    return record_id


def every_appointment_event(
    app: Registre, member_id: UUID, employee_id: UUID, centre_id: UUID, doctor_id: UUID
) -> list[UUID]:
    today = app.today()
    soon, ahead = today + timedelta(days=1), today + timedelta(days=20)
    clock = app.clock = SetClock(app.clock.now())  # the day of a visit must come, at any hour
    settings_id = app.handle(staff(), SetCancellationNotice(days=3)).aggregate_id
    app.handle(staff(), SetNoShowBilling(billed=True, fee=Money.euros(50)))
    slots = {}
    for day, starts_at in (
        (soon, time(9)),
        (soon, time(10)),
        (ahead, time(9)),
        (ahead, time(10)),
    ):
        app.handle(
            staff(),
            PublishSlot(
                professional_id=doctor_id,
                centre_id=centre_id,
                day=day,
                starts_at=starts_at,
                minutes=30,
            ),
        )
        availability = app.repository.get(Availability.id_of(doctor_id, day))
        slots[day, starts_at] = (
            availability.slots[-1].id if starts_at == time(10) else availability.slots[0].id
        )
    withdrawn = slots.pop((ahead, time(10)))
    app.handle(
        staff(),
        WithdrawSlot(availability_id=Availability.id_of(doctor_id, ahead), slot_id=withdrawn),
    )

    def requested() -> UUID:
        return app.handle(
            staff(),
            RequestAppointment(
                member_id=member_id,
                employee_id=employee_id,
                kind=VisitKind.PERIODIC,
                reason="Renouvellement",
                preferred_from=today,
                preferred_to=ahead,
            ),
        ).aggregate_id

    def book(appointment_id: UUID, day: date, starts_at: time) -> None:
        app.handle(
            staff(),
            BookAppointment(
                appointment_id=appointment_id,
                professional_id=doctor_id,
                day=day,
                slot_id=slots[day, starts_at],
            ),
        )

    attended, missed, by_member, by_staff = (requested() for _ in range(4))
    book(attended, soon, time(9))
    book(missed, ahead, time(9))
    app.handle(
        staff(),
        RescheduleAppointment(
            appointment_id=missed,
            professional_id=doctor_id,
            day=soon,
            slot_id=slots[soon, time(10)],
        ),
    )
    book(by_member, ahead, time(9))
    app.handle(staff(), CancelAppointment(appointment_id=by_member))
    app.handle(staff(), CancelAppointmentByStaff(appointment_id=by_staff, reason="Médecin absent"))
    clock.set(datetime.combine(soon, time(12), tzinfo=PARIS))
    app.handle(staff(), RecordAttendance(appointment_id=attended))
    app.handle(staff(), RecordNoShow(appointment_id=missed, late_cancellation_asked_on=today))
    return [
        settings_id,
        Availability.id_of(doctor_id, soon),
        Availability.id_of(doctor_id, ahead),
        attended,
        missed,
        by_member,
        by_staff,
    ]

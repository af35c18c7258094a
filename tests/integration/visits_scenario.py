"""A visits scenario that records every event of the service's organisation: a visit centre
opened, changed and closed, professionals registered, changed and gone, and a member's care
team formed, changed and given a centre (used by the round-trip and audit-trail tests)."""

from dataclasses import replace
from datetime import timedelta
from uuid import UUID, uuid4

from application.registre import Registre
from application.requests import Request
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
from domain.contact_details import Email, PhoneNumber
from domain.visits.kinds import ProfessionalRole
from domain.visits.organisation import CentreDetails, ProfessionalDetails, Weekday

CENTRE = CentreDetails(
    name="Centre Marseille Joliette",
    address=Address(("40 boulevard de Dunkerque",), "13002", "Marseille"),
    phone=PhoneNumber("04 91 00 00 00"),
    opening_days=frozenset({Weekday.MONDAY, Weekday.TUESDAY, Weekday.THURSDAY}),
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


def every_visits_event(app: Registre, member_id: UUID) -> list[UUID]:
    """Returns the ids of the centre, the two professionals and the member's care team."""
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
    later = today + timedelta(days=30)
    app.handle(
        staff(),
        WithdrawProfessional(member_id=member_id, role=ProfessionalRole.NURSE, effective_on=later),
    )
    app.handle(staff(), RecordProfessionalDeparture(professional_id=nurse_id, left_on=later))
    app.handle(staff(), CloseVisitCentre(centre_id=centre_id, closed_on=later))
    return [centre_id, doctor_id, nurse_id, team_id]

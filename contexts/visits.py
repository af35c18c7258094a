"""Visits: the service's visit centres and health professionals, each member's care team and
centre, appointments and the service's availability."""

from api.visits.appointment_mutations import AppointmentMutations
from api.visits.appointment_queries import AppointmentListQueries
from api.visits.mutations import VisitMutations
from api.visits.queries import VisitQueries
from application.visits import appointments, organisation
from contexts.context import Context
from domain.visits.appointment import Appointment
from domain.visits.availability import Availability
from domain.visits.care_team import CareTeam
from domain.visits.organisation import HealthProfessional, VisitCentre
from domain.visits.settings import VisitSettings
from projections.visits.appointments import Appointments
from projections.visits.audit_summaries import SUMMARIES
from projections.visits.organisation import Organisation

VISITS = Context(
    name="visits",
    aggregates=(
        VisitCentre,
        HealthProfessional,
        CareTeam,
        VisitSettings,
        Availability,
        Appointment,
    ),
    commands=(organisation, appointments),
    read_models=(Organisation, Appointments),
    audit_summaries=SUMMARIES,
    queries=(VisitQueries, AppointmentListQueries),
    mutations=(VisitMutations, AppointmentMutations),
)

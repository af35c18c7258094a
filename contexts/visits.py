"""Visits: the service's visit centres and health professionals, each member's care team and
centre, appointments and the service's availability, the visits held and the absences of each
employee, the visits they owe, and each member's activity summary (the service's actions at the
member and its employees' visits, by year)."""

from api.visits.activity import ActivitySummaryMutations, ActivitySummaryQueries
from api.visits.appointment_mutations import AppointmentMutations
from api.visits.appointment_queries import AppointmentListQueries
from api.visits.follow_up import FollowUpMutations, FollowUpQueries
from api.visits.mutations import VisitMutations
from api.visits.queries import VisitQueries
from api.visits.routes import ROUTES
from application.visits import activity, appointments, follow_up, organisation
from application.visits.reactions import ConvocationMail
from contexts.context import Context
from domain.visits.activity import ActivitySummary
from domain.visits.appointment import Appointment
from domain.visits.availability import Availability
from domain.visits.care_team import CareTeam
from domain.visits.follow_up_record import FollowUpRecord
from domain.visits.organisation import HealthProfessional, VisitCentre
from domain.visits.settings import VisitSettings
from projections.visits.activity import Activity
from projections.visits.appointments import Appointments
from projections.visits.audit_summaries import SUMMARIES
from projections.visits.due_visits import DueVisits
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
        FollowUpRecord,
        ActivitySummary,
    ),
    commands=(organisation, appointments, follow_up, activity),
    read_models=(Organisation, Appointments, DueVisits, Activity),
    audit_summaries=SUMMARIES,
    reactions=(ConvocationMail,),
    queries=(VisitQueries, AppointmentListQueries, FollowUpQueries, ActivitySummaryQueries),
    mutations=(VisitMutations, AppointmentMutations, FollowUpMutations, ActivitySummaryMutations),
    routes=ROUTES,
)

"""Visits: the service's visit centres and health professionals, each member's care team and
centre."""

from api.visits.mutations import VisitMutations
from api.visits.queries import VisitQueries
from application.visits import organisation
from contexts.context import Context
from domain.visits.care_team import CareTeam
from domain.visits.organisation import HealthProfessional, VisitCentre
from projections.visits.audit_summaries import SUMMARIES
from projections.visits.organisation import Organisation

VISITS = Context(
    name="visits",
    aggregates=(VisitCentre, HealthProfessional, CareTeam),
    commands=(organisation,),
    read_models=(Organisation,),
    audit_summaries=SUMMARIES,
    queries=(VisitQueries,),
    mutations=(VisitMutations,),
)

"""Workforce: each member's employees, their contracts, follow-up and CMR exposures."""

from api.workforce.employment_mutations import EmploymentMutations
from api.workforce.exposure_import_routes import ROUTES
from api.workforce.health_mutations import HealthMutations
from api.workforce.queries import RecordQueries
from api.workforce.situation_mutations import SituationMutations
from application.workforce import commands
from contexts.context import Context
from domain.workforce.employee import Employee
from projections.workforce.audit_summaries import SUMMARIES
from projections.workforce.exposures import CmrExposures
from projections.workforce.workforce import Workforce

WORKFORCE = Context(
    name="workforce",
    aggregates=(Employee,),
    commands=(commands,),
    read_models=(Workforce, CmrExposures),
    audit_summaries=SUMMARIES,
    queries=(RecordQueries,),
    mutations=(EmploymentMutations, HealthMutations, SituationMutations),
    routes=ROUTES,
)

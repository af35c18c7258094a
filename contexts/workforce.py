"""Workforce: each member's employees, their contracts, follow-up and CMR exposures."""

from api.workforce.cmr_list_routes import ROUTES as CMR_LIST_ROUTES
from api.workforce.employee_list_routes import ROUTES as EMPLOYEE_LIST_ROUTES
from api.workforce.employment_mutations import EmploymentMutations
from api.workforce.exposure_import_routes import ROUTES
from api.workforce.health_mutations import HealthMutations
from api.workforce.queries import RecordQueries
from api.workforce.situation_mutations import SituationMutations
from api.workforce.workforce_import_routes import ROUTES as WORKFORCE_IMPORT_ROUTES
from application.workforce import commands
from contexts.context import Context
from domain.workforce.employee import Employee
from domain.workforce.identity_marks import IdentityMark
from projections.workforce.audit_summaries import SUMMARIES
from projections.workforce.exposures import CmrExposures
from projections.workforce.mark_summaries import MARK_SUMMARIES
from projections.workforce.workforce import Workforce

WORKFORCE = Context(
    name="workforce",
    aggregates=(Employee, IdentityMark),
    commands=(commands,),
    read_models=(Workforce, CmrExposures),
    audit_summaries={**SUMMARIES, **MARK_SUMMARIES},
    queries=(RecordQueries,),
    mutations=(EmploymentMutations, HealthMutations, SituationMutations),
    routes=(*ROUTES, *CMR_LIST_ROUTES, *EMPLOYEE_LIST_ROUTES, *WORKFORCE_IMPORT_ROUTES),
)

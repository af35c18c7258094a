"""Risk assessment: each member's DUERP, its work units, risks, actions and documents."""

from api.risk_assessment.mutations import RiskAssessmentMutations
from api.risk_assessment.queries import RiskAssessmentQueries
from api.risk_assessment.routes import ROUTES
from api.risk_assessment.work_unit_mutations import WorkUnitMutations
from application.risk_assessment import commands
from contexts.context import Context
from domain.risk_assessment.assessment import RiskAssessment
from projections.risk_assessment.audit_summaries import SUMMARIES

RISK_ASSESSMENT = Context(
    name="risk_assessment",
    aggregates=(RiskAssessment,),
    commands=(commands,),
    audit_summaries=SUMMARIES,
    queries=(RiskAssessmentQueries,),
    mutations=(WorkUnitMutations, RiskAssessmentMutations),
    routes=ROUTES,
)

"""The Mutation root: one mutation per public command of the application."""

from strawberry.tools import merge_types

from api.accounts.access_mutations import AccessMutations
from api.accounts.user_mutations import UserMutations
from api.catalogues.mutations import CatalogueMutations
from api.declaration.mutations import DeclarationMutations
from api.members.membership_mutations import MembershipMutations
from api.members.mutations import MemberMutations
from api.members.organisation_mutations import OrganisationMutations
from api.risk_assessment.mutations import RiskAssessmentMutations
from api.risk_assessment.work_unit_mutations import WorkUnitMutations
from api.workforce.employment_mutations import EmploymentMutations
from api.workforce.health_mutations import HealthMutations
from api.workforce.situation_mutations import SituationMutations

Mutation = merge_types(
    "Mutation",
    (
        AccessMutations,
        UserMutations,
        MemberMutations,
        MembershipMutations,
        OrganisationMutations,
        EmploymentMutations,
        HealthMutations,
        SituationMutations,
        DeclarationMutations,
        WorkUnitMutations,
        RiskAssessmentMutations,
        CatalogueMutations,
    ),
)

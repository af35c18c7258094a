"""The Mutation root: one mutation per public command of the application."""

from strawberry.tools import merge_types

from api.access_mutations import AccessMutations
from api.catalogue_mutations import CatalogueMutations
from api.declaration_mutations import DeclarationMutations
from api.employment_mutations import EmploymentMutations
from api.health_mutations import HealthMutations
from api.member_mutations import MemberMutations
from api.membership_mutations import MembershipMutations
from api.organisation_mutations import OrganisationMutations
from api.risk_assessment_mutations import RiskAssessmentMutations
from api.situation_mutations import SituationMutations
from api.user_mutations import UserMutations

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
        RiskAssessmentMutations,
        CatalogueMutations,
    ),
)

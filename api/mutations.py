"""The Mutation root: one mutation per public command of the application."""

from strawberry.tools import merge_types

from api.employment_mutations import EmploymentMutations
from api.health_mutations import HealthMutations
from api.member_mutations import MemberMutations
from api.membership_mutations import MembershipMutations
from api.organisation_mutations import OrganisationMutations

Mutation = merge_types(
    "Mutation",
    (
        MemberMutations,
        MembershipMutations,
        OrganisationMutations,
        EmploymentMutations,
        HealthMutations,
    ),
)

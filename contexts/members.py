"""Members: the companies that adhere to the service, their organisation and contacts."""

from api.members.membership_mutations import MembershipMutations
from api.members.mutations import MemberMutations
from api.members.organisation_mutations import OrganisationMutations
from api.members.queries import DirectoryQueries
from application.members import commands
from contexts.context import Context
from domain.members.member import Member
from projections.members.audit_summaries import SUMMARIES
from projections.members.members import MemberDirectory

MEMBERS = Context(
    name="members",
    aggregates=(Member,),
    commands=(commands,),
    read_models=(MemberDirectory,),
    audit_summaries=SUMMARIES,
    queries=(DirectoryQueries,),
    mutations=(MemberMutations, MembershipMutations, OrganisationMutations),
)

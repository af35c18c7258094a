"""Declaration: the yearly campaigns and each member's annual declaration."""

from api.declaration.mutations import DeclarationMutations
from api.declaration.queries import DeclarationQueries
from api.declaration.routes import ROUTES
from application.declaration import commands
from application.declaration.reactions import DeclarationTransferredMail
from contexts.context import Context
from domain.declaration.campaign import Campaign
from domain.declaration.declaration import Declaration
from projections.declaration.audit_summaries import SUMMARIES
from projections.declaration.declarations import Declarations

DECLARATION = Context(
    name="declaration",
    aggregates=(Campaign, Declaration),
    commands=(commands,),
    read_models=(Declarations,),
    audit_summaries=SUMMARIES,
    reactions=(DeclarationTransferredMail,),
    queries=(DeclarationQueries,),
    mutations=(DeclarationMutations,),
    routes=ROUTES,
)

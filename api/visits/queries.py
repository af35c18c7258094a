"""Queries of the service's organisation for visits: a member's care team and centre (every
user of the member, seed 004 §2.2), the visit centres (anyone signed in), the professionals
(the service)."""

from datetime import date
from uuid import UUID

import strawberry

from api.authorization import Rule, Scope, query
from api.context import GraphQLInfo
from api.rules import SERVICE
from api.threads import blocking
from api.visits.enums import ProfessionalRole
from api.visits.types import CareTeam, HealthProfessional, VisitCentre
from domain.accounts.access import Right
from projections.visits.organisation_queries import OrganisationQueries

READS_TEAM = Rule(Right.READ_COMPANY, scope=Scope(member="member_id"))
SIGNED_IN = Rule(right=None)


@strawberry.type
class VisitQueries:
    @query(
        "L'équipe pluridisciplinaire et le centre de visite d'un adhérent, à une date"
        " (par défaut aujourd'hui).",
        READS_TEAM,
    )
    async def care_team(
        self, info: GraphQLInfo, member_id: UUID, as_of: date | None = None
    ) -> CareTeam:
        services = info.context.services
        day = as_of or services.clock.today()
        view = await blocking(lambda: services.read(OrganisationQueries).care_team(member_id, day))
        return CareTeam.of(view)

    @query("Les centres de visite du service, par nom.", SIGNED_IN)
    async def visit_centres(self, info: GraphQLInfo, closed_too: bool = False) -> list[VisitCentre]:
        services = info.context.services
        views = await blocking(
            lambda: services.read(OrganisationQueries).centres(closed_too=closed_too)
        )
        return [VisitCentre.of(view) for view in views]

    @query("Les professionnels du service, par nom (pour le service).", SERVICE)
    async def health_professionals(
        self, info: GraphQLInfo, role: ProfessionalRole | None = None, departed_too: bool = False
    ) -> list[HealthProfessional]:
        queries = info.context.services.read(OrganisationQueries)
        views = await blocking(lambda: queries.professionals(role, departed_too=departed_too))
        return [HealthProfessional.of(view) for view in views]

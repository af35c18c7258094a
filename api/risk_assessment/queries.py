"""Queries of the risk assessment (DUERP): its current state, and a published version.

Both read the aggregate through the application's queries with the caller's actor, so a
member's user reaches its own member's assessment only (the guard has already replaced another
member's id by one that names nothing): an assessment not started, another member's and an
unknown member's are all answered `null`.
"""

from uuid import UUID

import strawberry

from api.authorization import query
from api.context import GraphQLInfo
from api.risk_assessment.types import READS_RISK_ASSESSMENT, RiskAssessment, RiskAssessmentVersion
from api.threads import blocking
from domain.actor import Actor
from domain.errors import NotFound


def _actor(info: GraphQLInfo) -> Actor:
    principal = info.context.principal
    if principal is None:
        raise RuntimeError("a query ran outside the authorisation guard")
    return principal.actor


@strawberry.type
class RiskAssessmentQueries:
    @query(
        "Évaluation des risques d'un adhérent (étapes 6 à 8) : unités de travail, évaluations,"
        " plan d'action (retards au jour d'aujourd'hui), versions publiées, documents déposés ;"
        " null si elle n'est pas commencée.",
        READS_RISK_ASSESSMENT,
    )
    async def risk_assessment(self, info: GraphQLInfo, member_id: UUID) -> RiskAssessment | None:
        app, actor = info.context.services.app, _actor(info)

        def read() -> RiskAssessment | None:
            try:
                assessment = app.risk_assessment(member_id, actor)
            except NotFound:
                return None
            return RiskAssessment.of(assessment, info.context.services.clock.today())

        return await blocking(read)

    @query(
        "Une version publiée du document unique, telle qu'elle a été publiée, avec son empreinte"
        " et si le contenu la vérifie toujours ; null si elle n'existe pas.",
        READS_RISK_ASSESSMENT,
    )
    async def risk_assessment_version(
        self, info: GraphQLInfo, member_id: UUID, number: int
    ) -> RiskAssessmentVersion | None:
        app, actor = info.context.services.app, _actor(info)

        def read() -> RiskAssessmentVersion | None:
            try:
                version = app.risk_assessment_version(member_id, number, actor)
            except NotFound:
                return None
            return RiskAssessmentVersion.of(member_id, version)

        return await blocking(read)

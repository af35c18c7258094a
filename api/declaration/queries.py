"""Queries of the annual declaration: campaigns, a member's declarations (seed 004 §2.5), the
recap of step 10, the confirmed copies, and the CMR list as it was transmitted."""

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
import strawberry

from api.authorization import SIGNED_IN, HealthRead, Rule, Scope, Withheld, query
from api.context import GraphQLInfo
from api.declaration.types import (
    Campaign,
    Confirmation,
    Declaration,
    Recap,
    client_copy,
    intact,
)
from api.from_structs import converted
from api.scalars import JSON
from api.threads import blocking
from domain.accounts.access import Right
from domain.money import Money
from projections.declaration.declared import recap

READS_DECLARATION = Rule(Right.READ_DECLARATION, scope=Scope(member="member_id"))


def _frozen_employees(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    """The employees named in the confirmed copies an answer holds (spelled as clients read
    them, `client_copy`)."""
    confirmations = result if isinstance(result, list) else [result]
    for confirmation in confirmations:
        content = getattr(confirmation, "content", None) or {}
        for part in ("workforce", "cmrExposures"):
            for row in content.get(part, []):
                yield UUID(row["employeeId"])


def _confirmations_without(result: list[Confirmation], parts: frozenset[str]) -> list[Confirmation]:
    return [confirmation.without(parts) for confirmation in result]


READS_CONFIRMATIONS = Rule(
    Right.READ_DECLARATION,
    scope=Scope(member="member_id"),
    health=HealthRead(frozenset({"content"}), _frozen_employees),
    withheld=Withheld(
        # The named workforce with categories and determinants, and the CMR list: health data,
        # not for those who read the declaration for its amounts only (Billing).
        {"workforce": Right.READ_WORKFORCE, "cmrExposures": Right.READ_CMR},
        _confirmations_without,
    ),
)
READS_TRANSMITTED_CMR = Rule(
    Right.READ_CMR,
    scope=Scope(member="member_id"),
    health=HealthRead(frozenset({"content"}), _frozen_employees),
)


@strawberry.type(description="La liste CMR telle que transmise avec une déclaration confirmée.")
class TransmittedCmrList:
    year: int
    edition: int
    confirmed_on: date
    content_hash: str = strawberry.field(description="Empreinte de la déclaration transmise.")
    intact: bool
    content: JSON = strawberry.field(
        description="Les lignes de la liste (cmrExposures) : salarié, agent, voies, degré, dates ;"
        " champs nommés en camelCase."
    )


@strawberry.type
class DeclarationQueries:
    @query("Les campagnes de déclaration, de la plus récente.", SIGNED_IN)
    async def campaigns(self, info: GraphQLInfo) -> list[Campaign]:
        rows = await blocking(info.context.services.declarations.campaigns)
        return [converted(Campaign, row) for row in rows]

    @query("Les déclarations d'un adhérent, une par campagne, avec leur statut.", READS_DECLARATION)
    async def declarations(self, info: GraphQLInfo, member_id: UUID) -> list[Declaration]:
        queries, today = info.context.services.declarations, info.context.services.clock.today()
        rows = await blocking(lambda: queries.declarations_of(member_id, today))
        return [Declaration.of(row) for row in rows]

    @query("La déclaration d'un adhérent pour une année : étapes et réponses.", READS_DECLARATION)
    async def declaration(
        self, info: GraphQLInfo, member_id: UUID, year: int
    ) -> Declaration | None:
        queries = info.context.services.declarations
        row = await blocking(lambda: queries.declaration(member_id, year))
        return None if row is None else Declaration.of(row)

    @query("Le récapitulatif de l'étape 10 : effectifs et montants.", READS_DECLARATION)
    async def declaration_recap(
        self, info: GraphQLInfo, member_id: UUID, year: int
    ) -> Recap | None:
        services = info.context.services

        def read() -> Recap | None:
            campaign = services.declarations.campaign(year)
            declaration = services.declarations.declaration(member_id, year)
            if campaign is None or declaration is None:
                return None
            tool = declaration.tool_price if declaration.tool_subscribed else None
            totals = recap(
                services.headcounts,
                member_id,
                today=services.clock.today(),
                reference_date=campaign.reference_date,
                rate_per_capita=Money(campaign.rate_per_capita),
                tool_price=None if tool is None else Money(tool),
            )
            return Recap.of(totals)

        return await blocking(read)

    @query(
        "Les versions confirmées d'une déclaration, telles que transmises (copie et empreinte).",
        READS_CONFIRMATIONS,
    )
    async def declaration_confirmations(
        self, info: GraphQLInfo, member_id: UUID, year: int
    ) -> list[Confirmation]:
        queries = info.context.services.declarations
        rows = await blocking(
            lambda: [(row, queries.opened(row)) for row in queries.confirmations(member_id, year)]
        )
        return [Confirmation.of(row, opened) for row, opened in rows]

    @query(
        "La liste CMR (décret 2024-307) transmise avec une version confirmée, gardée 40 ans.",
        READS_TRANSMITTED_CMR,
    )
    async def transmitted_cmr_list(
        self, info: GraphQLInfo, member_id: UUID, year: int, edition: int = 1
    ) -> TransmittedCmrList | None:
        queries = info.context.services.declarations
        row = await blocking(lambda: queries.confirmation(member_id, year, edition))
        opened = None if row is None else await blocking(lambda: queries.opened(row))
        if row is None or opened is None:
            return None
        content = msgspec.json.decode(opened)
        return converted(
            TransmittedCmrList,
            row,
            confirmed_on=row.confirmed_at.date(),
            intact=intact(row),
            content=client_copy({"cmr_exposures": content.get("cmr_exposures", [])}),
        )

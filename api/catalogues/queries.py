"""Queries of the catalogues of the annual declaration, and what they say about one member.

The catalogues are reference data, the same for every member: anyone signed in reads them. The
risks suggested to a member come from its employees' jobs (read model WORKFORCE) less the risks
its declaration of the year already added or declined (read model DECLARATIONS); who is assigned
to each work situation are health data, read by those who see the workforce, and logged.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

import strawberry

from api.authorization import SIGNED_IN, HealthRead, Rule, Scope, query
from api.catalogues.types import (
    AssignedEmployee,
    CatalogueSource,
    CmrAgent,
    PreventionTheme,
    Risk,
    RiskFamily,
    SuggestedAction,
    WorkSituation,
    WorkSituationAssignment,
)
from api.context import GraphQLInfo
from api.from_structs import converted
from api.pagination import page_size
from api.services import Services
from api.threads import blocking
from domain.accounts.access import Right
from domain.catalogues import model
from domain.catalogues.catalogue import Catalogues
from domain.catalogues.suggestions import suggest_risks, word_key
from domain.errors import NotFound
from projections.declaration.declared import active_employees

CMR_PAGE = 20


def _assigned_employees(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    return [employee.id for assignment in result for employee in assignment.employees]


READS_SUGGESTIONS = Rule(Right.READ_DECLARATION, scope=Scope(member="member_id"))
READS_ASSIGNMENTS = Rule(
    Right.READ_WORKFORCE,
    scope=Scope(member="member_id"),
    health=HealthRead(None, _assigned_employees),
)


def matching_situations(catalogues: Catalogues, search: str | None) -> list[model.WorkSituation]:
    """The work situations whose heading or label hold every word searched, as the start or
    the middle of a word, accents, case and punctuation aside (« psy » finds the psychosocial
    risks); every situation for a blank search."""
    words = word_key(search or "").split()
    return [
        situation
        for situation in catalogues.work_situations
        if all(word in word_key(f"{situation.group} {situation.label}") for word in words)
    ]


def suggested_risks(services: Services, member_id: UUID, year: int) -> list[model.Risk]:
    """Risks suggested for the jobs (title, PCS-ESE code) of the member's employees under
    contract today, less those its declaration of `year` already added or declined."""
    catalogues = services.app.catalogue()
    employees = active_employees(services.workforce, member_id, services.clock.today())
    suggested = suggest_risks(catalogues, [(e.job_title or "", e.pcs_code) for e in employees])
    declaration = services.declarations.declaration(member_id, year)
    taken = set() if declaration is None else {*declaration.risks, *declaration.declined_risks}
    return [risk for risk in suggested if risk.code not in taken]


def situation_assignments(
    services: Services, member_id: UUID, today: date
) -> list[WorkSituationAssignment]:
    """Per work situation of the catalogue, the member's employees under contract with its
    determinant in force on `today` (for a situation that informs only, its
    `REPORTED_SITUATION`); situations without any are left out."""
    employees = active_employees(services.workforce, member_id, today)
    assignments = []
    for situation in services.app.catalogue().work_situations:
        determinant, reported = situation.declares
        in_force = (
            AssignedEmployee.of(row, determinant, today, reported)
            for row in employees
            if determinant.value in row.determinants
        )
        assigned = [e for e in in_force if reported is None or e.since is not None]
        if assigned:
            assignments.append(
                WorkSituationAssignment(
                    situation=WorkSituation.of(situation, today), employees=assigned
                )
            )
    return assignments


@strawberry.type
class CatalogueQueries:
    @query("Les risques professionnels, famille par famille (étape 5).", SIGNED_IN)
    async def risk_catalogue(self, info: GraphQLInfo) -> list[RiskFamily]:
        catalogues = await blocking(info.context.services.app.catalogue)
        return [converted(RiskFamily, family) for family in catalogues.families]

    @query("Les thèmes des informations de prévention et leurs questions (étape 4).", SIGNED_IN)
    async def prevention_questionnaire(self, info: GraphQLInfo) -> list[PreventionTheme]:
        catalogues = await blocking(info.context.services.app.catalogue)
        return [converted(PreventionTheme, theme) for theme in catalogues.prevention_themes]

    @query(
        "Les situations de travail de l'étape 9 ; `search` : mots de la rubrique ou du libellé,"
        " sans tenir compte des accents (« psy ») ; `validOn` : la date des catégories"
        " (aujourd'hui par défaut).",
        SIGNED_IN,
    )
    async def work_situations(
        self, info: GraphQLInfo, search: str | None = None, valid_on: date | None = None
    ) -> list[WorkSituation]:
        services = info.context.services
        catalogues = await blocking(services.app.catalogue)
        on = valid_on or services.clock.today()
        return [WorkSituation.of(s, on) for s in matching_situations(catalogues, search)]

    @query(
        "Agents CMR du catalogue par nom (français ou anglais, sans accents) ou par début de"
        " numéro CAS (« 71-43 », « 7143 »).",
        SIGNED_IN,
    )
    async def cmr_agents(
        self, info: GraphQLInfo, search: str, first: int = CMR_PAGE
    ) -> list[CmrAgent]:
        size = page_size(first)
        catalogues = await blocking(info.context.services.app.catalogue)
        return [CmrAgent.of(agent) for agent in catalogues.search_cmr(search)[:size]]

    @query(
        "Actions de prévention suggérées pour un risque (étape 8) ; aucune pour un code inconnu.",
        SIGNED_IN,
    )
    async def suggested_actions(self, info: GraphQLInfo, risk_code: str) -> list[SuggestedAction]:
        catalogues = await blocking(info.context.services.app.catalogue)
        try:
            actions = catalogues.suggested_actions(risk_code)
        except NotFound:
            return []
        return [converted(SuggestedAction, action) for action in actions]

    @query(
        "La source de chaque catalogue, s'il contient des lignes à relire, et ce que le service"
        " y a ajouté, modifié et retiré.",
        SIGNED_IN,
    )
    async def catalogue_sources(self, info: GraphQLInfo) -> list[CatalogueSource]:
        catalogues = await blocking(info.context.services.app.catalogue)
        return [
            CatalogueSource.of(name, source, catalogues.edit_counts(name))
            for name, source in catalogues.sources.items()
        ]

    @query(
        "Étape 5 : les risques suggérés d'après les postes (intitulé, code PCS-ESE) des salariés"
        " présents aujourd'hui, hors ceux que la déclaration de l'année a déjà ajoutés ou"
        " déclinés.",
        READS_SUGGESTIONS,
    )
    async def risk_suggestions(self, info: GraphQLInfo, member_id: UUID, year: int) -> list[Risk]:
        services = info.context.services
        risks = await blocking(lambda: suggested_risks(services, member_id, year))
        return [converted(Risk, risk) for risk in risks]

    @query(
        "Étape 9 : pour chaque situation de travail, les salariés présents qui y sont affectés"
        " aujourd'hui (déterminant de suivi en vigueur), avec leur catégorie.",
        READS_ASSIGNMENTS,
    )
    async def work_situation_assignments(
        self, info: GraphQLInfo, member_id: UUID
    ) -> list[WorkSituationAssignment]:
        services = info.context.services
        today = services.clock.today()
        return await blocking(lambda: situation_assignments(services, member_id, today))

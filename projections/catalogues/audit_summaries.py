"""Audit summaries of the service's edits of the catalogues (each names its source)."""

from typing import Any

from projections.catalogues.former_labels import theme_label
from projections.summaries import Summaries


def _agent(agent: Any) -> str:
    return agent.name if agent.cas_number is None else f"{agent.name} ({agent.cas_number})"


def _situation_determinant(determinant: Any) -> str:
    if determinant is None:
        return "sans déterminant de suivi"
    return f"déterminant « {determinant.label} »"


SUMMARIES: Summaries = {
    "CatalogueEditsStarted": lambda e: "Première modification des catalogues par le service",
    "CatalogueRiskAdded": lambda e: (
        f"Risque ajouté au catalogue : {e.risk.label} ({e.risk.code}) ; source : {e.risk.source}"
    ),
    "CatalogueRiskChanged": lambda e: (
        f"Risque {e.risk_change.code} du catalogue modifié : {e.risk_change.label} ;"
        f" source : {e.risk_change.source}"
    ),
    "CatalogueRiskRetired": lambda e: f"Risque {e.code} retiré du catalogue ; source : {e.source}",
    "CatalogueSuggestedActionAdded": lambda e: (
        f"Action suggérée ajoutée au risque {e.action.risk_code} : {e.action.label} ;"
        f" source : {e.action.source}"
    ),
    "CatalogueCmrAgentAdded": lambda e: (
        f"Agent CMR ajouté au catalogue : {_agent(e.agent)} ; source : {e.agent.source}"
    ),
    "CatalogueCmrAgentRetired": lambda e: (
        f"Agent CMR retiré du catalogue : {_agent(e.agent)} ; source : {e.source}"
    ),
    "CatalogueWorkSituationAdded": lambda e: (
        f"Situation de travail ajoutée au catalogue : {e.situation.label} ({e.situation.code}),"
        f" rubrique « {e.situation.heading} », {_situation_determinant(e.situation.determinant)} ;"
        f" source : {e.situation.source}"
    ),
    "CatalogueWorkSituationRetired": lambda e: (
        f"Situation de travail {e.code} retirée du catalogue ; source : {e.source}"
    ),
    "CataloguePcsOccupationAdded": lambda e: (
        f"Profession PCS-ESE ajoutée au catalogue : {e.occupation.code} {e.occupation.label} ;"
        f" source : {e.occupation.source}"
    ),
    "CataloguePcsOccupationRetired": lambda e: (
        f"Profession PCS-ESE {e.code} retirée du catalogue ; source : {e.source}"
    ),
    "CataloguePreventionQuestionAdded": lambda e: (
        f"Question {'obligatoire' if e.question.required else 'facultative'} ajoutée au thème"
        f" « {theme_label(e, e.question.theme_code)} » : {e.question.label}"
        f" ({e.question.question_id}) ; source : {e.question.source}"
    ),
    "CataloguePreventionQuestionRetired": lambda e: (
        f"Question {e.question.question_id} retirée du thème"
        f" « {theme_label(e, e.question.theme_code)} » ; source : {e.source}"
    ),
}

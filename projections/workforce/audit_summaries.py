"""Audit summaries of an employee's events: never the person's name, so that an erasure has no
summary to rewrite."""

from typing import Any

from domain.workforce.employment import ContractTerms
from projections.summaries import Summaries, french_date


def _terms(terms: ContractTerms) -> str:
    return f"{terms.contract_type.label}, {terms.job_title}"


def _contract(what: str, event: Any) -> str:
    contract = event.contract
    return f"{what} ({_terms(contract.terms)}) le {french_date(contract.hire_date)}"


def _determinant_declared(event: Any) -> str:
    period = event.determinant
    if period is None:
        return "Déterminant de suivi déclaré"
    ended = f" jusqu'au {french_date(period.ended_on)}" if period.ended_on else ""
    return (
        f"Déterminant de suivi déclaré : {period.situation or period.determinant.label}"
        f" à partir du {french_date(period.started_on)}{ended}"
    )


def _exposure_recorded(event: Any) -> str:
    exposure = event.exposure
    if exposure is None:
        return "Exposition CMR enregistrée"
    agent = exposure.agent
    cas = f" ({agent.cas_number})" if agent.cas_number else ""
    ended = f" jusqu'au {french_date(exposure.ended_on)}" if exposure.ended_on else ""
    return (
        f"Exposition CMR enregistrée : {agent.name}{cas}"
        f" à partir du {french_date(exposure.started_on)}{ended}"
    )


SUMMARIES: Summaries = {
    "Hired": lambda e: _contract("Embauche", e),
    "IdentityCorrected": lambda e: "Identité corrigée",
    "IdentityErased": lambda e: "Identité effacée (droit à l'effacement)",
    "RetentionEnded": lambda e: f"Données du salarié détruites ({e.reason})",
    "ContractAmended": lambda e: (
        f"Contrat n° {e.contract_number} modifié à compter du {french_date(e.effective_on)}"
        f" ({_terms(e.terms)})"
    ),
    "ContractCorrected": lambda e: (
        f"Contrat n° {e.contract_number} corrigé : embauche le {french_date(e.hire_date)}"
        f" ({_terms(e.terms)})"
    ),
    "ContractClosed": lambda e: (
        f"Sortie du salarié le {french_date(e.last_day)} ({e.reason.label})"
    ),
    "Rehired": lambda e: _contract("Réembauche", e),
    "FollowUpDeterminantDeclared": _determinant_declared,
    "FollowUpDeterminantWithdrawn": lambda e: (
        f"Fin du déterminant de suivi n° {e.determinant_id} le {french_date(e.last_day)}"
    ),
    "FollowUpDeterminantRetracted": lambda e: (
        f"Déterminant de suivi n° {e.determinant_id} retiré (saisi par erreur)"
    ),
    "CmrExposureRecorded": _exposure_recorded,
    "CmrExposureEnded": lambda e: (
        f"Fin de l'exposition CMR n° {e.exposure_id} le {french_date(e.last_day)}"
    ),
    "CmrExposureWithdrawn": lambda e: (
        f"Exposition CMR n° {e.exposure_id} retirée (saisie par erreur)"
    ),
}

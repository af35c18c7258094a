"""Which substance an exposure may name: one of the catalogue's CMR agents (the shipped ones and
those the service added), under a name that agrees with its CAS number — so that water
(7732-18-5), or « Benzène » with formaldehyde's number, never reaches the list of exposed
workers (décret n° 2024-307)."""

from collections.abc import Iterable
from difflib import SequenceMatcher

from domain.catalogues.model import CmrAgentEntry
from domain.errors import InvalidValue
from domain.search import search_key
from domain.text import shown
from domain.workforce.health import AgentKind, CmrAgent

SHOWN_NAME = 60
SAME_NAME = 0.85
"""How alike two names must be (difflib's ratio, accents and case aside) to be one substance's:
« Trichloréthylène » and « Trichloroéthylène » are (0.97), « Benzène » and « Formaldéhyde » are
not."""


def catalogued(agent: CmrAgent, agents: Iterable[CmrAgentEntry]) -> CmrAgent:
    """`agent`, checked when it is a substance (a process is left as it was given). Refused: a
    CAS number the catalogue lacks, a name unlike the substance of that number's (its French or
    English name, spelt alike: see `SAME_NAME`)."""
    if agent.kind is not AgentKind.SUBSTANCE or agent.cas_number is None:
        return agent
    entries = [e for e in agents if e.cas_number == agent.cas_number]
    if not entries:
        raise InvalidValue(
            f"Le numéro CAS {agent.cas_number} n'est celui d'aucun agent CMR du catalogue"
            " (substances cancérogènes, mutagènes ou toxiques pour la reproduction de catégorie"
            " 1A ou 1B) : vérifiez-le, ou demandez au service d'ajouter la substance.",
            code="AGENT_NOT_IN_CATALOGUE",
            field="cas_number",
        )
    name = search_key(agent.name)
    for entry in entries:
        for known in (entry.name, entry.name_en):
            if SequenceMatcher(None, name, search_key(known)).ratio() >= SAME_NAME:
                return agent
    raise InvalidValue(
        f"Le numéro CAS {agent.cas_number} est celui de « {shown(entries[0].name, SHOWN_NAME)} »,"
        " pas de la substance nommée : corrigez le nom ou le numéro.",
        code="AGENT_NAME_CAS_MISMATCH",
        field="name",
    )

"""Edits of the CMR agents: a substance with its CAS number, or a process (without one), added
or retired; what each edit records, once checked against the shipped catalogue and the edits
made so far."""

from domain.catalogues.edited import EditedCatalogue
from domain.catalogues.entries import (
    HAZARD_LIMIT,
    NAME_LIMIT,
    CatalogueCmrAgent,
    ShippedCatalogue,
    cas_number_of,
    same,
    source_text,
)
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.text import SHOWN_CODE, optional_text, required_text, shown
from domain.workforce.health import AgentKind, CmrAgent


def new_cmr_agent(  # noqa: PLR0917 (the agent's fields)
    edited: EditedCatalogue,
    shipped: ShippedCatalogue,
    kind: AgentKind,
    name: str,
    name_en: str | None,
    cas_number: str | None,
    clp_hazard: str,
    source: str,
) -> CatalogueCmrAgent:
    name = required_text(name, "name", "Le nom de l'agent", NAME_LIMIT)
    cas = cas_number_of(cas_number)
    agent = CmrAgent(kind, name, cas).validated()
    english = optional_text(name_en, "name_en", "Le nom anglais", NAME_LIMIT)
    clp_hazard = required_text(clp_hazard, "clp_hazard", "La classification CLP", HAZARD_LIMIT)
    source = source_text(source)
    for known in edited.known_agents(shipped):
        retired = " (retiré du catalogue)" if known.agent in edited.retired_cmr_agents else ""
        if cas is not None and known.cas_number == cas:
            raise RuleViolation(
                f"Le numéro CAS {cas} est déjà celui de « {known.name} »{retired}.",
                code="DUPLICATE_CAS_NUMBER",
                field="cas_number",
            )
        if same(known.name, agent.name):
            raise RuleViolation(
                f"L'agent « {known.name} » est déjà au catalogue{retired}.",
                code="DUPLICATE_CMR_AGENT",
                field="name",
            )
    return CatalogueCmrAgent(kind, agent.name, english, cas, clp_hazard, source)


def agent_to_retire(
    edited: EditedCatalogue, shipped: ShippedCatalogue, cas_number: str | None, name: str | None
) -> CmrAgent:
    """The agent named by its CAS number (a substance) or by its name (either kind)."""
    by_cas = cas_number is not None and bool(cas_number.strip())
    by_name = name is not None and bool(name.strip())
    if by_cas == by_name:
        raise InvalidValue(
            "Désignez l'agent CMR par son numéro CAS ou par son nom, l'un ou l'autre.",
            code="AGENT_REQUIRED",
            field="cas_number",
        )
    cas = cas_number_of(cas_number) if by_cas else None
    found = next(
        (
            known
            for known in edited.known_agents(shipped)
            if (known.cas_number == cas if by_cas else same(known.name, name or ""))
        ),
        None,
    )
    if found is None:
        raise NotFound(
            f"L'agent CMR « {shown(cas or name, SHOWN_CODE)} » n'existe pas dans le catalogue.",
            code="UNKNOWN_CMR_AGENT",
            field="cas_number" if by_cas else "name",
        )
    if found.agent in edited.retired_cmr_agents:
        raise RuleViolation(
            f"L'agent CMR « {found.name} » est déjà retiré du catalogue.",
            code="CMR_AGENT_ALREADY_RETIRED",
        )
    return found.agent

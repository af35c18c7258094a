"""The catalogues of the annual declaration, as one immutable object to query.

Built by `catalogues.loader.load_catalogues`, which has checked every code and cross-reference:
the queries here trust their data and only refuse what callers name wrongly.
"""

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from catalogues.model import (
    CmrAgentEntry,
    PcsOccupation,
    PreventionTheme,
    Risk,
    RiskFamily,
    RiskSuggestion,
    Source,
    SuggestedAction,
    WorkSituation,
)
from domain.errors import NotFound
from domain.identifiers import PcsCode
from projections.text import search_key

_SPACES: Final = re.compile(r"\s+")
_CAS_PREFIX: Final = re.compile(r"[0-9][0-9-]*")


class Catalogues:
    """Risks by family, suggested actions, work situations, prevention themes, CMR agents,
    PCS-ESE occupations and job-to-risk suggestions, each in the order of its data file (risks
    family after family).

    Immutable: tuples and read-only mappings, nothing changes after loading.
    """

    __slots__ = (
        "_actions_by_risk",
        "_cmr_agents",
        "_cmr_keys",
        "_families",
        "_pcs",
        "_risk_suggestions",
        "_risks",
        "_situations",
        "_sources",
        "_themes",
    )

    def __init__(
        self,
        *,
        sources: Mapping[str, Source],
        families: Iterable[RiskFamily],
        suggested_actions: Iterable[SuggestedAction],
        work_situations: Iterable[WorkSituation],
        prevention_themes: Iterable[PreventionTheme],
        cmr_agents: Iterable[CmrAgentEntry],
        pcs_occupations: Iterable[PcsOccupation],
        risk_suggestions: Iterable[RiskSuggestion],
    ) -> None:
        self._sources = MappingProxyType(dict(sources))
        self._families = tuple(families)
        self._risks = MappingProxyType({r.code: r for f in self._families for r in f.risks})
        actions: dict[str, list[SuggestedAction]] = {code: [] for code in self._risks}
        for action in suggested_actions:
            actions[action.risk_code].append(action)
        self._actions_by_risk = MappingProxyType({k: tuple(v) for k, v in actions.items()})
        self._situations = MappingProxyType({s.code: s for s in work_situations})
        self._themes = MappingProxyType({theme.code: theme for theme in prevention_themes})
        self._cmr_agents = tuple(cmr_agents)
        self._cmr_keys = tuple(search_key(f"{a.name} {a.name_en}") for a in self._cmr_agents)
        self._pcs = MappingProxyType(
            {occupation.code: occupation for occupation in pcs_occupations}
        )
        self._risk_suggestions = tuple(risk_suggestions)

    @property
    def sources(self) -> Mapping[str, Source]:
        """Source of each data file, by file name (« risks.csv »…)."""
        return self._sources

    @property
    def risks(self) -> tuple[Risk, ...]:
        """Every risk, family after family."""
        return tuple(self._risks.values())

    @property
    def families(self) -> tuple[RiskFamily, ...]:
        return self._families

    def risk(self, code: str) -> Risk:
        try:
            return self._risks[code]
        except KeyError:
            raise NotFound(
                f"Le risque « {code} » n'existe pas dans le catalogue.", code="UNKNOWN_RISK"
            ) from None

    def suggested_actions(self, risk_code: str) -> tuple[SuggestedAction, ...]:
        """Actions de prévention suggérées pour ce risque (possibly none)."""
        return self._actions_by_risk[self.risk(risk_code).code]

    @property
    def work_situations(self) -> tuple[WorkSituation, ...]:
        return tuple(self._situations.values())

    def work_situation(self, code: str) -> WorkSituation:
        try:
            return self._situations[code]
        except KeyError:
            raise NotFound(
                f"La situation de travail « {code} » n'existe pas dans le catalogue.",
                code="UNKNOWN_WORK_SITUATION",
            ) from None

    @property
    def prevention_themes(self) -> tuple[PreventionTheme, ...]:
        return tuple(self._themes.values())

    def prevention_theme(self, code: str) -> PreventionTheme:
        try:
            return self._themes[code]
        except KeyError:
            raise NotFound(
                f"Le thème de prévention « {code} » n'existe pas.", code="UNKNOWN_THEME"
            ) from None

    @property
    def cmr_agents(self) -> tuple[CmrAgentEntry, ...]:
        return self._cmr_agents

    def search_cmr(self, text: str) -> tuple[CmrAgentEntry, ...]:
        """Agents whose name (French or English) holds every word of `text`, accents and case
        aside, or, when `text` is only digits and dashes, whose CAS number starts with it: "71-43"
        as written, "7143" without the dashes. Nothing for a blank text."""
        query = _SPACES.sub("", text)
        if not query:
            return ()
        if _CAS_PREFIX.fullmatch(query):
            return tuple(a for a in self._cmr_agents if _cas_starts_with(a, query))
        words = search_key(text).split()
        return tuple(
            agent
            for agent, key in zip(self._cmr_agents, self._cmr_keys, strict=True)
            if all(word in key for word in words)
        )

    @property
    def pcs_occupations(self) -> tuple[PcsOccupation, ...]:
        return tuple(self._pcs.values())

    def pcs(self, code: str) -> PcsOccupation | None:
        """The occupation of a PCS-ESE code; `None` for a well-formed code the catalogue lacks
        (it holds only part of the nomenclature). Raises `InvalidValue` for a malformed code."""
        return self._pcs.get(PcsCode(code))

    @property
    def risk_suggestions(self) -> tuple[RiskSuggestion, ...]:
        return self._risk_suggestions


def _cas_starts_with(agent: CmrAgentEntry, query: str) -> bool:
    if agent.cas_number is None:
        return False
    number = str(agent.cas_number)
    return number.startswith(query) if "-" in query else number.replace("-", "").startswith(query)

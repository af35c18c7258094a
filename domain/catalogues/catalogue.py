"""The catalogues of the annual declaration, as one immutable object to query.

Built by `application.catalogues.loader.load_catalogues`, which has checked every code and
cross-reference:
the queries here trust their data and only refuse what callers name wrongly.
"""

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from domain.catalogues.edits import CatalogueEdits
from domain.catalogues.entries import ADDED_BY_SERVICE, CHANGED_BY_SERVICE
from domain.catalogues.model import (
    CMR_AGENTS,
    PCS_ESE,
    PREVENTION_QUESTIONNAIRE,
    RISKS,
    SUGGESTED_ACTIONS,
    WORK_SITUATIONS,
    CmrAgentEntry,
    EditCounts,
    PcsOccupation,
    PreventionTheme,
    Question,
    Risk,
    RiskFamily,
    RiskSuggestion,
    Source,
    SuggestedAction,
    WorkSituation,
)
from domain.errors import NotFound
from domain.identifiers import PcsCode
from domain.search import search_key
from domain.text import SHOWN_CODE, shown

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
        "_edit_counts",
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
        edit_counts: Mapping[str, EditCounts] | None = None,
    ) -> None:
        self._sources = MappingProxyType(dict(sources))
        self._edit_counts = MappingProxyType(dict(edit_counts or {}))
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

    def edit_counts(self, catalogue: str) -> EditCounts:
        """What the service's staff added, changed and retired in a catalogue (by file name,
        « risks.csv »…): nothing in the shipped catalogues."""
        return self._edit_counts.get(catalogue, EditCounts())

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
                f"Le risque « {shown(code, SHOWN_CODE)} » n'existe pas dans le catalogue.",
                code="UNKNOWN_RISK",
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
                f"La situation de travail « {shown(code, SHOWN_CODE)} » n'existe pas dans le"
                " catalogue.",
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
                f"Le thème de prévention « {shown(code, SHOWN_CODE)} » n'existe pas.",
                code="UNKNOWN_THEME",
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

    def with_edits(self, edits: CatalogueEdits) -> "Catalogues":
        """These catalogues as the service's edits leave them: added risks at the end of their
        family, suggested actions at the end of their risk's, agents and occupations at the end
        of their list, work situations after the last one of their heading (at the end for a
        new heading), questions at the end of their theme, each with the source the staff
        member named (« Ajouté par le service : … »); changed risks with their new label and
        description (« Modifié par le service : … »); retired risks, agents, situations,
        occupations and questions left out, with the actions and job suggestions of those
        risks, and a family left without risks. An edit naming a family or a theme these
        catalogues lack is left out. The job suggestions by PCS-ESE code stay as they are:
        they match the codes of the jobs, whichever occupations the catalogue lists.
        """
        retired = frozenset(edits.retired_risks)
        changes = {change.code: change for change in edits.risk_changes}
        added: dict[str, list[Risk]] = {}
        for new in edits.added_risks:
            added.setdefault(new.family_code, []).append(
                Risk(
                    code=new.code,
                    family_code=new.family_code,
                    label=new.label,
                    description=new.description,
                    source=ADDED_BY_SERVICE.format(source=new.source),
                )
            )
        families = []
        for family in self._families:
            risks = tuple(
                risk
                if risk.code not in changes
                else Risk(
                    code=risk.code,
                    family_code=risk.family_code,
                    label=changes[risk.code].label,
                    description=changes[risk.code].description,
                    source=CHANGED_BY_SERVICE.format(source=changes[risk.code].source),
                )
                for risk in (*family.risks, *added.get(family.code, ()))
                if risk.code not in retired
            )
            if risks:
                families.append(RiskFamily(code=family.code, label=family.label, risks=risks))
        offered = {risk.code for family in families for risk in family.risks}
        actions = [
            *(action for actions in self._actions_by_risk.values() for action in actions),
            *(
                SuggestedAction(
                    code=action.code,
                    risk_code=action.risk_code,
                    label=action.label,
                    source=ADDED_BY_SERVICE.format(source=action.source),
                )
                for action in edits.added_actions
            ),
        ]
        retired_agents = frozenset(edits.retired_cmr_agents)
        agents = [
            *self._cmr_agents,
            *(
                CmrAgentEntry(
                    kind=agent.kind,
                    name=agent.name,
                    name_en=agent.name_en or "",
                    cas_number=agent.cas_number,
                    clp_hazard=agent.clp_hazard,
                    source=ADDED_BY_SERVICE.format(source=agent.source),
                )
                for agent in edits.added_cmr_agents
            ),
        ]
        retired_occupations = frozenset(edits.retired_occupations)
        occupations = [
            *self._pcs.values(),
            *(
                PcsOccupation(
                    occupation.code,
                    occupation.label,
                    ADDED_BY_SERVICE.format(source=occupation.source),
                )
                for occupation in edits.added_occupations
            ),
        ]
        return Catalogues(
            sources=self._sources,
            families=families,
            suggested_actions=[a for a in actions if a.risk_code in offered],
            work_situations=self._situations_with(edits),
            prevention_themes=self._themes_with(edits),
            cmr_agents=[a for a in agents if a.agent not in retired_agents],
            pcs_occupations=[o for o in occupations if o.code not in retired_occupations],
            risk_suggestions=[s for s in self._risk_suggestions if s.risk_code in offered],
            edit_counts=_edit_counts(edits),
        )

    def _situations_with(self, edits: CatalogueEdits) -> list[WorkSituation]:
        situations = list(self._situations.values())
        for new in edits.added_situations:
            situation = WorkSituation(
                code=new.code,
                group=new.heading,
                label=new.label,
                determinant=new.determinant,
                source=ADDED_BY_SERVICE.format(source=new.source),
            )
            last = max(
                (i for i, known in enumerate(situations) if known.group == new.heading),
                default=len(situations) - 1,
            )
            situations.insert(last + 1, situation)
        retired = frozenset(edits.retired_situations)
        return [situation for situation in situations if situation.code not in retired]

    def _themes_with(self, edits: CatalogueEdits) -> list[PreventionTheme]:
        retired = {(q.theme_code, q.question_id) for q in edits.retired_questions}
        added: dict[str, list[Question]] = {}
        for new in edits.added_questions:
            added.setdefault(new.theme_code, []).append(
                Question(
                    id=new.question_id,
                    label=new.label,
                    kind=new.kind,
                    required=new.required,
                    choices=new.choices,
                    integer=new.integer,
                    minimum=new.minimum,
                    maximum=new.maximum,
                )
            )
        return [
            PreventionTheme(
                code=theme.code,
                label=theme.label,
                questions=tuple(
                    question
                    for question in (*theme.questions, *added.get(theme.code, ()))
                    if (theme.code, question.id) not in retired
                ),
            )
            for theme in self._themes.values()
        ]


def _edit_counts(edits: CatalogueEdits) -> dict[str, EditCounts]:
    """Entries added, changed (once each, however often) and retired, by catalogue."""
    return {
        RISKS: EditCounts(
            added=len(edits.added_risks),
            changed=len(edits.risk_changes),
            retired=len(edits.retired_risks),
        ),
        SUGGESTED_ACTIONS: EditCounts(added=len(edits.added_actions)),
        CMR_AGENTS: EditCounts(
            added=len(edits.added_cmr_agents), retired=len(edits.retired_cmr_agents)
        ),
        WORK_SITUATIONS: EditCounts(
            added=len(edits.added_situations), retired=len(edits.retired_situations)
        ),
        PCS_ESE: EditCounts(
            added=len(edits.added_occupations), retired=len(edits.retired_occupations)
        ),
        PREVENTION_QUESTIONNAIRE: EditCounts(
            added=len(edits.added_questions), retired=len(edits.retired_questions)
        ),
    }


def _cas_starts_with(agent: CmrAgentEntry, query: str) -> bool:
    if agent.cas_number is None:
        return False
    number = str(agent.cas_number)
    return number.startswith(query) if "-" in query else number.replace("-", "").startswith(query)

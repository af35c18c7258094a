"""Entries of the catalogues: immutable records read from the data files of
`application.catalogues.data`.

Each row names its source. Rows written for this product, not taken from a published list, say
so with the word « provisoire » in their source, so that the service can review them before
relying on them; `Source.provisional` says the same of a whole file.
"""

from datetime import date
from typing import Final

import msgspec

from domain.catalogues.question_kinds import QuestionKind
from domain.errors import InvalidValue
from domain.identifiers import CasNumber, PcsCode
from domain.text import SHOWN_CODE, shown
from domain.workforce.follow_up import (
    CURRENT_RULES,
    FollowUp,
    FollowUpDeterminant,
    FollowUpRules,
    assess_follow_up,
)
from domain.workforce.health import AgentKind, CmrAgent

PROVISIONAL: Final = "provisoire"
"""The word that marks a row written for this product rather than taken from a source."""

CMR_AGENTS: Final = "cmr_agents.csv"
RISKS: Final = "risks.csv"
PREVENTION_QUESTIONNAIRE: Final = "prevention_questionnaire.json"
SUGGESTED_ACTIONS: Final = "suggested_actions.csv"
WORK_SITUATIONS: Final = "work_situations.csv"
PCS_ESE: Final = "pcs_ese.csv"
RISK_SUGGESTIONS: Final = "risk_suggestions.csv"
CATALOGUE_FILES: Final = (
    CMR_AGENTS,
    RISKS,
    PREVENTION_QUESTIONNAIRE,
    SUGGESTED_ACTIONS,
    WORK_SITUATIONS,
    PCS_ESE,
    RISK_SUGGESTIONS,
)
"""The data file of each catalogue, the name its source and its edits are known by."""


def is_provisional(source: str) -> bool:
    return PROVISIONAL in source


class Source(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Where a catalogue file comes from, and whether some of it still needs review."""

    text: str = msgspec.field(name="source")
    provisional: bool


class EditCounts(msgspec.Struct, frozen=True, kw_only=True):
    """How many entries of a catalogue the service's staff added, changed and retired (an entry
    changed several times counts once; one added then retired counts in both)."""

    added: int = 0
    changed: int = 0
    retired: int = 0

    @property
    def edited(self) -> bool:
        return (self.added, self.changed, self.retired) != (0, 0, 0)


class Risk(msgspec.Struct, frozen=True, kw_only=True):
    """Risque professionnel, as offered at step 5 of the declaration (« Ambiance sonore »…)."""

    code: str
    family_code: str
    label: str
    description: str
    source: str

    @property
    def provisional(self) -> bool:
        return is_provisional(self.source)


class RiskFamily(msgspec.Struct, frozen=True, kw_only=True):
    """Famille de risques (« Risques biomécaniques »…), the heading the portal groups risks by."""

    code: str
    label: str
    risks: tuple[Risk, ...]


class SuggestedAction(msgspec.Struct, frozen=True, kw_only=True):
    """Action de prévention suggérée pour un risque (step 8 of the declaration)."""

    code: str
    risk_code: str
    label: str
    source: str

    @property
    def provisional(self) -> bool:
        return is_provisional(self.source)


class WorkSituation(msgspec.Struct, frozen=True, kw_only=True):
    """Situation de travail of step 9, under a heading (`group`) as the portal shows it.

    `determinant` is the follow-up determinant the situation declares, or `None` for a situation
    that only informs the service (psychosocial risks…). Its category on a date is the domain's
    dated rule's (`category_on`), never a copy in the catalogue.
    """

    code: str
    group: str
    label: str
    determinant: FollowUpDeterminant | None
    source: str

    @property
    def provisional(self) -> bool:
        return is_provisional(self.source)

    @property
    def declares(self) -> tuple[FollowUpDeterminant, str | None]:
        """What assigning it records: its determinant, or, for a situation that informs only,
        a `REPORTED_SITUATION` naming it by its label."""
        if self.determinant is None:
            return FollowUpDeterminant.REPORTED_SITUATION, self.label
        return self.determinant, None

    def category_on(self, day: date, rules: FollowUpRules = CURRENT_RULES) -> FollowUp | None:
        """The category the situation puts a worker in on `day`; `None` when it puts them in
        none (a situation that informs only, driving authorisations from 1 October 2025…)."""
        return implied_category(self.determinant, day, rules)


_MINOR_AGE: Final = 16


def implied_category(
    determinant: FollowUpDeterminant | None, on: date, rules: FollowUpRules = CURRENT_RULES
) -> FollowUp | None:
    """The category a determinant puts a worker in on `on`; `None` when it takes no effect then.

    `domain.workforce.follow_up` keeps its table private and answers for a worker on a date, so
    this asks it about a minor (regulated work counts for minors only) under the dated `rules`,
    and reads the category of the reason that names the determinant, if any.
    """
    if determinant is None:
        return None
    minor_born_on = date(max(on.year - _MINOR_AGE, date.min.year), 1, 1)
    assessment = assess_follow_up([determinant], minor_born_on, on, rules)
    return next((r.category for r in assessment.reasons if r.determinant is determinant), None)


class CmrAgentEntry(msgspec.Struct, frozen=True, kw_only=True):
    """Agent CMR du catalogue: a substance (CAS number) or a carcinogenic process."""

    kind: AgentKind
    name: str
    name_en: str
    cas_number: CasNumber | None
    clp_hazard: str
    source: str

    @property
    def agent(self) -> CmrAgent:
        """The agent as an exposure records it (décret n° 2024-307)."""
        return CmrAgent(self.kind, self.name, self.cas_number)


class PcsOccupation(msgspec.Struct, frozen=True):
    """Profession of the PCS-ESE nomenclature (INSEE), e.g. 636c « Boulangers, pâtissiers »;
    `source`: that of the data file (`sources.json`), or the one the service named."""

    code: PcsCode
    label: str
    source: str


class RiskSuggestion(msgspec.Struct, frozen=True, kw_only=True):
    """Suggest a risk for the jobs whose PCS-ESE code starts with `pcs_prefix`, or whose title
    has a word starting with `keyword` (a `suggestions.word_key`: lower case, no accents)."""

    pcs_prefix: str | None
    keyword: str | None
    risk_code: str
    source: str

    def matches(self, title_key: str, pcs_code: PcsCode | None) -> bool:
        if self.pcs_prefix is not None:
            return pcs_code is not None and pcs_code.startswith(self.pcs_prefix)
        return f" {self.keyword}" in f" {title_key}"


class Question(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Question of a prevention theme. `choices` for the choice kinds only; `integer`, `min` and
    `max` for numbers only."""

    id: str
    label: str
    kind: QuestionKind
    required: bool
    choices: tuple[str, ...] = ()
    integer: bool = False
    minimum: float | None = msgspec.field(default=None, name="min")
    maximum: float | None = msgspec.field(default=None, name="max")


class PreventionTheme(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One of the six themes of the prevention information (step 4 of the declaration)."""

    code: str
    label: str
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise InvalidValue(
            f"La question « {shown(question_id, SHOWN_CODE)} » n'existe pas dans le thème"
            f" « {self.label} ».",
            code="UNKNOWN_QUESTION",
            field=shown(question_id, SHOWN_CODE),
        )

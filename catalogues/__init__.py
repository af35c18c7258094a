"""Catalogues of the annual declaration: risks by family, suggested prevention actions, work
situations of step 9, the prevention questionnaire of step 4, CMR agents, PCS-ESE occupations
and the job-to-risk suggestions.

They ship as data files naming their source (`catalogues/data/sources.json`), so that the
service can review and extend them without touching code; `default_catalogues()` reads and
checks them once per process.
"""

from catalogues.catalogue import Catalogues
from catalogues.loader import CatalogueError, default_catalogues, load_catalogues
from catalogues.model import (
    CmrAgentEntry,
    PcsOccupation,
    PreventionTheme,
    Question,
    Risk,
    RiskFamily,
    RiskSuggestion,
    Source,
    SuggestedAction,
    WorkSituation,
    implied_category,
)
from catalogues.questionnaire import check_answers, missing_answers
from catalogues.suggestions import suggest_risks
from domain.declaration import Answer
from domain.questionnaire import QuestionKind

__all__ = [
    "Answer",
    "CatalogueError",
    "Catalogues",
    "CmrAgentEntry",
    "PcsOccupation",
    "PreventionTheme",
    "Question",
    "QuestionKind",
    "Risk",
    "RiskFamily",
    "RiskSuggestion",
    "Source",
    "SuggestedAction",
    "WorkSituation",
    "check_answers",
    "default_catalogues",
    "implied_category",
    "load_catalogues",
    "missing_answers",
    "suggest_risks",
]

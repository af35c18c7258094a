"""The entries of the catalogues as their edits know them (shipped, or added by the service),
what the shipped catalogues hold that edits are checked against, and the checks of an entry's
fields."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from domain.catalogues.question_kinds import QuestionKind
from domain.errors import InvalidValue, NotFound
from domain.identifiers import CasNumber, PcsCode
from domain.text import SHOWN_CODE, required_text, shown
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent

LABEL_LIMIT: Final = 120
TEXT_LIMIT: Final = 500
NAME_LIMIT: Final = 300
HAZARD_LIMIT: Final = 200
LONG_LABEL_LIMIT: Final = 300
"""Labels of questions and of PCS-ESE occupations, longer than those of risks."""
ADDED_BY_SERVICE: Final = "Ajouté par le service : {source}"
"""The source an added entry shows: added by the service, not shipped (nor provisional unless
the staff member's own source says « provisoire »)."""
CHANGED_BY_SERVICE: Final = "Modifié par le service : {source}"
"""The source a risk shows once the service has changed its label or description."""

CODE: Final = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")


@dataclass(frozen=True, slots=True)
class CatalogueRisk:
    """A risk as the edits know it: shipped, or added by the service (`source` as named)."""

    code: str
    family_code: str
    label: str
    description: str
    source: str


@dataclass(frozen=True, slots=True)
class RiskChange:
    """New label and description of a risk, and the source of the change."""

    code: str
    label: str
    description: str
    source: str


@dataclass(frozen=True, slots=True)
class CatalogueAction:
    """A prevention action suggested for a risk (step 8)."""

    code: str
    risk_code: str
    label: str
    source: str


@dataclass(frozen=True, slots=True)
class CatalogueCmrAgent:
    """A CMR agent: a substance (CAS number) or a process; `name_en` may be unknown."""

    kind: AgentKind
    name: str
    name_en: str | None
    cas_number: CasNumber | None
    clp_hazard: str
    source: str

    @property
    def agent(self) -> CmrAgent:
        return CmrAgent(self.kind, self.name, self.cas_number)


@dataclass(frozen=True, slots=True)
class CatalogueWorkSituation:
    """A work situation of step 9 under its heading; `determinant` is the follow-up determinant
    it declares, `None` for a situation that only informs the service."""

    code: str
    heading: str
    label: str
    determinant: FollowUpDeterminant | None
    source: str


@dataclass(frozen=True, slots=True)
class CatalogueOccupation:
    """A profession of the PCS-ESE nomenclature (INSEE)."""

    code: PcsCode
    label: str
    source: str


@dataclass(frozen=True, slots=True)
class CatalogueQuestion:
    """A question of a prevention theme (step 4): `choices` for the choice kinds only;
    `integer`, `minimum` and `maximum` for numbers only."""

    theme_code: str
    question_id: str
    label: str
    kind: QuestionKind
    required: bool
    choices: tuple[str, ...]
    integer: bool
    minimum: float | None
    maximum: float | None
    source: str


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """A question named by its theme and its id (unique within the theme)."""

    theme_code: str
    question_id: str


@dataclass(frozen=True, slots=True)
class CatalogueTheme:
    """A theme of the prevention questionnaire: its label, and the label of each question by
    id."""

    code: str
    label: str
    questions: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ShippedCatalogue:
    """What the shipped catalogue holds that edits are checked against: its risk families,
    its risks and suggested actions by code, its CMR agents, its work situations and PCS-ESE
    occupations by code, its prevention themes by code."""

    families: frozenset[str]
    risks: Mapping[str, CatalogueRisk]
    actions: Mapping[str, CatalogueAction]
    cmr_agents: tuple[CatalogueCmrAgent, ...]
    situations: Mapping[str, CatalogueWorkSituation]
    occupations: Mapping[str, CatalogueOccupation]
    themes: Mapping[str, CatalogueTheme]


# Fields ----------------------------------------------------------------------------------------


def catalogue_code(value: str, field: str) -> str:
    code = value.strip()
    if not CODE.fullmatch(code):
        raise InvalidValue(
            f"Le code « {shown(code, SHOWN_CODE)} » ne peut contenir que des minuscules sans"
            " accent, des chiffres, « _ » et « . », et commence par une lettre.",
            code="INVALID_CATALOGUE_CODE",
            field=field,
        )
    return code


def description_text(value: str) -> str:
    return required_text(value, "description", "La description", TEXT_LIMIT, multiline=True)


def source_text(value: str) -> str:
    return required_text(value, "source", "La source", TEXT_LIMIT)


def cas_number_of(value: str | None) -> CasNumber | None:
    if value is None or not value.strip():
        return None
    try:
        return CasNumber(value)
    except InvalidValue as error:
        raise InvalidValue(error.message, code=error.code, field="cas_number") from None


def pcs_code_of(value: str) -> PcsCode:
    try:
        return PcsCode(value)
    except InvalidValue as error:
        raise InvalidValue(error.message, code=error.code, field="code") from None


def theme_of(shipped: ShippedCatalogue, code: str) -> CatalogueTheme:
    theme = shipped.themes.get(code)
    if theme is None:
        raise NotFound(
            f"Le thème de prévention « {shown(code, SHOWN_CODE)} » n'existe pas.",
            code="UNKNOWN_THEME",
            field="theme_code",
        )
    return theme


def same(a: str, b: str) -> bool:
    """The same text, case and spacing aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def unknown_risk(code: str, field: str) -> NotFound:
    return NotFound(
        f"Le risque « {shown(code, SHOWN_CODE)} » n'existe pas dans le catalogue.",
        code="UNKNOWN_RISK",
        field=field,
    )

"""The CatalogueEdits aggregate: what the service's staff changed in the shipped catalogues.

The catalogues ship as data files naming their source (`application.catalogues.data`); the service
extends
and corrects them without touching those files: each edit is an event of this one aggregate
(one for the whole service, fixed id), naming the source the staff member relied on. What the
portal offers is the shipped catalogue with these edits applied (`Catalogues.with_edits`).

Edits cover every catalogue: the risks of step 5 (add one to a shipped family, change its
label or description, retire it), the prevention actions suggested for a risk (add one), the
CMR agents (add a substance with its CAS number or a process, retire one), the work situations
of step 9 (add one, with the follow-up determinant it declares or none, retire one), the PCS-ESE
occupations (add, retire) and the questions of the prevention questionnaire of step 4 (add one
to a theme, retire one). A retired entry is no longer offered nor accepted for new additions;
what was declared with it keeps its code, and the code is never given to another entry (an
answer to a retired question stays in the declarations that hold it, under the question's id).
Refusals compare with the shipped catalogue (`ShippedCatalogue`) and with the edits made so far.
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.actor import Actor
from domain.catalogues.question_kinds import QuestionKind, question_form
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.identifiers import CasNumber, PcsCode
from domain.text import SHOWN_CODE, optional_text, required_text, shown
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent

CATALOGUE_EDITS_NAMESPACE: Final = UUID("0b6f3c2e-7d41-5a8e-9c1f-4e2a6d8b3f57")
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

_CODE: Final = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")


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


class CatalogueEdits(Aggregate):
    """Every edit of the service to the shipped catalogues, in the order made."""

    added_risks: tuple[CatalogueRisk, ...]
    risk_changes: tuple[RiskChange, ...]
    """The latest change of each risk changed, in the order first changed."""
    retired_risks: tuple[str, ...]
    added_actions: tuple[CatalogueAction, ...]
    added_cmr_agents: tuple[CatalogueCmrAgent, ...]
    retired_cmr_agents: tuple[CmrAgent, ...]
    added_situations: tuple[CatalogueWorkSituation, ...]
    retired_situations: tuple[str, ...]
    added_occupations: tuple[CatalogueOccupation, ...]
    retired_occupations: tuple[PcsCode, ...]
    added_questions: tuple[CatalogueQuestion, ...]
    retired_questions: tuple[QuestionRef, ...]

    class_version = 2
    """Version 2 edits work situations, occupations and questions too (`upcast_v1_v2`)."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A snapshot taken before work situations, occupations and questions could be edited:
        none of them was."""
        for name in (
            "added_situations",
            "retired_situations",
            "added_occupations",
            "retired_occupations",
            "added_questions",
            "retired_questions",
        ):
            state.setdefault(name, ())

    @staticmethod
    def create_id(**_: Any) -> UUID:
        """One record of edits for the whole service."""
        return uuid5(CATALOGUE_EDITS_NAMESPACE, "catalogue-edits")

    @classmethod
    def start(cls, actor: Actor) -> "CatalogueEdits":
        return cls(actor=actor)

    @event("CatalogueEditsStarted")
    def __init__(self, actor: Actor) -> None:
        self.added_risks = ()
        self.risk_changes = ()
        self.retired_risks = ()
        self.added_actions = ()
        self.added_cmr_agents = ()
        self.retired_cmr_agents = ()
        self.added_situations = ()
        self.retired_situations = ()
        self.added_occupations = ()
        self.retired_occupations = ()
        self.added_questions = ()
        self.retired_questions = ()

    # Risks ----------------------------------------------------------------------------------

    def add_risk(  # noqa: PLR0917 (the risk's fields)
        self,
        shipped: ShippedCatalogue,
        family_code: str,
        code: str,
        label: str,
        description: str,
        source: str,
        actor: Actor,
    ) -> None:
        code = _code(code, "code")
        if family_code not in shipped.families:
            raise NotFound(
                f"La famille de risques « {shown(family_code, SHOWN_CODE)} » n'existe pas dans le"
                " catalogue.",
                code="UNKNOWN_RISK_FAMILY",
                field="family_code",
            )
        label = required_text(label, "label", "Le libellé", LABEL_LIMIT)
        description = _description(description)
        source = _source(source)
        if self._known_risk(shipped, code) is not None:
            raise RuleViolation(
                f"Le code « {code} » est déjà celui d'un risque"
                f"{' retiré' if code in self.retired_risks else ''} du catalogue : choisissez-en"
                " un autre.",
                code="DUPLICATE_RISK_CODE",
                field="code",
            )
        self._check_unique_risk_label(shipped, label, code)
        risk = CatalogueRisk(code, family_code, label, description, source)
        self._risk_added(risk=risk, actor=actor)

    @event("CatalogueRiskAdded")
    def _risk_added(self, risk: CatalogueRisk, actor: Actor) -> None:
        self.added_risks = (*self.added_risks, risk)

    def change_risk(  # noqa: PLR0917 (the risk's fields)
        self,
        shipped: ShippedCatalogue,
        code: str,
        label: str | None,
        description: str | None,
        source: str,
        actor: Actor,
    ) -> None:
        """New label and/or description (`None`: unchanged); nothing recorded when both stay
        as they are."""
        current = self._active_risk(shipped, code, "code")
        label = (
            current.label
            if label is None
            else required_text(label, "label", "Le libellé", LABEL_LIMIT)
        )
        description = current.description if description is None else _description(description)
        source = _source(source)
        if (label, description) == (current.label, current.description):
            return
        self._check_unique_risk_label(shipped, label, code)
        self._risk_changed(risk_change=RiskChange(code, label, description, source), actor=actor)

    @event("CatalogueRiskChanged")
    def _risk_changed(self, risk_change: RiskChange, actor: Actor) -> None:
        code = risk_change.code
        if any(change.code == code for change in self.risk_changes):
            self.risk_changes = tuple(
                risk_change if change.code == code else change for change in self.risk_changes
            )
        else:
            self.risk_changes = (*self.risk_changes, risk_change)

    def retire_risk(self, shipped: ShippedCatalogue, code: str, source: str, actor: Actor) -> None:
        if self._known_risk(shipped, code) is None:
            raise _unknown_risk(code, "code")
        if code in self.retired_risks:
            raise RuleViolation(
                f"Le risque « {code} » est déjà retiré du catalogue.",
                code="RISK_ALREADY_RETIRED",
                field="code",
            )
        self._risk_retired(code=code, source=_source(source), actor=actor)

    @event("CatalogueRiskRetired")
    def _risk_retired(self, code: str, source: str, actor: Actor) -> None:
        self.retired_risks = (*self.retired_risks, code)

    # Suggested actions ------------------------------------------------------------------------

    def add_suggested_action(  # noqa: PLR0917 (the action's fields)
        self,
        shipped: ShippedCatalogue,
        risk_code: str,
        code: str,
        label: str,
        source: str,
        actor: Actor,
    ) -> None:
        self._active_risk(shipped, risk_code, "risk_code")
        code = _code(code, "code")
        label = required_text(label, "label", "Le libellé", LABEL_LIMIT)
        source = _source(source)
        actions = [*shipped.actions.values(), *self.added_actions]
        if any(action.code == code for action in actions):
            raise RuleViolation(
                f"Le code « {code} » est déjà celui d'une action suggérée : choisissez-en un"
                " autre.",
                code="DUPLICATE_ACTION_CODE",
                field="code",
            )
        if any(a.risk_code == risk_code and _same(a.label, label) for a in actions):
            raise RuleViolation(
                f"L'action « {label} » est déjà suggérée pour ce risque.",
                code="DUPLICATE_ACTION",
                field="label",
            )
        action = CatalogueAction(code, risk_code, label, source)
        self._suggested_action_added(action=action, actor=actor)

    @event("CatalogueSuggestedActionAdded")
    def _suggested_action_added(self, action: CatalogueAction, actor: Actor) -> None:
        self.added_actions = (*self.added_actions, action)

    # CMR agents -------------------------------------------------------------------------------

    def add_cmr_agent(  # noqa: PLR0917 (the agent's fields)
        self,
        shipped: ShippedCatalogue,
        kind: AgentKind,
        name: str,
        name_en: str | None,
        cas_number: str | None,
        clp_hazard: str,
        source: str,
        actor: Actor,
    ) -> None:
        """A substance with its CAS number, or a process (without one)."""
        name = required_text(name, "name", "Le nom de l'agent", NAME_LIMIT)
        cas = _cas_number(cas_number)
        agent = CmrAgent(kind, name, cas).validated()
        english = optional_text(name_en, "name_en", "Le nom anglais", NAME_LIMIT)
        clp_hazard = required_text(clp_hazard, "clp_hazard", "La classification CLP", HAZARD_LIMIT)
        source = _source(source)
        for known in self._known_agents(shipped):
            retired = " (retiré du catalogue)" if known.agent in self.retired_cmr_agents else ""
            if cas is not None and known.cas_number == cas:
                raise RuleViolation(
                    f"Le numéro CAS {cas} est déjà celui de « {known.name} »{retired}.",
                    code="DUPLICATE_CAS_NUMBER",
                    field="cas_number",
                )
            if _same(known.name, agent.name):
                raise RuleViolation(
                    f"L'agent « {known.name} » est déjà au catalogue{retired}.",
                    code="DUPLICATE_CMR_AGENT",
                    field="name",
                )
        added = CatalogueCmrAgent(kind, agent.name, english, cas, clp_hazard, source)
        self._cmr_agent_added(agent=added, actor=actor)

    @event("CatalogueCmrAgentAdded")
    def _cmr_agent_added(self, agent: CatalogueCmrAgent, actor: Actor) -> None:
        self.added_cmr_agents = (*self.added_cmr_agents, agent)

    def retire_cmr_agent(
        self,
        shipped: ShippedCatalogue,
        cas_number: str | None,
        name: str | None,
        source: str,
        actor: Actor,
    ) -> None:
        """The agent named by its CAS number (a substance) or by its name (either kind)."""
        by_cas = cas_number is not None and bool(cas_number.strip())
        by_name = name is not None and bool(name.strip())
        if by_cas == by_name:
            raise InvalidValue(
                "Désignez l'agent CMR par son numéro CAS ou par son nom, l'un ou l'autre.",
                code="AGENT_REQUIRED",
                field="cas_number",
            )
        cas = _cas_number(cas_number) if by_cas else None
        found = next(
            (
                known
                for known in self._known_agents(shipped)
                if (known.cas_number == cas if by_cas else _same(known.name, name or ""))
            ),
            None,
        )
        if found is None:
            raise NotFound(
                f"L'agent CMR « {shown(cas or name, SHOWN_CODE)} » n'existe pas dans le catalogue.",
                code="UNKNOWN_CMR_AGENT",
                field="cas_number" if by_cas else "name",
            )
        if found.agent in self.retired_cmr_agents:
            raise RuleViolation(
                f"L'agent CMR « {found.name} » est déjà retiré du catalogue.",
                code="CMR_AGENT_ALREADY_RETIRED",
            )
        self._cmr_agent_retired(agent=found.agent, source=_source(source), actor=actor)

    @event("CatalogueCmrAgentRetired")
    def _cmr_agent_retired(self, agent: CmrAgent, source: str, actor: Actor) -> None:
        self.retired_cmr_agents = (*self.retired_cmr_agents, agent)

    # Work situations ----------------------------------------------------------------------------

    def add_work_situation(  # noqa: PLR0917 (the situation's fields)
        self,
        shipped: ShippedCatalogue,
        code: str,
        heading: str,
        label: str,
        determinant: FollowUpDeterminant | None,
        source: str,
        actor: Actor,
    ) -> None:
        """A situation under a heading, known or new (spelt as the known one when it is the
        same, case and spacing aside), declaring `determinant` or only informing the service
        (`None`). A determinant is offered by one situation in use at most: an employee keeps
        the determinant, not the situation, so two situations declaring it could not be told
        apart."""
        code = _code(code, "code")
        heading = required_text(heading, "heading", "La rubrique", LABEL_LIMIT)
        label = required_text(label, "label", "Le libellé", LABEL_LIMIT)
        source = _source(source)
        known = self._known_situations(shipped)
        if any(situation.code == code for situation in known):
            retired = " retirée" if code in self.retired_situations else ""
            raise RuleViolation(
                f"Le code « {code} » est déjà celui d'une situation de travail{retired} du"
                " catalogue : choisissez-en un autre.",
                code="DUPLICATE_SITUATION_CODE",
                field="code",
            )
        heading = next((s.heading for s in known if _same(s.heading, heading)), heading)
        for situation in self._active_situations(shipped):
            if _same(situation.heading, heading) and _same(situation.label, label):
                raise RuleViolation(
                    f"La situation « {situation.label} » est déjà au catalogue sous la rubrique"
                    f" « {situation.heading} ».",
                    code="DUPLICATE_WORK_SITUATION",
                    field="label",
                )
            if determinant is not None and situation.determinant is determinant:
                raise RuleViolation(
                    f"Le déterminant « {determinant.label} » est déjà déclaré par la situation"
                    f" « {situation.label} » : un salarié n'en garde que le déterminant, deux"
                    " situations qui le déclarent ne se distingueraient pas. Retirez d'abord"
                    " l'ancienne si la nouvelle la remplace.",
                    code="DUPLICATE_SITUATION_DETERMINANT",
                    field="determinant",
                )
        situation = CatalogueWorkSituation(code, heading, label, determinant, source)
        self._work_situation_added(situation=situation, actor=actor)

    @event("CatalogueWorkSituationAdded")
    def _work_situation_added(self, situation: CatalogueWorkSituation, actor: Actor) -> None:
        self.added_situations = (*self.added_situations, situation)

    def retire_work_situation(
        self, shipped: ShippedCatalogue, code: str, source: str, actor: Actor
    ) -> None:
        """No longer offered nor assignable; the determinants already declared stay."""
        found = next((s for s in self._known_situations(shipped) if s.code == code), None)
        if found is None:
            raise NotFound(
                f"La situation de travail « {shown(code, SHOWN_CODE)} » n'existe pas dans le"
                " catalogue.",
                code="UNKNOWN_WORK_SITUATION",
                field="code",
            )
        if code in self.retired_situations:
            raise RuleViolation(
                f"La situation « {found.label} » est déjà retirée du catalogue.",
                code="WORK_SITUATION_ALREADY_RETIRED",
                field="code",
            )
        self._work_situation_retired(code=code, source=_source(source), actor=actor)

    @event("CatalogueWorkSituationRetired")
    def _work_situation_retired(self, code: str, source: str, actor: Actor) -> None:
        self.retired_situations = (*self.retired_situations, code)

    # PCS-ESE occupations --------------------------------------------------------------------------

    def add_pcs_occupation(
        self, shipped: ShippedCatalogue, code: str, label: str, source: str, actor: Actor
    ) -> None:
        """An occupation of the nomenclature the catalogue lacks (a code is never taken back:
        not even one retired)."""
        pcs = _pcs_code(code)
        label = required_text(label, "label", "Le libellé", LONG_LABEL_LIMIT)
        source = _source(source)
        known = next((o for o in self._known_occupations(shipped) if o.code == pcs), None)
        if known is not None:
            retired = " (retiré du catalogue)" if pcs in self.retired_occupations else ""
            raise RuleViolation(
                f"Le code PCS-ESE {pcs} est déjà celui de « {known.label} »{retired}.",
                code="DUPLICATE_PCS_CODE",
                field="code",
            )
        occupation = CatalogueOccupation(pcs, label, source)
        self._pcs_occupation_added(occupation=occupation, actor=actor)

    @event("CataloguePcsOccupationAdded")
    def _pcs_occupation_added(self, occupation: CatalogueOccupation, actor: Actor) -> None:
        self.added_occupations = (*self.added_occupations, occupation)

    def retire_pcs_occupation(
        self, shipped: ShippedCatalogue, code: str, source: str, actor: Actor
    ) -> None:
        """No longer offered; the contracts that hold the code keep it, and the risks suggested
        by PCS-ESE code still match it."""
        pcs = _pcs_code(code)
        found = next((o for o in self._known_occupations(shipped) if o.code == pcs), None)
        if found is None:
            raise NotFound(
                f"Le code PCS-ESE {pcs} n'est pas au catalogue.",
                code="UNKNOWN_PCS_OCCUPATION",
                field="code",
            )
        if pcs in self.retired_occupations:
            raise RuleViolation(
                f"La profession {pcs} « {found.label} » est déjà retirée du catalogue.",
                code="PCS_OCCUPATION_ALREADY_RETIRED",
                field="code",
            )
        self._pcs_occupation_retired(code=pcs, source=_source(source), actor=actor)

    @event("CataloguePcsOccupationRetired")
    def _pcs_occupation_retired(self, code: PcsCode, source: str, actor: Actor) -> None:
        self.retired_occupations = (*self.retired_occupations, code)

    # Prevention questionnaire ---------------------------------------------------------------------

    def add_prevention_question(  # noqa: PLR0917 (the question's fields)
        self,
        shipped: ShippedCatalogue,
        theme_code: str,
        question_id: str,
        label: str,
        kind: QuestionKind,
        required: bool,
        choices: Sequence[str],
        integer: bool,
        minimum: float | None,
        maximum: float | None,
        source: str,
        actor: Actor,
    ) -> None:
        """A question at the end of a shipped theme, of the same form as the shipped ones
        (`domain.catalogues.question_kinds.question_form`); a required one holds up step 4 of every
        declaration until answered. An id is never given twice in a theme, not even that of a
        retired question: answers are kept by id."""
        theme = _theme(shipped, theme_code)
        question_id = _code(question_id, "question_id")
        label = required_text(label, "label", "Le libellé", LONG_LABEL_LIMIT)
        cleaned = question_form(kind, choices, integer, minimum, maximum)
        source = _source(source)
        questions = self._known_questions(theme)
        if question_id in questions:
            retired = " retirée" if self._question_retired(theme.code, question_id) else ""
            raise RuleViolation(
                f"L'identifiant « {question_id} » est déjà celui d'une question{retired} du thème"
                f" « {theme.label} » : choisissez-en un autre.",
                code="DUPLICATE_QUESTION_ID",
                field="question_id",
            )
        for known_id, known_label in questions.items():
            if _same(known_label, label) and not self._question_retired(theme.code, known_id):
                raise RuleViolation(
                    f"La question « {known_label} » est déjà posée dans le thème"
                    f" « {theme.label} ».",
                    code="DUPLICATE_QUESTION",
                    field="label",
                )
        question = CatalogueQuestion(
            theme.code,
            question_id,
            label,
            kind,
            required,
            cleaned,
            integer,
            None if minimum is None else float(minimum),
            None if maximum is None else float(maximum),
            source,
        )
        self._prevention_question_added(question=question, actor=actor)

    @event("CataloguePreventionQuestionAdded")
    def _prevention_question_added(self, question: CatalogueQuestion, actor: Actor) -> None:
        self.added_questions = (*self.added_questions, question)

    def retire_prevention_question(
        self,
        shipped: ShippedCatalogue,
        theme_code: str,
        question_id: str,
        source: str,
        actor: Actor,
    ) -> None:
        """No longer asked nor required; the answers already given stay in the declarations
        that hold them. A theme keeps one question at least."""
        theme = _theme(shipped, theme_code)
        questions = self._known_questions(theme)
        if question_id not in questions:
            raise NotFound(
                f"La question « {shown(question_id, SHOWN_CODE)} » n'existe pas dans le thème"
                f" « {theme.label} ».",
                code="UNKNOWN_QUESTION",
                field="question_id",
            )
        label = questions[question_id]
        if self._question_retired(theme.code, question_id):
            raise RuleViolation(
                f"La question « {label} » est déjà retirée du questionnaire.",
                code="QUESTION_ALREADY_RETIRED",
                field="question_id",
            )
        if [q for q in questions if not self._question_retired(theme.code, q)] == [question_id]:
            raise RuleViolation(
                f"La question « {label} » est la dernière du thème « {theme.label} » : un thème"
                " garde au moins une question ; ajoutez d'abord celle qui la remplace.",
                code="LAST_QUESTION_OF_THEME",
                field="question_id",
            )
        question = QuestionRef(theme.code, question_id)
        self._prevention_question_retired(question=question, source=_source(source), actor=actor)

    @event("CataloguePreventionQuestionRetired")
    def _prevention_question_retired(
        self, question: QuestionRef, source: str, actor: Actor
    ) -> None:
        self.retired_questions = (*self.retired_questions, question)

    # Inside -------------------------------------------------------------------------------------

    def _known_risk(self, shipped: ShippedCatalogue, code: str) -> CatalogueRisk | None:
        """The risk of this code, shipped or added, retired or not, as changed last."""
        risk = shipped.risks.get(code) or next(
            (r for r in self.added_risks if r.code == code), None
        )
        if risk is None:
            return None
        change = next((c for c in self.risk_changes if c.code == code), None)
        if change is None:
            return risk
        return CatalogueRisk(code, risk.family_code, change.label, change.description, risk.source)

    def _active_risk(self, shipped: ShippedCatalogue, code: str, field: str) -> CatalogueRisk:
        risk = self._known_risk(shipped, code)
        if risk is None:
            raise _unknown_risk(code, field)
        if code in self.retired_risks:
            raise RuleViolation(
                f"Le risque « {risk.label} » a été retiré du catalogue.",
                code="RISK_RETIRED",
                field=field,
            )
        return risk

    def _active_risks(self, shipped: ShippedCatalogue) -> Iterator[CatalogueRisk]:
        for code in (*shipped.risks, *(r.code for r in self.added_risks)):
            risk = self._known_risk(shipped, code)
            if risk is not None and code not in self.retired_risks:
                yield risk

    def _check_unique_risk_label(self, shipped: ShippedCatalogue, label: str, code: str) -> None:
        for risk in self._active_risks(shipped):
            if risk.code != code and _same(risk.label, label):
                raise RuleViolation(
                    f"Le libellé « {label} » est déjà celui du risque « {risk.code} ».",
                    code="DUPLICATE_RISK_LABEL",
                    field="label",
                )

    def _known_agents(self, shipped: ShippedCatalogue) -> tuple[CatalogueCmrAgent, ...]:
        return (*shipped.cmr_agents, *self.added_cmr_agents)

    def _known_situations(self, shipped: ShippedCatalogue) -> tuple[CatalogueWorkSituation, ...]:
        return (*shipped.situations.values(), *self.added_situations)

    def _active_situations(self, shipped: ShippedCatalogue) -> Iterator[CatalogueWorkSituation]:
        for situation in self._known_situations(shipped):
            if situation.code not in self.retired_situations:
                yield situation

    def _known_occupations(self, shipped: ShippedCatalogue) -> tuple[CatalogueOccupation, ...]:
        return (*shipped.occupations.values(), *self.added_occupations)

    def _known_questions(self, theme: CatalogueTheme) -> dict[str, str]:
        """The label of every question of the theme by id, shipped or added, retired or not."""
        return {
            **theme.questions,
            **{q.question_id: q.label for q in self.added_questions if q.theme_code == theme.code},
        }

    def _question_retired(self, theme_code: str, question_id: str) -> bool:
        return QuestionRef(theme_code, question_id) in self.retired_questions


def _code(value: str, field: str) -> str:
    code = value.strip()
    if not _CODE.fullmatch(code):
        raise InvalidValue(
            f"Le code « {shown(code, SHOWN_CODE)} » ne peut contenir que des minuscules sans"
            " accent, des chiffres, « _ » et « . », et commence par une lettre.",
            code="INVALID_CATALOGUE_CODE",
            field=field,
        )
    return code


def _description(value: str) -> str:
    return required_text(value, "description", "La description", TEXT_LIMIT, multiline=True)


def _source(value: str) -> str:
    return required_text(value, "source", "La source", TEXT_LIMIT)


def _cas_number(value: str | None) -> CasNumber | None:
    if value is None or not value.strip():
        return None
    try:
        return CasNumber(value)
    except InvalidValue as error:
        raise InvalidValue(error.message, code=error.code, field="cas_number") from None


def _pcs_code(value: str) -> PcsCode:
    try:
        return PcsCode(value)
    except InvalidValue as error:
        raise InvalidValue(error.message, code=error.code, field="code") from None


def _theme(shipped: ShippedCatalogue, code: str) -> CatalogueTheme:
    theme = shipped.themes.get(code)
    if theme is None:
        raise NotFound(
            f"Le thème de prévention « {shown(code, SHOWN_CODE)} » n'existe pas.",
            code="UNKNOWN_THEME",
            field="theme_code",
        )
    return theme


def _same(a: str, b: str) -> bool:
    """The same text, case and spacing aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _unknown_risk(code: str, field: str) -> NotFound:
    return NotFound(
        f"Le risque « {shown(code, SHOWN_CODE)} » n'existe pas dans le catalogue.",
        code="UNKNOWN_RISK",
        field=field,
    )

"""The CatalogueEdits aggregate: what the service's staff changed in the shipped catalogues.

The catalogues ship as data files naming their source (`application.catalogues.data`); the
service extends and corrects them without touching those files: each edit is an event of this
one aggregate (one for the whole service, fixed id), naming the source the staff member relied
on. What the portal offers is the shipped catalogue with these edits applied
(`Catalogues.with_edits`).

Edits cover every catalogue: the risks of step 5 (add one to a shipped family, change its
label or description, retire it), the prevention actions suggested for a risk (add one), the
CMR agents (add a substance with its CAS number or a process, retire one), the work situations
of step 9 (add one, with the follow-up determinant it declares or none, retire one), the PCS-ESE
occupations (add, retire) and the questions of the prevention questionnaire of step 4 (add one
to a theme, retire one). A retired entry is no longer offered nor accepted for new additions;
what was declared with it keeps its code, and the code is never given to another entry (an
answer to a retired question stays in the declarations that hold it, under the question's id).

Refusals compare with the shipped catalogue (`ShippedCatalogue`) and with the edits made so far
(`edited.EditedCatalogue`); each catalogue's edits are checked in a module of their own
(`risk_edits`, `agent_edits`, `nomenclature_edits`, `question_edits`), which says what an edit
records; the aggregate records it.
"""

from collections.abc import Sequence
from typing import Any, Final
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.catalogues import agent_edits, nomenclature_edits, question_edits, risk_edits
from domain.catalogues.edited import EditedCatalogue
from domain.catalogues.entries import (
    CatalogueAction,
    CatalogueCmrAgent,
    CatalogueOccupation,
    CatalogueQuestion,
    CatalogueRisk,
    CatalogueWorkSituation,
    QuestionRef,
    RiskChange,
    ShippedCatalogue,
    source_text,
)
from domain.catalogues.question_kinds import QuestionKind
from domain.identifiers import PcsCode
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent

CATALOGUE_EDITS_NAMESPACE: Final = UUID("0b6f3c2e-7d41-5a8e-9c1f-4e2a6d8b3f57")


class CatalogueEdits(EditedCatalogue, RegistreAggregate):
    """Every edit of the service to the shipped catalogues, in the order made."""

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
        risk = risk_edits.new_risk(self, shipped, family_code, code, label, description, source)
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
        change = risk_edits.risk_change(self, shipped, code, label, description, source)
        if change is not None:
            self._risk_changed(risk_change=change, actor=actor)

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
        code = risk_edits.risk_to_retire(self, shipped, code)
        self._risk_retired(code=code, source=source_text(source), actor=actor)

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
        action = risk_edits.new_suggested_action(self, shipped, risk_code, code, label, source)
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
        agent = agent_edits.new_cmr_agent(
            self, shipped, kind, name, name_en, cas_number, clp_hazard, source
        )
        self._cmr_agent_added(agent=agent, actor=actor)

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
        agent = agent_edits.agent_to_retire(self, shipped, cas_number, name)
        self._cmr_agent_retired(agent=agent, source=source_text(source), actor=actor)

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
        """A situation under a heading, declaring `determinant` or only informing the service
        (`None`; see `nomenclature_edits.new_work_situation`)."""
        situation = nomenclature_edits.new_work_situation(
            self, shipped, code, heading, label, determinant, source
        )
        self._work_situation_added(situation=situation, actor=actor)

    @event("CatalogueWorkSituationAdded")
    def _work_situation_added(self, situation: CatalogueWorkSituation, actor: Actor) -> None:
        self.added_situations = (*self.added_situations, situation)

    def retire_work_situation(
        self, shipped: ShippedCatalogue, code: str, source: str, actor: Actor
    ) -> None:
        """No longer offered nor assignable; the determinants already declared stay."""
        code = nomenclature_edits.work_situation_to_retire(self, shipped, code)
        self._work_situation_retired(code=code, source=source_text(source), actor=actor)

    @event("CatalogueWorkSituationRetired")
    def _work_situation_retired(self, code: str, source: str, actor: Actor) -> None:
        self.retired_situations = (*self.retired_situations, code)

    # PCS-ESE occupations --------------------------------------------------------------------------

    def add_pcs_occupation(
        self, shipped: ShippedCatalogue, code: str, label: str, source: str, actor: Actor
    ) -> None:
        """An occupation of the nomenclature the catalogue lacks (a code is never taken back:
        not even one retired)."""
        occupation = nomenclature_edits.new_pcs_occupation(self, shipped, code, label, source)
        self._pcs_occupation_added(occupation=occupation, actor=actor)

    @event("CataloguePcsOccupationAdded")
    def _pcs_occupation_added(self, occupation: CatalogueOccupation, actor: Actor) -> None:
        self.added_occupations = (*self.added_occupations, occupation)

    def retire_pcs_occupation(
        self, shipped: ShippedCatalogue, code: str, source: str, actor: Actor
    ) -> None:
        """No longer offered; the contracts that hold the code keep it, and the risks suggested
        by PCS-ESE code still match it."""
        pcs = nomenclature_edits.pcs_occupation_to_retire(self, shipped, code)
        self._pcs_occupation_retired(code=pcs, source=source_text(source), actor=actor)

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
        """A question at the end of a shipped theme; a required one holds up step 4 of every
        declaration until answered (see `question_edits.new_prevention_question`)."""
        question, theme = question_edits.new_prevention_question(
            self,
            shipped,
            theme_code,
            question_id,
            label,
            kind,
            required,
            choices,
            integer,
            minimum,
            maximum,
            source,
        )
        self._prevention_question_added(question=question, actor=actor, theme_label=theme.label)

    @event("CataloguePreventionQuestionAdded")
    def _prevention_question_added(
        self,
        question: CatalogueQuestion,
        actor: Actor,
        theme_label: str | None = None,  # for the audit trail; None in the earlier events
    ) -> None:
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
        question, theme = question_edits.prevention_question_to_retire(
            self, shipped, theme_code, question_id
        )
        self._prevention_question_retired(
            question=question, source=source_text(source), actor=actor, theme_label=theme.label
        )

    @event("CataloguePreventionQuestionRetired")
    def _prevention_question_retired(
        self,
        question: QuestionRef,
        source: str,
        actor: Actor,
        theme_label: str | None = None,  # for the audit trail; None in the earlier events
    ) -> None:
        self.retired_questions = (*self.retired_questions, question)

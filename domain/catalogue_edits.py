"""The CatalogueEdits aggregate: what the service's staff changed in the shipped catalogues.

The catalogues ship as data files naming their source (`catalogues.data`); the service extends
and corrects them without touching those files: each edit is an event of this one aggregate
(one for the whole service, fixed id), naming the source the staff member relied on. What the
portal offers is the shipped catalogue with these edits applied (`Catalogues.with_edits`).

Edits cover the risks of step 5 (add one to a shipped family, change its label or description,
retire it), the prevention actions suggested for a risk (add one), and the CMR agents (add a
substance with its CAS number or a process, retire one). A retired entry is no longer offered
nor accepted for new additions; what was declared with it keeps its code, and the code is never
given to another entry. Refusals compare with the shipped catalogue (`ShippedCatalogue`) and
with the edits made so far.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.actor import Actor
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.health import AgentKind, CmrAgent
from domain.identifiers import CasNumber
from domain.organisation import required_text

CATALOGUE_EDITS_NAMESPACE: Final = UUID("0b6f3c2e-7d41-5a8e-9c1f-4e2a6d8b3f57")
LABEL_LIMIT: Final = 120
TEXT_LIMIT: Final = 500
NAME_LIMIT: Final = 300
HAZARD_LIMIT: Final = 200
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
class ShippedCatalogue:
    """What the shipped catalogue holds that edits are checked against: its risk families,
    its risks and suggested actions by code, its CMR agents."""

    families: frozenset[str]
    risks: Mapping[str, CatalogueRisk]
    actions: Mapping[str, CatalogueAction]
    cmr_agents: tuple[CatalogueCmrAgent, ...]


class CatalogueEdits(Aggregate):
    """Every edit of the service to the shipped catalogues, in the order made."""

    added_risks: tuple[CatalogueRisk, ...]
    risk_changes: tuple[RiskChange, ...]
    """The latest change of each risk changed, in the order first changed."""
    retired_risks: tuple[str, ...]
    added_actions: tuple[CatalogueAction, ...]
    added_cmr_agents: tuple[CatalogueCmrAgent, ...]
    retired_cmr_agents: tuple[CmrAgent, ...]

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
                f"La famille de risques « {family_code} » n'existe pas dans le catalogue.",
                code="UNKNOWN_RISK_FAMILY",
                field="family_code",
            )
        label = required_text(label, "label", "Le libellé", LABEL_LIMIT)
        description = required_text(description, "description", "La description", TEXT_LIMIT)
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
        description = (
            current.description
            if description is None
            else required_text(description, "description", "La description", TEXT_LIMIT)
        )
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
        english = (
            None
            if name_en is None or not name_en.strip()
            else required_text(name_en, "name_en", "Le nom anglais", NAME_LIMIT)
        )
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
                f"L'agent CMR « {cas or name} » n'existe pas dans le catalogue.",
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


def _code(value: str, field: str) -> str:
    code = value.strip()
    if not _CODE.fullmatch(code):
        raise InvalidValue(
            f"Le code « {code} » ne peut contenir que des minuscules sans accent, des chiffres,"
            " « _ » et « . », et commence par une lettre.",
            code="INVALID_CATALOGUE_CODE",
            field=field,
        )
    return code


def _source(value: str) -> str:
    return required_text(value, "source", "La source", TEXT_LIMIT)


def _cas_number(value: str | None) -> CasNumber | None:
    if value is None or not value.strip():
        return None
    try:
        return CasNumber(value)
    except InvalidValue as error:
        raise InvalidValue(error.message, code=error.code, field="cas_number") from None


def _same(a: str, b: str) -> bool:
    """The same text, case and spacing aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _unknown_risk(code: str, field: str) -> NotFound:
    return NotFound(
        f"Le risque « {code} » n'existe pas dans le catalogue.", code="UNKNOWN_RISK", field=field
    )

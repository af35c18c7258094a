"""Commands of the service's staff on the catalogues, and the catalogue they leave in effect.

The shipped catalogues (`catalogues.default_catalogues()`) are data files; the staff's edits are
events of the one `CatalogueEdits` record. `catalogue()` is what every command and query of the
portal offers and accepts: the shipped catalogue with the edits applied, computed once per
version of that record (the record is read, its new events fetched, on each call).

All edits go to the same record: two staff members saving at the same moment both succeed, the
second save being decided again on the new version (its checks included).
"""

import functools
from collections.abc import Callable, Sequence
from typing import ClassVar

from eventsourcing.application import AggregateNotFoundError
from msgspec.structs import force_setattr

from application.base import RegistreApplication, result_of
from application.catalogues.loader import default_catalogues
from application.commands import Command, Decision, fields_of
from application.requests import CommandResult, Request
from domain.catalogues.catalogue import Catalogues
from domain.catalogues.edits import CatalogueEdits
from domain.catalogues.entries import (
    CatalogueAction,
    CatalogueCmrAgent,
    CatalogueOccupation,
    CatalogueRisk,
    CatalogueTheme,
    CatalogueWorkSituation,
    ShippedCatalogue,
)
from domain.catalogues.question_kinds import QuestionKind
from domain.errors import NotFound
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind

CATALOGUE_EDITS_ID = CatalogueEdits.create_id()
CATALOGUE_EDITS_NOT_FOUND = NotFound(
    "Le catalogue n'a encore jamais été modifié.", code="CATALOGUE_EDITS_NOT_FOUND"
)


def shipped_reference(catalogues: Catalogues) -> ShippedCatalogue:
    """What edits are checked against, from a catalogue as loaded from its data files."""
    return ShippedCatalogue(
        families=frozenset(family.code for family in catalogues.families),
        risks={
            risk.code: CatalogueRisk(
                risk.code, risk.family_code, risk.label, risk.description, risk.source
            )
            for risk in catalogues.risks
        },
        actions={
            action.code: CatalogueAction(action.code, action.risk_code, action.label, action.source)
            for risk in catalogues.risks
            for action in catalogues.suggested_actions(risk.code)
        },
        cmr_agents=tuple(
            CatalogueCmrAgent(
                agent.kind,
                agent.name,
                agent.name_en or None,
                agent.cas_number,
                agent.clp_hazard,
                agent.source,
            )
            for agent in catalogues.cmr_agents
        ),
        situations={
            situation.code: CatalogueWorkSituation(
                situation.code,
                situation.group,
                situation.label,
                situation.determinant,
                situation.source,
            )
            for situation in catalogues.work_situations
        },
        occupations={
            occupation.code: CatalogueOccupation(
                occupation.code, occupation.label, occupation.source
            )
            for occupation in catalogues.pcs_occupations
        },
        themes={
            theme.code: CatalogueTheme(
                theme.code, theme.label, {q.id: q.label for q in theme.questions}
            )
            for theme in catalogues.prevention_themes
        },
    )


@functools.cache
def shipped() -> ShippedCatalogue:
    """The reference of the shipped catalogues, built once per process."""
    return shipped_reference(default_catalogues())


class CatalogueQueries(RegistreApplication):
    _effective_catalogue: tuple[int, Catalogues] | None = None

    def catalogue(self) -> Catalogues:
        """The shipped catalogues with the service's edits applied; the shipped ones as they
        are while nobody has edited them."""
        try:
            edits: CatalogueEdits = self.repository.get(
                CATALOGUE_EDITS_ID, deepcopy_from_cache=False
            )
        except AggregateNotFoundError:
            return default_catalogues()
        memo = self._effective_catalogue
        if memo is not None and memo[0] == edits.version:
            return memo[1]
        effective = default_catalogues().with_edits(edits)
        self._effective_catalogue = (edits.version, effective)
        return effective

    def catalogue_edits(self) -> CatalogueEdits:
        return self.load(CatalogueEdits, CATALOGUE_EDITS_ID, CATALOGUE_EDITS_NOT_FOUND)


class CatalogueEdit(Command[CommandResult], frozen=True, kw_only=True):
    """An edit of the one record of edits (started by the first), checked against the shipped
    catalogues; a save that lost a race with another edit is decided again, on the new version."""

    decide_again_on_race: ClassVar[bool] = True
    calls: ClassVar[Callable[..., None]]
    """The method of `CatalogueEdits` making the edit: given the shipped catalogues, the
    message's fields by name, and the actor."""

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        try:
            edits = app.load(CatalogueEdits, CATALOGUE_EDITS_ID, CATALOGUE_EDITS_NOT_FOUND)
        except NotFound:
            edits = CatalogueEdits.start(request.actor)
        type(self).calls(edits, shipped(), **fields_of(self), actor=request.actor)
        return [edits], result_of(edits)


# Risks -------------------------------------------------------------------------------------------


class AddCatalogueRisk(CatalogueEdit, frozen=True, kw_only=True):
    family_code: str
    code: str
    label: str
    description: str
    source: str
    calls = CatalogueEdits.add_risk


class ChangeCatalogueRisk(CatalogueEdit, frozen=True, kw_only=True):
    """New label and/or description of a risk (`None`: unchanged)."""

    code: str
    label: str | None
    description: str | None
    source: str
    calls = CatalogueEdits.change_risk


class RetireCatalogueRisk(CatalogueEdit, frozen=True, kw_only=True):
    code: str
    source: str
    calls = CatalogueEdits.retire_risk


class AddSuggestedAction(CatalogueEdit, frozen=True, kw_only=True):
    risk_code: str
    code: str
    label: str
    source: str
    calls = CatalogueEdits.add_suggested_action


# CMR agents --------------------------------------------------------------------------------------


class AddCmrAgent(CatalogueEdit, frozen=True, kw_only=True):
    kind: AgentKind
    name: str
    name_en: str | None
    cas_number: str | None
    clp_hazard: str
    source: str
    calls = CatalogueEdits.add_cmr_agent


class RetireCmrAgent(CatalogueEdit, frozen=True, kw_only=True):
    """The agent named by its CAS number or by its name, one or the other."""

    cas_number: str | None
    name: str | None
    source: str
    calls = CatalogueEdits.retire_cmr_agent


# Work situations ---------------------------------------------------------------------------------


class AddWorkSituation(CatalogueEdit, frozen=True, kw_only=True):
    """A situation of step 9 declaring `determinant`, or only informing the service."""

    code: str
    heading: str
    label: str
    determinant: FollowUpDeterminant | None
    source: str
    calls = CatalogueEdits.add_work_situation


class RetireWorkSituation(CatalogueEdit, frozen=True, kw_only=True):
    code: str
    source: str
    calls = CatalogueEdits.retire_work_situation


# PCS-ESE occupations -----------------------------------------------------------------------------


class AddPcsOccupation(CatalogueEdit, frozen=True, kw_only=True):
    code: str
    label: str
    source: str
    calls = CatalogueEdits.add_pcs_occupation


class RetirePcsOccupation(CatalogueEdit, frozen=True, kw_only=True):
    code: str
    source: str
    calls = CatalogueEdits.retire_pcs_occupation


# Prevention questionnaire ------------------------------------------------------------------------


class AddPreventionQuestion(CatalogueEdit, frozen=True, kw_only=True):
    """A question at the end of a theme; `choices` for the choice kinds, `integer`, `minimum`
    and `maximum` for numbers."""

    theme_code: str
    question_id: str
    label: str
    kind: QuestionKind
    required: bool
    choices: Sequence[str]
    integer: bool
    minimum: float | None
    maximum: float | None
    source: str
    calls = CatalogueEdits.add_prevention_question

    def __post_init__(self) -> None:
        force_setattr(self, "choices", tuple(self.choices))


class RetirePreventionQuestion(CatalogueEdit, frozen=True, kw_only=True):
    """No longer asked nor required; the answers given stay in the declarations."""

    theme_code: str
    question_id: str
    source: str
    calls = CatalogueEdits.retire_prevention_question

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
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from application.base import RegistreApplication, result_of
from application.catalogues.loader import default_catalogues
from application.requests import CommandResult, Request
from domain.catalogues.catalogue import Catalogues
from domain.catalogues.edits import (
    CatalogueAction,
    CatalogueCmrAgent,
    CatalogueEdits,
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


class CatalogueEditCommands(RegistreApplication):
    _effective_catalogue: tuple[int, Catalogues] | None = None

    # The catalogue in effect ---------------------------------------------------------------

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

    # Risks ---------------------------------------------------------------------------------

    def add_catalogue_risk(  # noqa: PLR0917 (the risk's fields)
        self,
        request: Request,
        family_code: str,
        code: str,
        label: str,
        description: str,
        source: str,
    ) -> CommandResult:
        return self._edit(
            request,
            "add_catalogue_risk",
            {
                "family_code": family_code,
                "code": code,
                "label": label,
                "description": description,
                "source": source,
            },
            lambda edits: edits.add_risk(
                shipped(), family_code, code, label, description, source, request.actor
            ),
        )

    def change_catalogue_risk(
        self,
        request: Request,
        code: str,
        label: str | None,
        description: str | None,
        source: str,
    ) -> CommandResult:
        """New label and/or description of a risk (`None`: unchanged)."""
        return self._edit(
            request,
            "change_catalogue_risk",
            {"code": code, "label": label, "description": description, "source": source},
            lambda edits: edits.change_risk(
                shipped(), code, label, description, source, request.actor
            ),
        )

    def retire_catalogue_risk(self, request: Request, code: str, source: str) -> CommandResult:
        return self._edit(
            request,
            "retire_catalogue_risk",
            {"code": code, "source": source},
            lambda edits: edits.retire_risk(shipped(), code, source, request.actor),
        )

    def add_suggested_action(
        self, request: Request, risk_code: str, code: str, label: str, source: str
    ) -> CommandResult:
        return self._edit(
            request,
            "add_suggested_action",
            {"risk_code": risk_code, "code": code, "label": label, "source": source},
            lambda edits: edits.add_suggested_action(
                shipped(), risk_code, code, label, source, request.actor
            ),
        )

    # CMR agents ----------------------------------------------------------------------------

    def add_cmr_agent(  # noqa: PLR0917 (the agent's fields)
        self,
        request: Request,
        kind: AgentKind,
        name: str,
        name_en: str | None,
        cas_number: str | None,
        clp_hazard: str,
        source: str,
    ) -> CommandResult:
        return self._edit(
            request,
            "add_cmr_agent",
            {
                "kind": kind,
                "name": name,
                "name_en": name_en,
                "cas_number": cas_number,
                "clp_hazard": clp_hazard,
                "source": source,
            },
            lambda edits: edits.add_cmr_agent(
                shipped(), kind, name, name_en, cas_number, clp_hazard, source, request.actor
            ),
        )

    def retire_cmr_agent(
        self, request: Request, cas_number: str | None, name: str | None, source: str
    ) -> CommandResult:
        """The agent named by its CAS number or by its name, one or the other."""
        return self._edit(
            request,
            "retire_cmr_agent",
            {"cas_number": cas_number, "name": name, "source": source},
            lambda edits: edits.retire_cmr_agent(
                shipped(), cas_number, name, source, request.actor
            ),
        )

    # Work situations -----------------------------------------------------------------------

    def add_work_situation(  # noqa: PLR0917 (the situation's fields)
        self,
        request: Request,
        code: str,
        heading: str,
        label: str,
        determinant: FollowUpDeterminant | None,
        source: str,
    ) -> CommandResult:
        """A situation of step 9 declaring `determinant`, or only informing the service."""
        return self._edit(
            request,
            "add_work_situation",
            {
                "code": code,
                "heading": heading,
                "label": label,
                "determinant": determinant,
                "source": source,
            },
            lambda edits: edits.add_work_situation(
                shipped(), code, heading, label, determinant, source, request.actor
            ),
        )

    def retire_work_situation(self, request: Request, code: str, source: str) -> CommandResult:
        return self._edit(
            request,
            "retire_work_situation",
            {"code": code, "source": source},
            lambda edits: edits.retire_work_situation(shipped(), code, source, request.actor),
        )

    # PCS-ESE occupations -------------------------------------------------------------------

    def add_pcs_occupation(
        self, request: Request, code: str, label: str, source: str
    ) -> CommandResult:
        return self._edit(
            request,
            "add_pcs_occupation",
            {"code": code, "label": label, "source": source},
            lambda edits: edits.add_pcs_occupation(shipped(), code, label, source, request.actor),
        )

    def retire_pcs_occupation(self, request: Request, code: str, source: str) -> CommandResult:
        return self._edit(
            request,
            "retire_pcs_occupation",
            {"code": code, "source": source},
            lambda edits: edits.retire_pcs_occupation(shipped(), code, source, request.actor),
        )

    # Prevention questionnaire --------------------------------------------------------------

    def add_prevention_question(  # noqa: PLR0917 (the question's fields)
        self,
        request: Request,
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
    ) -> CommandResult:
        """A question at the end of a theme; `choices` for the choice kinds, `integer`,
        `minimum` and `maximum` for numbers."""
        return self._edit(
            request,
            "add_prevention_question",
            {
                "theme_code": theme_code,
                "question_id": question_id,
                "label": label,
                "kind": kind,
                "required": required,
                "choices": list(choices),
                "integer": integer,
                "minimum": minimum,
                "maximum": maximum,
                "source": source,
            },
            lambda edits: edits.add_prevention_question(
                shipped(),
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
                request.actor,
            ),
        )

    def retire_prevention_question(
        self, request: Request, theme_code: str, question_id: str, source: str
    ) -> CommandResult:
        """No longer asked nor required; the answers given stay in the declarations."""
        return self._edit(
            request,
            "retire_prevention_question",
            {"theme_code": theme_code, "question_id": question_id, "source": source},
            lambda edits: edits.retire_prevention_question(
                shipped(), theme_code, question_id, source, request.actor
            ),
        )

    # Inside --------------------------------------------------------------------------------

    def _edit(
        self,
        request: Request,
        command: str,
        arguments: dict[str, Any],
        edit: Callable[[CatalogueEdits], None],
    ) -> CommandResult:
        """Load (or start) the record of edits and apply `edit`; a save that lost a race with
        another edit is decided again, on the new version."""

        def decide() -> tuple[list[CatalogueEdits], CommandResult]:
            try:
                edits = self.catalogue_edits()
            except NotFound:
                edits = CatalogueEdits.start(request.actor)
            edit(edits)
            return [edits], result_of(edits)

        return self.execute(
            request, command, arguments, decide, CommandResult, decide_again_on_race=True
        )

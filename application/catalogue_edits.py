"""Commands of the service's staff on the catalogues, and the catalogue they leave in effect.

The shipped catalogues (`catalogues.default_catalogues()`) are data files; the staff's edits are
events of the one `CatalogueEdits` record. `catalogue()` is what every command and query of the
portal offers and accepts: the shipped catalogue with the edits applied, computed once per
version of that record (the record is read, its new events fetched, on each call).

All edits go to the same record: two staff members saving at the same moment both succeed, the
second save being decided again on the new version (its checks included).
"""

import functools
from collections.abc import Callable
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from application.base import RegistreApplication, result_of
from application.requests import CommandResult, Request
from catalogues import Catalogues, default_catalogues
from domain.catalogue_edits import (
    CatalogueAction,
    CatalogueCmrAgent,
    CatalogueEdits,
    CatalogueRisk,
    ShippedCatalogue,
)
from domain.errors import Conflict, NotFound
from domain.health import AgentKind

SAVE_ATTEMPTS = 5
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

        for attempt in range(SAVE_ATTEMPTS):
            try:
                return self.execute(request, command, arguments, decide, CommandResult)
            except Conflict:
                if attempt + 1 == SAVE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

"""Mutations of the catalogues by the service's staff: risks (add, change, retire), suggested
prevention actions (add), CMR agents (add, retire). Each names its source; the catalogue
queries show the effect at once, and the declaration accepts what was added and refuses what
was retired."""

from typing import Annotated
from uuid import UUID

import strawberry

from api.authorization import mutation
from api.commands import CommandInput, run
from api.context import GraphQLInfo
from api.enums import AgentKind
from api.failures import Failure
from api.rules import SERVICE
from api.services import Services
from application.requests import CommandResult

SOURCE_DESCRIPTION = (
    "La source sur laquelle le service s'appuie (texte réglementaire, brochure, avis du médecin"
    " du travail…) ; mettre « provisoire » pour une entrée encore à relire."
)


@strawberry.input(description="Une modification du catalogue, et sa source.")
class CatalogueEditInput(CommandInput):
    source: str = strawberry.field(description=SOURCE_DESCRIPTION)


@strawberry.input(description="Nouveau risque du catalogue, dans une famille existante.")
class AddCatalogueRiskInput(CatalogueEditInput):
    family_code: str = strawberry.field(description="Code de la famille (« biomechanical »…).")
    code: str = strawberry.field(
        description="Code du risque : minuscules sans accent, chiffres, « _ » et « . »."
    )
    label: str
    description: str


@strawberry.input(description="Nouveau libellé et/ou nouvelle description d'un risque.")
class ChangeCatalogueRiskInput(CatalogueEditInput):
    code: str
    label: str | None = strawberry.field(default=None, description="Inchangé si absent.")
    description: str | None = strawberry.field(default=None, description="Inchangée si absente.")


@strawberry.input(
    description="Retrait d'un risque : il n'est plus proposé ; les déclarations qui l'ont déjà"
    " gardent son code."
)
class RetireCatalogueRiskInput(CatalogueEditInput):
    code: str


@strawberry.input(description="Nouvelle action de prévention suggérée pour un risque.")
class AddSuggestedActionInput(CatalogueEditInput):
    risk_code: str
    code: str = strawberry.field(
        description="Code de l'action : minuscules sans accent, chiffres, « _ » et « . »."
    )
    label: str


@strawberry.input(
    description="Nouvel agent CMR : une substance (numéro CAS obligatoire) ou un procédé (sans"
    " numéro CAS)."
)
class AddCmrAgentInput(CatalogueEditInput):
    kind: AgentKind
    name: str = strawberry.field(description="Nom français.")
    clp_hazard: str = strawberry.field(description="Classification CLP (« Carc. 1B »…).")
    name_en: str | None = strawberry.field(default=None, description="Nom anglais, facultatif.")
    cas_number: str | None = None


@strawberry.input(
    description="Retrait d'un agent CMR, désigné par son numéro CAS ou par son nom (l'un ou"
    " l'autre) : il n'est plus proposé ; les expositions déjà enregistrées le gardent."
)
class RetireCmrAgentInput(CatalogueEditInput):
    cas_number: str | None = None
    name: str | None = None


@strawberry.type(description="Le catalogue après la modification.")
class CatalogueEdited:
    aggregate_id: UUID
    version: int


CatalogueEditResult = Annotated[CatalogueEdited | Failure, strawberry.union("CatalogueEditResult")]


def _edited(_: Services, result: CommandResult) -> CatalogueEdited:
    return CatalogueEdited(aggregate_id=result.aggregate_id, version=result.version)


@strawberry.type
class CatalogueMutations:
    @mutation("Ajouter un risque au catalogue (par le service).", SERVICE)
    async def add_catalogue_risk(
        self, info: GraphQLInfo, input: AddCatalogueRiskInput
    ) -> CatalogueEditResult:
        return await run(
            info,
            input,
            lambda app, request: app.add_catalogue_risk(
                request, input.family_code, input.code, input.label, input.description, input.source
            ),
            _edited,
        )

    @mutation("Modifier le libellé ou la description d'un risque (par le service).", SERVICE)
    async def change_catalogue_risk(
        self, info: GraphQLInfo, input: ChangeCatalogueRiskInput
    ) -> CatalogueEditResult:
        return await run(
            info,
            input,
            lambda app, request: app.change_catalogue_risk(
                request, input.code, input.label, input.description, input.source
            ),
            _edited,
        )

    @mutation("Retirer un risque du catalogue (par le service).", SERVICE)
    async def retire_catalogue_risk(
        self, info: GraphQLInfo, input: RetireCatalogueRiskInput
    ) -> CatalogueEditResult:
        return await run(
            info,
            input,
            lambda app, request: app.retire_catalogue_risk(request, input.code, input.source),
            _edited,
        )

    @mutation("Suggérer une action de prévention pour un risque (par le service).", SERVICE)
    async def add_suggested_action(
        self, info: GraphQLInfo, input: AddSuggestedActionInput
    ) -> CatalogueEditResult:
        return await run(
            info,
            input,
            lambda app, request: app.add_suggested_action(
                request, input.risk_code, input.code, input.label, input.source
            ),
            _edited,
        )

    @mutation("Ajouter un agent CMR au catalogue (par le service).", SERVICE)
    async def add_cmr_agent(
        self, info: GraphQLInfo, input: AddCmrAgentInput
    ) -> CatalogueEditResult:
        return await run(
            info,
            input,
            lambda app, request: app.add_cmr_agent(
                request,
                input.kind,
                input.name,
                input.name_en,
                input.cas_number,
                input.clp_hazard,
                input.source,
            ),
            _edited,
        )

    @mutation("Retirer un agent CMR du catalogue (par le service).", SERVICE)
    async def retire_cmr_agent(
        self, info: GraphQLInfo, input: RetireCmrAgentInput
    ) -> CatalogueEditResult:
        return await run(
            info,
            input,
            lambda app, request: app.retire_cmr_agent(
                request, input.cas_number, input.name, input.source
            ),
            _edited,
        )

"""GraphQL types of the annual declaration: campaigns, a member's declarations and steps, the
recap, and the confirmed copies kept as sent."""

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self
from uuid import UUID

import msgspec
import strawberry

from api.counts import Count, by_category_and_contract
from api.from_structs import converted, fields_of
from api.json_names import camel_keys
from api.scalars import JSON
from domain.declaration.composed import content_hash
from projections.declaration import declared, views


@strawberry.type(description="Campagne de déclaration d'une année.")
@fields_of(views.CampaignView)
class Campaign:
    rate_per_capita: Decimal = strawberry.field(description="Cotisation par salarié, € HT.")
    tool_price: Decimal = strawberry.field(description="Outil d'évaluation des risques, € HT/an.")
    reference_date: date = strawberry.field(description="Date de l'effectif facturé.")


@strawberry.type(description="Une étape : ouverte quand les précédentes sont validées.")
@fields_of(views.StepView)
class DeclarationStepState:
    revision: int = strawberry.field(
        description="À renvoyer comme expectedRevision d'une modification de cette étape."
    )


@strawberry.type(description="Déclaration annuelle d'un adhérent pour une année.")
@fields_of(views.DeclarationView, left_out=("declaration_id", "started_at", "version"))
class Declaration:
    edition: int = strawberry.field(description="Version : 1, puis +1 à chaque réouverture.")
    handled_by: UUID | None = strawberry.field(
        description="L'utilisateur à qui la déclaration a été transférée."
    )
    steps: list[DeclarationStepState]
    prevention: JSON = strawberry.field(
        description="Réponses par thème (étape 4) : code du thème → identifiant de la question"
        " → réponse ; ces clés sont des données, telles qu'answerPrevention les reçoit."
    )
    risks: list[str] = strawberry.field(description="Codes des risques ajoutés (étape 5).")

    @classmethod
    def of(cls, view: views.DeclarationView) -> Self:
        return converted(cls, view, prevention=JSON(msgspec.to_builtins(view.prevention)))


@strawberry.type(
    description="Récapitulatif (étape 10) : effectif déclaré ce jour, effectif facturé à la date"
    " de référence (ni intérimaires ni stagiaires), montants HT, TVA 20 %, TTC."
)
@fields_of(declared.Recap)
class Recap:
    by_category: list[Count]
    by_contract_type: list[Count]

    @classmethod
    def of(cls, totals: declared.Recap) -> Self:
        return converted(cls, totals, **by_category_and_contract(Count, totals))


COPY_DATA_MAPS = frozenset({"prevention", "by_category", "by_contract_type"})
"""The fields of a frozen copy whose value is a map keyed by data, kept as it is in the copy a
client reads: the prevention answers (theme code → question id → answer), the headcounts by
category and by contract type (codes)."""


def client_copy(content: Any) -> JSON:
    """A frozen copy (or a part of it) as clients read it: its field names in camelCase."""
    return JSON(camel_keys(content, COPY_DATA_MAPS))


@strawberry.type(
    description="Une version confirmée, telle que transmise au service : la copie figée et son"
    " empreinte SHA-256."
)
class Confirmation:
    year: int
    edition: int
    confirmed_at: datetime
    confirmed_by: str
    on_behalf_of: UUID | None
    content_hash: str
    intact: bool = strawberry.field(description="La copie a toujours cette empreinte.")
    content: JSON | None = strawberry.field(
        description="La copie figée (JSON, champs nommés en camelCase). L'effectif nommé"
        " (workforce) et la liste CMR (cmrExposures) n'y sont que pour qui a le droit de les"
        " lire : le rôle Facturation voit la copie sans eux."
    )
    reopened_at: datetime | None
    reopen_reason: str | None

    @classmethod
    def of(cls, view: views.ConfirmationView, opened: str | None) -> Self:
        """`opened`: the copy with its identities opened (`DeclarationQueries.opened`)."""
        content = None if opened is None else client_copy(msgspec.json.decode(opened))
        return converted(cls, view, intact=intact(view), content=content)

    def without(self, parts: frozenset[str]) -> Self:
        """This confirmation, its copy without `parts` (its hash is still the whole copy's)."""
        if not isinstance(self.content, dict):
            return self
        kept = {key: value for key, value in self.content.items() if key not in parts}
        return dataclasses.replace(self, content=JSON(kept))


def intact(view: views.ConfirmationView) -> bool:
    return view.frozen is not None and content_hash(view.frozen) == view.content_hash

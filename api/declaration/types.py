"""GraphQL types of the annual declaration: campaigns, a member's declarations and steps, the
recap, and the confirmed copies kept as sent."""

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Self
from uuid import UUID

import msgspec
import strawberry

from api.enums import DeclarationStatus, DeclarationStep
from api.scalars import JSON
from api.shaping import shaped
from domain.declaration.declaration import content_hash
from projections.declaration import declared, views


@strawberry.type(description="Campagne de déclaration d'une année.")
class Campaign:
    year: int
    opens_on: date
    deadline: date
    rate_per_capita: Decimal = strawberry.field(description="Cotisation par salarié, € HT.")
    tool_price: Decimal = strawberry.field(description="Outil d'évaluation des risques, € HT/an.")
    reference_date: date = strawberry.field(description="Date de l'effectif facturé.")
    closed_on: date | None

    @classmethod
    def of(cls, view: views.CampaignView) -> Self:
        return shaped(cls, view)


@strawberry.type(description="Une étape : ouverte quand les précédentes sont validées.")
class DeclarationStepState:
    step: DeclarationStep
    number: str
    label: str
    completed: bool
    open: bool
    revision: int = strawberry.field(
        description="À renvoyer comme expectedRevision d'une modification de cette étape."
    )

    @classmethod
    def of(cls, view: views.StepView) -> Self:
        return shaped(cls, view)


@strawberry.type(description="Déclaration annuelle d'un adhérent pour une année.")
class Declaration:
    member_id: UUID
    year: int
    edition: int = strawberry.field(description="Version : 1, puis +1 à chaque réouverture.")
    status: DeclarationStatus
    handled_by: UUID | None = strawberry.field(
        description="L'utilisateur à qui la déclaration a été transférée."
    )
    steps: list[DeclarationStepState]
    prevention: JSON = strawberry.field(description="Réponses par thème (étape 4).")
    risks: list[str] = strawberry.field(description="Codes des risques ajoutés (étape 5).")
    declined_risks: list[str]
    tool_subscribed: bool | None
    tool_price: Decimal | None
    purchase_order: str | None
    terms_accepted: bool
    updated_at: datetime | None

    @classmethod
    def of(cls, view: views.DeclarationView) -> Self:
        return shaped(
            cls,
            view,
            steps=[DeclarationStepState.of(step) for step in view.steps],
            prevention=JSON(msgspec.to_builtins(view.prevention)),
        )


@strawberry.type(description="Effectif par valeur (catégorie de suivi, type de contrat).")
class Count:
    key: str
    count: int


@strawberry.type(
    description="Récapitulatif (étape 10) : effectif déclaré ce jour, effectif facturé à la date"
    " de référence (ni intérimaires ni stagiaires), montants HT, TVA 20 %, TTC."
)
class Recap:
    declared_on: date
    declared_headcount: int
    by_category: list[Count]
    by_contract_type: list[Count]
    reference_date: date
    billed_headcount: int
    rate_per_capita: Decimal
    tool_price: Decimal | None
    amount_ht: Decimal
    vat: Decimal
    amount_ttc: Decimal

    @classmethod
    def of(cls, totals: declared.Recap) -> Self:
        return shaped(
            cls,
            totals,
            by_category=_counts(totals.by_category),
            by_contract_type=_counts(totals.by_contract_type),
        )


def _counts(counts: dict[str, int]) -> list[Count]:
    return [Count(key=key, count=counts[key]) for key in sorted(counts)]


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
        description="La copie figée (JSON). L'effectif nommé (workforce) et la liste CMR"
        " (cmr_exposures) n'y sont que pour qui a le droit de les lire : le rôle Facturation"
        " voit la copie sans eux."
    )
    reopened_at: datetime | None
    reopen_reason: str | None

    @classmethod
    def of(cls, view: views.ConfirmationView) -> Self:
        content = None if view.frozen is None else JSON(msgspec.json.decode(view.frozen))
        return shaped(cls, view, intact=intact(view), content=content)

    def without(self, parts: frozenset[str]) -> Self:
        """This confirmation, its copy without `parts` (its hash is still the whole copy's)."""
        if not isinstance(self.content, dict):
            return self
        kept = {key: value for key, value in self.content.items() if key not in parts}
        return dataclasses.replace(self, content=JSON(kept))


def intact(view: views.ConfirmationView) -> bool:
    return view.frozen is not None and content_hash(view.frozen) == view.content_hash

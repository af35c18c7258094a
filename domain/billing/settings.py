"""The service's billing settings, kept by its staff with history: its identity as a seller and
the terms of each campaign year. An invoice copies both as they stand when it is issued."""

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.billing.parties import Seller
from domain.billing.terms import BillingTerms
from domain.errors import NotFound

SETTINGS_ID = uuid5(UUID("3c9d2e1f-4a5b-5c6d-8e7f-9a0b1c2d3e4f"), "billing settings")

NO_SELLER = NotFound(
    "Les coordonnées du service comme vendeur ne sont pas renseignées : aucune facture ne peut"
    " être émise.",
    code="SELLER_NOT_SET",
)


class BillingSettings(RegistreAggregate):
    seller: Seller | None
    terms: dict[int, BillingTerms]

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return SETTINGS_ID

    @classmethod
    def start(cls, actor: Actor) -> "BillingSettings":
        return cls(actor=actor)

    @event("BillingSettingsOpened")
    def __init__(self, actor: Actor) -> None:
        self.seller = None
        self.terms = {}

    def change_seller(self, seller: Seller, actor: Actor) -> None:
        self._seller_changed(seller=seller.validated(), actor=actor)

    @event("SellerChanged")
    def _seller_changed(self, seller: Seller, actor: Actor) -> None:
        self.seller = seller

    def set_terms(self, terms: BillingTerms, actor: Actor) -> None:
        self._terms_set(terms=terms.validated(), actor=actor)

    @event("BillingTermsSet")
    def _terms_set(self, terms: BillingTerms, actor: Actor) -> None:
        self.terms = {**self.terms, terms.year: terms}

    def current_seller(self) -> Seller:
        if self.seller is None:
            raise NO_SELLER
        return self.seller

    def terms_of(self, year: int) -> BillingTerms:
        try:
            return self.terms[year]
        except KeyError:
            raise NotFound(
                f"Les conditions de facturation de {year} ne sont pas renseignées.",
                code="BILLING_TERMS_NOT_SET",
            ) from None

"""Headcounts by value (follow-up category, contract type), as the workforce's headcount and
the declaration's recap show them."""

from collections.abc import Mapping
from typing import Protocol, TypeVar

import strawberry


@strawberry.type(description="Un effectif pour une valeur (catégorie de suivi, type de contrat).")
class CountByKey:
    key: str
    count: int


@strawberry.type(description="Effectif par valeur (catégorie de suivi, type de contrat).")
class Count(CountByKey):
    """The recap's name for the same count."""


C = TypeVar("C", bound=CountByKey)


class Breakdown(Protocol):
    """What the workforce's headcount and the recap both break down."""

    @property
    def by_category(self) -> Mapping[str, int]: ...

    @property
    def by_contract_type(self) -> Mapping[str, int]: ...


def by_category_and_contract(kind: type[C], headcount: Breakdown) -> dict[str, list[C]]:
    """A headcount's `by_category` and `by_contract_type`, each in the order of its keys."""
    return {
        "by_category": _by_key(kind, headcount.by_category),
        "by_contract_type": _by_key(kind, headcount.by_contract_type),
    }


def _by_key(kind: type[C], counts: Mapping[str, int]) -> list[C]:
    return [kind(key=key, count=counts[key]) for key in sorted(counts)]

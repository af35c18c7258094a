"""Listes CMR du service (décret n° 2024-307) pour les autorités de contrôle : la liste de tout
le service à une date passée, selon ce qui était connu, la recherche d'un adhérent, la liste
anonyme."""

from pytest_bdd import scenarios

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.cmr_lists import *  # noqa: F403 (the steps of these lists)

scenarios("listes_cmr.feature")

"""Des données dignes de confiance : chaque saisie invraisemblable est refusée (issue 15)."""

from pytest_bdd import scenarios

from features.steps.trust import *  # noqa: F403 (the fixtures and steps of this feature)

scenarios("donnees_fiables.feature")

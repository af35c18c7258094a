"""Effacement d'un salarié : il disparaît partout sauf de ce que la loi garde."""

from pytest_bdd import scenarios

from features.steps.erasure import *  # noqa: F403 (the fixtures and steps of the erasure)

scenarios("effacement.feature")

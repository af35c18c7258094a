"""The service rebuilds every read model from the first event while the portal runs
(`registre projections rebuild`), and the portal then reads the new generations.

Specs that rebuild the read side (`test_reouverture.py`, `test_facturation.py`) take these steps
with `from features.steps.read_models import *` (`__all__` lists the step definitions); what they
compare afterwards stays in their module.
"""

import time

from pytest_bdd import then

from api.services import Services
from contexts import READ_MODELS
from features.steps.accounts import Portal
from features.steps.annual_declaration import Journey, action, phrase

SWITCH_SECONDS = 3.0
"""How long the portal may take to read the new generations (it looks every second)."""


@action("le service reconstruit tous les modèles de lecture depuis le premier événement")
def rebuilds(portal: Portal, journey: Journey, services: Services) -> None:
    """A new generation of each read model, built from event zero, then switched to; the
    generations read before are kept to compare."""
    portal.reply = None
    journey.kept["generations"] = services.runner.active_generations()
    for model in READ_MODELS:
        services.runner.rebuild(model.name)


@then(phrase("le portail lit désormais chaque modèle de lecture dans sa nouvelle génération"))
def new_generations(journey: Journey, services: Services) -> None:
    before = journey.kept["generations"]
    now = services.runner.active_generations()
    assert set(now) == {model.name for model in READ_MODELS}, now
    assert all(now[name] > before[name] for name in now), (before, now)
    deadline = time.monotonic() + SWITCH_SECONDS
    while any(services.generations.of(name) != now[name] for name in now):
        assert time.monotonic() < deadline, "le portail lit toujours les anciennes générations"
        time.sleep(0.05)


__all__ = [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]
"""The step definitions, whose names pytest-bdd makes."""

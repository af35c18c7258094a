"""The service reopens a confirmed declaration, with a reason (seed 004 §2.5): a new edition
starts, the confirmed one stays as it was sent.

Specs that reopen a declaration (`test_reouverture.py`, `test_facturation.py`) take these steps
with `from features.steps.reopening import *` (`__all__` lists the step definitions), besides
those of `features.steps.accounts` and `features.steps.annual_declaration`.
"""

from features.steps.accounts import Portal, Reply
from features.steps.annual_declaration import REOPEN, Journey, action, declaration_input


def reopen(portal: Portal, journey: Journey, reason: str) -> None:
    variables = declaration_input(portal, journey, reason=reason)
    variables["input"].pop("expectedRevision", None)
    portal.reply = Reply.of_result(portal.staff(REOPEN, variables)["reopenDeclaration"])


@action(
    "le service rouvre la déclaration {year:Year} de « {legal_name} » pour le motif « {reason} »"
)
def service_reopens(
    portal: Portal, journey: Journey, year: int, legal_name: str, reason: str
) -> None:
    assert year == journey.campaign_year
    portal.company(legal_name)
    reopen(portal, journey, reason)


@action(
    "le service a rouvert la déclaration {year:Year} de « {legal_name} » pour le motif « {reason} »"
)
def service_reopened(
    portal: Portal, journey: Journey, year: int, legal_name: str, reason: str
) -> None:
    service_reopens(portal=portal, journey=journey, year=year, legal_name=legal_name, reason=reason)


__all__ = [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]
"""The step definitions, whose names pytest-bdd makes."""

"""Seed 000 and seed 004 §2.5: the service reopens a confirmed declaration, with a reason; a new
edition starts, the confirmed one stays as it was sent; and a confirmed declaration reads the
same, byte for byte, once every read model has been rebuilt from the first event."""

import time
from typing import Any
from uuid import UUID

from pytest_bdd import scenarios, then

from api.services import Services
from contexts import READ_MODELS
from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal, Reply
from features.steps.annual_declaration import *  # noqa: F403 (the declaration's steps)
from features.steps.annual_declaration import (
    DECLARATIONS,
    REOPEN,
    Journey,
    action,
    confirmations_of,
    declaration_input,
    declaration_of,
    euros,
    french_date,
    phrase,
    the_company,
    transmitted_cmr,
)

scenarios("reouverture.feature")

SWITCH_SECONDS = 3.0
"""How long the portal may take to read the new generations (it looks every second)."""


def reopen(portal: Portal, journey: Journey, reason: str) -> None:
    variables = declaration_input(portal, journey, reason=reason)
    variables["input"].pop("expectedRevision", None)
    portal.reply = Reply.of_result(portal.staff(REOPEN, variables)["reopenDeclaration"])


def what_the_portal_shows(portal: Portal, journey: Journey, services: Services) -> dict[str, Any]:
    """The declaration as the service reads it: through the API, and the copies as stored."""
    company = the_company(portal)
    confirmations = confirmations_of(portal, journey)
    return {
        "confirmations": confirmations,
        "stored": services.declarations.confirmations(
            UUID(company.member_id), journey.campaign_year
        ),
        "cmr": [transmitted_cmr(portal, journey, c["edition"]) for c in confirmations],
        "declaration": declaration_of(portal, journey),
        "declarations": portal.staff(DECLARATIONS, {"memberId": company.member_id}),
    }


# Actions --------------------------------------------------------------------------------------


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


@action("{first_name:Name} rouvre elle-même la déclaration {year:Year} pour le motif « {reason} »")
def member_reopens(
    portal: Portal, journey: Journey, first_name: str, year: int, reason: str
) -> None:
    assert year == journey.campaign_year
    variables = declaration_input(portal, journey, reason=reason)
    portal.mutation(portal.person(first_name), REOPEN, variables, "reopenDeclaration")


@action("le service note ce que le portail montre de la déclaration {year:Year}")
def notes(portal: Portal, journey: Journey, services: Services, year: int) -> None:
    assert year == journey.campaign_year
    journey.kept["before"] = what_the_portal_shows(portal, journey, services)
    journey.kept["generations"] = services.runner.active_generations()


@action("le service reconstruit tous les modèles de lecture depuis le premier événement")
def rebuilds(portal: Portal, services: Services) -> None:
    """`registre projections rebuild`, while the portal runs: a new generation of each read
    model, built from event zero, then switched to."""
    portal.reply = None
    for model in READ_MODELS:
        services.runner.rebuild(model.name)


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("les versions confirmées de la déclaration {year:Year} sont :"))
def confirmed_editions(
    portal: Portal, journey: Journey, year: int, datatable: list[list[str]]
) -> None:
    """| version | montant TTC | rouverte le | motif de la réouverture |."""
    assert year == journey.campaign_year
    today = f"{portal.clock.today():%d/%m/%Y}"
    shown = [
        [
            str(c["edition"]),
            euros(c["content"]["recap"]["amount_ttc"]),
            french_date(c["reopenedAt"]).replace(today, "aujourd'hui"),
            c["reopenReason"] or "",
        ]
        for c in sorted(confirmations_of(portal, journey), key=lambda c: c["edition"])
    ]
    assert shown == datatable[1:], shown


@then(phrase("les deux versions confirmées ont des empreintes différentes"))
def different_hashes(portal: Portal, journey: Journey) -> None:
    hashes = {c["contentHash"] for c in confirmations_of(portal, journey)}
    assert len(hashes) == 2, hashes


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


@then(
    phrase(
        "les versions confirmées de la déclaration {year:Year} sont identiques, octet pour octet :"
        " copie figée, empreinte, confirmation et réouverture"
    )
)
def same_confirmations(portal: Portal, journey: Journey, services: Services, year: int) -> None:
    assert year == journey.campaign_year
    before, after = journey.kept["before"], what_the_portal_shows(portal, journey, services)
    assert [c.frozen for c in after["stored"]] == [c.frozen for c in before["stored"]]
    assert [c.frozen.encode() for c in after["stored"] if c.frozen] == [
        c.frozen.encode() for c in before["stored"] if c.frozen
    ]
    assert after["stored"] == before["stored"]
    assert after["confirmations"] == before["confirmations"]
    assert len(after["confirmations"]) == 2


@then(phrase("chaque version confirmée est toujours intacte"))
def all_intact(portal: Portal, journey: Journey) -> None:
    assert all(c["intact"] for c in confirmations_of(portal, journey))


@then(phrase("les listes CMR transmises avec les versions 1 et 2 sont identiques"))
def same_cmr_lists(portal: Portal, journey: Journey, services: Services) -> None:
    assert what_the_portal_shows(portal, journey, services)["cmr"] == journey.kept["before"]["cmr"]


@then(phrase("la déclaration {year:Year}, ses étapes et la liste des déclarations sont identiques"))
def same_declaration(portal: Portal, journey: Journey, services: Services, year: int) -> None:
    assert year == journey.campaign_year
    after = what_the_portal_shows(portal, journey, services)
    assert after["declaration"] == journey.kept["before"]["declaration"]
    assert after["declarations"] == journey.kept["before"]["declarations"]

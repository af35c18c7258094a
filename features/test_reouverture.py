"""Seed 000 and seed 004 §2.5: the service reopens a confirmed declaration, with a reason; a new
edition starts, the confirmed one stays as it was sent; and a confirmed declaration reads the
same, byte for byte, once every read model has been rebuilt from the first event."""

from typing import Any
from uuid import UUID

from pytest_bdd import scenarios, then

from api.services import Services
from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal
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
from features.steps.read_models import *  # noqa: F403 (the rebuild of the read side)
from features.steps.reopening import *  # noqa: F403 (the service reopens a declaration)

scenarios("reouverture.feature")


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
            euros(c["content"]["recap"]["amountTtc"]),
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

"""Seed 000, step 3: once the workforce is validated, the declaration is handed to a colleague
with the Déclaration role, who is told by e-mail and goes on with it."""

from uuid import uuid4

from pytest_bdd import scenarios, then

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal
from features.steps.annual_declaration import *  # noqa: F403 (the declaration's steps)
from features.steps.annual_declaration import (
    TRANSFER,
    Journey,
    action,
    declaration_input,
    declaration_of,
    phrase,
    risk_label,
)

scenarios("transfert_de_la_declaration.feature")

TRANSFER_SUBJECT = "Déclaration annuelle {year} de {legal_name} : à vous de poursuivre"


@action("{first_name:Name} transfère la déclaration {year:Year} à {colleague:Name}")
def transfers(portal: Portal, journey: Journey, first_name: str, year: int, colleague: str) -> None:
    assert year == journey.campaign_year
    account_id = portal.account_id(portal.person(colleague))
    variables = declaration_input(portal, journey, accountId=account_id)
    portal.mutation(portal.person(first_name), TRANSFER, variables, "transferDeclaration")


@action(
    "{first_name:Name} transfère la déclaration {year:Year} à {colleague:Name},"
    " qui n'a pas accès au portail de l'entreprise"
)
def transfers_to_stranger(
    portal: Portal, journey: Journey, first_name: str, year: int, colleague: str
) -> None:
    """The form names somebody who is no user of the member (an account id unknown there)."""
    assert year == journey.campaign_year
    portal.person(colleague)
    variables = declaration_input(portal, journey, accountId=str(uuid4()))
    portal.mutation(portal.person(first_name), TRANSFER, variables, "transferDeclaration")


@then(phrase("la déclaration {year:Year} est confiée à {colleague:Name}"))
def handled_by(portal: Portal, journey: Journey, year: int, colleague: str) -> None:
    assert year == journey.campaign_year
    declaration = declaration_of(portal, journey)
    assert declaration["handledBy"] == portal.account_id(portal.person(colleague)), declaration


@then(phrase("la déclaration {year:Year} n'est confiée à personne"))
def handled_by_nobody(portal: Portal, journey: Journey, year: int) -> None:
    assert year == journey.campaign_year
    assert declaration_of(portal, journey)["handledBy"] is None


@then(phrase("{first_name:Name} n'a reçu aucun e-mail de transfert"))
def no_transfer_mail(portal: Portal, journey: Journey, first_name: str) -> None:
    subject = TRANSFER_SUBJECT.format(
        year=journey.campaign_year, legal_name=next(iter(portal.companies))
    )
    mails = portal.mails_to(portal.person(first_name).email)
    assert [m["Subject"] for m in mails if m["Subject"] == subject] == []


@then(
    phrase(
        "les risques déclarés par {first_name:Name} pour {year:Year} sont « {first} » et"
        " « {second} »"
    )
)
def risks_declared(  # noqa: PLR0917
    portal: Portal, journey: Journey, first_name: str, year: int, first: str, second: str
) -> None:
    assert year == journey.campaign_year
    declaration = declaration_of(portal, journey, portal.person(first_name))
    assert [risk_label(portal, code) for code in declaration["risks"]] == [first, second]

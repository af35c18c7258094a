"""Seed 000: the steps of the declaration open in order (the optional tool aside), each with its
own revision; two people on different steps both save, two on the same step do not overwrite
each other; a declaration left half done is found again as it was, days later, by a colleague."""

from concurrent.futures import ThreadPoolExecutor

from pytest_bdd import scenarios, then, when

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal, Reply, User, accepted
from features.steps.annual_declaration import *  # noqa: F403 (the declaration's steps)
from features.steps.annual_declaration import (
    CHOOSE_TOOL,
    PURCHASE_ORDER_FORM,
    Journey,
    action,
    declaration_input,
    declaration_of,
    phrase,
    shown_answer,
    theme_named,
)
from tests.api.sessions import STAFF_EMAIL, sign_in

scenarios("etapes_de_la_declaration.feature")

LOGOUT = """
mutation { logout { __typename ... on Done { message } ... on ForbiddenError { code message } } }"""


@action("{first_name:Name} se déconnecte")
def logs_out(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    accepted(portal.mutation(who, LOGOUT, {}, "logout"), f"la déconnexion de {first_name}")
    who.token = None


@action("{days:d} jours passent")
def days_pass(portal: Portal, days: int) -> None:
    """The service's clock moves on; its staff, back at work, sign in again (a session lasts a
    working day)."""
    portal.reply = None
    portal.clock.advance(days=days)
    portal.staff_token = sign_in(portal.client, portal.outbox, STAFF_EMAIL)
    portal.client.headers.pop("Authorization", None)


@when(
    phrase(
        "au même moment, {first_name:Name} relie le n° de bon de commande « {number} » (étape 10)"
        " et {other:Name} active l'outil d'évaluation des risques (étapes 6 à 8)"
    )
)
def same_moment(portal: Portal, journey: Journey, first_name: str, number: str, other: str) -> None:
    """Both save from the screen they loaded, in two browsers at once."""

    def save(who: User, step: str, mutation: str, name: str, **fields: object) -> Reply:
        revision = journey.screens[who.first_name][step]
        variables = declaration_input(portal, journey, expectedRevision=revision, **fields)
        body = portal.send(who.token, mutation, variables)
        assert "errors" not in body, body["errors"]
        return Reply.of_result(body["data"][name])

    first, second = portal.person(first_name), portal.person(other)
    with ThreadPoolExecutor(max_workers=2) as browsers:
        order = browsers.submit(
            save, first, "RECAP", PURCHASE_ORDER_FORM, "givePurchaseOrder", purchaseOrder=number
        )
        tool = browsers.submit(
            save, second, "RISK_TOOL", CHOOSE_TOOL, "chooseRiskTool", subscribed=True
        )
        journey.kept["replies"] = [order.result(), tool.result()]


@then(phrase("les deux modifications sont enregistrées"))
def both_saved(journey: Journey) -> None:
    replies = journey.kept["replies"]
    assert [r.typename for r in replies] == ["DeclarationChanged"] * 2, [
        r.describe() for r in replies
    ]


@then(phrase("{first_name:Name} retrouve les réponses au thème « {label} » :"))
def answers_found(
    portal: Portal, journey: Journey, first_name: str, label: str, datatable: list[list[str]]
) -> None:
    """Exactly the answers given to the theme: | question | réponse |."""
    theme = theme_named(portal, label)
    labels = {q["id"]: q["label"] for q in theme["questions"]}
    declaration = declaration_of(portal, journey, portal.person(first_name))
    answers = declaration["prevention"].get(theme["code"], {})
    shown = [[labels[question], shown_answer(value)] for question, value in answers.items()]
    assert sorted(shown) == sorted(datatable[1:]), shown


@then(
    phrase(
        "la déclaration {year:Year} a pour bon de commande « {number} »"
        " et l'outil d'évaluation activé"
    )
)
def purchase_order_and_tool(portal: Portal, journey: Journey, year: int, number: str) -> None:
    assert year == journey.campaign_year
    declaration = declaration_of(portal, journey)
    assert declaration["purchaseOrder"] == number, declaration
    assert declaration["toolSubscribed"] is True, declaration

"""Seed 000: signing in with a code received by e-mail, end to end through the GraphQL API, the
service's clock moved forward by the scenarios (the 30 minutes of a code, the waits imposed
after repeated failures)."""

import re

import parse
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from api.services import Services
from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import (
    Portal,
    Reply,
    User,
    accepted,
    body,
    code_in,
    login_with_code,
    me,
    one_line,
    request_code,
)
from features.steps.vocabulary import TYPES

scenarios("connexion_par_code.feature")

SOMEONE = "quelqu'un"
AUDIT_TRAIL = """
query($id: UUID!) {
  auditTrail(aggregateId: $id, first: 100) { edges { node { eventType summary } } }
}"""
LOGOUT = "mutation { logout { __typename ... on Done { message } } }"


@parse.with_pattern(r"quelqu'un|[A-Z][a-zéèëï]+")
def _someone(text: str) -> str:
    return text


def phrase(text: str) -> parsers.parse:
    extra = {**TYPES, "Someone": _someone}
    return parsers.parse(text, extra_types=extra, case_sensitive=True)


@pytest.fixture
def screens() -> dict[str, Reply]:
    """What the portal showed to each person who asked a code (« quelqu'un »: a stranger)."""
    return {}


@pytest.fixture
def attempts() -> list[Reply]:
    """The portal's answers to the wrong codes typed in the scenario."""
    return []


def received_code(portal: Portal, who: User) -> str:
    return code_in(portal.last_mail_to(who.email))


def a_wrong_code(portal: Portal, who: User) -> str:
    """A code of 8 digits, not the one received."""
    return "00000000" if received_code(portal, who) != "00000000" else "11111111"


# Situation ------------------------------------------------------------------------------------


@given(phrase("{first_name:Someone} s'est déconnectée"))
def logged_out(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    accepted(portal.mutation(who, LOGOUT, {}, "logout"), f"la déconnexion de {first_name}")
    who.token, portal.current = None, None


@given(phrase("{first_name:Someone} a demandé un code de connexion"))
def code_requested(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    accepted(request_code(portal, who.email), f"la demande de code de {first_name}")


@given(phrase("{first_name:Someone} s'est connectée avec le code reçu"))
def signed_in_with_code(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    accepted(login_with_code(portal, who, received_code(portal, who)), "la connexion")


# Actions --------------------------------------------------------------------------------------


@when(phrase("{someone:Someone} demande un code de connexion pour l'adresse « {email} »"))
def ask_code(portal: Portal, screens: dict[str, Reply], someone: str, email: str) -> None:
    screens[someone] = request_code(portal, email)


@when(phrase("{first_name:Someone} saisit le code reçu"))
@when(phrase("{first_name:Someone} saisit aussitôt le code reçu"))
def type_code(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    login_with_code(portal, who, received_code(portal, who))


@when(phrase("quelqu'un saisit de nouveau ce code avec l'adresse de {first_name:Someone}"))
def type_code_again(portal: Portal, first_name: str) -> None:
    """From another computer: the code is the one Claire already used."""
    who = portal.person(first_name)
    token = who.token
    login_with_code(portal, who, received_code(portal, who))
    who.token = token


@when(phrase("{first_name:Someone} saisit {times:d} fois de suite un code erroné"))
def type_wrong_codes(portal: Portal, attempts: list[Reply], first_name: str, times: int) -> None:
    who = portal.person(first_name)
    attempts.extend(login_with_code(portal, who, a_wrong_code(portal, who)) for _ in range(times))


@when(
    phrase(
        "{first_name:Someone} saisit {times:d} fois un code erroné, à {gap:d} minutes d'intervalle"
    )
)
def type_wrong_codes_slowly(
    portal: Portal, attempts: list[Reply], first_name: str, times: int, gap: int
) -> None:
    """Waiting between two tries longer than the portal asks: each try is counted."""
    who = portal.person(first_name)
    for attempt in range(times):
        if attempt:
            portal.clock.advance(minutes=gap)
        reply = login_with_code(portal, who, a_wrong_code(portal, who))
        assert reply.code == "LOGIN_REFUSED", f"essai n° {attempt + 1} : {reply.describe()}"
        attempts.append(reply)


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("{first_name:Someone} reçoit l'e-mail « {subject} », qui dit « {excerpt} »"))
def mail_says(portal: Portal, first_name: str, subject: str, excerpt: str) -> None:
    mail = portal.last_mail_to(portal.person(first_name).email)
    assert mail["Subject"] == subject
    assert excerpt in one_line(body(mail)), body(mail)


@then(phrase("{first_name:Someone} est connectée et travaille pour « {legal_name} »"))
def signed_in(portal: Portal, first_name: str, legal_name: str) -> None:
    who = portal.person(first_name)
    reply = portal.reply
    assert reply is not None
    assert reply.typename == "SignedIn", reply.describe()
    mine = me(portal, who)
    assert mine["email"] == who.email
    assert mine["currentMemberId"] == portal.company(legal_name).member_id


@then(phrase("{first_name:Someone} n'est pas connectée"))
def not_signed_in(portal: Portal, first_name: str) -> None:
    assert portal.reply is not None
    assert portal.reply.typename != "SignedIn"
    assert portal.person(first_name).token is None


@then("la connexion est refusée")
def login_refused(portal: Portal) -> None:
    reply = portal.reply
    assert reply is not None
    assert reply.refused, reply.describe()
    assert reply.message, "le refus doit s'expliquer à l'utilisateur"


@then("le portail lui affiche exactement la même réponse qu'à Claire")
def same_screen(screens: dict[str, Reply]) -> None:
    stranger, claire = screens[SOMEONE], screens["Claire"]
    accepted(claire, "la demande de code de Claire")
    assert (stranger.typename, stranger.code, stranger.message) == (
        claire.typename,
        claire.code,
        claire.message,
    )


@then(
    phrase("l'adresse « {email} » reçoit l'e-mail « {subject} », sans code de connexion, qui dit :")
)
def unknown_address_mail(
    portal: Portal, email: str, subject: str, datatable: list[list[str]]
) -> None:
    mail = portal.last_mail_to(email)
    assert mail["Subject"] == subject
    text = one_line(body(mail))
    for (excerpt,) in datatable:
        assert excerpt in text, text
    assert not re.search(r"\d{6,}", text), "l'e-mail ne doit contenir aucun code"


@then(phrase("chaque fois, la demande est refusée avec le message « {message} »"))
def each_refused(attempts: list[Reply], message: str) -> None:
    assert attempts
    assert [reply.message for reply in attempts] == [message] * len(attempts)


@then(
    phrase(
        "le journal d'audit du compte de {first_name:Someone}, lu par le service,"
        " compte {count:d} « {summary} »"
    )
)
def failures_in_audit(
    portal: Portal, services: Services, first_name: str, count: int, summary: str
) -> None:
    """The staff read the trail a moment later: the read models have caught up with the log
    (sign-ins answer without waiting for them)."""
    services.settle()
    account_id = portal.account_id(portal.person(first_name))
    edges = portal.staff(AUDIT_TRAIL, {"id": account_id})["auditTrail"]["edges"]
    assert [e["node"]["summary"] for e in edges].count(summary) == count

"""Seed 001: the first account of a member, made with the codes of the service's letter, end to
end through the GraphQL API (forms, the password mailed, the forced change of password)."""

from collections.abc import Callable
from typing import Any

from pytest_bdd import given, scenarios, then, when

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import (
    MEMBER,
    MEMBER_USERS,
    ROLE_NAMES,
    Portal,
    Reply,
    User,
    accepted,
    account_form,
    body,
    change_password,
    create_first_account,
    hire,
    login_with_password,
    me,
    password_in,
    phrase,
)
from tests.api.graphql_client import request_id

scenarios("premier_compte.feature")

FORM_FIELDS = {
    "Code adhérent": "memberCode",
    "N° télédéclarant": "declarantNumber",
    "Nom": "lastName",
    "Prénom": "firstName",
    "Fonction": "function",
    "Adresse e-mail": "email",
    "Confirmer adresse e-mail": "emailConfirmation",
    "N° mobile": "mobile",
    "Je suis tiers déclarant de l'entreprise": "thirdPartyDeclarant",
}
"""The labels of the form « Créer votre compte » (seed 001), and the API's fields."""
WELCOME_SUBJECT = "Votre accès au portail adhérent"

REISSUE = """
mutation($input: ReissueDeclarantNumberInput!) {
  reissueDeclarantNumber(input: $input) { __typename ... on ValidationError { code message } }
}"""
ADD_USER = """
mutation($input: AddMemberUserInput!) {
  addMemberUser(input: $input) { __typename ... on ForbiddenError { code message } }
}"""


def signed_in(portal: Portal) -> User:
    assert portal.current is not None, "personne ne s'est connecté"
    return portal.current


def mailed_password(portal: Portal, who: User) -> str:
    welcome = [m for m in portal.mails_to(who.email) if m["Subject"] == WELCOME_SUBJECT]
    assert welcome, f"{who.first_name} n'a pas reçu son mot de passe"
    return password_in(welcome[-1])


# What Claire tries before changing her password -----------------------------------------------


def _read_company(portal: Portal, who: User) -> Reply:
    member_id = me(portal, who)["currentMemberId"]
    return portal.query(who, MEMBER, {"id": member_id}, "member")


def _read_employees(portal: Portal, who: User) -> Reply:
    member_id = me(portal, who)["currentMemberId"]
    query = "query($id: UUID!) { employees(memberId: $id) { edges { node { id } } } }"
    return portal.query(who, query, {"id": member_id}, "employees")


def _hire(portal: Portal, who: User) -> Reply:
    member_id = me(portal, who)["currentMemberId"]
    company = next(c for c in portal.companies.values() if c.member_id == member_id)
    return hire(portal, who, company, "Camille DURAND")


def _add_user(portal: Portal, who: User) -> Reply:
    member_id = me(portal, who)["currentMemberId"]
    person = {
        "email": "paul.martin@garage-martin.fr",
        "lastName": "MARTIN",
        "firstName": "Paul",
        "function": "Comptable",
    }
    variables = {
        "input": {
            "requestId": request_id(),
            "memberId": member_id,
            "person": person,
            "roles": ["BILLING"],
        }
    }
    return portal.mutation(who, ADD_USER, variables, "addMemberUser")


OPERATIONS: dict[str, Callable[[Portal, User], Reply]] = {
    "consulter l'entreprise": _read_company,
    "consulter les salariés": _read_employees,
    "embaucher un salarié": _hire,
    "ajouter un utilisateur": _add_user,
}


# Situation ------------------------------------------------------------------------------------


@given(
    phrase(
        "le service a envoyé à « {legal_name} » le nouveau n° télédéclarant « {declarant_number} »"
    )
)
def reissued(portal: Portal, legal_name: str, declarant_number: str) -> None:
    company = portal.company(legal_name)
    variables = {
        "input": {
            "requestId": request_id(),
            "memberId": company.member_id,
            "declarantNumber": declarant_number,
        }
    }
    reply = Reply.of_result(portal.staff(REISSUE, variables)["reissueDeclarantNumber"])
    accepted(reply, "l'envoi du nouveau n° télédéclarant")


@given(phrase("{first_name:Name} s'est connectée avec le mot de passe reçu par e-mail"))
def signed_in_with_mailed_password(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    accepted(login_with_password(portal, who, who.password), f"la connexion de {first_name}")


# Actions --------------------------------------------------------------------------------------


@when(phrase("{first_name:Name} remplit le formulaire « Créer votre compte » :"))
def fill_in_form(portal: Portal, first_name: str, datatable: list[list[str]]) -> None:
    portal.person(first_name)
    form: dict[str, Any] = {"thirdPartyDeclarant": False}
    for label, typed in datatable:
        assert label in FORM_FIELDS, f"le formulaire n'a pas de champ « {label} »"
        if FORM_FIELDS[label] == "thirdPartyDeclarant":
            form["thirdPartyDeclarant"] = typed == "oui"
        elif typed:
            form[FORM_FIELDS[label]] = typed
    create_first_account(portal, form)


@when(
    phrase(
        "{first_name:Name} crée son compte avec le code adhérent « {member_code} »"
        " et le n° télédéclarant « {declarant_number} »"
    )
)
def create_account(portal: Portal, first_name: str, member_code: str, declarant_number: str):
    create_first_account(
        portal, account_form(portal.person(first_name), member_code, declarant_number)
    )


@when(phrase("{first_name:Name} se connecte avec son adresse e-mail et ce mot de passe"))
def login_with_mailed_password(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    login_with_password(portal, who, who.password)


@when(phrase("{first_name:Name} choisit le mot de passe « {password} »"))
def choose_password(portal: Portal, first_name: str, password: str) -> None:
    change_password(portal, portal.person(first_name), password)


@when(phrase("{first_name:Name} choisit comme nouveau mot de passe celui reçu par e-mail"))
def keep_mailed_password(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    change_password(portal, who, mailed_password(portal, who))


# Outcomes -------------------------------------------------------------------------------------


@then(
    phrase(
        "{first_name:Name} reçoit l'e-mail « {subject} », avec son identifiant et son mot de passe"
    )
)
def welcome_mail(portal: Portal, first_name: str, subject: str) -> None:
    who = portal.person(first_name)
    mail = portal.last_mail_to(who.email)
    assert mail["Subject"] == subject
    assert f"Identifiant : votre adresse e-mail ({who.email})" in body(mail)
    assert "Il vous sera demandé de le changer à la première connexion." in body(mail)
    who.password = password_in(mail)


@then("le portail lui demande de choisir un nouveau mot de passe")
def change_required(portal: Portal) -> None:
    reply = portal.reply
    assert reply is not None
    assert reply.typename == "SignedIn", reply.describe()
    assert reply.content["passwordChangeRequired"] is True


@then(
    phrase(
        "tant qu'elle ne l'a pas fait, le portail lui refuse avec le code {code}"
        " et le message « {message} » :"
    )
)
def refused_until_changed(
    portal: Portal, code: str, message: str, datatable: list[list[str]]
) -> None:
    who = signed_in(portal)
    for (operation,) in datatable:
        assert operation in OPERATIONS, f"opération inconnue : « {operation} »"
        reply = OPERATIONS[operation](portal, who)
        assert (reply.code, reply.message) == (code, message), f"{operation} : {reply.describe()}"


@then(
    phrase("{first_name:Name} voit l'entreprise « {legal_name} », code adhérent « {member_code} »")
)
def sees_company(portal: Portal, first_name: str, legal_name: str, member_code: str) -> None:
    who = portal.person(first_name)
    reply = _read_company(portal, who)
    accepted(reply, f"la consultation de l'entreprise par {first_name}")
    assert reply.content["legalName"] == legal_name
    assert reply.content["memberCode"] == member_code


@then(phrase("{first_name:Name} en est {admin:Admin}"))
def is_administrator(portal: Portal, first_name: str, admin: str) -> None:
    mine = me(portal, portal.person(first_name))
    assert mine["roles"] == ["ADMIN"]
    current = [m for m in mine["memberships"] if m["memberId"] == mine["currentMemberId"]]
    assert [m["roles"] for m in current] == [["ADMIN"]]


@then(phrase("les utilisateurs de « {legal_name} » sont :"))
def member_users(portal: Portal, legal_name: str, datatable: list[list[str]]) -> None:
    """The list of the step « Utilisateurs et contacts », as the service's staff see it."""
    header, *rows = datatable
    company = portal.company(legal_name)
    columns = {
        "nom": lambda u: u["lastName"],
        "prénom": lambda u: u["firstName"],
        "fonction": lambda u: u["function"],
        "adresse e-mail": lambda u: u["email"],
        "mobile": lambda u: u["mobile"] or "",
        "rôles": lambda u: ", ".join(ROLE_NAMES[r] for r in u["roles"]),
    }
    users = portal.staff(MEMBER_USERS, {"memberId": company.member_id})["memberUsers"]
    assert [[columns[c](u) for c in header] for u in users] == rows


@then("le mot de passe reçu par e-mail ne permet plus de se connecter")
def mailed_password_refused(portal: Portal) -> None:
    who = signed_in(portal)
    reply = login_with_password(portal, who, mailed_password(portal, who))
    assert reply.code == "LOGIN_REFUSED", reply.describe()


@then(
    phrase(
        "{first_name:Name} se connecte avec le mot de passe « {password} », sans avoir à le changer"
    )
)
def signs_in_with_own_password(portal: Portal, first_name: str, password: str) -> None:
    reply = login_with_password(portal, portal.person(first_name), password)
    accepted(reply, f"la connexion de {first_name}")
    assert reply.content["passwordChangeRequired"] is False


@then("le nouveau mot de passe est refusé")
def new_password_refused(portal: Portal) -> None:
    reply = portal.reply
    assert reply is not None
    assert reply.refused, f"le portail a accepté : {reply.describe()}"
    assert reply.message, "le refus doit s'expliquer à l'utilisateur"


@then("le mot de passe reçu par e-mail doit toujours être changé à la connexion")
def mailed_password_still_to_change(portal: Portal) -> None:
    who = signed_in(portal)
    reply = login_with_password(portal, who, mailed_password(portal, who))
    accepted(reply, f"la connexion de {who.first_name}")
    assert reply.content["passwordChangeRequired"] is True

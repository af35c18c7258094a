"""Seed 000: the roles an administrator gives (Facturation, Déclaration…) and what they open,
end to end through the GraphQL API; refusals recorded in the access log that the service's
staff read."""

import parse
from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import (
    MEMBER,
    ROLE_NAMES,
    ROLES,
    Company,
    Portal,
    Reply,
    User,
    accepted,
    employees_of,
    hire,
    me,
    names_in,
    sign_in_with_code,
)
from features.steps.vocabulary import TYPES
from tests.api.graphql_client import request_id

scenarios("droits_facturation.feature")

ADD_USER = """
mutation($input: AddMemberUserInput!) {
  addMemberUser(input: $input) {
    __typename
    ... on MemberUsersChanged { version }
    ... on ValidationError { code message }
    ... on RuleViolationError { code message }
    ... on ForbiddenError { code message }
  }
}"""
CHANGE_ROLES = """
mutation($input: ChangeMemberUserRolesInput!) {
  changeMemberUserRoles(input: $input) {
    __typename
    ... on MemberUsersChanged { version }
    ... on ValidationError { code message }
    ... on NotFoundError { code message }
    ... on RuleViolationError { code message }
    ... on ForbiddenError { code message }
  }
}"""
ACCESS_LOG = """
query($memberId: UUID) {
  accessLog(event: ACCESS_DENIED, memberId: $memberId, first: 100) {
    edges { node { accountId memberId operation subjects } }
  }
}"""


@parse.with_pattern(r"[A-Z][a-zéèëï]+")
def _first_name(text: str) -> str:
    return text


@parse.with_pattern("|".join(ROLES))
def _role(text: str) -> str:
    return ROLES[text]


@parse.with_pattern(rf"le seul rôle (?:{'|'.join(ROLES)})|les rôles .+ et (?:{'|'.join(ROLES)})")
def _roles(text: str) -> list[str]:
    """ "le seul rôle Facturation", "les rôles Facturation et Déclaration"."""
    words = text.removeprefix("le seul rôle ").removeprefix("les rôles ")
    return [ROLES[word.strip()] for word in words.replace(" et ", ", ").split(",")]


def phrase(text: str) -> parsers.parse:
    extra = {**TYPES, "Name": _first_name, "Role": _role, "Roles": _roles}
    return parsers.parse(text, extra_types=extra, case_sensitive=True)


def current_company(portal: Portal, who: User) -> Company:
    member_id = me(portal, who)["currentMemberId"]
    return portal.company(portal.company_of(member_id))


def add_user(portal: Portal, admin: User, who: User, legal_name: str, roles: list[str]) -> Reply:
    person = {
        "email": who.email,
        "lastName": who.last_name,
        "firstName": who.first_name,
        "function": who.function,
    }
    variables = {
        "input": {
            "requestId": request_id(),
            "memberId": portal.company(legal_name).member_id,
            "person": person,
            "roles": roles,
        }
    }
    return portal.mutation(admin, ADD_USER, variables, "addMemberUser")


# Situation ------------------------------------------------------------------------------------


@given(phrase("{first_name:Name} a embauché {employee}"))
def has_hired(portal: Portal, first_name: str, employee: str) -> None:
    who = portal.person(first_name)
    accepted(hire(portal, who, current_company(portal, who), employee), f"l'embauche de {employee}")


@given(
    phrase(
        "{admin:Name} a ajouté {first_name:Name} aux utilisateurs de « {legal_name} »,"
        " avec {roles:Roles}"
    )
)
def user_added(portal: Portal, admin: str, first_name: str, legal_name: str, roles: list[str]):
    reply = add_user(portal, portal.person(admin), portal.person(first_name), legal_name, roles)
    accepted(reply, f"l'ajout de {first_name}")


@given(phrase("{first_name:Name} s'est connectée avec un code reçu par e-mail"))
@when(phrase("{first_name:Name} se connecte avec un code reçu par e-mail"))
def sign_in(portal: Portal, first_name: str) -> None:
    sign_in_with_code(portal, portal.person(first_name))


@given(phrase("la liste des salariés est refusée à {first_name:Name}"))
def employees_refused(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    reply = employees_of(portal, who, current_company(portal, who))
    assert reply.code == "FORBIDDEN", reply.describe()


# Actions --------------------------------------------------------------------------------------


@when(
    phrase(
        "{admin:Name} ajoute {first_name:Name} aux utilisateurs de « {legal_name} »,"
        " avec {roles:Roles}"
    )
)
def add(portal: Portal, admin: str, first_name: str, legal_name: str, roles: list[str]) -> None:
    add_user(portal, portal.person(admin), portal.person(first_name), legal_name, roles)


@when(phrase("{first_name:Name} ouvre la liste des salariés"))
def open_employees(portal: Portal, first_name: str) -> None:
    who = portal.person(first_name)
    employees_of(portal, who, current_company(portal, who))


@when(phrase("{first_name:Name} embauche {employee}"))
def hire_employee(portal: Portal, first_name: str, employee: str) -> None:
    who = portal.person(first_name)
    hire(portal, who, current_company(portal, who), employee)


@when(phrase("{admin:Name} donne à {first_name:Name} {roles:Roles}"))
def change_roles(portal: Portal, admin: str, first_name: str, roles: list[str]) -> None:
    administrator, who = portal.person(admin), portal.person(first_name)
    variables = {
        "input": {
            "requestId": request_id(),
            "memberId": current_company(portal, administrator).member_id,
            "accountId": portal.account_id(who),
            "roles": roles,
        }
    }
    portal.mutation(administrator, CHANGE_ROLES, variables, "changeMemberUserRoles")


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("{first_name:Name} reçoit l'e-mail « {subject} »"))
def mail_received(portal: Portal, first_name: str, subject: str) -> None:
    assert portal.last_mail_to(portal.person(first_name).email)["Subject"] == subject


@then(phrase("{first_name:Name} a les rôles « {roles} » pour « {legal_name} »"))
def has_roles(portal: Portal, first_name: str, roles: str, legal_name: str) -> None:
    mine = me(portal, portal.person(first_name))
    assert portal.company_of(mine["currentMemberId"]) == legal_name
    assert ", ".join(ROLE_NAMES[r] for r in mine["roles"]) == roles


@then(phrase("{first_name:Name} voit l'entreprise « {legal_name} »"))
def sees_company(portal: Portal, first_name: str, legal_name: str) -> None:
    who = portal.person(first_name)
    reply = portal.query(who, MEMBER, {"id": current_company(portal, who).member_id}, "member")
    accepted(reply, f"la consultation de l'entreprise par {first_name}")
    assert reply.content["legalName"] == legal_name


@then(phrase("le refus est un {typename}"))
def refusal_type(portal: Portal, typename: str) -> None:
    assert portal.reply is not None
    assert portal.reply.typename == typename, portal.reply.describe()


@then(phrase("{employee} reste la seule salariée de « {legal_name} »"))
def only_employee(portal: Portal, employee: str, legal_name: str) -> None:
    assert names_in(employees_of(portal, None, portal.company(legal_name))) == [employee]


@then(phrase("le journal des accès, lu par le service, montre ces refus :"))
def access_log(portal: Portal, datatable: list[list[str]]) -> None:
    """In any order: the service's clock stands still in these scenarios, and the log orders
    the entries of one instant by their random ids, not by their arrival."""
    header, *rows = datatable
    assert header == ["utilisateur", "entreprise", "opération", "droit refusé"]
    people = {portal.account_id(who): who.first_name for who in portal.people.values()}
    edges = portal.staff(ACCESS_LOG)["accessLog"]["edges"]
    shown = [
        [
            people.get(node["accountId"], node["accountId"]),
            portal.company_of(node["memberId"]),
            node["operation"],
            ", ".join(node["subjects"]),
        ]
        for node in (edge["node"] for edge in edges)
    ]
    assert sorted(shown) == sorted(rows)


@then(phrase("{first_name:Name}, toujours connectée, voit les salariés :"))
def sees_employees(portal: Portal, first_name: str, datatable: list[list[str]]) -> None:
    """With the session she opened before the change: no new sign-in."""
    who = portal.person(first_name)
    reply = employees_of(portal, who, current_company(portal, who))
    accepted(reply, f"la liste des salariés vue par {first_name}")
    assert names_in(reply) == [row[0] for row in datatable]

"""Seeds 001 and 004: an accountant (« tiers déclarant ») working for two companies from one
account, end to end through the GraphQL API: attaching a company, the « liste des regroupées »,
switching between them, and what the audit trail records of whom they acted for."""

from typing import Any

from pytest_bdd import given, scenarios, then, when

from api.services import Services
from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import (
    ME,
    ROLE_NAMES,
    STAFF,
    Company,
    Portal,
    Reply,
    User,
    accepted,
    account_form,
    change_password,
    create_first_account,
    employees_of,
    hire,
    login_with_password,
    me,
    names_in,
    phrase,
    receive_password,
)
from features.steps.accounts import NEW_PASSWORD as PASSWORD
from tests.api.graphql_client import request_id

scenarios("cabinet_comptable.feature")

ATTACH = """
mutation($input: AttachMemberInput!) {
  attachMember(input: $input) {
    __typename
    ... on MemberAttached { memberId }
    ... on ValidationError { code message }
    ... on NotFoundError { code message }
    ... on RuleViolationError { code message }
    ... on ForbiddenError { code message }
  }
}"""
SWITCH = """
mutation($memberId: UUID!) {
  switchMember(memberId: $memberId) {
    __typename
    ... on MemberSwitched { memberId }
    ... on NotFoundError { code message }
    ... on RuleViolationError { code message }
  }
}"""
AUDIT_TRAIL = """
query($memberId: UUID!) {
  auditTrail(memberId: $memberId, first: 100) {
    edges { node { aggregateId eventType summary actor onBehalfOf } }
  }
}"""
YES_NO = {True: "oui", False: "non"}


def sign_up_as_accountant(portal: Portal, who: User, company: Company) -> None:
    form = account_form(who, company.member_code, company.declarant_number, third_party=True)
    accepted(create_first_account(portal, form), f"la création du compte de {who.first_name}")


def sign_in_and_change_password(portal: Portal, who: User) -> None:
    receive_password(portal, who)
    accepted(login_with_password(portal, who, who.password), f"la connexion de {who.first_name}")
    accepted(change_password(portal, who, PASSWORD), f"le mot de passe de {who.first_name}")


def attach(portal: Portal, who: User, member_code: str, declarant_number: str) -> Reply:
    variables = {
        "input": {
            "requestId": request_id(),
            "memberCode": member_code,
            "declarantNumber": declarant_number,
            "thirdPartyDeclarant": True,
        }
    }
    return portal.mutation(who, ATTACH, variables, "attachMember")


def switch(portal: Portal, who: User, company: Company) -> Reply:
    return portal.mutation(who, SWITCH, {"memberId": company.member_id}, "switchMember")


# Situation ------------------------------------------------------------------------------------


@given(phrase("{first_name:Name} déclare pour « {first} » et « {second} »"))
def accountant_of_two(portal: Portal, first_name: str, first: str, second: str) -> None:
    who, company, other = portal.person(first_name), portal.company(first), portal.company(second)
    sign_up_as_accountant(portal, who, company)
    sign_in_and_change_password(portal, who)
    reply = attach(portal, who, other.member_code, other.declarant_number)
    accepted(reply, f"le rattachement de « {second} »")


@given(phrase("{first_name:Name} a embauché {employee} pour « {legal_name} »"))
def has_hired(portal: Portal, first_name: str, employee: str, legal_name: str) -> None:
    """From the company's own page: she switches to it first."""
    who, company = portal.person(first_name), portal.company(legal_name)
    accepted(switch(portal, who, company), f"le passage à « {legal_name} »")
    accepted(hire(portal, who, company, employee), f"l'embauche de {employee}")


@given(phrase("{first_name:Name} travaille pour « {legal_name} »"))
def works_for(portal: Portal, first_name: str, legal_name: str) -> None:
    reply = switch(portal, portal.person(first_name), portal.company(legal_name))
    accepted(reply, f"le passage à « {legal_name} »")


# Actions --------------------------------------------------------------------------------------


@when(
    phrase(
        "{first_name:Name} crée son compte avec le code adhérent « {member_code} » et le"
        " n° télédéclarant « {declarant_number} », en cochant « Je suis tiers déclarant de"
        " l'entreprise »"
    )
)
def create_accountant_account(
    portal: Portal, first_name: str, member_code: str, declarant_number: str
) -> None:
    who = portal.person(first_name)
    form = account_form(who, member_code, declarant_number, third_party=True)
    accepted(create_first_account(portal, form), f"la création du compte de {first_name}")


@when(phrase("{first_name:Name} se connecte avec le mot de passe reçu par e-mail et le change"))
def first_sign_in(portal: Portal, first_name: str) -> None:
    sign_in_and_change_password(portal, portal.person(first_name))


@when(
    phrase(
        "{first_name:Name} rattache à son compte l'entreprise de code adhérent « {member_code} »,"
        " avec le n° télédéclarant « {declarant_number} », en tiers déclarant"
    )
)
def attach_company(portal: Portal, first_name: str, member_code: str, declarant_number: str):
    reply = attach(portal, portal.person(first_name), member_code, declarant_number)
    accepted(reply, "le rattachement")


@when(phrase("{first_name:Name} embauche {employee} pour « {legal_name} »"))
def hire_for(portal: Portal, first_name: str, employee: str, legal_name: str) -> None:
    hire(portal, portal.person(first_name), portal.company(legal_name), employee)


@when(phrase("{first_name:Name} passe à « {legal_name} »"))
def switch_to(portal: Portal, first_name: str, legal_name: str) -> None:
    switch(portal, portal.person(first_name), portal.company(legal_name))


@when(phrase("{first_name:Name} demande la liste des salariés de « {legal_name} »"))
def ask_employees(portal: Portal, first_name: str, legal_name: str) -> None:
    employees_of(portal, portal.person(first_name), portal.company(legal_name))


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("la liste des regroupées de {first_name:Name} est :"))
def grouped_companies(portal: Portal, first_name: str, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    assert header == ["code adhérent", "raison sociale", "rôles", "tiers déclarant"]
    shown = [
        [
            m["memberCode"],
            m["legalName"],
            ", ".join(ROLE_NAMES[r] for r in m["roles"]),
            YES_NO[m["thirdPartyDeclarant"]],
        ]
        for m in me(portal, portal.person(first_name))["memberships"]
    ]
    assert shown == rows


@then(phrase("{first_name:Name} travaille pour « {legal_name} »"))
@then(phrase("{first_name:Name} travaille toujours pour « {legal_name} »"))
def working_for(portal: Portal, first_name: str, legal_name: str) -> None:
    current = me(portal, portal.person(first_name))["currentMemberId"]
    assert portal.company_of(current) == legal_name


@then(phrase("{first_name:Name} voit les salariés de « {legal_name} » :"))
def sees_employees(
    portal: Portal, first_name: str, legal_name: str, datatable: list[list[str]]
) -> None:
    reply = employees_of(portal, portal.person(first_name), portal.company(legal_name))
    accepted(reply, "la liste des salariés")
    assert names_in(reply) == [row[0] for row in datatable]


@then("la liste ne compte personne")
def empty_list(portal: Portal) -> None:
    reply = portal.reply
    assert reply is not None
    accepted(reply, "la liste des salariés")
    assert names_in(reply) == []


@then(phrase("le journal d'audit de « {legal_name} », lu par le service, est :"))
def audit_trail(
    portal: Portal, services: Services, legal_name: str, datatable: list[list[str]]
) -> None:
    """Oldest first; actors and employees by the names the scenario gives them."""
    services.settle()
    header, *rows = datatable
    assert header == ["saisie", "salarié", "par", "pour le compte de"]
    people = {portal.account_id(who): who.first_name for who in portal.people.values()}
    people[portal.staff(ME)["me"]["accountId"]] = STAFF
    employees = {employee_id: name for name, employee_id in portal.employees.items()}
    company = portal.company(legal_name)
    edges = portal.staff(AUDIT_TRAIL, {"memberId": company.member_id})["auditTrail"]["edges"]

    def row(entry: dict[str, Any]) -> list[str]:
        return [
            entry["summary"],
            employees.get(entry["aggregateId"], ""),
            people.get(entry["actor"], entry["actor"]),
            portal.company_of(entry["onBehalfOf"]),
        ]

    assert [row(edge["node"]) for edge in reversed(edges)] == rows

"""Steps of the CMR lists the service hands to regulators (`listes_cmr.feature`): the exposures
recorded by the service's staff, a regulator's account, member search, and the list downloaded
as a file through the HTTP endpoints, read back as a spreadsheet would read it."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from pytest_bdd import given, then, when
from pytest_bdd import step as given_or_when

from api.services import Services
from domain.accounts.access import AccountKind
from features.steps.accounts import (
    FAILURES,
    Portal,
    User,
    accepted,
    me,
    phrase,
    sign_in_with_code,
)
from features.steps.accounts import Reply as PortalReply
from features.steps.vocabulary import to_date
from tests.api.graphql_client import a_nir, request_id
from tests.api.sessions import STAFF_EMAIL, open_service_account, sign_in

BORN = date(1990, 5, 17)
HIRED = "2024-01-08"
HEALTH_READS = """
{ accessLog(event: HEALTH_DATA_READ, first: 100) {
    edges { node { accountId memberId operation subjects } } } }"""
FIND = """
query($search: String) {
  findMembers(search: $search, first: 20) { edges { node { memberCode legalName } } }
}"""


@dataclass
class Lists:
    """What the scenario recorded and downloaded."""

    employees: dict[str, str] = field(default_factory=dict)
    """Employees by name (« Lisa LERGY »): their id."""
    recorded_on: date | None = None
    """The Paris day the exposures were recorded."""
    rows: list[dict[str, str]] = field(default_factory=list)
    raw: str = ""


@pytest.fixture
def lists() -> Lists:
    return Lists()


def staff_form(portal: Portal, name: str, fields: dict[str, Any], result: str = "") -> Any:
    """A form of the service's staff, which must be accepted."""
    input_type = name[:1].upper() + name[1:] + "Input"
    query = (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename"
        f" {result} {FAILURES} }} }}"
    )
    answer = portal.staff(query, {"input": {"requestId": request_id(), **fields}})[name]
    accepted(PortalReply.of_result(answer), name)
    return answer


# Situation ------------------------------------------------------------------------------------


@given("le service a enregistré ces expositions aux agents CMR :")
def exposures_recorded(portal: Portal, lists: Lists, datatable: list[list[str]]) -> None:
    titles, *rows = datatable
    for row in rows:
        cells = dict(zip(titles, row, strict=True))
        company = portal.company(cells["adhérent"])
        first_name, birth_name = cells["salarié"].split(" ", 1)
        identity = {
            "birthName": birth_name,
            "firstName": first_name,
            "birthDate": BORN.isoformat(),
            "sex": "F",
            "nir": a_nir("F", BORN, cells["salarié"]),
        }
        hired = staff_form(
            portal,
            "hireEmployee",
            {
                "memberId": company.member_id,
                "identity": identity,
                "hireDate": HIRED,
                "terms": {"jobTitle": cells["poste"], "contractType": "CDI"},
            },
            "... on HireEmployeeSuccess { aggregateId }",
        )
        employee_id = hired["aggregateId"]
        lists.employees[cells["salarié"]] = employee_id
        cas = cells["n° CAS"] or None
        agent = {
            "kind": "SUBSTANCE" if cas else "PROCESS",
            "name": cells["agent"],
            "casNumber": cas,
        }
        exposure = {
            "employeeId": employee_id,
            "agent": agent,
            "startedOn": to_date(cells["du"]).isoformat(),
            "routes": ["INHALATION"],
        }
        staff_form(portal, "recordExposure", exposure)
        if cells["au"]:
            last_day = to_date(cells["au"]).isoformat()
            ended = {"employeeId": employee_id, "exposureId": 1, "lastDay": last_day}
            staff_form(portal, "endExposure", ended)
    lists.recorded_on = portal.clock.today()


@given(
    phrase(
        "{first_name:Name} {last_name}, {function}, a un compte d'autorité de contrôle « {email} »"
    )
)
def regulator(  # noqa: PLR0917
    portal: Portal, services: Services, first_name: str, last_name: str, function: str, email: str
) -> None:
    open_service_account(services, email, AccountKind.REGULATOR)
    who = User(first_name, last_name, email, function)
    portal.people[first_name] = who
    sign_in_with_code(portal, who)


@given(phrase("le service retire l'exposition de {name}, saisie par erreur, le lendemain"))
def withdrawn_next_day(portal: Portal, lists: Lists, name: str) -> None:
    """A day later, every session has expired: the staff and the regulators sign in again."""
    portal.clock.advance(days=1)
    portal.staff_token = sign_in(portal.client, portal.outbox, STAFF_EMAIL)
    portal.client.headers.pop("Authorization", None)
    for who in portal.people.values():
        sign_in_with_code(portal, who)
    withdrawn = {
        "employeeId": lists.employees[name],
        "exposureId": 1,
        "errorNote": "Saisie sur le mauvais salarié.",
    }
    staff_form(portal, "withdrawExposure", withdrawn)


@given(phrase("l'adresse de facturation de « {legal_name} » est à {city}"))
def billing_address(portal: Portal, legal_name: str, city: str) -> None:
    address = {"lines": ["3 rue de la Gare"], "postalCode": "35500", "city": city}
    member_id = portal.company(legal_name).member_id
    staff_form(
        portal, "changeAddress", {"memberId": member_id, "kind": "BILLING", "address": address}
    )


# Actions ----------------------------------------------------------------------------------------


def download(portal: Portal, lists: Lists, who: User, path: str, params: dict[str, str]) -> None:
    assert who.token is not None, f"{who.first_name} n'est pas connecté(e)"
    response = portal.client.get(
        path, params=params, headers={"Authorization": f"Bearer {who.token}"}
    )
    assert response.status_code == 200, response.text
    lists.raw = response.content.decode("utf-8-sig")
    lists.rows = list(csv.DictReader(io.StringIO(lists.raw), delimiter=";"))


@when(phrase("{first_name:Name} télécharge la liste CMR de tout le service au {day:Date}"))
def service_list(portal: Portal, lists: Lists, first_name: str, day: date) -> None:
    download(portal, lists, portal.person(first_name), "/cmr-list", {"validOn": day.isoformat()})


@when(
    phrase(
        "{first_name:Name} télécharge la liste CMR de tout le service au {day:Date},"
        " selon ce qui était connu la veille"
    )
)
def service_list_known_before(portal: Portal, lists: Lists, first_name: str, day: date) -> None:
    known_on = portal.clock.today() - timedelta(days=1)
    params = {"validOn": day.isoformat(), "knownAt": known_on.isoformat()}
    download(portal, lists, portal.person(first_name), "/cmr-list", params)


@when(phrase("{first_name:Name} télécharge la liste CMR anonyme de « {legal_name} » au {day:Date}"))
def anonymised_list(
    portal: Portal, lists: Lists, first_name: str, legal_name: str, day: date
) -> None:
    path = f"/members/{portal.company(legal_name).member_id}/cmr-list"
    params = {"validOn": day.isoformat(), "anonymised": "true"}
    download(portal, lists, portal.person(first_name), path, params)


@given_or_when(phrase("{first_name:Name} recherche les adhérents « {search} »"))
def search_members(portal: Portal, first_name: str, search: str) -> None:
    reply = portal.query(portal.person(first_name), FIND, {"search": search}, "findMembers")
    accepted(reply, "la recherche d'adhérents")


# Outcomes -------------------------------------------------------------------------------------


def shown_day(text: str) -> str:
    return "" if not text else f"{date.fromisoformat(text):%d/%m/%Y}"


@then("la liste reçue est :")
def list_is(lists: Lists, datatable: list[list[str]]) -> None:
    titles, *expected = datatable
    shown = [
        [
            row["Code adhérent"],
            f"{row['Prénom']} {row['Nom de naissance']}",
            shown_day(row["Date de naissance"]),
            row["Poste"],
            row["Agent"],
            shown_day(row["Début d'exposition"]),
            shown_day(row["Fin d'exposition"]),
        ]
        for row in lists.rows
    ]
    assert titles[0] == "adhérent"
    assert sorted(shown) == sorted(expected)


@then(phrase("la liste reçue nomme {names}"))
def list_names(lists: Lists, names: str) -> None:
    expected = sorted(names.split(" et "))
    assert sorted(f"{r['Prénom']} {r['Nom de naissance']}" for r in lists.rows) == expected


@then(
    phrase(
        "le journal des accès montre la lecture par {first_name:Name} des expositions de"
        " « {first} » et de « {second} »"
    )
)
def access_logged(portal: Portal, first_name: str, first: str, second: str) -> None:
    account_id = me(portal, portal.person(first_name))["accountId"]
    entries = [e["node"] for e in portal.staff(HEALTH_READS)["accessLog"]["edges"]]
    read = {
        portal.company_of(e["memberId"])
        for e in entries
        if e["accountId"] == account_id and e["operation"] == "serviceCmrList"
    }
    assert read == {first, second}


@then(phrase("elle trouve « {member_code} {legal_name} »"))
def found(portal: Portal, member_code: str, legal_name: str) -> None:
    assert portal.reply is not None
    nodes = [edge["node"] for edge in portal.reply.content["edges"]]
    assert nodes == [{"memberCode": member_code, "legalName": legal_name}]


@then("la liste anonyme reçue est :")
def anonymised_is(lists: Lists, datatable: list[list[str]]) -> None:
    _, *expected = datatable
    shown = [
        [row["Situation de travail"], row["Agent"], row["Travailleurs exposés"]]
        for row in lists.rows
    ]
    assert shown == expected


@then("elle ne nomme personne")
def names_no_one(lists: Lists) -> None:
    for name in lists.employees:
        for word in name.split():
            assert word not in lists.raw, word
    assert f"{BORN:%Y}" not in lists.raw
    for employee_id in lists.employees.values():
        assert employee_id not in lists.raw


__all__ = ["lists"]
__all__ += [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]

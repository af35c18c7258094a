"""Regulators and auditors: finding members, and the CMR list (décret 2024-307) of one member or
of the whole service as files — on a date, as known at an instant, as transmitted, anonymised,
one worker's own — with who may read it and the access log of every read."""

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.accounts.access import AccountKind
from messaging.mailer import OutboxMailer
from tests.api.confirmed_declaration import confirm_a_declaration
from tests.api.graphql_client import SIRET, data, graphql, hire, mutate, register_member
from tests.api.sessions import (
    STAFF_EMAIL,
    MovableClock,
    create_first_account,
    open_service_account,
    sign_in,
)

A_CODE, B_CODE = "00010", "00020"
REGULATOR_EMAIL = "inspection@dreets.gouv.fr"
AUDITOR_EMAIL = "audit@registre.fr"
ADMIN_EMAIL = "direction@martin.fr"
BENZENE = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}
WOOD_DUST = {"kind": "PROCESS", "name": "Poussières de bois inhalables"}
FIND = """
query($search: String, $first: Int!, $after: String) {
  findMembers(search: $search, first: $first, after: $after) {
    edges { node { memberCode legalName siret town } }
    pageInfo { hasNextPage endCursor }
  }
}"""
HEALTH_READS = """
{ accessLog(event: HEALTH_DATA_READ, first: 100) {
    edges { node { accountId memberId operation subjects } } } }"""


@dataclass
class World:
    client: TestClient
    services: Services
    outbox: OutboxMailer
    clock: MovableClock
    member_a: str
    member_b: str
    marie: str
    paul: str
    eve: str
    recorded_on: str
    """The Paris day the exposures were recorded; Eve's was withdrawn (an error) two days later."""


def record(client: TestClient, employee_id: str, agent: dict[str, Any], started_on: str) -> None:
    exposure = {"employeeId": employee_id, "agent": agent, "startedOn": started_on}
    recorded = mutate(
        client, "recordExposure", "RecordExposureInput", exposure | {"routes": ["INHALATION"]}
    )
    assert recorded["__typename"] == "RecordExposureSuccess", recorded


@pytest.fixture
def world(
    client: TestClient, services: Services, outbox: OutboxMailer, clock: MovableClock
) -> World:
    """Member A (Lyon): Marie exposed to benzene since 1 March 2024, Paul to wood dust; member B
    (Nantes): Eve, exposed to benzene — recorded in error and withdrawn two days later."""
    member_a = register_member(client, A_CODE)
    member_b = register_member(client, B_CODE)
    for member_id, city in ((member_a, "Lyon"), (member_b, "Nantes")):
        address = {"lines": ["1 rue du Port"], "postalCode": "69003", "city": city}
        changed = mutate(
            client,
            "changeAddress",
            "ChangeAddressInput",
            {"memberId": member_id, "kind": "BILLING", "address": address},
        )
        assert changed["__typename"] == "ChangeAddressSuccess", changed
    marie = hire(client, member_a, "Marie")["aggregateId"]
    paul = hire(client, member_a, "Paul", birth_name="Durand")["aggregateId"]
    eve = hire(client, member_b, "Eve", birth_name="Autre")["aggregateId"]
    record(client, marie, BENZENE, "2024-03-01")
    record(client, paul, WOOD_DUST, "2024-02-01")
    record(client, eve, BENZENE, "2024-03-01")
    recorded_on = clock.today().isoformat()
    clock.advance(days=2)
    sign_in(client, outbox, STAFF_EMAIL)  # the session expired meanwhile
    withdrawn = mutate(
        client,
        "withdrawExposure",
        "WithdrawExposureInput",
        {"employeeId": eve, "exposureId": 1, "errorNote": "Saisie sur la mauvaise salariée."},
    )
    assert withdrawn["__typename"] == "WithdrawExposureSuccess", withdrawn
    return World(client, services, outbox, clock, member_a, member_b, marie, paul, eve, recorded_on)


def as_kind(world: World, email: str, kind: AccountKind) -> TestClient:
    open_service_account(world.services, email, kind)
    sign_in(world.client, world.outbox, email)
    return world.client


def as_admin_of_a(world: World) -> TestClient:
    first = create_first_account(world.client, A_CODE, ADMIN_EMAIL)
    assert first["__typename"] == "FirstAccountCreated", first
    sign_in(world.client, world.outbox, ADMIN_EMAIL)
    return world.client


def csv_rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def service_list(client: TestClient, **params: str) -> Any:
    return client.get("/cmr-list", params={"validOn": "2024-06-01", **params})


# Finding members -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("00020", [B_CODE]),
        ("martin sas", [A_CODE, B_CODE]),
        (SIRET[:9], [A_CODE, B_CODE]),
        ("nantes", [B_CODE]),
        ("lyon 00010", [A_CODE]),
        ("%_!", []),
    ],
)
def test_a_regulator_finds_members_by_code_name_siret_or_town(
    world: World, search: str, found: list[str]
) -> None:
    client = as_kind(world, REGULATOR_EMAIL, AccountKind.REGULATOR)

    page = data(client, FIND, {"search": search, "first": 10})["findMembers"]

    assert [edge["node"]["memberCode"] for edge in page["edges"]] == found


def test_members_found_come_by_pages(world: World) -> None:
    client = as_kind(world, AUDITOR_EMAIL, AccountKind.AUDITOR)

    first = data(client, FIND, {"first": 1})["findMembers"]
    after = first["pageInfo"]["endCursor"]
    second = data(client, FIND, {"first": 1, "after": after})["findMembers"]

    assert [e["node"]["memberCode"] for e in first["edges"] + second["edges"]] == [A_CODE, B_CODE]
    assert (first["pageInfo"]["hasNextPage"], second["pageInfo"]["hasNextPage"]) == (True, False)
    assert second["edges"][0]["node"] == {
        "memberCode": B_CODE, "legalName": "Martin SAS", "siret": SIRET, "town": "Nantes"
    }  # fmt: skip


def test_a_member_user_cannot_search_the_members(world: World) -> None:
    client = as_admin_of_a(world)

    body = graphql(client, FIND, {"search": "martin", "first": 10})

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# The service-wide list -----------------------------------------------------------------------


def test_a_regulator_gets_the_service_wide_list_as_of_a_date(world: World) -> None:
    client = as_kind(world, REGULATOR_EMAIL, AccountKind.REGULATOR)

    rows = csv_rows(service_list(client))

    assert sorted((r["Code adhérent"], r["Prénom"], r["Agent"]) for r in rows) == [
        (A_CODE, "Marie", "Benzène"),
        (A_CODE, "Paul", "Poussières de bois inhalables"),
    ]
    assert {r["Identifiant du salarié"] for r in rows} == {world.marie, world.paul}
    assert rows[0]["Voies d'exposition"] == "Inhalation"
    assert {r["Date de naissance"] for r in rows} == {"1990-05-12"}
    assert {r["Poste"] for r in rows} == {"Soudeuse"}


def test_as_known_before_a_correction_the_list_still_holds_the_withdrawn_line(
    world: World,
) -> None:
    client = as_kind(world, REGULATOR_EMAIL, AccountKind.REGULATOR)

    then = csv_rows(service_list(client, knownAt=world.recorded_on))
    now = csv_rows(service_list(client))

    assert sorted(r["Prénom"] for r in then) == ["Eve", "Marie", "Paul"]
    assert sorted(r["Prénom"] for r in now) == ["Marie", "Paul"]
    assert [r["Code adhérent"] for r in then] == sorted(r["Code adhérent"] for r in then)


def test_before_the_exposures_began_the_list_is_empty(world: World) -> None:
    client = as_kind(world, REGULATOR_EMAIL, AccountKind.REGULATOR)

    assert csv_rows(client.get("/cmr-list", params={"validOn": "2024-01-31"})) == []


def test_the_list_in_json_and_in_xlsx_holds_the_same_lines(world: World) -> None:
    client = as_kind(world, AUDITOR_EMAIL, AccountKind.AUDITOR)

    as_json = service_list(client, format="json")
    as_xlsx = service_list(client, format="xlsx")

    assert as_json.headers["content-type"].startswith("application/json")
    lines = json.loads(as_json.content)
    assert sorted((line["firstName"], line["routes"]) for line in lines) == [
        ("Marie", ["INHALATION"]),
        ("Paul", ["INHALATION"]),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:5] == ("Code adhérent", "Identifiant du salarié", "Nom de naissance",
                             "Nom d'usage", "Prénom")  # fmt: skip
    assert sorted(row[4] for row in values[1:]) == ["Marie", "Paul"]
    assert 'filename="liste-cmr-service-2024-06-01.xlsx"' in as_xlsx.headers["content-disposition"]


def test_the_anonymised_list_names_no_one(world: World) -> None:
    client = as_kind(world, REGULATOR_EMAIL, AccountKind.REGULATOR)

    response = service_list(client, anonymised="true", knownAt=world.recorded_on)
    rows = csv_rows(response)
    as_json = service_list(client, anonymised="true", format="json", knownAt=world.recorded_on)

    text = response.content.decode("utf-8-sig") + as_json.content.decode()
    for secret in ("Marie", "Martin", "Paul", "Durand", "Eve", "Autre", "1990", world.marie):
        assert secret not in text
    assert sorted((r["Code adhérent"], r["Agent"], r["Travailleurs exposés"]) for r in rows) == [
        (A_CODE, "Benzène", "1"),
        (A_CODE, "Poussières de bois inhalables", "1"),
        (B_CODE, "Benzène", "1"),
    ]
    assert {r["Situation de travail"] for r in rows} == {"Soudeuse"}


def test_every_page_read_is_in_the_access_log(world: World) -> None:
    client = as_kind(world, REGULATOR_EMAIL, AccountKind.REGULATOR)
    service_list(client, knownAt=world.recorded_on).read()
    sign_in(client, world.outbox, STAFF_EMAIL)

    entries = [e["node"] for e in data(client, HEALTH_READS)["accessLog"]["edges"]]

    reads = {(e["memberId"], tuple(sorted(e["subjects"]))) for e in entries
             if e["operation"] == "serviceCmrList"}  # fmt: skip
    assert reads == {
        (world.member_a, tuple(sorted([world.marie, world.paul]))),
        (world.member_b, (world.eve,)),
    }


# One member's list, one worker's, the transmitted one -------------------------------------


def test_a_member_reads_its_own_list_not_the_service_wide_one_nor_another_member_s(
    world: World,
) -> None:
    client = as_admin_of_a(world)
    params = {"validOn": "2024-06-01"}

    own = csv_rows(client.get(f"/members/{world.member_a}/cmr-list", params=params))
    other = client.get(f"/members/{world.member_b}/cmr-list", params=params)
    service = client.get("/cmr-list", params=params)

    assert sorted(r["Prénom"] for r in own) == ["Marie", "Paul"]
    assert (other.status_code, service.status_code) == (404, 403)


def test_a_worker_s_own_entries(world: World) -> None:
    client = as_admin_of_a(world)

    rows = csv_rows(
        client.get(
            f"/members/{world.member_a}/cmr-list",
            params={"validOn": "2024-06-01", "employeeId": world.marie},
        )
    )

    assert [(r["Prénom"], r["Agent"]) for r in rows] == [("Marie", "Benzène")]


def test_without_a_session_or_the_right_no_list(world: World) -> None:
    world.client.headers.pop("Authorization", None)
    assert world.client.get("/cmr-list").status_code == 401
    client = as_admin_of_a(world)
    assert client.get("/cmr-list", params={"format": "pdf"}).status_code == 400
    assert (
        client.get(f"/members/{world.member_a}/cmr-list", params={"knownAt": "hier"}).status_code
        == 400
    )


def test_the_list_transmitted_with_a_confirmed_declaration(world: World) -> None:
    year = confirm_a_declaration(world.client, world.services, world.member_a)
    client = as_kind(world, REGULATOR_EMAIL, AccountKind.REGULATOR)
    url = f"/members/{world.member_a}/declarations/{year}/cmr-list"

    transmitted = csv_rows(client.get(url))
    missing = client.get(url, params={"edition": 2})

    assert sorted(r["Prénom"] for r in transmitted) == ["Marie", "Paul"]
    assert missing.status_code == 404

"""A confirmed declaration's receipt through the API, on both stores: the same edition always
gives the same bytes, it carries the kept copy's hash and the recap's amounts and never the
copy's health data (names, CMR agents); the member's Billing user reads it, its Convocation user
may not, another member's user is answered as for a missing declaration."""

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.money import Money
from messaging.mailer import OutboxMailer
from tests.api.confirmed_declaration import confirm_a_declaration, confirmations
from tests.api.graphql_client import hire, mutate, register_member
from tests.api.sessions import STAFF_EMAIL, create_first_account, sign_in
from tests.api.test_invoice_documents_api import pdf_text
from tests.api.test_role_matrix import BENZENE, add_user

A_CODE, B_CODE = "00010", "00020"
ADMIN_EMAIL = "direction@martin.fr"
BILLING_EMAIL = "facturation@martin.fr"
CONVOCATION_EMAIL = "convocation@martin.fr"
OTHER_ADMIN_EMAIL = "direction@autre.fr"
FIRST_NAME, BIRTH_NAME = "Gaspard", "Lefrançois"


@dataclass
class World:
    client: TestClient
    outbox: OutboxMailer
    member_id: str
    year: int

    def sign_in(self, email: str) -> None:
        sign_in(self.client, self.outbox, email)

    def url(self, edition: int | None = None) -> str:
        query = "" if edition is None else f"?edition={edition}"
        return f"/declarations/{self.member_id}/{self.year}/receipt.pdf{query}"


@pytest.fixture
def world(client: TestClient, outbox: OutboxMailer, services: Services) -> World:
    """Member A with an employee exposed to benzene and a confirmed declaration; its
    administrator, Billing and Convocation users; member B's administrator. The client stays
    signed in as staff."""
    member_id = register_member(client, A_CODE)
    register_member(client, B_CODE)
    employee_id = hire(client, member_id, FIRST_NAME, birth_name=BIRTH_NAME)["aggregateId"]
    exposure = {"employeeId": employee_id, "agent": BENZENE, "startedOn": "2024-03-01"}
    recorded = mutate(client, "recordExposure", "RecordExposureInput", exposure)
    assert recorded["__typename"] == "RecordExposureSuccess", recorded
    year = confirm_a_declaration(client, services, member_id)
    for code, email in ((A_CODE, ADMIN_EMAIL), (B_CODE, OTHER_ADMIN_EMAIL)):
        first = create_first_account(client, code, email)
        assert first["__typename"] == "FirstAccountCreated", first
    world = World(client, outbox, member_id, year)
    world.sign_in(ADMIN_EMAIL)
    add_user(client, member_id, BILLING_EMAIL, "BILLING")
    add_user(client, member_id, CONVOCATION_EMAIL, "CONVOCATION")
    world.sign_in(STAFF_EMAIL)
    return world


def test_the_receipt_is_the_same_every_time_with_the_kept_copys_hash(world: World) -> None:
    first = world.client.get(world.url())
    second = world.client.get(world.url(edition=1))

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.content == second.content
    assert first.content.startswith(b"%PDF")
    assert first.headers["content-type"] == "application/pdf"
    assert first.headers["x-content-sha256"] == hashlib.sha256(first.content).hexdigest()
    (confirmed,) = confirmations(world.client, world.member_id, world.year)
    text = " ".join(pdf_text(first.content).split())
    assert confirmed["contentHash"] in text
    assert f"Déclaration annuelle {world.year} — édition 1" in text
    recap = confirmed["content"]["recap"]
    for amount in ("amountHt", "vat", "amountTtc"):
        assert _spaced(str(Money(Decimal(recap[amount])))) in text
    assert "Boulangérie du Parc" in text


def test_the_receipt_never_prints_the_named_workforce_nor_the_cmr_list(world: World) -> None:
    text = pdf_text(world.client.get(world.url()).content)

    for health_data in (FIRST_NAME, BIRTH_NAME, BENZENE["name"], BENZENE["casNumber"]):
        assert health_data not in text


def test_the_billing_user_reads_the_receipt_the_convocation_user_may_not(world: World) -> None:
    world.sign_in(BILLING_EMAIL)
    assert world.client.get(world.url()).status_code == 200

    world.sign_in(CONVOCATION_EMAIL)
    refused = world.client.get(world.url())
    assert refused.status_code == 403
    assert refused.json()["extra"]["code"] == "FORBIDDEN"


def test_another_members_user_is_answered_as_for_a_missing_declaration(world: World) -> None:
    missing = world.client.get(world.url(edition=2))

    world.sign_in(OTHER_ADMIN_EMAIL)
    out_of_reach = world.client.get(world.url())

    assert missing.status_code == out_of_reach.status_code == 404
    assert missing.json() == out_of_reach.json()
    assert missing.json()["extra"]["code"] == "DECLARATION_NOT_FOUND"


def _spaced(printed: str) -> str:
    """As the PDF's text reads: every kind of space a plain one."""
    return re.sub(r"\s+", " ", printed)

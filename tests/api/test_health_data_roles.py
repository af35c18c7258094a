"""Who reads the health data of a confirmed declaration's frozen copy (issue 10, item 3).

The copy names the workforce with birth dates, categories and determinants, and holds the CMR
list. The Billing role reads declarations for their amounts: it gets the copy without those
parts (and its read is no health-data read); the Declaration role, like the administrator, the
service's staff and auditors, gets the whole copy.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import TestClient

from api.services import Services
from messaging.mailer import OutboxMailer
from tests.account_ids import account_id
from tests.api.confirmed_declaration import confirm_a_declaration, confirmations
from tests.api.graphql_client import MEMBER_CODE, data, hire, mutate, register_member
from tests.api.sessions import STAFF_EMAIL, create_first_account, sign_in

ADMIN_EMAIL = "direction@martin.fr"
BILLING_EMAIL = "facturation@martin.fr"
DECLARATION_EMAIL = "declaration@martin.fr"
BIRTH_NAME = "Dupontel"
HEALTH_PARTS = {"workforce", "cmrExposures"}
BENZENE = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}
HEALTH_READS = """
{ accessLog(event: HEALTH_DATA_READ, first: 100) { edges { node { accountId operation } } } }
"""


@dataclass(frozen=True)
class Declared:
    member_id: str
    year: int
    whole: dict[str, Any]
    """The copy as the service's staff reads it."""


@pytest.fixture
def declared(client: TestClient, services: Services, outbox: OutboxMailer) -> Declared:
    """A member whose one employee is exposed to benzene, its declaration confirmed, and three
    users: its administrator, one with the Billing role, one with the Declaration role."""
    member_id = register_member(client)
    employee_id = hire(client, member_id, "Zéphyrine", birth_name=BIRTH_NAME)["aggregateId"]
    exposure = {"employeeId": employee_id, "agent": BENZENE, "startedOn": "2024-03-01"}
    recorded = mutate(client, "recordExposure", "RecordExposureInput", exposure)
    assert recorded["__typename"] == "RecordExposureSuccess", recorded
    year = confirm_a_declaration(client, services, member_id)
    (whole,) = confirmations(client, member_id, year)

    created = create_first_account(client, MEMBER_CODE, ADMIN_EMAIL)
    assert created["__typename"] == "FirstAccountCreated", created
    sign_in(client, outbox, ADMIN_EMAIL)
    for email, role in ((BILLING_EMAIL, "BILLING"), (DECLARATION_EMAIL, "DECLARATION")):
        person = {"email": email, "lastName": "Martin", "firstName": "Léa", "function": "RH"}
        fields = {"memberId": member_id, "person": person, "roles": [role]}
        added = mutate(client, "addMemberUser", "AddMemberUserInput", fields)
        assert added["__typename"] == "MemberUsersChanged", added
    return Declared(member_id, year, whole["content"])


def read_as(client: TestClient, outbox: OutboxMailer, email: str, declared: Declared) -> Any:
    sign_in(client, outbox, email)
    (confirmation,) = confirmations(client, declared.member_id, declared.year)
    return confirmation


def test_the_copy_holds_the_named_workforce_and_the_cmr_list(declared: Declared) -> None:
    (employee,) = declared.whole["workforce"]
    (exposure,) = declared.whole["cmrExposures"]
    assert employee["birthName"] == exposure["birthName"] == BIRTH_NAME.upper()


def test_billing_reads_the_amounts_of_a_confirmed_declaration_not_its_health_data(
    client: TestClient, outbox: OutboxMailer, declared: Declared
) -> None:
    confirmation = read_as(client, outbox, BILLING_EMAIL, declared)

    content = confirmation["content"]
    assert set(content) == set(declared.whole) - HEALTH_PARTS
    assert content["recap"] == declared.whole["recap"]
    assert BIRTH_NAME.upper() not in repr(confirmation)


def test_billing_reading_the_copy_is_no_health_data_read(
    client: TestClient, outbox: OutboxMailer, declared: Declared, services: Services
) -> None:
    read_as(client, outbox, BILLING_EMAIL, declared)
    read_as(client, outbox, DECLARATION_EMAIL, declared)

    sign_in(client, outbox, STAFF_EMAIL)
    reads = data(client, HEALTH_READS)["accessLog"]["edges"]
    readers = {
        edge["node"]["accountId"]
        for edge in reads
        if edge["node"]["operation"] == "declarationConfirmations"
    }
    billing, declaration = (
        str(account_id(services.app, e)) for e in (BILLING_EMAIL, DECLARATION_EMAIL)
    )
    assert declaration in readers
    assert billing not in readers


@pytest.mark.parametrize("email", [DECLARATION_EMAIL, ADMIN_EMAIL])
def test_the_declaration_role_and_the_administrator_read_the_whole_copy(
    client: TestClient, outbox: OutboxMailer, declared: Declared, email: str
) -> None:
    confirmation = read_as(client, outbox, email, declared)

    assert confirmation["content"] == declared.whole

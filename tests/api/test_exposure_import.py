"""« Mettre à jour les expositions via Excel » over HTTP: the template a member's administrator
downloads, fills and sends back; the dry run, the application, and who may do it."""

import io
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import openpyxl
import pytest
from litestar.testing import TestClient

from api.services import Services
from application.requests import Request
from application.workforce.exposure_import import (
    SHEET,
    XLSX_MEDIA_TYPE,
    Action,
    Column,
    EmployeeFacts,
    apply,
    digest_of,
    plan,
    read,
)
from messaging.mailer import OutboxMailer
from tests.api.graphql_client import data, hire, mutate, register_member
from tests.api.sessions import STAFF_EMAIL, body, create_first_account, password_in, sign_in

A_CODE, B_CODE = "00010", "00020"
ADMIN_EMAIL = "direction@martin.fr"
BILLING_EMAIL = "facturation@martin.fr"
BENZENE = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}
EXPOSURES = """
query($memberId: UUID!, $validOn: Date) {
  cmrExposures(memberId: $memberId, validOn: $validOn) {
    employeeId exposureId agentName casNumber routes degree hoursPerWeek validFrom validTo
  }
}"""
HISTORY = """
query($employeeId: UUID!) { cmrExposureHistory(employeeId: $employeeId) { exposureId } }"""
ACCESS_LOG = """
query($event: AccessEvent!) {
  accessLog(event: $event, first: 100) { edges { node { accountId operation subjects } } }
}"""


@dataclass
class World:
    client: TestClient
    outbox: OutboxMailer
    member_id: str
    other_member_id: str
    marie: str
    paul: str
    stranger: str
    """An employee of member B."""


@pytest.fixture
def world(client: TestClient, outbox: OutboxMailer) -> World:
    """Member A: Marie, exposed to benzene since 1 March 2024, and Paul; member B: one employee.
    The client is then signed in as A's administrator."""
    member_id = register_member(client, A_CODE)
    other_member_id = register_member(client, B_CODE)
    marie = hire(client, member_id, "Marie")["aggregateId"]
    paul = hire(client, member_id, "Paul", birth_name="Durand")["aggregateId"]
    stranger = hire(client, other_member_id, "Eve", birth_name="Autre")["aggregateId"]
    recorded = mutate(
        client,
        "recordExposure",
        "RecordExposureInput",
        {"employeeId": marie, "agent": BENZENE, "startedOn": "2024-03-01", "routes": ["SKIN"]},
    )
    assert recorded["__typename"] == "RecordExposureSuccess", recorded
    first = create_first_account(client, A_CODE, ADMIN_EMAIL)
    assert first["__typename"] == "FirstAccountCreated", first
    sign_in(client, outbox, ADMIN_EMAIL)
    return World(client, outbox, member_id, other_member_id, marie, paul, stranger)


def template_url(member_id: str) -> str:
    return f"/members/{member_id}/cmr-exposures/template.xlsx"


def import_url(member_id: str) -> str:
    return f"/members/{member_id}/cmr-exposures/import"


def upload(client: TestClient, member_id: str, content: bytes, *, dry_run: bool) -> Any:
    return client.post(
        import_url(member_id),
        params={"dryRun": str(dry_run).lower()},
        content=content,
        headers={"Content-Type": XLSX_MEDIA_TYPE},
    )


def filled(template: bytes, rows: dict[str, dict[Column, Any]]) -> bytes:
    """The template with cells filled on the row of each employee id."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET]
    columns = {cell.value: cell.column for cell in sheet[1]}
    id_column = columns[Column.EMPLOYEE_ID.label]
    for row in sheet.iter_rows(min_row=2):
        cells = rows.get(row[id_column - 1].value)
        for column, value in (cells or {}).items():
            sheet.cell(row=row[0].row, column=columns[column.label], value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def with_id_replaced(content: bytes, old: str, new: str) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for row in workbook[SHEET].iter_rows():
        for cell in row:
            if cell.value == old:
                cell.value = new
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def row_of(template: bytes, employee_id: str) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(template))[SHEET]
    ids = [c.value for c in next(sheet.iter_cols(min_col=4, max_col=4))]
    return ids.index(employee_id) + 1


def exposures(client: TestClient, member_id: str, valid_on: str | None = None) -> list[Any]:
    reply = data(client, EXPOSURES, {"memberId": member_id, "validOn": valid_on})
    found: list[Any] = reply["cmrExposures"]
    return found


def history(client: TestClient, employee_id: str) -> list[Any]:
    found: list[Any] = data(client, HISTORY, {"employeeId": employee_id})["cmrExposureHistory"]
    return found


def test_a_filled_template_is_dry_run_fixed_and_applied(world: World) -> None:
    client, member_id = world.client, world.member_id
    response = client.get(template_url(member_id))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(XLSX_MEDIA_TYPE)
    assert "expositions-cmr-00010.xlsx" in response.headers["content-disposition"]
    template = response.content
    paul_row = row_of(template, world.paul)
    paul_exposure = {
        Column.AGENT_NAME: "Formaldéhyde",
        Column.CAS_NUMBER: "50-00-1",  # a wrong check digit
        Column.STARTED_ON: "01/06/2024",
        Column.ROUTES: "Inhalation",
        Column.DEGREE: "Faible",
        Column.HOURS_PER_WEEK: "3,5",
    }
    marie_end = {Column.ENDED_ON: "30/09/2024"}
    wrong = filled(template, {world.paul: paul_exposure, world.marie: marie_end})

    dry_run = upload(client, member_id, wrong, dry_run=True)

    assert dry_run.status_code == 200, dry_run.text
    report = dry_run.json()
    assert report["canApply"] is False
    (bad,) = [row for row in report["rows"] if row["errors"]]
    assert bad["row"] == paul_row
    assert bad["action"] is None
    assert [(e["column"], e["code"]) for e in bad["errors"]] == [
        ("Numéro CAS", "INVALID_CAS_NUMBER")
    ]
    assert bad["errors"][0]["message"].startswith(f"Ligne {paul_row}, colonne « Numéro CAS » : ")
    assert {row["action"] for row in report["rows"] if not row["errors"]} == {"END"}
    refused = upload(client, member_id, wrong, dry_run=False)
    assert refused.status_code == 422
    assert refused.json()["canApply"] is False
    assert history(client, world.paul) == []
    assert [e["validTo"] for e in exposures(client, member_id, "2024-03-01")] == [None]

    right = filled(
        template,
        {world.paul: paul_exposure | {Column.CAS_NUMBER: "50-00-0"}, world.marie: marie_end},
    )
    checked = upload(client, member_id, right, dry_run=True).json()
    assert (checked["canApply"], checked["toRecord"], checked["toEnd"]) == (True, 1, 1)

    applied = upload(client, member_id, right, dry_run=False)

    assert applied.status_code == 200, applied.text
    assert (applied.json()["recorded"], applied.json()["ended"]) == (1, 1)
    on_july = exposures(client, member_id, "2024-07-01")
    assert sorted((e["employeeId"], e["agentName"], e["validTo"]) for e in on_july) == sorted(
        [(world.marie, "Benzène", "2024-09-30"), (world.paul, "Formaldéhyde", None)]
    )
    (formaldehyde,) = [e for e in on_july if e["employeeId"] == world.paul]
    assert formaldehyde | {"exposureId": 0} == {
        "employeeId": world.paul,
        "exposureId": 0,
        "agentName": "Formaldéhyde",
        "casNumber": "50-00-0",
        "routes": ["INHALATION"],
        "degree": "LOW",
        "hoursPerWeek": "3.5",
        "validFrom": "2024-06-01",
        "validTo": None,
    }

    again = upload(client, member_id, right, dry_run=False)  # a retry: nothing twice

    assert again.status_code == 200, again.text
    assert (again.json()["recorded"], again.json()["ended"], again.json()["unchanged"]) == (0, 0, 2)
    assert len(history(client, world.paul)) == 1


def test_a_retried_apply_of_the_same_plan_records_nothing_twice(world: World) -> None:
    """Two applies of one file that both planned before either recorded (a double click): the
    rows' request ids are the same, so the second is answered with the first's results."""
    client, member_id = world.client, UUID(world.member_id)
    template = client.get(template_url(world.member_id)).content
    content = filled(
        template,
        {world.paul: {Column.AGENT_NAME: "Poussières de bois", Column.STARTED_ON: "02/01/2025"}},
    )
    services: Services = client.app.state.services
    paul = EmployeeFacts(UUID(world.paul), member_id, "DURAND", "Paul", None)
    paul_rows = [row for row in read(content) if row.employee_id == world.paul]
    planned = plan(
        paul_rows,
        [paul],
        [],
        member_id=member_id,
        today=services.clock.today(),
        digest=digest_of(content),
    )
    token = client.headers["Authorization"].removeprefix("Bearer ")
    _, principal = services.sign_in(token)
    assert principal is not None

    first = apply(planned, services.app, Request("one", principal.actor))
    second = apply(planned, services.app, Request("two", principal.actor))

    services.settle()
    assert [a.action for a in first.applied] == [Action.RECORD]
    assert second.applied == first.applied
    assert len(history(client, world.paul)) == 1


def test_the_upload_may_come_as_a_multipart_form(world: World) -> None:
    client, member_id = world.client, world.member_id
    template = client.get(template_url(member_id)).content

    response = client.post(
        import_url(member_id),
        files={"file": ("expositions.xlsx", template, XLSX_MEDIA_TYPE)},
    )

    assert response.status_code == 200, response.text
    assert (response.json()["canApply"], response.json()["unchanged"]) == (True, 1)


def test_what_is_not_a_workbook_is_refused_with_422(world: World) -> None:
    response = upload(world.client, world.member_id, b"nom;prenom\n", dry_run=True)

    assert response.status_code == 422
    assert response.json()["code"] == "NOT_AN_XLSX"
    assert "Classeur Excel (.xlsx)" in response.json()["message"]


def test_another_member_s_employee_is_an_unknown_one_to_a_member_s_user(
    world: World,
) -> None:
    client = world.client
    template = client.get(template_url(world.member_id)).content
    row = row_of(template, world.paul)
    content = filled(
        template, {world.paul: {Column.AGENT_NAME: "Goudron", Column.STARTED_ON: "02/01/2025"}}
    )
    content = with_id_replaced(content, world.paul, world.stranger)

    as_admin = upload(client, world.member_id, content, dry_run=True).json()
    sign_in(client, world.outbox, STAFF_EMAIL)
    as_staff = upload(client, world.member_id, content, dry_run=True).json()

    def codes(report: Any) -> list[str]:
        return [e["code"] for r in report["rows"] if r["row"] == row for e in r["errors"]]

    assert codes(as_admin) == ["UNKNOWN_EMPLOYEE"]
    assert codes(as_staff) == ["EMPLOYEE_OF_ANOTHER_MEMBER"]


def test_a_user_without_the_right_is_refused_403_and_the_denial_logged(world: World) -> None:
    client = world.client
    person = {"email": BILLING_EMAIL, "lastName": "Martin", "firstName": "Léa", "function": "RH"}
    added = mutate(
        client,
        "addMemberUser",
        "AddMemberUserInput",
        {"memberId": world.member_id, "person": person, "roles": ["BILLING"]},
    )
    assert added["__typename"] == "MemberUsersChanged", added
    template = client.get(template_url(world.member_id)).content
    sign_in(client, world.outbox, BILLING_EMAIL)

    downloaded = client.get(template_url(world.member_id))
    sent = upload(client, world.member_id, template, dry_run=True)

    assert (downloaded.status_code, sent.status_code) == (403, 403)
    assert "consulter les expositions CMR" in downloaded.json()["detail"]
    assert "modifier les salariés" in sent.json()["detail"]
    sign_in(client, world.outbox, STAFF_EMAIL)
    denied = data(client, ACCESS_LOG, {"event": "ACCESS_DENIED"})["accessLog"]["edges"]
    assert {(e["node"]["operation"], e["node"]["subjects"][0]) for e in denied} >= {
        ("cmrExposureTemplate", "READ_CMR"),
        ("importCmrExposures", "MANAGE_WORKFORCE"),
    }
    read = data(client, ACCESS_LOG, {"event": "HEALTH_DATA_READ"})["accessLog"]["edges"]
    assert {
        (e["node"]["operation"], tuple(e["node"]["subjects"]))
        for e in read
        if e["node"]["operation"] == "cmrExposureTemplate"
    } == {("cmrExposureTemplate", (world.marie,))}


def test_another_member_is_answered_as_an_unknown_one_404(world: World) -> None:
    client = world.client
    template = client.get(template_url(world.member_id)).content

    for member_id in (world.other_member_id, str(uuid4())):
        downloaded = client.get(template_url(member_id))
        sent = upload(client, member_id, template, dry_run=False)
        assert (downloaded.status_code, sent.status_code) == (404, 404)
        assert downloaded.json()["detail"] == "Cet adhérent n'existe pas."
    assert history(client, world.paul) == []


def test_nobody_signed_in_is_refused_401(world: World) -> None:
    client = world.client
    client.headers.pop("Authorization", None)

    downloaded = client.get(template_url(world.member_id))
    sent = upload(client, world.member_id, b"", dry_run=True)

    assert (downloaded.status_code, sent.status_code) == (401, 401)
    assert downloaded.json()["detail"] == "Connectez-vous pour accéder au portail."


def test_a_password_still_to_change_is_refused_403(world: World) -> None:
    """As GraphQL's guard does: the password the service mailed serves only to choose another."""
    mails = [m for m in world.outbox.messages() if m["To"] == ADMIN_EMAIL]
    password = next(password_in(m) for m in mails if "Mot de passe" in body(m))
    services: Services = world.client.app.state.services
    signed_in = services.access.login_with_password(ADMIN_EMAIL, password, "203.0.113.7")
    assert signed_in.password_change_required
    world.client.headers["Authorization"] = f"Bearer {signed_in.token}"

    downloaded = world.client.get(template_url(world.member_id))

    assert downloaded.status_code == 403
    assert "nouveau mot de passe" in downloaded.json()["detail"]

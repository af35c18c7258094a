"""A member's activity summary through the API, on both stores (seed 004 §2.7, issue 13): the
service's actions at the member as recorded, corrected and withdrawn by its staff, beside the
visits its employees had in the year counted by kind (withdrawn visits and other years' left
out); read and downloaded as a PDF by every user of the member, the staff and auditors, never
naming an employee; another member's user is answered as for a missing member."""

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import uuid4

import pypdf
import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.accounts.access import AccountKind
from messaging.mailer import OutboxMailer
from tests.api.graphql_client import FAILURES, data, graphql, hire, register_member, request_id
from tests.api.sessions import STAFF_EMAIL, create_first_account, open_service_account, sign_in
from tests.api.test_care_team_api import professional
from tests.api.test_role_matrix import add_user

A_CODE, B_CODE = "00010", "00020"
ADMIN_EMAIL = "direction@martin.fr"
CONVOCATION_EMAIL = "convocation@martin.fr"
OTHER_ADMIN_EMAIL = "direction@autre.fr"
AUDITOR_EMAIL = "auditrice@controle.fr"
REGULATOR_EMAIL = "inspection@travail.gouv.fr"
SUCCESS = "... on ActivitySummaryChangedSuccess { aggregateId version createdId }"
SUMMARY = """
query($memberId: UUID!, $year: Int!) {
  activitySummary(memberId: $memberId, year: $year) {
    memberId year version visitsTotal
    actions { actionId kind kindLabel heldOn subject durationMinutes participants }
    visits { kind kindLabel count }
  }
}"""


@dataclass
class World:
    client: TestClient
    outbox: OutboxMailer
    services: Services
    member_id: str
    year: int
    today: date

    def sign_in(self, email: str) -> None:
        sign_in(self.client, self.outbox, email)

    def summary(self, member_id: str | None = None, year: int | None = None) -> Any:
        variables = {"memberId": member_id or self.member_id, "year": year or self.year}
        return data(self.client, SUMMARY, variables)["activitySummary"]

    def pdf(self, member_id: str | None = None, year: int | None = None) -> Any:
        return self.client.get(
            f"/visits/{member_id or self.member_id}/activity/{year or self.year}/summary.pdf"
        )


def run(client: TestClient, name: str, fields: dict[str, Any], success: str = SUCCESS) -> Any:
    query = f"""
    mutation($input: {name[0].upper()}{name[1:]}Input!) {{
      {name}(input: $input) {{ __typename {success} {FAILURES} }}
    }}"""
    return data(client, query, {"input": {"requestId": request_id(), **fields}})[name]


def record(client: TestClient, member_id: str, **details: Any) -> Any:
    return run(client, "recordWorkplaceAction", {"memberId": member_id, "details": details})


def visit(client: TestClient, employee_id: str, kind: str, held_on: date, doctor: str) -> None:
    held = {
        "employeeId": employee_id,
        "kind": kind,
        "heldOn": held_on.isoformat(),
        "professionalId": doctor,
        "document": "FOLLOW_UP_CERTIFICATE",
    }
    assert "code" not in run(client, "recordVisit", held, success="")


@pytest.fixture
def world(client: TestClient, outbox: OutboxMailer, services: Services) -> World:
    """Member A, whose two employees had visits this year and last year (one withdrawn), and
    for which the staff recorded three actions this year (one corrected, one withdrawn); member
    B. A's administrator and convocation users, B's administrator, an auditor, a regulator. The
    client stays signed in as staff."""
    today = services.clock.today()
    year = today.year
    member_id = register_member(client, A_CODE)
    register_member(client, B_CODE)
    zoe = hire(client, member_id, "Zoé", birth_name="Lambert")["aggregateId"]
    paul = hire(client, member_id, "Paul", birth_name="Renaud")["aggregateId"]
    doctor = professional(client, "Lefèvre", "OCCUPATIONAL_DOCTOR")
    visit(client, zoe, "INFORMATION_AND_PREVENTION", date(year, 1, 1), doctor)
    visit(client, zoe, "PERIODIC", date(year - 1, 6, 1), doctor)
    visit(client, paul, "PERIODIC", today, doctor)
    visit(client, paul, "ON_REQUEST", today, doctor)
    withdrawn = {"employeeId": paul, "visitId": 2, "errorNote": "Doublon"}
    assert "code" not in run(client, "withdrawVisit", withdrawn, success="")

    study = record(
        client,
        member_id,
        kind="STUDY",
        heldOn=today.isoformat(),
        subject="Poste de soudure",
        durationMinutes=90,
    )
    assert (study["__typename"], study["createdId"]) == ("ActivitySummaryChangedSuccess", 1)
    corrected = run(
        client,
        "correctWorkplaceAction",
        {
            "memberId": member_id,
            "year": year,
            "actionId": 1,
            "expectedVersion": study["version"],
            "details": {
                "kind": "STUDY",
                "heldOn": today.isoformat(),
                "subject": "Postes de soudure et de meulage",
                "durationMinutes": 150,
            },
        },
    )
    assert corrected["__typename"] == "ActivitySummaryChangedSuccess", corrected
    mistaken = record(
        client, member_id, kind="OTHER", heldOn=today.isoformat(), subject="Saisie erronée"
    )
    assert mistaken["createdId"] == 2
    withdrawal = {"memberId": member_id, "year": year, "actionId": 2, "errorNote": "Erreur"}
    assert run(client, "withdrawWorkplaceAction", withdrawal)["__typename"] == (
        "ActivitySummaryChangedSuccess"
    )
    session = record(
        client,
        member_id,
        kind="AWARENESS_SESSION",
        heldOn=date(year, 1, 1).isoformat(),
        subject="Bruit au travail",
        participants=14,
    )
    assert session["createdId"] == 3

    open_service_account(services, AUDITOR_EMAIL, AccountKind.AUDITOR)
    open_service_account(services, REGULATOR_EMAIL, AccountKind.REGULATOR)
    for code, email in ((A_CODE, ADMIN_EMAIL), (B_CODE, OTHER_ADMIN_EMAIL)):
        first = create_first_account(client, code, email)
        assert first["__typename"] == "FirstAccountCreated", first
    world = World(client, outbox, services, member_id, year, today)
    world.sign_in(ADMIN_EMAIL)
    add_user(client, member_id, CONVOCATION_EMAIL, "CONVOCATION")
    world.sign_in(STAFF_EMAIL)
    services.settle()
    return world


def test_the_summary_shows_the_actions_as_they_stand_and_the_visits_of_the_year(
    world: World,
) -> None:
    summary = world.summary()
    last_year = world.summary(year=world.year - 1)

    in_their_order = sorted(
        [
            (date(world.year, 1, 1), 3, "AWARENESS_SESSION", "Bruit au travail", None, 14),
            (world.today, 1, "STUDY", "Postes de soudure et de meulage", 150, None),
        ],
        key=lambda action: action[:2],
    )
    assert [
        (
            date.fromisoformat(a["heldOn"]),
            a["actionId"],
            a["kind"],
            a["subject"],
            a["durationMinutes"],
            a["participants"],
        )
        for a in summary["actions"]
    ] == in_their_order
    assert {a["kindLabel"] for a in summary["actions"]} == {
        "Action de sensibilisation",
        "Étude de poste ou de risque",
    }
    assert summary["visits"] == [
        {
            "kind": "INFORMATION_AND_PREVENTION",
            "kindLabel": "Visite d'information et de prévention",
            "count": 1,
        },
        {"kind": "PERIODIC", "kindLabel": "Visite périodique", "count": 1},
    ]
    assert (summary["visitsTotal"], summary["version"]) == (2, 6)
    assert last_year == {
        "memberId": world.member_id,
        "year": world.year - 1,
        "version": None,
        "actions": [],
        "visits": [{"kind": "PERIODIC", "kindLabel": "Visite périodique", "count": 1}],
        "visitsTotal": 1,
    }


@pytest.mark.parametrize(
    ("email", "status"),
    [
        (ADMIN_EMAIL, 200),
        (CONVOCATION_EMAIL, 200),
        (AUDITOR_EMAIL, 200),
        (STAFF_EMAIL, 200),
        (REGULATOR_EMAIL, 403),
        (None, 401),
    ],
)
def test_who_may_read_and_download(world: World, email: str | None, status: int) -> None:
    as_staff = world.summary()
    if email is None:
        world.client.headers.pop("Authorization", None)
    else:
        world.sign_in(email)

    body = graphql(world.client, SUMMARY, {"memberId": world.member_id, "year": world.year})
    printed = world.pdf()

    assert printed.status_code == status
    if status == 200:
        assert body["data"]["activitySummary"] == as_staff
        assert printed.headers["content-type"] == "application/pdf"
    else:
        code = "FORBIDDEN" if status == 403 else "UNAUTHENTICATED"
        assert body["errors"][0]["extensions"]["code"] == code
        assert printed.json()["extra"] == {"code": code}


def test_another_member_s_user_is_answered_as_for_a_missing_member(world: World) -> None:
    world.sign_in(OTHER_ADMIN_EMAIL)
    missing = str(uuid4())

    assert world.summary() is None
    assert world.summary(missing) is None
    outsider, unknown = world.pdf(), world.pdf(missing)
    assert outsider.status_code == unknown.status_code == 404
    assert outsider.json() == unknown.json()
    assert outsider.json()["extra"] == {"code": "MEMBER_NOT_FOUND"}


def pdf_text(content: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return "\n".join(page.extract_text() for page in pages).replace("’", "'")


def test_the_pdf_prints_the_actions_and_the_counts_and_never_an_employee(world: World) -> None:
    world.sign_in(ADMIN_EMAIL)

    first, again = world.pdf(), world.pdf()

    assert first.status_code == 200
    assert first.content == again.content, "the same summary on the same day: the same bytes"
    sha256 = hashlib.sha256(first.content).hexdigest()
    assert first.headers["x-content-sha256"] == sha256
    assert first.headers["content-disposition"] == (
        f'attachment; filename="synthese-activite-{world.year}.pdf"'
    )
    text = pdf_text(first.content)
    for printed in (
        f"Synthèse d'activité {world.year}",
        "Martin SAS",
        f"Adhérent n° {A_CODE}",
        "Postes de soudure et de meulage",
        "2\u00a0h\u00a030",
        "Bruit au travail",
        "Action de sensibilisation",
        "Visite d'information et de prévention",
        "Visite périodique",
        "Total",
        f"Établie le {world.today:%d/%m/%Y}",
    ):
        assert printed.replace("\u00a0", " ") in text.replace("\u00a0", " "), printed
    for absent in ("Saisie erronée", "Poste de soudure\n", "Lambert", "Zoé", "Renaud", "Paul"):
        assert absent not in text, absent
    empty = pdf_text(world.pdf(year=world.year - 2).content)
    assert "Aucune action en milieu de travail enregistrée pour cette année." in empty
    assert "Aucune visite enregistrée pour cette année." in empty


def test_a_year_no_calendar_holds_has_no_summary(world: World) -> None:
    assert world.summary(year=10_000) is None
    refused = world.client.get(f"/visits/{world.member_id}/activity/0/summary.pdf")
    assert refused.status_code == 404
    assert refused.json()["extra"] == {"code": "ACTIVITY_SUMMARY_NOT_FOUND"}


def test_refusals_leave_the_summary_as_it_was(world: World) -> None:
    before = world.summary()
    action = {"kind": "STUDY", "heldOn": world.today.isoformat(), "subject": "Éclairage"}
    correction = {"memberId": world.member_id, "year": world.year, "actionId": 1}

    refusals = [
        record(world.client, world.member_id, **{**action, "heldOn": "2999-01-01"}),
        record(world.client, str(uuid4()), **action),
        record(world.client, world.member_id, **{**action, "subject": "a\u202eb"}),
        run(
            world.client,
            "correctWorkplaceAction",
            {**correction, "expectedVersion": 2, "details": action},
        ),
        run(
            world.client,
            "correctWorkplaceAction",
            {**correction, "details": {**action, "heldOn": f"{world.year - 1}-12-31"}},
        ),
        run(
            world.client,
            "withdrawWorkplaceAction",
            {**correction, "actionId": 2, "errorNote": "Encore"},
        ),
        run(
            world.client,
            "withdrawWorkplaceAction",
            {**correction, "year": world.year - 1, "errorNote": "Ailleurs"},
        ),
    ]

    assert [(r["__typename"], r["code"]) for r in refusals] == [
        ("ValidationError", "DATE_OUT_OF_RANGE"),
        ("NotFoundError", "MEMBER_NOT_FOUND"),
        ("ValidationError", "INVALID_TEXT"),
        ("ConflictError", "CONFLICT"),
        ("RuleViolationError", "ACTION_IN_ANOTHER_YEAR"),
        ("NotFoundError", "ACTION_NOT_FOUND"),
        ("NotFoundError", "ACTION_NOT_FOUND"),
    ]
    world.services.settle()
    assert world.summary() == before

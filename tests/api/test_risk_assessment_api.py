"""The risk assessment tool (DUERP, seed 000 steps 6–8) through the API, on both stores: a member's
administrator builds work units, evaluates their risks, plans actions and publishes; published
versions read back unchanged after later edits; a document made without the tool goes up and
comes down with its SHA-256; and who may do what."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.risk_assessment.publication import MAX_DOCUMENT_SIZE
from messaging.mailer import OutboxMailer
from storage.documents import (
    DocumentCorrupted,
    DocumentNotStored,
    DocumentStore,
    DocumentTooLarge,
)
from tests.api.graphql_client import FAILURES, data, graphql, hire, mutate, register_member
from tests.api.sessions import STAFF_EMAIL, create_first_account, sign_in

A_CODE, B_CODE = "00010", "00020"
ADMIN_EMAIL = "direction@martin.fr"
BILLING_EMAIL = "facturation@martin.fr"
HANDLING = "MANUTENTION_CHARGES"
NIGHT_WORK = "TRAVAIL_DE_NUIT"
SCREEN = "TRAVAIL_SUR_ECRAN"
PDF = "application/pdf"
DOCUMENT = b"%PDF-1.7\n% Document unique d'evaluation des risques\n" + bytes(range(256)) * 40

STATE = """
  memberId version lateActions lastUpdatedOn
  units { unitId name employeeIds riskCodes }
  evaluations { unitId riskCode severity probability priority major description existingMeasures }
  pendingEvaluations { unitId riskCode }
  actions { actionId scope title riskCode unitIds dueOn owner suggestionCode status doneOn late }
  publishedVersions { number publishedOn contentHash }
  documents { documentId fileName mediaType size sha256 recordedOn downloadPath }
"""
RISK_ASSESSMENT = f"""
query($memberId: UUID!) {{ riskAssessment(memberId: $memberId) {{ {STATE} }} }}"""
VERSION = """
query($memberId: UUID!, $number: Int!) {
  riskAssessmentVersion(memberId: $memberId, number: $number) {
    memberId number publishedOn contentHash intact
    units { unitId name employeeIds riskCodes }
    evaluations { unitId riskCode severity probability priority major description }
    actions { actionId scope title riskCode unitIds dueOn owner status doneOn late }
  }
}"""

ACCESS_DENIALS = """
query { accessLog(event: ACCESS_DENIED, first: 100) { edges { node { operation subjects } } } }"""


@dataclass
class World:
    client: TestClient
    outbox: OutboxMailer
    services: Services
    member_id: str
    other_member_id: str
    baker: str
    clerk: str


@pytest.fixture
def world(client: TestClient, outbox: OutboxMailer, services: Services) -> World:
    """Member A with two employees, member B with one; the client is then signed in as A's
    administrator (made with `createFirstAccount`)."""
    member_id = register_member(client, A_CODE)
    other_member_id = register_member(client, B_CODE)
    baker = hire(client, member_id, "Marie")["aggregateId"]
    clerk = hire(client, member_id, "Paul", birth_name="Durand")["aggregateId"]
    hire(client, other_member_id, "Eve", birth_name="Autre")
    first = create_first_account(client, A_CODE, ADMIN_EMAIL)
    assert first["__typename"] == "FirstAccountCreated", first
    sign_in(client, outbox, ADMIN_EMAIL)
    return World(client, outbox, services, member_id, other_member_id, baker, clerk)


def change(client: TestClient, name: str, input_type: str, fields: dict[str, Any]) -> Any:
    """Runs a risk assessment mutation; returns its result, the assessment on success."""
    query = f"""
    mutation Change($input: {input_type}!) {{
      {name}(input: $input) {{
        __typename
        ... on RiskAssessmentChanged {{
          aggregateId version createdId riskAssessment {{ {STATE} }}
        }}
        ... on ForbiddenError {{ code message }}
        {FAILURES}
      }}
    }}"""
    body = graphql(client, query, {"input": {"requestId": str(uuid4()), **fields}})
    assert "errors" not in body, body["errors"]
    return body["data"][name]


def changed(client: TestClient, name: str, input_type: str, fields: dict[str, Any]) -> Any:
    result = change(client, name, input_type, fields)
    assert result["__typename"] == "RiskAssessmentChanged", result
    return result


def assessment(client: TestClient, member_id: str) -> Any:
    return data(client, RISK_ASSESSMENT, {"memberId": member_id})["riskAssessment"]


def version(client: TestClient, member_id: str, number: int) -> Any:
    reply = data(client, VERSION, {"memberId": member_id, "number": number})
    return reply["riskAssessmentVersion"]


def upload(
    client: TestClient,
    member_id: str,
    content: bytes = DOCUMENT,
    *,
    file_name: str = "DUERP 2025 — Fournil.pdf",
    media_type: str = PDF,
) -> Any:
    return client.post(
        f"/members/{member_id}/risk-assessment/document",
        params={"fileName": file_name},
        content=content,
        headers={"Content-Type": media_type},
    )


def download_url(member_id: str, sha256: str) -> str:
    return f"/members/{member_id}/risk-assessment/document/{sha256}"


def status_and_body(response: Any) -> tuple[int, Any]:
    return response.status_code, response.json()


def add_billing_user(world: World) -> None:
    person = {"email": BILLING_EMAIL, "lastName": "Martin", "firstName": "Léa", "function": "RH"}
    added = mutate(
        world.client,
        "addMemberUser",
        "AddMemberUserInput",
        {"memberId": world.member_id, "person": person, "roles": ["BILLING"]},
    )
    assert added["__typename"] == "MemberUsersChanged", added


# The tool, steps 6 to 8 -------------------------------------------------------------------------


def test_the_tool_from_work_units_to_a_published_version_that_later_edits_leave_alone(
    world: World,
) -> None:
    client, member = world.client, world.member_id
    today = world.services.clock.today()
    assert assessment(client, member) is None

    # Step 6: work units, their employees and risks
    bakery = changed(
        client,
        "createWorkUnit",
        "CreateWorkUnitInput",
        {
            "memberId": member,
            "name": "Fournil",
            "employeeIds": [world.baker],
            "riskCodes": [HANDLING, NIGHT_WORK],
        },
    )
    office = changed(
        client, "createWorkUnit", "CreateWorkUnitInput", {"memberId": member, "name": "Bureau"}
    )
    changed(
        client,
        "assignEmployeesToWorkUnit",
        "AssignEmployeesToWorkUnitInput",
        {"memberId": member, "unitId": 2, "employeeIds": [world.clerk, world.baker]},
    )
    added = changed(
        client,
        "addRiskToWorkUnit",
        "WorkUnitRiskInput",
        {"memberId": member, "unitId": 2, "riskCode": SCREEN},
    )
    assert (bakery["createdId"], office["createdId"]) == (1, 2)
    state = added["riskAssessment"]
    assert state["units"] == [
        {
            "unitId": 1,
            "name": "Fournil",
            "employeeIds": [world.baker],
            "riskCodes": [HANDLING, NIGHT_WORK],
        },
        {
            "unitId": 2,
            "name": "Bureau",
            "employeeIds": sorted([world.clerk, world.baker]),
            "riskCodes": [SCREEN],
        },
    ]
    assert len(state["pendingEvaluations"]) == 3
    refused = change(client, "publishRiskAssessment", "RiskAssessmentInput", {"memberId": member})
    assert (refused["__typename"], refused["code"]) == ("RuleViolationError", "EVALUATIONS_PENDING")

    # Step 7: evaluations and their priorities
    for unit_id, code, severity, probability in (
        (1, HANDLING, 3, 4),
        (1, NIGHT_WORK, 2, 2),
        (2, SCREEN, 1, 2),
    ):
        evaluated = changed(
            client,
            "evaluateRisk",
            "EvaluateRiskInput",
            {
                "memberId": member,
                "unitId": unit_id,
                "riskCode": code,
                "severity": severity,
                "probability": probability,
                "description": f"Risque {code}",
            },
        )
    state = evaluated["riskAssessment"]
    assert [(e["riskCode"], e["priority"], e["major"]) for e in state["evaluations"]] == [
        (HANDLING, "I", True),
        (NIGHT_WORK, "III", False),
        (SCREEN, "IV", False),
    ]
    assert state["pendingEvaluations"] == []

    # Step 8: the action plan, one action late
    plans = [
        {
            "scope": "MAJOR_RISKS",
            "title": "Chariot de manutention",
            "riskCode": HANDLING,
            "unitIds": [1],
            "dueOn": (today + timedelta(days=60)).isoformat(),
            "owner": "Claire Durand",
        },
        {
            "scope": "GLOBAL",
            "title": "Formation gestes et postures",
            "dueOn": (today - timedelta(days=10)).isoformat(),
            "owner": "Claire Durand",
        },
        {
            "scope": "OTHER_RISKS",
            "title": "Rotation des équipes de nuit",
            "riskCode": NIGHT_WORK,
            "unitIds": [1],
            "dueOn": (today + timedelta(days=30)).isoformat(),
            "owner": "Paul Durand",
        },
    ]
    planned = [
        changed(
            client, "planPreventionAction", "PlanPreventionActionInput", {"memberId": member, **p}
        )
        for p in plans
    ]
    mismatched = change(
        client,
        "planPreventionAction",
        "PlanPreventionActionInput",
        {"memberId": member, **plans[0], "riskCode": SCREEN, "unitIds": [2]},
    )
    assert [p["createdId"] for p in planned] == [1, 2, 3]
    assert mismatched["code"] == "ACTION_SCOPE_MISMATCH"
    state = assessment(client, member)
    assert [(a["actionId"], a["late"]) for a in state["actions"]] == [
        (1, False),
        (2, True),
        (3, False),
    ]
    assert state["lateActions"] == 1

    done = changed(
        client,
        "markPreventionActionDone",
        "MarkPreventionActionDoneInput",
        {"memberId": member, "actionId": 2},
    )
    changed(
        client,
        "cancelPreventionAction",
        "CancelPreventionActionInput",
        {"memberId": member, "actionId": 3, "reason": "Plus de travail de nuit"},
    )
    state = assessment(client, member)
    assert [(a["status"], a["late"]) for a in state["actions"]] == [
        ("PLANNED", False),
        ("DONE", False),
        ("CANCELLED", False),
    ]
    assert done["riskAssessment"]["actions"][1]["doneOn"] == today.isoformat()
    assert state["lateActions"] == 0

    # Publication: version 1
    published = changed(
        client, "publishRiskAssessment", "RiskAssessmentInput", {"memberId": member}
    )
    assert published["createdId"] == 1
    (summary,) = published["riskAssessment"]["publishedVersions"]
    assert summary["number"] == 1
    assert summary["publishedOn"] == today.isoformat()
    assert len(summary["contentHash"]) == 64
    first = version(client, member, 1)
    assert first["intact"] is True
    assert first["contentHash"] == summary["contentHash"]
    assert [u["name"] for u in first["units"]] == ["Fournil", "Bureau"]
    assert [a["actionId"] for a in first["actions"]] == [1, 2]  # the cancelled one left out

    # Later edits, and version 2
    changed(
        client,
        "renameWorkUnit",
        "RenameWorkUnitInput",
        {"memberId": member, "unitId": 1, "name": "Fournil et laboratoire"},
    )
    changed(
        client,
        "evaluateRisk",
        "EvaluateRiskInput",
        {
            "memberId": member,
            "unitId": 1,
            "riskCode": HANDLING,
            "severity": 2,
            "probability": 2,
            "description": "Chariot livré",
        },
    )
    changed(
        client,
        "reschedulePreventionAction",
        "ReschedulePreventionActionInput",
        {"memberId": member, "actionId": 1, "dueOn": (today + timedelta(days=90)).isoformat()},
    )
    changed(
        client,
        "removeRiskFromWorkUnit",
        "WorkUnitRiskInput",
        {"memberId": member, "unitId": 2, "riskCode": SCREEN},
    )
    second = changed(client, "publishRiskAssessment", "RiskAssessmentInput", {"memberId": member})

    assert second["createdId"] == 2
    assert version(client, member, 1) == first
    latest = version(client, member, 2)
    assert latest["intact"] is True
    assert latest["contentHash"] != first["contentHash"]
    assert latest["units"][0]["name"] == "Fournil et laboratoire"
    assert version(client, member, 3) is None
    state = assessment(client, member)
    assert [v["number"] for v in state["publishedVersions"]] == [1, 2]
    assert state["lastUpdatedOn"] == today.isoformat()


def test_a_stale_form_is_answered_with_a_conflict(world: World) -> None:
    client, member = world.client, world.member_id
    created = changed(
        client, "createWorkUnit", "CreateWorkUnitInput", {"memberId": member, "name": "Fournil"}
    )
    seen = created["version"]
    changed(
        client,
        "renameWorkUnit",
        "RenameWorkUnitInput",
        {"memberId": member, "unitId": 1, "name": "Atelier", "expectedVersion": seen},
    )

    stale = change(
        client,
        "renameWorkUnit",
        "RenameWorkUnitInput",
        {"memberId": member, "unitId": 1, "name": "Labo", "expectedVersion": seen},
    )

    assert stale["__typename"] == "ConflictError"
    assert stale["currentVersion"] == seen + 1


def test_employees_of_another_member_are_refused_as_unknown_ones(world: World) -> None:
    client, member = world.client, world.member_id
    sign_in(client, world.outbox, STAFF_EMAIL)
    stranger = hire(client, world.other_member_id, "Zoé", birth_name="Autre")["aggregateId"]
    sign_in(client, world.outbox, ADMIN_EMAIL)

    answers = [
        change(
            client,
            "createWorkUnit",
            "CreateWorkUnitInput",
            {"memberId": member, "name": f"Unité {n}", "employeeIds": [employee]},
        )
        for n, employee in enumerate((stranger, str(uuid4())))
    ]

    assert answers[0] == answers[1]
    assert answers[0]["__typename"] == "NotFoundError"
    assert assessment(client, member) is None


# A document made without the tool -------------------------------------------------------------


def test_a_document_goes_up_and_comes_down_with_its_sha256(world: World) -> None:
    client, member = world.client, world.member_id
    sha256 = hashlib.sha256(DOCUMENT).hexdigest()

    sent = upload(client, member)

    assert sent.status_code == 201, sent.text
    recorded = sent.json()
    assert recorded["sha256"] == sha256
    assert recorded["size"] == len(DOCUMENT)
    assert (recorded["mediaType"], recorded["documentId"], recorded["version"]) == (PDF, 1, 2)
    assert sent.headers["location"] == download_url(member, sha256)
    stored = world.services.documents.within(member).path_of(sha256)
    assert stored == world.services.documents.folder / member / sha256[:2] / sha256
    assert stored.read_bytes() == DOCUMENT
    (document,) = assessment(client, member)["documents"]
    assert document == {
        "documentId": 1,
        "fileName": "DUERP 2025 — Fournil.pdf",
        "mediaType": PDF,
        "size": len(DOCUMENT),
        "sha256": sha256,
        "recordedOn": world.services.clock.today().isoformat(),
        "downloadPath": download_url(member, sha256),
    }

    fetched = client.get(document["downloadPath"])

    assert fetched.status_code == 200
    assert fetched.content == DOCUMENT
    assert hashlib.sha256(fetched.content).hexdigest() == sha256
    assert fetched.headers["content-type"].startswith(PDF)
    assert fetched.headers["etag"] == f'"{sha256}"'
    disposition = fetched.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="DUERP 2025 _ Fournil.pdf"')
    assert "filename*=UTF-8''DUERP%202025%20%E2%80%94%20Fournil.pdf" in disposition


def test_an_upload_the_domain_refuses_stores_nothing(world: World) -> None:
    client, member = world.client, world.member_id
    folder = world.services.documents.within(member).folder

    as_text = upload(client, member, media_type="text/plain")
    empty = upload(client, member, b"")
    with_path = upload(client, member, file_name="../../etc/passwd.pdf")
    too_large = upload(client, member, b"0" * (MAX_DOCUMENT_SIZE + 1))

    assert as_text.status_code == 415
    assert as_text.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert (empty.status_code, empty.json()["code"]) == (422, "INVALID_FILE_SIZE")
    assert (with_path.status_code, with_path.json()["code"]) == (422, "INVALID_FILE_NAME")
    assert too_large.status_code == 413
    assert not folder.exists()
    assert assessment(client, member) is None


def test_the_same_file_twice_is_refused_as_already_recorded(world: World) -> None:
    client, member = world.client, world.member_id
    assert upload(client, member).status_code == 201

    again = upload(client, member, file_name="copie.pdf")

    assert (again.status_code, again.json()["code"]) == (422, "DOCUMENT_ALREADY_RECORDED")
    assert len(assessment(client, member)["documents"]) == 1


def test_a_file_damaged_on_disk_is_not_served(world: World) -> None:
    client, member = world.client, world.member_id
    sha256 = upload(client, member).json()["sha256"]
    path = world.services.documents.within(member).path_of(sha256)
    path.write_bytes(DOCUMENT[:-1] + b"!")

    fetched = client.get(download_url(member, sha256))

    assert fetched.status_code == 500
    assert fetched.json()["code"] == "DOCUMENT_UNAVAILABLE"


def test_only_recorded_documents_of_the_member_are_served(world: World) -> None:
    client, member = world.client, world.member_id
    upload(client, member)
    unrecorded = b"%PDF-1.7 jamais enregistre"
    world.services.documents.within(member).put(unrecorded)

    answers = [
        client.get(download_url(member, sha))
        for sha in (hashlib.sha256(unrecorded).hexdigest(), "0" * 64, "not-a-digest")
    ]

    assert [a.status_code for a in answers] == [404, 404, 404]


def test_the_mutation_records_a_file_already_stored_and_only_such_a_file(world: World) -> None:
    """Recording through GraphQL serves when the upload stored the file but recording failed:
    the member's own stored file of that digest and size, nothing else."""
    client, member = world.client, world.member_id
    content = b"%PDF-1.7 depose, pas encore enregistre"
    sha256 = world.services.documents.within(member).put(content)
    fields = {"memberId": member, "fileName": "duerp.pdf", "mediaType": PDF, "sha256": sha256}
    record_input = "RecordExistingRiskAssessmentDocumentInput"

    missing = change(
        client,
        "recordExistingRiskAssessmentDocument",
        record_input,
        {**fields, "sha256": "a" * 64, "size": len(content)},
    )
    wrong_size = change(
        client,
        "recordExistingRiskAssessmentDocument",
        record_input,
        {**fields, "size": len(content) + 1},
    )
    recorded = change(
        client,
        "recordExistingRiskAssessmentDocument",
        record_input,
        {**fields, "size": len(content)},
    )

    assert (missing["__typename"], missing["code"]) == ("NotFoundError", "DOCUMENT_NOT_UPLOADED")
    assert (wrong_size["__typename"], wrong_size["code"]) == (
        "ValidationError",
        "FILE_SIZE_MISMATCH",
    )
    assert recorded["__typename"] == "RiskAssessmentChanged", recorded
    assert recorded["riskAssessment"]["documents"][0]["sha256"] == sha256
    assert client.get(download_url(member, sha256)).content == content


# Who may do what ------------------------------------------------------------------------------


def test_billing_reads_the_assessment_and_its_documents_but_changes_nothing(world: World) -> None:
    client, member = world.client, world.member_id
    changed(
        client, "createWorkUnit", "CreateWorkUnitInput", {"memberId": member, "name": "Fournil"}
    )
    sha256 = upload(client, member).json()["sha256"]
    add_billing_user(world)
    sign_in(client, world.outbox, BILLING_EMAIL)

    refused = change(
        client, "createWorkUnit", "CreateWorkUnitInput", {"memberId": member, "name": "Bureau"}
    )
    sent = upload(client, member, b"%PDF autre")
    state = assessment(client, member)
    fetched = client.get(download_url(member, sha256))

    assert (refused["__typename"], refused["code"]) == ("ForbiddenError", "FORBIDDEN")
    assert sent.status_code == 403
    assert "remplir la déclaration annuelle" in sent.json()["detail"]
    assert [u["name"] for u in state["units"]] == ["Fournil"]
    assert fetched.status_code == 200
    assert fetched.content == DOCUMENT
    sign_in(client, world.outbox, STAFF_EMAIL)
    denied = data(client, ACCESS_DENIALS)["accessLog"]["edges"]
    assert {(e["node"]["operation"], e["node"]["subjects"][0]) for e in denied} == {
        ("createWorkUnit", "MANAGE_DECLARATION"),
        ("uploadRiskAssessmentDocument", "MANAGE_DECLARATION"),
    }


def test_nobody_signed_in_is_refused(world: World) -> None:
    client, member = world.client, world.member_id
    sha256 = upload(client, member).json()["sha256"]
    client.headers.pop("Authorization", None)

    body = graphql(client, RISK_ASSESSMENT, {"memberId": member})
    sent = upload(client, member)
    fetched = client.get(download_url(member, sha256))

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (sent.status_code, fetched.status_code) == (401, 401)


def test_another_member_s_assessment_is_answered_as_an_unknown_one(world: World) -> None:
    """B's assessment, started and with a document, is to A's administrator what an unknown
    member's is: nothing, the same refusals."""
    client = world.client
    b_member = world.other_member_id
    sign_in(client, world.outbox, STAFF_EMAIL)
    changed(client, "createWorkUnit", "CreateWorkUnitInput", {"memberId": b_member, "name": "Quai"})
    b_sha = upload(client, b_member).json()["sha256"]
    assert assessment(client, b_member)["documents"][0]["sha256"] == b_sha
    sign_in(client, world.outbox, ADMIN_EMAIL)

    def answers(member_id: str) -> Any:
        return {
            "state": assessment(client, member_id),
            "version": version(client, member_id, 1),
            "create": change(
                client,
                "createWorkUnit",
                "CreateWorkUnitInput",
                {"memberId": member_id, "name": "X"},
            ),
            "rename": change(
                client,
                "renameWorkUnit",
                "RenameWorkUnitInput",
                {"memberId": member_id, "unitId": 1, "name": "Y"},
            ),
            "record": change(
                client,
                "recordExistingRiskAssessmentDocument",
                "RecordExistingRiskAssessmentDocumentInput",
                {
                    "memberId": member_id,
                    "fileName": "duerp.pdf",
                    "mediaType": PDF,
                    "size": len(DOCUMENT),
                    "sha256": b_sha,
                },
            ),
            "upload": status_and_body(upload(client, member_id)),
            "download": status_and_body(client.get(download_url(member_id, b_sha))),
        }

    of_b, of_nobody = answers(b_member), answers(str(uuid4()))

    assert of_b == of_nobody
    assert of_b["state"] is None
    assert of_b["create"]["code"] == "MEMBER_NOT_FOUND"
    assert of_b["upload"][0] == of_b["download"][0] == 404
    sign_in(client, world.outbox, STAFF_EMAIL)
    b_state = assessment(client, b_member)
    assert [u["name"] for u in b_state["units"]] == ["Quai"]
    assert len(b_state["documents"]) == 1


# The content-addressed store ------------------------------------------------------------------


def test_the_store_keeps_each_content_once_under_its_sha256(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents", max_size=1000)

    sha256 = store.put(b"contenu")
    again = store.put(b"contenu")

    assert sha256 == again == hashlib.sha256(b"contenu").hexdigest()
    assert store.get(sha256) == b"contenu"
    assert store.size(sha256) == 7
    assert [
        p.relative_to(tmp_path) for p in (tmp_path / "documents").rglob("*") if p.is_file()
    ] == [Path("documents") / sha256[:2] / sha256]


def test_the_store_refuses_what_it_cannot_vouch_for(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path, max_size=10)
    sha256 = store.put(b"0123456789")
    store.path_of(sha256).write_bytes(b"abcdefghij")

    with pytest.raises(DocumentTooLarge):
        store.put(b"01234567890")
    with pytest.raises(DocumentCorrupted):
        store.get(sha256)
    with pytest.raises(DocumentNotStored):
        store.get("b" * 64)
    for malformed in ("../" + "a" * 61, "A" * 64, "a" * 63):
        with pytest.raises(ValueError, match="SHA-256"):
            store.get(malformed)
    with pytest.raises(ValueError, match="subfolder"):
        store.within("../autre")
    assert store.put(b"0123456789") == sha256  # a damaged file is written again
    assert store.get(sha256) == b"0123456789"

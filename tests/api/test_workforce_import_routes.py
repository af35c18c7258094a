"""Importer le personnel over HTTP: the template, the dry run with every error by row, the
application, the same file again."""

import io

import openpyxl
from litestar.testing import TestClient

from tests.api.graphql_client import register_member

TITLES = "Nom de naissance;Prénom;Date de naissance;Sexe;Date d'embauche;Poste;Type de contrat"
GOOD = "PETIT;Inès;04/08/1992;F;01/09/2024;Vendeuse;CDI"
BAD = "ROUX;Léa;31/02/1992;X;01/09/2024;;CDI"


def send(client: TestClient, member_id: str, lines: list[str], dry_run: bool) -> tuple[int, dict]:
    path = f"/members/{member_id}/workforce/import?dryRun={'true' if dry_run else 'false'}"
    response = client.post(
        path, content="\n".join(lines).encode(), headers={"content-type": "text/csv"}
    )
    return response.status_code, response.json()


def test_the_template_has_the_titles(client: TestClient) -> None:
    member_id = register_member(client)

    response = client.get(f"/members/{member_id}/workforce/template.xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Personnel"]
    assert [c.value for c in sheet[1]][:3] == ["Nom de naissance", "Prénom", "Nom d'usage"]


def test_errors_by_row_then_applied_once(client: TestClient) -> None:
    member_id = register_member(client)

    status, report = send(client, member_id, [TITLES, GOOD, BAD], dry_run=False)

    assert (status, report["canApply"]) == (422, False)
    assert {(e["row"], e["column"], e["code"]) for e in report["errors"]} == {
        (3, "Date de naissance", "INVALID_DATE"),
        (3, "Sexe", "UNKNOWN_CHOICE"),
        (3, "Poste", "MISSING_VALUE"),
    }
    status, applied = send(client, member_id, [TITLES, GOOD], dry_run=False)
    assert (status, applied["applied"], applied["failed"]) == (200, [2], None)
    status, again = send(client, member_id, [TITLES, GOOD], dry_run=True)
    assert (status, again["counts"]["HIRE"], again["counts"]["UNCHANGED"]) == (200, 0, 1)


def test_no_session_is_refused(client: TestClient) -> None:
    member_id = register_member(client)
    client.headers.pop("authorization", None)

    response = client.post(f"/members/{member_id}/workforce/import", content=b"x")

    assert response.status_code == 401

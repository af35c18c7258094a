"""The employee list's files: the rows of the `employees` query with its filters, under the
list's right, and the read of their follow-up category (health data) in the access log."""

import io
from datetime import date

import openpyxl
import pypdf
from litestar.testing import TestClient

from tests.api.graphql_client import an_identity, data, hire, register_member

READS = """
{ accessLog(event: HEALTH_DATA_READ, first: 100) { edges { node { operation subjects } } } }"""


def test_the_workbook_lists_the_filtered_employees_and_the_read_is_logged(
    client: TestClient,
) -> None:
    member_id = register_member(client)
    marie = hire(client, member_id, "Marie")["aggregateId"]
    paul = an_identity("Paul", "Durand", birth_date=date(1985, 2, 1), sex="M")
    hire(client, member_id, "Paul", identity=paul)
    response = client.get(f"/members/{member_id}/employees.xlsx", params={"search": "marie"})

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-store"
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][0] == "Filtres : recherche « marie »."
    assert [row[2] for row in rows[3:]] == ["Marie"]
    logged = [edge["node"] for edge in data(client, READS)["accessLog"]["edges"]]
    assert {"operation": "employeeListXlsx", "subjects": [marie]} in logged


def test_the_pdf_of_an_empty_list_says_so(client: TestClient) -> None:
    member_id = register_member(client)
    response = client.get(f"/members/{member_id}/employees.pdf", params={"status": "inactive"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Filtres : salariés sortis. Aucun salarié." in " ".join(text.split())

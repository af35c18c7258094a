"""Hostile workbooks sent to the CMR import, and names XML cannot hold in the template.

Every upload the import cannot read — a sheet cut short, an entry whose bytes do not match its
checksum, a cell openpyxl cannot convert, a zip lying about its sizes, a sheet claiming a
million rows — is answered 422 with a typed French refusal, never 500. The template writes
every string XML-safe: a character XML 1.0 cannot hold becomes U+FFFD, so the workbook opens
and a name that held one still matches its employee when the filled file comes back.
"""

import io
import struct
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import msgspec
import openpyxl
import pytest
from litestar.testing import TestClient

from api.services import Services
from application.workforce.exposure_import import (
    AGENTS_SHEET,
    SHEET,
    XLSX_MEDIA_TYPE,
    Action,
    Column,
    EmployeeFacts,
    KnownExposure,
    digest_of,
    plan,
    read,
    template,
)
from domain.workforce.health import AgentKind, CmrAgent
from projections.workforce.workforce_queries import WorkforceRow
from tests.api.graphql_client import hire, register_member

SHEET_PART = "xl/worksheets/sheet1.xml"
NOT_XML = ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800", "\udfff"]
"""Characters XML 1.0 cannot hold: control characters, the two non-characters of the BMP's
end, lone surrogates."""


@pytest.fixture
def member_id(client: TestClient) -> str:
    return register_member(client)


@pytest.fixture
def marie(client: TestClient, member_id: str) -> str:
    employee_id: str = hire(client, member_id, "Marie", birth_name="Dupont")["aggregateId"]
    return employee_id


def template_of(client: TestClient, member_id: str) -> bytes:
    response = client.get(f"/members/{member_id}/cmr-exposures/template.xlsx")
    assert response.status_code == 200, response.text
    return response.content


def upload(client: TestClient, member_id: str, content: bytes) -> Any:
    return client.post(
        f"/members/{member_id}/cmr-exposures/import",
        params={"dryRun": "true"},
        content=content,
        headers={"Content-Type": XLSX_MEDIA_TYPE},
    )


# Uploads that cannot be read ------------------------------------------------------------------


def rezipped(
    content: bytes, damage: Callable[[bytes], bytes], compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    """The workbook again, well zipped, its sheet's XML damaged."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", compression) as archive,
    ):
        for info in source.infolist():
            part = source.read(info.filename)
            archive.writestr(info.filename, damage(part) if info.filename == SHEET_PART else part)
    return output.getvalue()


def cut_in_the_middle(content: bytes) -> bytes:
    return rezipped(content, lambda xml: xml[: len(xml) // 2])


def with_a_cell_openpyxl_cannot_convert(content: bytes) -> bytes:
    """A number cell whose value is not a number: openpyxl fails on it while reading rows."""
    return rezipped(
        content, lambda xml: xml.replace(b"</row>", b'<c r="L1"><v>abc</v></c></row>', 1)
    )


def with_a_checksum_mismatch(content: bytes) -> bytes:
    """The parts stored unzipped, the sheet longer than what openpyxl reads of it when it opens
    the workbook, one letter of it changed after its CRC was written: the XML is still well
    formed, the workbook opens, and the damage shows only when the sheet's end is read."""
    padded = rezipped(
        content,
        lambda xml: xml.replace(b"</worksheet>", b" " * 20_000 + b"</worksheet>"),
        zipfile.ZIP_STORED,
    )
    damaged = bytearray(padded)
    name = damaged.index(b"<t>Marie</t>")
    damaged[name + 3] = ord("N")
    return bytes(damaged)


def with_sizes_understated(content: bytes) -> bytes:
    """The sheet's entry declaring 100 bytes unzipped (it holds more): what the bound on the
    unzipped size counts is a lie, and reading stops at the declared size."""
    data = bytearray(rezipped(content, lambda xml: xml))
    name = SHEET_PART.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        header = 0
        while (header := data.find(signature, header)) >= 0:
            name_at = header + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, header + size_at, 100)
            header += 4
    return bytes(data)


@pytest.mark.parametrize(
    "damage",
    [
        cut_in_the_middle,
        with_a_cell_openpyxl_cannot_convert,
        with_a_checksum_mismatch,
        with_sizes_understated,
    ],
)
def test_a_well_zipped_workbook_that_breaks_while_read_is_refused_as_not_a_workbook(
    client: TestClient, member_id: str, marie: str, damage: Callable[[bytes], bytes]
) -> None:
    damaged = damage(template_of(client, member_id))
    with zipfile.ZipFile(io.BytesIO(damaged)) as archive:
        assert SHEET_PART in archive.namelist()  # still a zip, with its sheet

    response = upload(client, member_id, damaged)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "NOT_AN_XLSX"
    assert "n'est pas un classeur Excel (.xlsx)" in response.json()["message"]


def test_a_sheet_claiming_a_million_rows_is_refused_without_reading_them(
    client: TestClient, member_id: str, marie: str
) -> None:
    far = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    content = rezipped(
        template_of(client, member_id),
        lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"),
    )

    response = upload(client, member_id, content)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "TOO_MANY_ROWS"


# Names XML cannot hold ------------------------------------------------------------------------


@pytest.fixture
def names_in_the_log(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> dict[str, tuple[str, str]]:
    """Names as the workforce read model gives them, for employees whose identity was recorded
    before names were checked (new data cannot hold such characters any more)."""
    names: dict[str, tuple[str, str]] = {}
    employees = services.workforce.employees

    def with_old_names(*args: Any, **kwargs: Any) -> list[WorkforceRow]:
        return [
            msgspec.structs.replace(row, birth_name=names[key][0], first_name=names[key][1])
            if (key := str(row.employee_id)) in names
            else row
            for row in employees(*args, **kwargs)
        ]

    monkeypatch.setattr(services.workforce, "employees", with_old_names)
    return names


def identity_row(content: bytes, employee_id: str) -> list[Any]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[SHEET]
    columns = [cell.value for cell in sheet[1]]
    id_column = columns.index(Column.EMPLOYEE_ID.label)
    (row,) = [
        r for r in sheet.iter_rows(min_row=2, values_only=True) if r[id_column] == employee_id
    ]
    return [row[columns.index(c.label)] for c in (Column.BIRTH_NAME, Column.FIRST_NAME)]


@pytest.mark.parametrize("character", NOT_XML, ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_xml_cannot_hold_is_written_with_a_replacement_character(
    client: TestClient,
    member_id: str,
    marie: str,
    names_in_the_log: dict[str, tuple[str, str]],
    character: str,
) -> None:
    names_in_the_log[marie] = (f"Du{character}pont", f"Marie{character}")

    content = template_of(client, member_id)

    assert identity_row(content, marie) == ["Du\ufffdpont", "Marie\ufffd"]


def test_a_name_written_with_a_replacement_character_still_matches_its_employee(
    client: TestClient, member_id: str, marie: str, names_in_the_log: dict[str, tuple[str, str]]
) -> None:
    names_in_the_log[marie] = ("Du\uffffpont", "Ma\x01rie")
    workbook = openpyxl.load_workbook(io.BytesIO(template_of(client, member_id)))
    sheet = workbook[SHEET]
    columns = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(row=2, column=columns[Column.AGENT_NAME.label], value="Poussières de bois")
    sheet.cell(row=2, column=columns[Column.STARTED_ON.label], value=date(2024, 2, 1))
    filled = io.BytesIO()
    workbook.save(filled)

    response = upload(client, member_id, filled.getvalue())

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["canApply"] is True, report["rows"]
    assert [(row["employeeId"], row["action"]) for row in report["rows"]] == [(marie, "RECORD")]


def test_every_string_of_the_template_is_made_xml_safe() -> None:
    """Names, agents, comments and the catalogue's agents: none breaks the workbook."""
    bad = "".join(NOT_XML)
    shown = "\ufffd" * len(NOT_XML)
    employee = EmployeeFacts(uuid4(), uuid4(), f"A{bad}", f"B{bad}", date(1990, 1, 1))
    agent = CmrAgent(AgentKind.PROCESS, f"Procédé{bad}", None)
    exposure = KnownExposure(employee.employee_id, 1, agent, date(2024, 1, 1), comment=f"Note{bad}")

    content = template([employee], [exposure], [agent])

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    (row,) = workbook[SHEET].iter_rows(min_row=2, values_only=True)
    assert [row[0], row[1], row[4], row[11]] == [
        f"A{shown}",
        f"B{shown}",
        f"Procédé{shown}",
        f"Note{shown}",
    ]
    assert [r[1] for r in workbook[AGENTS_SHEET].iter_rows(min_row=2, values_only=True)] == [
        f"Procédé{shown}"
    ]
    assert UUID(row[3]) == employee.employee_id


def test_an_exposure_whose_comment_was_written_with_a_replacement_character_is_unchanged() -> None:
    """Sent back as the template wrote it, the row is the recorded exposure, not a change."""
    employee = EmployeeFacts(uuid4(), uuid4(), "Dupont", "Marie", date(1990, 1, 1))
    agent = CmrAgent(AgentKind.PROCESS, "Poussières de bois", None)
    recorded = KnownExposure(employee.employee_id, 1, agent, date(2024, 1, 1), comment="A\x01B")

    rows = read(template([employee], [recorded]))
    planned = plan(
        rows,
        [employee],
        [recorded],
        member_id=employee.member_id,
        today=date(2025, 1, 1),
        digest=digest_of(b""),
    )

    assert [(row.action, row.errors) for row in planned.rows] == [(Action.UNCHANGED, ())]

"""Uploaded workbooks opened without trusting them, and text written XML-safe."""

import io
import re
import zipfile
from contextlib import suppress
from datetime import date
from uuid import UUID

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from application.workforce.exposure_import import (
    SHEET,
    Column,
    EmployeeFacts,
    ImportRow,
    read,
    template,
)
from application.workforce.xlsx_safety import MAX_ENTRIES, ImportFileError, xml_safe

MARIE = EmployeeFacts(UUID(int=1), UUID(int=2), "Dupont", "Marie", date(1990, 1, 1))
SHEET_PART = "xl/worksheets/sheet1.xml"
CORE_PART = "docProps/core.xml"
PROPERTIES = (
    b"<coreProperties xmlns="
    b"'http://schemas.openxmlformats.org/package/2006/metadata/core-properties'/>"
)
"""The workbook's properties, undated."""


def with_parts(content: bytes, compression: int = zipfile.ZIP_DEFLATED, **extra: bytes) -> bytes:
    """The workbook zipped again, with `extra` parts beside its own (replacing those so named),
    every part dated 1 January 2024."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", compression) as archive,
    ):
        for name in source.namelist():
            part = extra.pop(name, None) or source.read(name)
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), part, compression)
        for name, part in extra.items():
            archive.writestr(name, part)
    return output.getvalue()


def refusal(content: bytes) -> str:
    with pytest.raises(ImportFileError) as refused:
        read(content)
    return refused.value.code


def test_a_zip_of_too_many_parts_is_refused_unopened() -> None:
    content = template([MARIE], [])
    parts = {f"customXml/item{n}.xml": b"<a/>" for n in range(MAX_ENTRIES)}

    assert refusal(with_parts(content, **parts)) == "FILE_TOO_LARGE"
    assert len(read(with_parts(content, **dict(list(parts.items())[:900])))) == 1


def test_an_entity_bomb_in_the_sheet_is_refused() -> None:
    content = template([MARIE], [])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read(SHEET_PART)
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol"}">' for n in range(10))
    bomb = f"<!DOCTYPE worksheet [{laughs}]>".encode() + sheet.replace(
        b"<t>Marie</t>", b"<t>&l9;</t>"
    )

    assert refusal(with_parts(content, **{SHEET_PART: bomb})) == "NOT_AN_XLSX"


def test_a_zip_of_a_version_zipfile_cannot_read_is_refused() -> None:
    content = bytearray(template([MARIE], []))
    directory = content.index(b"PK\x01\x02")
    content[directory + 6] = 78  # the version needed to extract: 7.8

    assert refusal(bytes(content)) == "NOT_AN_XLSX"


@pytest.mark.parametrize(
    "compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["stored", "deflated"]
)
def test_a_workbook_damaged_anywhere_is_read_or_refused_never_an_other_error(
    compression: int,
) -> None:
    """Cut short at, or one byte changed at, many places of the file: rows or a typed refusal.
    The file is the same at every run (its parts' dates, its properties)."""
    content = with_parts(template([MARIE], []), compression, **{CORE_PART: PROPERTIES})
    damaged = [content[:at] for at in range(0, len(content), 101)] + [
        content[:at] + bytes([content[at] ^ 0x5A]) + content[at + 1 :]
        for at in range(0, len(content), 37)
    ]
    for upload in damaged:
        with suppress(ImportFileError):
            read(upload)


def a_chart_beside_its_data() -> tuple[bytes, str]:
    """A workbook whose sheet named as the exposures' is a chart, and the name of its sheet of
    data: a header, and a row."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.append([c.label for c in Column])
    worksheet.append([None, None, None, "abc", "Benzène"])
    chart = BarChart()
    chart.add_data(Reference(worksheet, min_col=1, min_row=1, max_row=2))
    workbook.create_chartsheet(SHEET).add_chart(chart)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), worksheet.title


def test_a_chart_named_as_the_sheet_is_passed_over_for_the_worksheet() -> None:
    content, _ = a_chart_beside_its_data()

    assert read(content) == [ImportRow(row=2, employee_id="abc", agent_name="Benzène")]


def test_a_workbook_of_charts_only_has_no_titles() -> None:
    content, data = a_chart_beside_its_data()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        listed = archive.read("xl/workbook.xml")
    # lxml, when installed, writes a namespace declaration before the name: any attribute order
    unlisted = re.sub(rf'<sheet [^>]*name="{data}"[^>]*/>'.encode(), b"", listed)
    assert unlisted != listed

    assert refusal(with_parts(content, **{"xl/workbook.xml": unlisted})) == "MISSING_COLUMNS"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("a\x00b\x08c\x0bd\x0ce\x1ff", "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf"),
        ("\ud800\udfff\ufffe\uffff", "\ufffd" * 4),
        ("tab\tline\nreturn\r", "tab\tline\nreturn\r"),
        ("Élodie \ud7ff\ue000\ufffd😀\U0010ffff", "Élodie \ud7ff\ue000\ufffd😀\U0010ffff"),
    ],
    ids=["controls", "non-characters and surrogates", "white space", "what XML holds"],
)
def test_xml_safe_replaces_only_what_xml_cannot_hold(text: str, written: str) -> None:
    assert xml_safe(text) == written

"""The CMR list as a file: CSV, XLSX or JSON, written as the lines come.

Each format is a generator of byte chunks fed by a generator of lines, so a list of the whole
service streams from the read model to the client (or the CLI's file) without being held: CSV
and JSON are written row by row; XLSX through openpyxl's write-only workbook, whose rows go to a
temporary file (the workbook is zipped at the end, then sent in blocks).

CSV is for French spreadsheets: `;` between cells, UTF-8 with a byte-order mark, labels in
French; a cell starting like a formula (`=`, `+`, `-`, `@`) is written after an apostrophe so a
spreadsheet never runs it. XLSX writes such text as text. JSON keeps the codes (`INHALATION`)
and ISO dates: it is for programs.
"""

import csv
import enum
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
import openpyxl
from openpyxl.cell import WriteOnlyCell

from api.json_names import camel_keys
from application.workforce.exposure_import import XLSX_MEDIA_TYPE
from application.workforce.exposure_import.sheet import DEGREE_LABELS, ROUTE_LABELS
from application.workforce.xlsx_safety import xml_safe
from domain.workforce.health import AgentKind, ExposureDegree, ExposureRoute
from projections.workforce.cmr_list import AnonymisedCmrLine, CmrLine


class FileFormat(enum.Enum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


MEDIA_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: XLSX_MEDIA_TYPE,
    FileFormat.JSON: "application/json",
}
AGENT_KIND_LABELS = {AgentKind.SUBSTANCE: "Substance", AgentKind.PROCESS: "Procédé"}
FORMULA_STARTS = ("=", "+", "-", "@")
BLOCK_BYTES = 64 * 1024
SHEET_TITLE = "Liste CMR"


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    name: str


NAMED_COLUMNS = (
    Column("Code adhérent", "member_code"),
    Column("Identifiant du salarié", "employee_id"),
    Column("Nom de naissance", "birth_name"),
    Column("Nom d'usage", "usage_name"),
    Column("Prénom", "first_name"),
    Column("Date de naissance", "birth_date"),
    Column("Poste", "job_title"),
    Column("Type d'agent", "agent_kind"),
    Column("Agent", "agent_name"),
    Column("N° CAS", "cas_number"),
    Column("Voies d'exposition", "routes"),
    Column("Heures par semaine", "hours_per_week"),
    Column("Degré", "degree"),
    Column("Commentaire", "comment"),
    Column("Début d'exposition", "started_on"),
    Column("Fin d'exposition", "ended_on"),
)
ANONYMISED_COLUMNS = (
    Column("Code adhérent", "member_code"),
    Column("Situation de travail", "work_situation"),
    Column("Type d'agent", "agent_kind"),
    Column("Agent", "agent_name"),
    Column("N° CAS", "cas_number"),
    Column("Voies d'exposition", "routes"),
    Column("Degré", "degree"),
    Column("Travailleurs exposés", "workers"),
    Column("Première exposition", "first_day"),
    Column("Dernière exposition", "last_day"),
)

Line = CmrLine | AnonymisedCmrLine


def columns_of(anonymised: bool) -> tuple[Column, ...]:
    return ANONYMISED_COLUMNS if anonymised else NAMED_COLUMNS


def file_chunks(
    lines: Iterable[Line], file_format: FileFormat, *, anonymised: bool
) -> Iterator[bytes]:
    """The file of `lines`, in chunks, each written when the lines it holds were read."""
    writer = _WRITERS[file_format]
    return writer(lines, columns_of(anonymised))


def _shown(value: Any) -> Any:
    """A value as a spreadsheet cell shows it: labels in French, dates as dates."""
    if isinstance(value, tuple):
        return ", ".join(ROUTE_LABELS[route] for route in value) or None
    if isinstance(value, ExposureDegree):
        return DEGREE_LABELS[value]
    if isinstance(value, AgentKind):
        return AGENT_KIND_LABELS[value]
    if isinstance(value, ExposureRoute):
        return ROUTE_LABELS[value]
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def _cells(line: Line, columns: tuple[Column, ...]) -> list[Any]:
    return [_shown(getattr(line, column.name)) for column in columns]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(lines: Iterable[Line], columns: tuple[Column, ...]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.title for column in columns])
    yield "\ufeff".encode() + _drained(buffer)
    for line in lines:
        writer.writerow([_csv_text(cell) for cell in _cells(line, columns)])
        if buffer.tell() >= BLOCK_BYTES:
            yield _drained(buffer)
    yield _drained(buffer)


def _drained(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


_JSON = msgspec.json.Encoder()


def _json(lines: Iterable[Line], columns: tuple[Column, ...]) -> Iterator[bytes]:
    """An array of the lines, their keys in camelCase as in every JSON clients read."""
    chunk = bytearray(b"[")
    separator = b"\n"
    for line in lines:
        chunk += separator + _JSON.encode(camel_keys(msgspec.to_builtins(line)))
        separator = b",\n"
        if len(chunk) >= BLOCK_BYTES:
            yield bytes(chunk)
            chunk.clear()
    chunk += b"\n]\n"
    yield bytes(chunk)


def _xlsx(lines: Iterable[Line], columns: tuple[Column, ...]) -> Iterator[bytes]:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    sheet.append([column.title for column in columns])
    for line in lines:
        sheet.append([_xlsx_cell(sheet, cell) for cell in _cells(line, columns)])
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        yield from iter(lambda: file.read(BLOCK_BYTES), b"")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, xml_safe(value))
    cell.data_type = "s"  # text, even when it reads like a formula
    return cell


_WRITERS: dict[FileFormat, Callable[[Iterable[Line], tuple[Column, ...]], Iterator[bytes]]] = {
    FileFormat.CSV: _csv,
    FileFormat.XLSX: _xlsx,
    FileFormat.JSON: _json,
}

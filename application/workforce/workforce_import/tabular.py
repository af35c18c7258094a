"""The workforce spreadsheet: its template (XLSX, or CSV with `;` as French spreadsheets write
it), and an upload of either read back into rows, titles found by their words."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

import openpyxl
from openpyxl.styles import Font

from application.workforce.exposure_import.sheet import key
from application.workforce.workforce_import.model import Field, SourceRow, Value
from application.workforce.xlsx_safety import ImportFileError, open_workbook, readable, xml_safe
from domain.workforce.employment import ContractType, ExitReason

SHEET = "Personnel"
HELP_SHEET = "Aide"
MAX_ROWS = 20_000
MAX_COLUMNS = 30
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = {key(f.title): f for f in Field} | {key("Nom"): Field.BIRTH_NAME}
HELP = [
    "Une ligne par salarié. Colonnes obligatoires : nom de naissance, prénom, date de"
    " naissance, sexe (M ou F), date d'embauche, poste, type de contrat.",
    "Dates au format JJ/MM/AAAA. Le NIR (15 caractères, clé comprise) évite les doublons.",
    "Types de contrat : " + ", ".join(t.label for t in ContractType) + ".",
    "Motifs de sortie : " + ", ".join(r.label for r in ExitReason) + ".",
    "Un salarié absent du fichier n'est pas modifié ; une sortie s'indique par sa date.",
]

TOO_MANY_ROWS = ImportFileError(
    f"Le fichier compte plus de {MAX_ROWS} lignes : envoyez-le en plusieurs fois.",
    code="TOO_MANY_ROWS",
)
NO_HEADER = ImportFileError(
    "La ligne des titres est introuvable (il faut au moins « Nom de naissance », « Prénom » et"
    " « Date de naissance ») : repartez du modèle à télécharger.",
    code="MISSING_COLUMNS",
)
NOT_TEXT = ImportFileError(
    "Ce fichier CSV n'est pas en UTF-8 ni en Windows-1252 : enregistrez-le en « CSV UTF-8 ».",
    code="NOT_A_CSV",
)


def template() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([f.title for f in Field])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = workbook.create_sheet(HELP_SHEET)
    for line in HELP:
        help_sheet.append([xml_safe(line)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_template() -> bytes:
    return ("\ufeff" + ";".join(f.title for f in Field) + "\r\n").encode()


def read_xlsx(content: bytes) -> list[SourceRow]:
    workbook = open_workbook(content)
    try:
        sheets = workbook.worksheets
        sheet = next((s for s in sheets if s.title == SHEET), sheets[0] if sheets else None)
        if sheet is None:
            raise NO_HEADER.fresh()
        sheet.reset_dimensions()
        return _rows(readable(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)))
    finally:
        workbook.close()


def read_csv(content: bytes) -> list[SourceRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise NOT_TEXT.fresh() from None
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return _rows(iter(csv.reader(io.StringIO(text), delimiter=delimiter)))


def _rows(lines: Iterator[Iterable[Any]]) -> list[SourceRow]:
    columns: dict[int, Field] | None = None
    rows: list[SourceRow] = []
    for number, cells in enumerate(lines, start=1):
        values = list(cells)
        if columns is None:
            columns = _header(values)
            if columns is None and number >= 10:
                raise NO_HEADER.fresh()
            continue
        row = {
            column: value
            for index, column in columns.items()
            if index < len(values) and (value := _cell(values[index])) is not None
        }
        if row:
            rows.append(SourceRow(number, row))
            if len(rows) > MAX_ROWS:
                raise TOO_MANY_ROWS.fresh()
    if columns is None:
        raise NO_HEADER.fresh()
    return rows


def _header(cells: list[Any]) -> dict[int, Field] | None:
    found = {i: HEADERS[key(str(c))] for i, c in enumerate(cells) if c and key(str(c)) in HEADERS}
    needed = {Field.BIRTH_NAME, Field.FIRST_NAME, Field.BIRTH_DATE}
    return found if needed <= set(found.values()) else None


def _cell(value: Any) -> Value | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None

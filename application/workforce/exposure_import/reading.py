"""Reading an uploaded workbook back into rows: the row of titles found by its words, each cell
taken as the column expects (a date, a number, a text), what is not kept as it was typed."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils.datetime import from_excel

from application.workforce.exposure_import.model import ImportRow
from application.workforce.exposure_import.sheet import (
    DATE_COLUMNS,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    SHEET,
    Column,
    key,
    show_date,
    show_number,
)
from application.workforce.xlsx_safety import ImportFileError, open_workbook, readable

MAX_SCANNED_ROWS = 20_000
"""Rows, blank ones included, read before an upload is refused as too long."""
HEADER_SEARCH_ROWS = 10
MIN_SERIAL_DAY, MAX_SERIAL_DAY = 367, 2_958_465
"""Excel's serial numbers of 1901-01-01 and 9999-12-31."""
MAX_COLUMNS = 40

Cell = str | date | Decimal | None


def read(content: bytes) -> list[ImportRow]:
    """The rows of an uploaded workbook that hold something (blank rows are left out)."""
    workbook = open_workbook(content)
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise _missing_columns(list(Column))
        sheet = next((s for s in sheets if s.title == SHEET), sheets[0])
        sheet.reset_dimensions()  # some writers record a wrong size: read the rows there are
        return _rows(readable(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)))
    finally:
        workbook.close()


def _rows(values: Iterator[tuple[Any, ...]]) -> list[ImportRow]:
    columns: dict[int, Column] | None = None
    found: list[ImportRow] = []
    for number, cells in enumerate(values, start=1):
        if columns is None:
            columns = _header(cells)
            if columns is None and number >= HEADER_SEARCH_ROWS:
                raise _missing_columns(list(Column))
            continue
        if number > MAX_SCANNED_ROWS:
            raise _too_many_rows()
        row = _row(number, cells, columns)
        if row is not None:
            found.append(row)
            if len(found) > MAX_ROWS:
                raise _too_many_rows()
    if columns is None:
        raise _missing_columns(list(Column))
    return found


def _header(cells: tuple[Any, ...]) -> dict[int, Column] | None:
    """The columns, by index, when these cells are the row of titles; else None."""
    columns: dict[int, Column] = {}
    for index, value in enumerate(cells):
        column = HEADERS.get(key(str(value))) if value is not None else None
        if column is not None and column not in columns.values():
            columns[index] = column
    if len(columns) < 2:
        return None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns.values()]
    if missing:
        raise _missing_columns(missing)
    return columns


def _row(number: int, cells: tuple[Any, ...], columns: dict[int, Column]) -> ImportRow | None:
    values: dict[str, Any] = {}
    for index, column in columns.items():
        value = _cell(cells[index] if index < len(cells) else None, column)
        if value is not None:
            values[column.attribute] = value
    return ImportRow(row=number, **values) if values else None


def _cell(value: Any, column: Column) -> Cell:
    if value is None:
        return None
    if column in DATE_COLUMNS:
        return _date_cell(value)
    if column is Column.HOURS_PER_WEEK:
        return _number_cell(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return show_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _date_cell(value: Any) -> date | str | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_day(value)
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a day, no time)
        except ValueError:
            continue
    return text or None


def _serial_day(value: float) -> date | str:
    """A date typed in a cell not formatted as a date: Excel's serial number of the day."""
    if not float(value).is_integer() or not MIN_SERIAL_DAY <= value <= MAX_SERIAL_DAY:
        return show_number(Decimal(str(value)))
    serial = from_excel(value)
    return serial.date() if isinstance(serial, datetime) else str(value)


def _number_cell(value: Any) -> Decimal | str | None:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip()
    if not text:
        return None
    compact = text.lower().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    compact = compact.removesuffix("h")
    try:
        number = Decimal(compact)
    except InvalidOperation:
        return text
    return number if number.is_finite() else text


def _missing_columns(columns: list[Column]) -> ImportFileError:
    listed = ", ".join(f"« {c.label} »" for c in columns)
    return ImportFileError(
        f"La ligne des titres est introuvable ou incomplète (il manque : {listed}) :"
        " repartez du modèle à télécharger sans en modifier les titres.",
        code="MISSING_COLUMNS",
    )


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        f"Le fichier compte plus de {MAX_ROWS:_} lignes".replace("_", " ")
        + " : envoyez-le en plusieurs fois, ou supprimez les lignes vides en fin de feuille.",
        code="TOO_MANY_ROWS",
    )


HEADERS: dict[str, Column] = {key(column.label): column for column in Column} | {
    key(alias): column
    for column, aliases in {
        Column.BIRTH_NAME: ("Nom",),
        Column.EMPLOYEE_ID: ("Identifiant", "Identifiant du salarié"),
        Column.AGENT_NAME: ("Substance ou procédé", "Substance", "Agent CMR", "Agent"),
        Column.CAS_NUMBER: ("CAS", "N° CAS", "Numéro CAS (substance)"),
        Column.STARTED_ON: ("Date de début", "Début"),
        Column.ENDED_ON: ("Date de fin", "Fin"),
        Column.ROUTES: ("Voie", "Voies d'exposition"),
        Column.DEGREE: ("Degré d'exposition",),
        Column.HOURS_PER_WEEK: ("Durée hebdomadaire", "Heures hebdomadaires"),
    }.items()
    for alias in aliases
}

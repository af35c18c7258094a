"""The employee list (seed 004 §2.3, « Liste de vos salariés ») exported to Excel and printed to
PDF, with the list's filters: the same rows as the `employees` query, in its order.

The rows come from the read side through `ListedEmployee` (structural: the application does not
import the read models); the filters arrive already worded (`filters`), printed above the list.
No NIR: the list shows who the employees are, not their social security numbers.
"""

import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Protocol

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from application.documents import typeset
from application.workforce.xlsx_safety import xml_safe
from domain.workforce.employment import ContractType

TEMPLATE = Path(__file__).with_name("employee_list.typ")
TITLE = "Liste de vos salariés"
SHEET = "Salariés"
HEADERS = (
    "Nom de naissance",
    "Nom d'usage",
    "Prénom",
    "Date de naissance",
    "Date d'embauche",
    "Poste",
    "Contrat",
    "Établissement",
    "Suivi",
    "Situation",
)
WIDTHS = (20, 18, 16, 14, 14, 26, 12, 14, 8, 18)
DATE_COLUMNS = frozenset({3, 4})
"""Date cells (0-based): written as dates, shown jj/mm/aaaa."""


class ListedEmployee(Protocol):
    @property
    def birth_name(self) -> str | None: ...
    @property
    def usage_name(self) -> str | None: ...
    @property
    def first_name(self) -> str | None: ...
    @property
    def birth_date(self) -> date | None: ...
    @property
    def hire_date(self) -> date | None: ...
    @property
    def job_title(self) -> str | None: ...
    @property
    def contract_type(self) -> str | None: ...
    @property
    def branch_code(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def active(self) -> bool: ...
    @property
    def last_day(self) -> date | None: ...


def employee_list_xlsx(
    rows: Iterable[ListedEmployee], legal_name: str, on: date, filters: Sequence[str]
) -> bytes:
    """The workbook: a title, the filters applied, the headers, a row per employee."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([xml_safe(f"{TITLE} — {legal_name} — au {on:%d/%m/%Y}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([xml_safe(filters_line(filters))])
    sheet.append(list(HEADERS))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xml_safe(v) if isinstance(v, str) else v for v in cells(row)])
        for index in DATE_COLUMNS:
            sheet.cell(sheet.max_row, index + 1).number_format = "DD/MM/YYYY"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(HEADERS))}{sheet.max_row}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def employee_list_pdf(
    rows: Iterable[ListedEmployee],
    legal_name: str,
    member_code: str,
    on: date,
    filters: Sequence[str],
) -> bytes:
    """The printed list, A4 landscape, dated by the day it is drawn up (same list, same bytes)."""
    listed = [[_shown(value) for value in cells(row)] for row in rows]
    page: dict[str, Any] = {
        "title": TITLE,
        "member": legal_name,
        "member_code": member_code,
        "dated": f"au {on:%d/%m/%Y}",
        "filters": filters_line(filters),
        "headers": list(HEADERS),
        "rows": listed,
        "count": _count(len(listed)),
    }
    return typeset(TEMPLATE, "list", page, datetime.combine(on, time(), tzinfo=UTC))


def cells(row: ListedEmployee) -> list[Any]:
    return [
        row.birth_name or "",
        row.usage_name or "",
        row.first_name or "",
        row.birth_date,
        row.hire_date,
        row.job_title or "",
        _contract(row.contract_type),
        row.branch_code or "",
        row.category or "",
        _situation(row),
    ]


def filters_line(filters: Sequence[str]) -> str:
    return "Filtres : " + ("; ".join(filters) if filters else "aucun (tous les salariés)") + "."


def _contract(value: str | None) -> str:
    if value is None:
        return ""
    try:
        return ContractType(value).label
    except ValueError:
        return value


def _situation(row: ListedEmployee) -> str:
    if row.active:
        return "Présent"
    return "Sorti" if row.last_day is None else f"Sorti le {row.last_day:%d/%m/%Y}"


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


def _count(count: int) -> str:
    return {0: "Aucun salarié.", 1: "1 salarié."}.get(count, f"{count} salariés.")

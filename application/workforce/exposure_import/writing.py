"""The workbook a member's administrator downloads and fills: one row per current exposure, one
empty row per active employee without one, the catalogue's agents, and the help."""

import io
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from application.workforce.exposure_import.model import EmployeeFacts, KnownExposure
from application.workforce.exposure_import.sheet import (
    AGENTS_SHEET,
    DATE_COLUMNS,
    DEGREE_LABELS,
    HELP_SHEET,
    MAX_ROWS,
    ROUTE_LABELS,
    SHEET,
    Column,
    key,
)
from application.workforce.xlsx_safety import xml_safe
from domain.workforce.health import HOURS_IN_A_WEEK, MAX_NOTE_LENGTH, AgentKind, CmrAgent

DATE_FORMAT = "DD/MM/YYYY"


COLUMN_WIDTHS = {
    Column.BIRTH_NAME: 20,
    Column.FIRST_NAME: 16,
    Column.BIRTH_DATE: 14,
    Column.EMPLOYEE_ID: 38,
    Column.AGENT_NAME: 34,
    Column.CAS_NUMBER: 14,
    Column.STARTED_ON: 14,
    Column.ENDED_ON: 14,
    Column.ROUTES: 22,
    Column.DEGREE: 10,
    Column.HOURS_PER_WEEK: 12,
    Column.COMMENT: 40,
}


def template(
    employees: Iterable[EmployeeFacts],
    exposures: Iterable[KnownExposure],
    agents: Iterable[CmrAgent] = (),
) -> bytes:
    """The workbook to fill: the current exposures, an empty row for each active employee
    without one, the catalogue's agents when there is a catalogue, and the help."""
    by_employee: dict[UUID, list[KnownExposure]] = defaultdict(list)
    for exposure in exposures:
        by_employee[exposure.employee_id].append(exposure)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _write_header(sheet, [column.label for column in Column])
    for employee in sorted(employees, key=_name_order):
        current = sorted(by_employee.get(employee.employee_id, ()), key=_exposure_order)
        if current:
            for exposure in current:
                _append(sheet, _exposure_cells(employee, exposure))
        elif employee.active:
            _append(sheet, _identity_cells(employee))
    _format_sheet(sheet)
    catalogue = sorted(agents, key=lambda a: (a.kind.value, key(a.name)))
    if catalogue:
        _agents_sheet(workbook.create_sheet(AGENTS_SHEET), catalogue)
    _help_sheet(workbook.create_sheet(HELP_SHEET), with_catalogue=bool(catalogue))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _name_order(employee: EmployeeFacts) -> tuple[str, str, str]:
    return (
        key(employee.usage_name or employee.birth_name or ""),
        key(employee.first_name or ""),
        str(employee.employee_id),
    )


def _exposure_order(exposure: KnownExposure) -> tuple[str, date, int]:
    return (key(exposure.agent.name), exposure.started_on, exposure.exposure_id)


def _identity_cells(employee: EmployeeFacts) -> list[Any]:
    return [
        employee.birth_name,
        employee.first_name,
        employee.birth_date,
        str(employee.employee_id),
    ]


def _exposure_cells(employee: EmployeeFacts, exposure: KnownExposure) -> list[Any]:
    agent = exposure.agent
    return [
        *_identity_cells(employee),
        agent.name,
        None if agent.cas_number is None else str(agent.cas_number),
        exposure.started_on,
        exposure.ended_on,
        ", ".join(ROUTE_LABELS[route] for route in exposure.routes) or None,
        None if exposure.degree is None else DEGREE_LABELS[exposure.degree],
        exposure.hours_per_week,
        exposure.comment,
    ]


def _append(sheet: Any, cells: list[Any]) -> None:
    sheet.append([xml_safe(cell) if isinstance(cell, str) else cell for cell in cells])


def _write_header(sheet: Any, labels: list[str]) -> None:
    sheet.append(labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"


def _format_sheet(sheet: Any) -> None:
    last = MAX_ROWS + 1
    columns = list(Column)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS[column]
        if column in DATE_COLUMNS:  # the rows written, and those the user adds
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
    degree_letter = get_column_letter(columns.index(Column.DEGREE) + 1)
    degrees = DataValidation(
        type="list",
        formula1='"' + ",".join(DEGREE_LABELS.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Degré d'exposition",
        error="Choisissez Faible, Modéré ou Élevé.",
    )
    degrees.add(f"{degree_letter}2:{degree_letter}{last}")
    sheet.add_data_validation(degrees)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 2)}"


def _agents_sheet(sheet: Any, agents: list[CmrAgent]) -> None:
    _write_header(sheet, ["Type", "Substance ou procédé (nom)", "Numéro CAS"])
    for agent in agents:
        kind = "Substance" if agent.kind is AgentKind.SUBSTANCE else "Procédé"
        cas = None if agent.cas_number is None else str(agent.cas_number)
        _append(sheet, [kind, agent.name, cas])
    for letter, width in (("A", 12), ("B", 60), ("C", 14)):
        sheet.column_dimensions[letter].width = width


def _help_sheet(sheet: Any, *, with_catalogue: bool) -> None:
    lines = [
        "Mettre à jour les expositions aux agents CMR (décret n° 2024-307 du 4 avril 2024)",
        "",
        f"La feuille « {SHEET} » reprend les expositions en cours de vos salariés, une ligne par"
        " exposition, et une ligne vide pour chaque salarié présent sans exposition.",
        "",
        "Déclarer une exposition : sur la ligne du salarié, renseignez la substance ou le procédé"
        " et la date de début. Pour une deuxième exposition du même salarié, copiez sa ligne"
        " (identifiant salarié compris) et insérez-la en dessous.",
        "Mettre fin à une exposition : renseignez la « Fin d'exposition » (son dernier jour).",
        "Supprimer une ligne ne met fin à aucune exposition. Une exposition saisie par erreur se"
        " retire dans le portail ; pour corriger une exposition déjà enregistrée (date de début,"
        " voies, degré…), retirez-la dans le portail puis déclarez-la de nouveau.",
        "",
        "Colonnes :",
        f"- {Column.EMPLOYEE_ID.label} : ne le modifiez pas, il désigne le salarié. Nom, prénom et"
        " date de naissance ne servent qu'à vérifier que la ligne n'a pas été décalée.",
        f"- {Column.AGENT_NAME.label} : obligatoire.",
        f"- {Column.CAS_NUMBER.label} : obligatoire pour une substance, sous la forme 71-43-2 ;"
        " laissez-le vide pour un procédé.",
        f"- {Column.STARTED_ON.label} (obligatoire) et {Column.ENDED_ON.label} : au format"
        " jj/mm/aaaa, jamais dans le futur ; la fin ne précède pas le début.",
        f"- {Column.ROUTES.label} : Inhalation, Cutanée, Ingestion, séparées par des virgules.",
        f"- {Column.DEGREE.label} : Faible, Modéré ou Élevé.",
        f"- {Column.HOURS_PER_WEEK.label} : un nombre supérieur à 0 et d'au plus"
        f" {HOURS_IN_A_WEEK}, par exemple 7,5.",
        f"- {Column.COMMENT.label} : facultatif, {MAX_NOTE_LENGTH} caractères au plus.",
        "",
        f"Le fichier compte au plus {MAX_ROWS:_} lignes".replace("_", " ")
        + " ; gardez le format « Classeur Excel (.xlsx) » et la ligne des titres.",
        "Après l'envoi, le portail affiche le résultat ligne par ligne sans rien enregistrer :"
        " corrigez les erreurs signalées, puis confirmez l'enregistrement.",
    ]
    if with_catalogue:
        lines.append(
            f"La feuille « {AGENTS_SHEET} » liste les agents CMR connus du service, avec leur"
            " numéro CAS : reprenez-en le nom et le numéro."
        )
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 120
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

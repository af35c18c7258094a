"""Mettre à jour les expositions CMR via Excel (seed 000, étape 9; décret 2024-307).

A member's CMR exposure list goes through one workbook: `template` writes it (one row per
current exposure, one empty row per active employee without one), `read` reads an upload back
into rows, `plan` is the dry run (each row either an action or its errors, in French, naming
the row and the column), and `apply` runs the plan through the application's commands.

Rows are matched to employees by their id (the « Identifiant salarié » column the template
fills), and to recorded exposures by (employee, agent, start date): the agent is its CAS number
for a substance, its name for a process (no CAS number). A matched row may only add the last
day of an exposure still running; every other change of a recorded exposure is refused (it is
a correction: the exposure is withdrawn in the portal, then recorded again). A row deleted from
the file changes nothing.

`apply` runs one command per row, each under a request id derived from the upload's hash and
the row's number: a retried apply (a double click, a lost answer, a failure half-way) records
nothing twice, and sending the same file again finishes what a failure left undone.
"""

import enum
import hashlib
import io
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from application.base import RegistreApplication
from application.requests import CommandResult, Request
from application.workforce.commands import EndExposure, RecordExposure
from application.workforce.xlsx_safety import ImportFileError, open_workbook, readable, xml_safe
from domain.errors import DomainError, InvalidValue, RuleViolation
from domain.identifiers import CasNumber
from domain.workforce.health import (
    HOURS_IN_A_WEEK,
    MAX_NOTE_LENGTH,
    AgentKind,
    CmrAgent,
    Exposure,
    ExposureDegree,
    ExposureRoute,
)

SHEET = "Expositions CMR"
AGENTS_SHEET = "Agents CMR"
HELP_SHEET = "Aide"
MAX_ROWS = 5_000
"""Rows of data (blank rows aside) an upload may hold."""
MAX_SCANNED_ROWS = 20_000
"""Rows, blank ones included, read before an upload is refused as too long."""
HEADER_SEARCH_ROWS = 10
MIN_SERIAL_DAY, MAX_SERIAL_DAY = 367, 2_958_465
"""Excel's serial numbers of 1901-01-01 and 9999-12-31."""
MAX_COLUMNS = 40
DATE_FORMAT = "DD/MM/YYYY"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Column(enum.Enum):
    """The columns of the sheet, by their header."""

    BIRTH_NAME = "Nom de naissance"
    FIRST_NAME = "Prénom"
    BIRTH_DATE = "Date de naissance"
    EMPLOYEE_ID = "Identifiant salarié"
    AGENT_NAME = "Substance ou procédé (nom)"
    CAS_NUMBER = "Numéro CAS"
    STARTED_ON = "Début d'exposition"
    ENDED_ON = "Fin d'exposition"
    ROUTES = "Voies"
    DEGREE = "Degré"
    HOURS_PER_WEEK = "Heures par semaine"
    COMMENT = "Commentaire"

    @property
    def label(self) -> str:
        return self.value

    @property
    def attribute(self) -> str:
        """The `ImportRow` field the column fills."""
        return self.name.lower()


REQUIRED_COLUMNS = (Column.EMPLOYEE_ID, Column.AGENT_NAME, Column.STARTED_ON)
DATE_COLUMNS = frozenset({Column.BIRTH_DATE, Column.STARTED_ON, Column.ENDED_ON})
EXPOSURE_COLUMNS = (
    Column.AGENT_NAME,
    Column.CAS_NUMBER,
    Column.STARTED_ON,
    Column.ENDED_ON,
    Column.ROUTES,
    Column.DEGREE,
    Column.HOURS_PER_WEEK,
    Column.COMMENT,
)
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

ROUTE_LABELS = {
    ExposureRoute.INHALATION: "Inhalation",
    ExposureRoute.SKIN: "Cutanée",
    ExposureRoute.INGESTION: "Ingestion",
}
DEGREE_LABELS = {
    ExposureDegree.LOW: "Faible",
    ExposureDegree.MODERATE: "Modéré",
    ExposureDegree.HIGH: "Élevé",
}
ROUTE_SEPARATORS = (",", ";", "/", "+", "\n", " et ")


PLAN_HAS_ERRORS = RuleViolation(
    "Le fichier comporte des erreurs : corrigez-les puis envoyez-le de nouveau, rien n'a été"
    " enregistré.",
    code="IMPORT_HAS_ERRORS",
)


# What the sheet holds, and what the service knows -------------------------------------------

Cell = str | date | Decimal | None


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One row of the sheet, as read: a date or number column holds the text given when that
    text is not a date or a number (`plan` reports it)."""

    row: int
    """The row's number in the sheet, as Excel shows it."""
    birth_name: str | None = None
    first_name: str | None = None
    birth_date: date | str | None = None
    employee_id: str | None = None
    agent_name: str | None = None
    cas_number: str | None = None
    started_on: date | str | None = None
    ended_on: date | str | None = None
    routes: str | None = None
    degree: str | None = None
    hours_per_week: Decimal | str | None = None
    comment: str | None = None

    @property
    def has_exposure_data(self) -> bool:
        """Whether the row says anything of an exposure (the template's rows of employees
        without one hold their identity only, and say nothing)."""
        return any(getattr(self, column.attribute) is not None for column in EXPOSURE_COLUMNS)


@dataclass(frozen=True, slots=True)
class EmployeeFacts:
    """What the import needs to know of an employee (read models:
    `projections.workforce.workforce`)."""

    employee_id: UUID
    member_id: UUID
    birth_name: str | None
    first_name: str | None
    birth_date: date | None
    usage_name: str | None = None
    active: bool = True
    """Under contract today: the template gives an empty row to active employees only."""
    first_hire_date: date | None = None
    """No exposure starts before it (None: not known, not checked)."""
    version: int | None = None
    """The employee's version when the plan was made (None: not known)."""

    @property
    def display_name(self) -> str:
        name = " ".join(n for n in (self.usage_name or self.birth_name, self.first_name) if n)
        return name or "Salarié (identité effacée)"


@dataclass(frozen=True, slots=True)
class KnownExposure:
    """An exposure the service knows (recorded, not withdrawn):
    `projections.workforce.exposures`."""

    employee_id: UUID
    exposure_id: int
    agent: CmrAgent
    started_on: date
    ended_on: date | None = None
    routes: tuple[ExposureRoute, ...] = ()
    hours_per_week: Decimal | None = None
    degree: ExposureDegree | None = None
    comment: str | None = None


# The dry run ---------------------------------------------------------------------------------


class Action(enum.Enum):
    RECORD = "RECORD"
    """A new exposure is recorded."""
    END = "END"
    """An exposure still running gets its last day."""
    UNCHANGED = "UNCHANGED"
    """The row is an exposure already recorded, as recorded."""


@dataclass(frozen=True, slots=True)
class RowError:
    column: Column | None
    code: str
    message: str
    """French, for the portal's user, naming the row and the column."""


@dataclass(frozen=True, slots=True)
class PlannedRow:
    row: int
    action: Action | None
    """None when the row has errors."""
    errors: tuple[RowError, ...] = ()
    employee_id: UUID | None = None
    """The employee the row names, once found among the member's."""
    employee_version: int | None = None
    exposure: Exposure | None = None
    """RECORD: the exposure to record (its id is given when recorded); END, UNCHANGED: the
    recorded exposure."""
    last_day: date | None = None
    """END: the exposure's last day."""
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    member_id: UUID
    digest: str
    """The upload's SHA-256: request ids derive from it."""
    rows: tuple[PlannedRow, ...]
    ignored_rows: int = 0
    """Rows that said nothing of an exposure (an employee's identity alone)."""

    @property
    def can_apply(self) -> bool:
        return not any(row.errors for row in self.rows)

    @property
    def errors(self) -> tuple[RowError, ...]:
        return tuple(error for row in self.rows for error in row.errors)

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action is action)


@dataclass(frozen=True, slots=True)
class AppliedRow:
    row: int
    action: Action
    employee_id: UUID
    exposure_id: int
    last_day: date | None = None


@dataclass(frozen=True, slots=True)
class RowFailure:
    row: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    applied: tuple[AppliedRow, ...]
    unchanged: int
    failure: RowFailure | None = None
    """The command refused at apply time (the rows before it were recorded): sending the
    same file again records the rest."""


def digest_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# The template --------------------------------------------------------------------------------


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
    catalogue = sorted(agents, key=lambda a: (a.kind.value, _key(a.name)))
    if catalogue:
        _agents_sheet(workbook.create_sheet(AGENTS_SHEET), catalogue)
    _help_sheet(workbook.create_sheet(HELP_SHEET), with_catalogue=bool(catalogue))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _name_order(employee: EmployeeFacts) -> tuple[str, str, str]:
    return (
        _key(employee.usage_name or employee.birth_name or ""),
        _key(employee.first_name or ""),
        str(employee.employee_id),
    )


def _exposure_order(exposure: KnownExposure) -> tuple[str, date, int]:
    return (_key(exposure.agent.name), exposure.started_on, exposure.exposure_id)


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


# Reading -------------------------------------------------------------------------------------


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
        column = HEADERS.get(_key(str(value))) if value is not None else None
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
        return _show_date(value)
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
        return _show_number(Decimal(str(value)))
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


def _key(text: str) -> str:
    """Lower case, without accents, words separated by one space: `Début d'exposition` ->
    `debut d exposition`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


HEADERS: dict[str, Column] = {_key(column.label): column for column in Column} | {
    _key(alias): column
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
ROUTE_WORDS: dict[str, ExposureRoute] = {
    _key(word): route
    for route, words in {
        ExposureRoute.INHALATION: ("inhalation", "respiratoire", "voie respiratoire", "inhalée"),
        ExposureRoute.SKIN: ("cutanée", "cutané", "peau", "percutanée", "contact cutané", "skin"),
        ExposureRoute.INGESTION: ("ingestion", "orale", "digestive", "voie orale"),
    }.items()
    for word in words
}
DEGREE_WORDS: dict[str, ExposureDegree] = {
    _key(word): degree
    for degree, words in {
        ExposureDegree.LOW: ("faible", "bas", "basse", "low"),
        ExposureDegree.MODERATE: ("modéré", "modérée", "moyen", "moyenne", "moderate"),
        ExposureDegree.HIGH: ("élevé", "élevée", "fort", "forte", "haut", "high"),
    }.items()
    for word in words
}


# Planning ------------------------------------------------------------------------------------

AgentKey = tuple[str, str]
"""A substance's CAS number, or a process's name (`_key`)."""


@dataclass(slots=True)
class _Draft:
    """A row being planned."""

    source: ImportRow
    errors: list[RowError] = field(default_factory=list)
    employee: EmployeeFacts | None = None
    exposure: Exposure | None = None
    """Valid when there are no errors."""
    action: Action | None = None
    matched: KnownExposure | None = None
    last_day: date | None = None

    @property
    def row(self) -> int:
        return self.source.row

    def refuse(self, column: Column | None, code: str, text: str) -> None:
        where = f"Ligne {self.row}" + ("" if column is None else f", colonne « {column.label} »")
        self.errors.append(RowError(column, code, f"{where} : {text}"))

    @property
    def agent_key(self) -> AgentKey | None:
        return None if self.exposure is None else _agent_key(self.exposure.agent)

    @property
    def period(self) -> tuple[date, date]:
        assert self.exposure is not None
        return self.exposure.started_on, self.exposure.ended_on or date.max


def plan(
    rows: Sequence[ImportRow],
    employees: Iterable[EmployeeFacts],
    exposures: Iterable[KnownExposure],
    *,
    member_id: UUID,
    today: date,
    digest: str,
) -> ImportPlan:
    """The dry run of an upload for `member_id`.

    `employees`: the member's employees — and, when the caller may know it, employees of other
    members the file names (reported as such; any other id is an unknown employee).
    `exposures`: the recorded exposures (any dates, withdrawn ones left out) of the employees
    the file names. Nothing is recorded.
    """
    people = {employee.employee_id: employee for employee in employees}
    known: dict[UUID, list[KnownExposure]] = defaultdict(list)
    for exposure in exposures:
        known[exposure.employee_id].append(exposure)
    drafts = [_draft(row, people, member_id, today) for row in rows if row.has_exposure_data]
    _flag_duplicates(drafts)
    for draft in drafts:
        if not draft.errors:
            _match(draft, known)
    _flag_overlaps(drafts, known)
    planned = tuple(_planned(draft) for draft in drafts)
    return ImportPlan(member_id, digest, planned, ignored_rows=len(rows) - len(drafts))


def _draft(
    row: ImportRow, people: dict[UUID, EmployeeFacts], member_id: UUID, today: date
) -> _Draft:
    draft = _Draft(row)
    draft.employee = _employee(draft, people, member_id)
    agent = _agent(draft)
    started_on = _day(draft, Column.STARTED_ON, row.started_on, today, required=True)
    ended_on = _day(draft, Column.ENDED_ON, row.ended_on, today, required=False)
    if started_on is not None and ended_on is not None and ended_on < started_on:
        draft.refuse(
            Column.ENDED_ON,
            "INVALID_PERIOD",
            f"la fin d'exposition ({_show_date(ended_on)}) précède son début"
            f" ({_show_date(started_on)}).",
        )
    hire = None if draft.employee is None else draft.employee.first_hire_date
    if started_on is not None and hire is not None and started_on < hire:
        draft.refuse(
            Column.STARTED_ON,
            "DATE_BEFORE_HIRE",
            f"l'exposition ne peut commencer avant l'embauche du salarié ({_show_date(hire)}).",
        )
    routes = _routes(draft)
    degree = _degree(draft)
    hours = _hours(draft)
    comment = _comment(draft)
    if draft.errors or agent is None or started_on is None:
        return draft
    try:
        draft.exposure = Exposure(
            exposure_id=0,
            agent=agent,
            started_on=started_on,
            ended_on=ended_on,
            routes=routes,
            hours_per_week=hours,
            degree=degree,
            comment=comment,
        ).validated()
    except DomainError as error:  # the domain's own rules, should one escape the checks above
        draft.refuse(FIELD_COLUMNS.get(error.field or ""), error.code, _lower_first(error.message))
    return draft


FIELD_COLUMNS = {
    "ended_on": Column.ENDED_ON,
    "started_on": Column.STARTED_ON,
    "hours_per_week": Column.HOURS_PER_WEEK,
    "comment": Column.COMMENT,
    "cas_number": Column.CAS_NUMBER,
}


def _employee(
    draft: _Draft, people: dict[UUID, EmployeeFacts], member_id: UUID
) -> EmployeeFacts | None:
    given = draft.source.employee_id
    if given is None:
        draft.refuse(
            Column.EMPLOYEE_ID,
            "EMPLOYEE_ID_MISSING",
            "l'identifiant du salarié est obligatoire : recopiez la ligne du salarié depuis le"
            " modèle, identifiant compris.",
        )
        return None
    try:
        employee = people.get(UUID(given))
    except ValueError:
        employee = None
    if employee is None:
        draft.refuse(
            Column.EMPLOYEE_ID,
            "UNKNOWN_EMPLOYEE",
            f"l'identifiant « {_shown(given)} » ne désigne aucun salarié de l'adhérent :"
            " recopiez-le depuis le modèle.",
        )
        return None
    if employee.member_id != member_id:
        draft.refuse(
            Column.EMPLOYEE_ID,
            "EMPLOYEE_OF_ANOTHER_MEMBER",
            f"l'identifiant « {given} » désigne un salarié d'un autre adhérent.",
        )
        return None
    _check_identity(draft, employee)
    return employee


def _check_identity(draft: _Draft, employee: EmployeeFacts) -> None:
    """The identity columns only check the row against the employee its id names."""
    row = draft.source
    names = {_key(n) for n in (employee.birth_name, employee.usage_name) if n}
    who = employee.display_name + (
        "" if employee.birth_date is None else f", né(e) le {_show_date(employee.birth_date)}"
    )
    shifted = f"ne correspond pas au salarié de cet identifiant ({who}) : la ligne a-t-elle été"
    if row.birth_name is not None and names and _key(row.birth_name) not in names:
        draft.refuse(
            Column.BIRTH_NAME, "IDENTITY_MISMATCH", f"« {row.birth_name} » {shifted} décalée ?"
        )
    first = employee.first_name
    if row.first_name is not None and first and _key(row.first_name) != _key(first):
        draft.refuse(
            Column.FIRST_NAME, "IDENTITY_MISMATCH", f"« {row.first_name} » {shifted} décalée ?"
        )
    if isinstance(row.birth_date, str):
        draft.refuse(Column.BIRTH_DATE, "INVALID_DATE", _not_a_date(row.birth_date))
    elif row.birth_date is not None and employee.birth_date not in {None, row.birth_date}:
        draft.refuse(
            Column.BIRTH_DATE,
            "IDENTITY_MISMATCH",
            f"le {_show_date(row.birth_date)} {shifted} décalée ?",
        )


def _agent(draft: _Draft) -> CmrAgent | None:
    row = draft.source
    cas_number = None
    if row.cas_number is not None:
        try:
            cas_number = CasNumber(row.cas_number)
        except InvalidValue as error:
            draft.refuse(Column.CAS_NUMBER, "INVALID_CAS_NUMBER", _lower_first(error.message))
            return None
    if row.agent_name is None:
        draft.refuse(
            Column.AGENT_NAME,
            "AGENT_NAME_MISSING",
            "le nom de la substance ou du procédé est obligatoire.",
        )
        return None
    kind = AgentKind.PROCESS if cas_number is None else AgentKind.SUBSTANCE
    return CmrAgent(kind, row.agent_name, cas_number)


def _day(
    draft: _Draft, column: Column, value: date | str | None, today: date, *, required: bool
) -> date | None:
    if value is None:
        if required:
            draft.refuse(column, "DATE_MISSING", "la date est obligatoire (jj/mm/aaaa).")
        return None
    if isinstance(value, str):
        draft.refuse(column, "INVALID_DATE", _not_a_date(value))
        return None
    if value > today:
        draft.refuse(
            column,
            "DATE_IN_FUTURE",
            f"le {_show_date(value)} est dans le futur : déclarez les expositions à la date où"
            " elles ont commencé ou pris fin.",
        )
        return None
    return value


def _routes(draft: _Draft) -> tuple[ExposureRoute, ...]:
    text = draft.source.routes
    if text is None:
        return ()
    for separator in ROUTE_SEPARATORS:
        text = text.replace(separator, ",")
    words = [word.strip() for word in text.split(",") if word.strip()]
    unknown = [word for word in words if _key(word) not in ROUTE_WORDS]
    if unknown:
        listed = ", ".join(f"« {_shown(word)} »" for word in unknown)
        accepted = ", ".join(ROUTE_LABELS.values())
        draft.refuse(
            Column.ROUTES,
            "UNKNOWN_ROUTE",
            f"voie d'exposition inconnue : {listed} (voies possibles : {accepted}).",
        )
        return ()
    return tuple(dict.fromkeys(ROUTE_WORDS[_key(word)] for word in words))


def _degree(draft: _Draft) -> ExposureDegree | None:
    text = draft.source.degree
    if text is None:
        return None
    degree = DEGREE_WORDS.get(_key(text))
    if degree is None:
        accepted = ", ".join(DEGREE_LABELS.values())
        draft.refuse(
            Column.DEGREE,
            "UNKNOWN_DEGREE",
            f"degré d'exposition inconnu : « {_shown(text)} » (degrés possibles : {accepted}).",
        )
    return degree


def _hours(draft: _Draft) -> Decimal | None:
    value = draft.source.hours_per_week
    if value is None:
        return None
    if isinstance(value, str) or not 0 < value <= HOURS_IN_A_WEEK:
        shown = _shown(value) if isinstance(value, str) else _show_number(value)
        draft.refuse(
            Column.HOURS_PER_WEEK,
            "INVALID_DURATION",
            f"« {shown} » n'est pas une durée valide : un nombre d'heures par semaine supérieur"
            f" à 0 et d'au plus {HOURS_IN_A_WEEK}, par exemple 7,5.",
        )
        return None
    return value


def _comment(draft: _Draft) -> str | None:
    comment = draft.source.comment
    if comment is not None and len(comment) > MAX_NOTE_LENGTH:
        draft.refuse(
            Column.COMMENT,
            "TEXT_TOO_LONG",
            f"le commentaire ne peut dépasser {MAX_NOTE_LENGTH} caractères ({len(comment)}).",
        )
        return None
    return comment


def _flag_duplicates(drafts: list[_Draft]) -> None:
    seen: dict[tuple[UUID, AgentKey, date], int] = {}
    for draft in drafts:
        if draft.errors or draft.employee is None or draft.exposure is None:
            continue
        key = (draft.employee.employee_id, _agent_key(draft.exposure.agent), draft.period[0])
        first = seen.setdefault(key, draft.row)
        if first != draft.row:
            draft.refuse(
                None,
                "DUPLICATE_ROW",
                f"cette exposition (même salarié, même agent, même début) figure déjà à la ligne"
                f" {first}.",
            )


def _match(draft: _Draft, known: dict[UUID, list[KnownExposure]]) -> None:
    """RECORD, END or UNCHANGED: whether the row is an exposure already recorded, and what the
    row changes of it."""
    assert draft.employee is not None
    assert draft.exposure is not None
    new = draft.exposure
    matched = next(
        (
            k
            for k in known.get(draft.employee.employee_id, ())
            if _agent_key(k.agent) == draft.agent_key and k.started_on == new.started_on
        ),
        None,
    )
    if matched is None:
        draft.action = Action.RECORD
        return
    draft.matched = matched
    changed = _changed_columns(matched, new)
    if changed:
        listed = ", ".join(f"« {c.label} »" for c in changed)
        draft.refuse(
            changed[0],
            "EXPOSURE_NOT_CHANGEABLE",
            f"cette exposition est déjà enregistrée avec d'autres valeurs ({listed}) : une"
            " exposition enregistrée ne se corrige pas par import ; retirez-la dans le portail"
            " puis déclarez-la de nouveau.",
        )
    elif matched.ended_on == new.ended_on:
        draft.action = Action.UNCHANGED
    elif matched.ended_on is None:
        draft.action, draft.last_day = Action.END, new.ended_on
    else:
        draft.refuse(
            Column.ENDED_ON,
            "EXPOSURE_ALREADY_ENDED",
            f"cette exposition a pris fin le {_show_date(matched.ended_on)} : cette date ne se"
            " modifie pas par import.",
        )


def _changed_columns(recorded: KnownExposure, new: Exposure) -> list[Column]:
    changes = (
        (Column.ROUTES, set(recorded.routes) != set(new.routes)),
        (Column.DEGREE, recorded.degree != new.degree),
        (Column.HOURS_PER_WEEK, recorded.hours_per_week != new.hours_per_week),
        # as the template wrote it: a comment recorded before texts were checked comes back
        # with U+FFFD in place of what XML cannot hold
        (Column.COMMENT, (xml_safe(recorded.comment or "") or None) != new.comment),
    )
    return [column for column, changed in changes if changed]


def _flag_overlaps(drafts: list[_Draft], known: dict[UUID, list[KnownExposure]]) -> None:
    """A new exposure may not overlap another exposure of the same employee to the same agent:
    a recorded one (as this file ends it), or another new one of the file."""
    ends = {
        (d.matched.employee_id, d.matched.exposure_id): d.last_day
        for d in drafts
        if d.action is Action.END and d.matched is not None
    }
    earlier: dict[tuple[UUID, AgentKey], list[_Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.action is not Action.RECORD or draft.employee is None:
            continue
        employee_id, key = draft.employee.employee_id, draft.agent_key
        assert key is not None
        start, end = draft.period
        for recorded in known.get(employee_id, ()):
            last = ends.get((employee_id, recorded.exposure_id), recorded.ended_on)
            if (
                _agent_key(recorded.agent) == key
                and start <= (last or date.max)
                and (recorded.started_on <= end)
            ):
                until = "à ce jour" if last is None else f"au {_show_date(last)}"
                draft.refuse(
                    Column.STARTED_ON,
                    "OVERLAPPING_EXPOSURE",
                    f"une exposition de ce salarié à cet agent est déjà enregistrée du"
                    f" {_show_date(recorded.started_on)} {until} : la date de début d'une"
                    " exposition enregistrée ne se corrige pas par import ; retirez-la dans le"
                    " portail puis déclarez-la de nouveau.",
                )
                break
        for other in earlier[(employee_id, key)]:
            other_start, other_end = other.period
            if start <= other_end and other_start <= end:
                draft.refuse(
                    Column.STARTED_ON,
                    "OVERLAPPING_EXPOSURE",
                    f"cette exposition chevauche celle de la ligne {other.row} (même salarié,"
                    " même agent).",
                )
                break
        if draft.errors:
            draft.action = None
        else:
            earlier[(employee_id, key)].append(draft)


def _planned(draft: _Draft) -> PlannedRow:
    employee = draft.employee
    if draft.errors or draft.action is None or employee is None:
        employee_id = None if employee is None else employee.employee_id
        return PlannedRow(draft.row, None, tuple(draft.errors), employee_id=employee_id)
    exposure = draft.exposure if draft.action is Action.RECORD else _as_exposure(draft.matched)
    assert exposure is not None
    return PlannedRow(
        draft.row,
        draft.action,
        employee_id=employee.employee_id,
        employee_version=employee.version,
        exposure=exposure,
        last_day=draft.last_day,
        summary=_summary(draft.action, employee, exposure, draft.last_day),
    )


def _as_exposure(known: KnownExposure | None) -> Exposure | None:
    if known is None:
        return None
    return Exposure(
        exposure_id=known.exposure_id,
        agent=known.agent,
        started_on=known.started_on,
        ended_on=known.ended_on,
        routes=known.routes,
        hours_per_week=known.hours_per_week,
        degree=known.degree,
        comment=known.comment,
    )


def _summary(
    action: Action, employee: EmployeeFacts, exposure: Exposure, last_day: date | None
) -> str:
    agent = exposure.agent
    what = agent.name + ("" if agent.cas_number is None else f" ({agent.cas_number})")
    since = f"depuis le {_show_date(exposure.started_on)}"
    if action is Action.RECORD:
        until = "" if exposure.ended_on is None else f" au {_show_date(exposure.ended_on)}"
        period = since if not until else f"du {_show_date(exposure.started_on)}{until}"
        return f"{employee.display_name} : nouvelle exposition à {what} {period}."
    if action is Action.END:
        assert last_day is not None
        return (
            f"{employee.display_name} : fin de l'exposition à {what} {since}, dernier jour le"
            f" {_show_date(last_day)}."
        )
    return f"{employee.display_name} : exposition à {what} {since}, déjà enregistrée."


def _agent_key(agent: CmrAgent) -> AgentKey:
    if agent.cas_number is not None:
        return ("CAS", str(agent.cas_number))
    return ("PROCESS", _key(agent.name))


# Applying ------------------------------------------------------------------------------------


def apply(plan: ImportPlan, registre: RegistreApplication, request: Request) -> ApplyOutcome:
    """Records every action of a plan without errors, in the order of the rows, as
    `request.actor`.

    Each row runs under its own request id, derived from the upload's hash and the row's
    number (`request.request_id` is not used: a retried upload has another one): a retry, or
    the same file sent again, records nothing twice. A command refused now (the records changed
    since the dry run) stops the import there: the rows before it stay recorded, and the
    outcome says which row failed.
    """
    if not plan.can_apply:
        raise PLAN_HAS_ERRORS.fresh()
    applied: list[AppliedRow] = []
    for planned in plan.rows:
        if planned.action in {None, Action.UNCHANGED}:
            continue
        try:
            applied.append(_apply_row(plan, planned, registre, request))
        except DomainError as error:
            failure = RowFailure(planned.row, error.code, f"Ligne {planned.row} : {error.message}")
            return ApplyOutcome(tuple(applied), plan.count(Action.UNCHANGED), failure)
    return ApplyOutcome(tuple(applied), plan.count(Action.UNCHANGED))


def request_id_of(plan: ImportPlan, row: int) -> str:
    """The request id of a row's command: the same for the same file, member and row."""
    upload = hashlib.sha256(f"{plan.member_id}:{plan.digest}".encode()).hexdigest()
    return f"cmr-xlsx-{upload[:40]}-{row}"


def _apply_row(
    plan: ImportPlan, planned: PlannedRow, registre: RegistreApplication, request: Request
) -> AppliedRow:
    exposure, employee_id = planned.exposure, planned.employee_id
    assert exposure is not None
    assert employee_id is not None
    request_id = request_id_of(plan, planned.row)
    if planned.action is Action.END:
        assert planned.last_day is not None
        registre.handle(
            Request(request_id, request.actor),
            EndExposure(
                employee_id=employee_id, exposure_id=exposure.exposure_id, last_day=planned.last_day
            ),
        )
        return AppliedRow(
            planned.row, Action.END, employee_id, exposure.exposure_id, planned.last_day
        )
    result = _record(registre, Request(request_id, request.actor), employee_id, exposure)
    version = planned.employee_version
    if version is not None and result.version <= version:
        # The answer to an earlier upload of this very file, whose exposure has since been
        # withdrawn (the dry run did not find it): this upload records it again.
        retry = Request(f"{request_id}-v{version}", request.actor)
        result = _record(registre, retry, employee_id, exposure)
    assert result.created_id is not None
    return AppliedRow(planned.row, Action.RECORD, employee_id, result.created_id)


def _record(
    registre: RegistreApplication, request: Request, employee_id: UUID, new: Exposure
) -> CommandResult:
    return registre.handle(
        request,
        RecordExposure(
            employee_id=employee_id,
            agent=new.agent,
            started_on=new.started_on,
            ended_on=new.ended_on,
            routes=new.routes,
            hours_per_week=new.hours_per_week,
            degree=new.degree,
            comment=new.comment,
        ),
    )


# Showing values ------------------------------------------------------------------------------


def _show_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _show_number(number: Decimal) -> str:
    return format(number.normalize(), "f").replace(".", ",")


def _shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _not_a_date(text: str) -> str:
    return f"« {_shown(text)} » n'est pas une date valide : écrivez-la jj/mm/aaaa."


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:] if message[1:2].islower() else message

"""The CMR exposures workbook: template, reading an upload, the dry run, applying it."""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

import msgspec
import openpyxl
import pytest

from application.base import RegistreApplication
from application.requests import CommandResult, Request
from application.workforce import xlsx_safety
from application.workforce.commands import EmployeeChange, RecordExposure
from application.workforce.exposure_import import (
    AGENTS_SHEET,
    HELP_SHEET,
    SHEET,
    Action,
    Column,
    EmployeeFacts,
    ImportPlan,
    ImportRow,
    KnownExposure,
    PlannedRow,
    apply,
    digest_of,
    plan,
    read,
    reading,
    request_id_of,
    template,
)
from application.workforce.xlsx_safety import ImportFileError
from domain.actor import Actor
from domain.errors import NotFound, RuleViolation
from domain.identifiers import CasNumber
from domain.workforce.health import AgentKind, CmrAgent, ExposureDegree, ExposureRoute

MEMBER = uuid4()
OTHER_MEMBER = uuid4()
TODAY = date(2025, 1, 10)
MARIE = EmployeeFacts(
    uuid4(),
    MEMBER,
    "MARTIN",
    "Marie",
    date(1990, 5, 12),
    first_hire_date=date(2024, 1, 15),
    version=4,
)
PAUL = EmployeeFacts(uuid4(), MEMBER, "DURAND", "Paul", date(1985, 2, 1), usage_name="LEROY")
GONE = EmployeeFacts(uuid4(), MEMBER, "ANCIEN", "Jean", date(1970, 1, 1), active=False)
STRANGER = EmployeeFacts(uuid4(), OTHER_MEMBER, "AUTRE", "Eve", date(1980, 1, 1))
EMPLOYEES = (MARIE, PAUL, GONE, STRANGER)
BENZENE = CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))
WOOD_DUST = CmrAgent(AgentKind.PROCESS, "Travaux exposant aux poussières de bois inhalables")
RECORDED = KnownExposure(
    MARIE.employee_id,
    1,
    BENZENE,
    date(2024, 3, 1),
    routes=(ExposureRoute.INHALATION, ExposureRoute.SKIN),
    hours_per_week=Decimal("7.5"),
    degree=ExposureDegree.MODERATE,
    comment="Atelier peinture",
)
ENDED = KnownExposure(MARIE.employee_id, 2, WOOD_DUST, date(2024, 2, 1), ended_on=date(2024, 2, 28))


def a_row(row: int = 7, **cells: Any) -> ImportRow:
    """A row declaring Marie's exposure to formaldehyde since 1 June 2024."""
    defaults: dict[str, Any] = {
        "employee_id": str(MARIE.employee_id),
        "agent_name": "Formaldéhyde",
        "cas_number": "50-00-0",
        "started_on": date(2024, 6, 1),
    }
    return ImportRow(row=row, **(defaults | cells))


def planned(
    *rows: ImportRow, exposures: tuple[KnownExposure, ...] = (RECORDED, ENDED)
) -> ImportPlan:
    return plan(rows, EMPLOYEES, exposures, member_id=MEMBER, today=TODAY, digest="d" * 64)


def only(*rows: ImportRow) -> PlannedRow:
    (row,) = planned(*rows).rows
    return row


def workbook_bytes(rows: list[list[Any]], title: str = SHEET) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for values in rows:
        sheet.append(values)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


HEADER = [column.label for column in Column]


def excel_day(year: int, month: int, day: int) -> datetime:
    """A date cell as openpyxl reads it: a naive datetime at midnight."""
    return datetime.combine(date(year, month, day), time())


def sheet_row(**cells: Any) -> list[Any]:
    return [cells.get(column.attribute) for column in Column]


# The template ---------------------------------------------------------------------------------


def test_the_template_has_the_exposures_the_employees_without_one_and_the_help() -> None:
    content = template(EMPLOYEES[:3], [RECORDED], [BENZENE, WOOD_DUST])
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [SHEET, AGENTS_SHEET, HELP_SHEET]
    rows = [list(r) for r in workbook[SHEET].iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1] == [
        "DURAND",
        "Paul",
        excel_day(1985, 2, 1),
        str(PAUL.employee_id),
        *[None] * 8,
    ]  # by the name shown: Paul's usage name, LEROY, before MARTIN
    assert rows[2][:11] == [
        "MARTIN",
        "Marie",
        excel_day(1990, 5, 12),
        str(MARIE.employee_id),
        "Benzène",
        "71-43-2",
        excel_day(2024, 3, 1),
        None,
        "Inhalation, Cutanée",
        "Modéré",
        7.5,
    ]
    assert len(rows) == 3  # Jean left: no exposure, no row
    agents = list(workbook[AGENTS_SHEET].iter_rows(values_only=True))
    assert ("Substance", "Benzène", "71-43-2") in agents
    assert ("Procédé", WOOD_DUST.name, None) in agents
    help_text = " ".join(str(r[0]) for r in workbook[HELP_SHEET].iter_rows(values_only=True))
    assert "jj/mm/aaaa" in help_text
    assert "Identifiant salarié" in help_text


def test_without_a_catalogue_the_template_has_no_agents_sheet() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(template([MARIE], [])))
    assert workbook.sheetnames == [SHEET, HELP_SHEET]


def test_a_template_read_back_and_planned_changes_nothing() -> None:
    content = template([MARIE, PAUL, GONE], [RECORDED])
    rows = read(content)
    assert [r.row for r in rows] == [2, 3]
    assert not rows[0].has_exposure_data  # Paul's empty row
    assert rows[1] == ImportRow(
        row=3,
        birth_name="MARTIN",
        first_name="Marie",
        birth_date=date(1990, 5, 12),
        employee_id=str(MARIE.employee_id),
        agent_name="Benzène",
        cas_number="71-43-2",
        started_on=date(2024, 3, 1),
        routes="Inhalation, Cutanée",
        degree="Modéré",
        hours_per_week=Decimal("7.5"),
        comment="Atelier peinture",
    )
    dry_run = planned(*rows)
    assert dry_run.can_apply
    assert [(r.row, r.action) for r in dry_run.rows] == [(3, Action.UNCHANGED)]
    assert dry_run.ignored_rows == 1


# Reading --------------------------------------------------------------------------------------


def test_reading_takes_dates_as_cells_or_as_text_and_leaves_blank_rows_out() -> None:
    content = workbook_bytes(
        [
            HEADER,
            sheet_row(employee_id="a", agent_name="X", started_on=excel_day(2024, 3, 1)),
            [],
            sheet_row(employee_id="b", agent_name="X", started_on="01/03/2024"),
            sheet_row(employee_id="c", agent_name="X", started_on="2024-03-01"),
            sheet_row(employee_id="d", agent_name="X", started_on=45352),  # a serial number
            sheet_row(employee_id="e", agent_name="X", started_on="31/02/2024"),
            sheet_row(employee_id="f", agent_name="X", started_on="  ", comment="   "),
        ]
    )
    rows = read(content)
    assert [(r.row, r.employee_id, r.started_on) for r in rows] == [
        (2, "a", date(2024, 3, 1)),
        (4, "b", date(2024, 3, 1)),
        (5, "c", date(2024, 3, 1)),
        (6, "d", date(2024, 3, 1)),
        (7, "e", "31/02/2024"),  # kept as given: the plan says why it is wrong
        (8, "f", None),
    ]


def test_reading_takes_hours_with_a_decimal_comma() -> None:
    content = workbook_bytes(
        [
            HEADER,
            sheet_row(employee_id="a", hours_per_week="7,5"),
            sheet_row(employee_id="b", hours_per_week="10 h"),
            sheet_row(employee_id="c", hours_per_week=3),
            sheet_row(employee_id="d", hours_per_week="beaucoup"),
        ]
    )
    assert [r.hours_per_week for r in read(content)] == [
        Decimal("7.5"),
        Decimal(10),
        Decimal(3),
        "beaucoup",
    ]


def test_reading_finds_the_titles_below_a_title_and_in_any_order() -> None:
    columns = [Column.STARTED_ON, Column.AGENT_NAME, Column.EMPLOYEE_ID]
    content = workbook_bytes(
        [
            ["Expositions de la société Martin"],
            [],
            [c.label.upper() for c in columns],
            [date(2024, 3, 1), "Benzène", "abc"],
        ],
        title="Feuille renommée",
    )
    assert read(content) == [
        ImportRow(row=4, employee_id="abc", agent_name="Benzène", started_on=date(2024, 3, 1))
    ]


def test_a_sheet_without_the_required_titles_is_refused() -> None:
    content = workbook_bytes([["Nom de naissance", "Prénom", "Numéro CAS"], ["A", "B", "C"]])
    with pytest.raises(ImportFileError) as refused:
        read(content)
    assert refused.value.code == "MISSING_COLUMNS"
    assert "« Identifiant salarié »" in refused.value.message


def test_a_sheet_without_titles_at_all_is_refused() -> None:
    with pytest.raises(ImportFileError) as refused:
        read(workbook_bytes([["a", "b"]] * 12))
    assert refused.value.code == "MISSING_COLUMNS"


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [sheet_row(employee_id=str(n), agent_name="X") for n in range(4)]
    with pytest.raises(ImportFileError) as refused:
        read(workbook_bytes([HEADER, *rows]))
    assert refused.value.code == "TOO_MANY_ROWS"
    assert "plus de 3 lignes" in refused.value.message
    assert len(read(workbook_bytes([HEADER, *rows[:3]]))) == 3


def a_zip(**parts: str) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return output.getvalue()


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", "EMPTY_FILE", "vide"),
        (b"Nom;Prenom\nMARTIN;Marie\n", "NOT_AN_XLSX", "n'est pas un classeur Excel (.xlsx)"),
        (b"%PDF-1.7 ...", "NOT_AN_XLSX", "n'est pas un classeur Excel (.xlsx)"),
        (a_zip(**{"readme.txt": "hello"}), "NOT_AN_XLSX", "n'est pas un classeur Excel"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "NOT_AN_XLSX",
            "Excel 97-2003 (.xls)",
        ),
    ],
    ids=["empty", "csv", "pdf", "zip", "xls"],
)
def test_what_is_not_a_workbook_is_refused_in_french(content: bytes, code: str, words: str) -> None:
    with pytest.raises(ImportFileError) as refused:
        read(content)
    assert (refused.value.code, words in refused.value.message) == (code, True)


def test_a_zip_bomb_is_refused_unopened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_safety, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(ImportFileError) as refused:
        read(workbook_bytes([HEADER]))
    assert refused.value.code == "FILE_TOO_LARGE"


# Planning: actions ---------------------------------------------------------------------------


def test_a_new_exposure_is_recorded() -> None:
    row = only(
        a_row(routes="inhalation; peau", degree="élevée", hours_per_week=Decimal(4), comment=" x ")
    )
    assert (row.action, row.errors, row.employee_id) == (Action.RECORD, (), MARIE.employee_id)
    assert row.exposure is not None
    assert row.exposure.agent == CmrAgent(AgentKind.SUBSTANCE, "Formaldéhyde", CasNumber("50-00-0"))
    assert row.exposure.routes == (ExposureRoute.INHALATION, ExposureRoute.SKIN)
    assert row.exposure.degree is ExposureDegree.HIGH
    assert row.exposure.comment == "x"
    assert row.summary == (
        "MARTIN Marie : nouvelle exposition à Formaldéhyde (50-00-0) depuis le 01/06/2024."
    )


def test_an_agent_without_a_cas_number_is_a_process() -> None:
    row = only(a_row(agent_name="Travaux exposant au goudron de houille", cas_number=None))
    assert row.exposure is not None
    assert row.exposure.agent.kind is AgentKind.PROCESS


def test_a_last_day_given_to_a_running_exposure_ends_it() -> None:
    row = only(
        a_row(
            agent_name="Benzène",
            cas_number="71-43-2",
            started_on=date(2024, 3, 1),
            ended_on=date(2024, 12, 31),
            routes="Cutanée, Inhalation",
            degree="Modéré",
            hours_per_week=Decimal("7.50"),
            comment="Atelier peinture",
        )
    )
    assert (row.action, row.last_day, row.errors) == (Action.END, date(2024, 12, 31), ())
    assert row.exposure is not None
    assert row.exposure.exposure_id == RECORDED.exposure_id


def test_an_ended_exposure_as_recorded_is_unchanged() -> None:
    row = only(
        a_row(
            agent_name="travaux exposant aux poussieres de bois inhalables",
            cas_number=None,
            started_on=date(2024, 2, 1),
            ended_on=date(2024, 2, 28),
        )
    )
    assert (row.action, row.errors) == (Action.UNCHANGED, ())


def test_a_new_exposure_may_follow_one_the_same_file_ends() -> None:
    ending = a_row(
        2,
        agent_name="Benzène",
        cas_number="71-43-2",
        started_on=date(2024, 3, 1),
        ended_on=date(2024, 6, 30),
        routes="Inhalation, Cutanée",
        degree="Modéré",
        hours_per_week=Decimal("7.5"),
        comment="Atelier peinture",
    )
    following = a_row(3, agent_name="Benzène", cas_number="71-43-2", started_on=date(2024, 7, 1))
    dry_run = planned(ending, following)
    assert [(r.action, r.errors) for r in dry_run.rows] == [(Action.END, ()), (Action.RECORD, ())]
    assert dry_run.can_apply


def test_a_row_naming_only_an_employee_is_ignored() -> None:
    dry_run = planned(ImportRow(row=3, birth_name="MARTIN", employee_id=str(MARIE.employee_id)))
    assert (dry_run.rows, dry_run.ignored_rows, dry_run.can_apply) == ((), 1, True)


def test_the_identity_columns_may_hold_the_usage_name_and_any_case() -> None:
    row = only(
        a_row(
            employee_id=str(PAUL.employee_id),
            birth_name="Leroy",
            first_name="PAUL",
            birth_date=date(1985, 2, 1),
        )
    )
    assert (row.action, row.errors) == (Action.RECORD, ())


# Planning: errors, in French, naming the row and the column ----------------------------------

STRANGER_ID = str(STRANGER.employee_id)
ERRORS = [
    ({"employee_id": None}, "EMPLOYEE_ID_MISSING", Column.EMPLOYEE_ID, "obligatoire"),
    ({"employee_id": str(uuid4())}, "UNKNOWN_EMPLOYEE", Column.EMPLOYEE_ID, "aucun salarié"),
    ({"employee_id": "n'importe quoi"}, "UNKNOWN_EMPLOYEE", Column.EMPLOYEE_ID, "aucun salarié"),
    ({"employee_id": STRANGER_ID}, "EMPLOYEE_OF_ANOTHER_MEMBER", Column.EMPLOYEE_ID, "autre"),
    ({"birth_name": "DUPONT"}, "IDENTITY_MISMATCH", Column.BIRTH_NAME, "décalée"),
    ({"first_name": "Julie"}, "IDENTITY_MISMATCH", Column.FIRST_NAME, "MARTIN Marie"),
    ({"birth_date": date(1991, 5, 12)}, "IDENTITY_MISMATCH", Column.BIRTH_DATE, "12/05/1990"),
    ({"birth_date": "hier"}, "INVALID_DATE", Column.BIRTH_DATE, "jj/mm/aaaa"),
    ({"agent_name": None}, "AGENT_NAME_MISSING", Column.AGENT_NAME, "obligatoire"),
    ({"cas_number": "71-43-3"}, "INVALID_CAS_NUMBER", Column.CAS_NUMBER, "« 71-43-3 »"),
    ({"started_on": None}, "DATE_MISSING", Column.STARTED_ON, "obligatoire"),
    ({"started_on": "31/02/2024"}, "INVALID_DATE", Column.STARTED_ON, "« 31/02/2024 »"),
    ({"started_on": date(2025, 1, 11)}, "DATE_IN_FUTURE", Column.STARTED_ON, "futur"),
    ({"ended_on": date(2025, 2, 1)}, "DATE_IN_FUTURE", Column.ENDED_ON, "01/02/2025"),
    ({"ended_on": "fin mai"}, "INVALID_DATE", Column.ENDED_ON, "jj/mm/aaaa"),
    ({"ended_on": date(2024, 5, 31)}, "INVALID_PERIOD", Column.ENDED_ON, "précède son début"),
    ({"started_on": date(2023, 12, 1)}, "DATE_BEFORE_HIRE", Column.STARTED_ON, "15/01/2024"),
    ({"routes": "Inhalation, nasale"}, "UNKNOWN_ROUTE", Column.ROUTES, "« nasale »"),
    ({"degree": "Extrême"}, "UNKNOWN_DEGREE", Column.DEGREE, "Faible, Modéré, Élevé"),
    ({"hours_per_week": "souvent"}, "INVALID_DURATION", Column.HOURS_PER_WEEK, "« souvent »"),
    ({"hours_per_week": Decimal(0)}, "INVALID_DURATION", Column.HOURS_PER_WEEK, "supérieur"),
    ({"hours_per_week": Decimal(169)}, "INVALID_DURATION", Column.HOURS_PER_WEEK, "168"),
    ({"comment": "x" * 2001}, "TEXT_TOO_LONG", Column.COMMENT, "2000 caractères"),
]


@pytest.mark.parametrize(
    ("cells", "code", "column", "words"), ERRORS, ids=[f"{e[1]}-{e[2].name}" for e in ERRORS]
)
def test_a_row_s_error_names_its_row_and_its_column(
    cells: dict[str, Any], code: str, column: Column, words: str
) -> None:
    row = only(a_row(12, **cells))
    assert row.action is None
    assert [(e.code, e.column) for e in row.errors] == [(code, column)]
    message = row.errors[0].message
    assert message.startswith(f"Ligne 12, colonne « {column.label} » : ")
    assert words in message


def test_every_error_of_a_row_is_reported() -> None:
    row = only(a_row(5, cas_number="123", started_on="demain", degree="?", routes="nez"))
    assert {e.code for e in row.errors} == {
        "INVALID_CAS_NUMBER",
        "INVALID_DATE",
        "UNKNOWN_DEGREE",
        "UNKNOWN_ROUTE",
    }


def test_a_row_twice_in_the_file_is_refused_the_second_time() -> None:
    dry_run = planned(a_row(3), a_row(9, comment="le même"))
    first, second = dry_run.rows
    assert (first.action, first.errors) == (Action.RECORD, ())
    assert [e.code for e in second.errors] == ["DUPLICATE_ROW"]
    assert second.errors[0].message == (
        "Ligne 9 : cette exposition (même salarié, même agent, même début) figure déjà à la"
        " ligne 3."
    )
    assert not dry_run.can_apply


def test_a_recorded_exposure_is_not_corrected_by_an_import() -> None:
    row = only(
        a_row(
            agent_name="Benzène",
            cas_number="71-43-2",
            started_on=date(2024, 3, 1),
            routes="Inhalation",
            degree="Modéré",
            hours_per_week=Decimal(8),
            comment="Atelier peinture",
        )
    )
    assert [e.code for e in row.errors] == ["EXPOSURE_NOT_CHANGEABLE"]
    assert "« Voies », « Heures par semaine »" in row.errors[0].message
    assert "retirez-la dans le portail" in row.errors[0].message


def test_the_end_of_an_ended_exposure_is_not_changed_by_an_import() -> None:
    row = only(
        a_row(
            agent_name=WOOD_DUST.name, cas_number=None, started_on=date(2024, 2, 1), ended_on=None
        )
    )
    assert [(e.code, e.column) for e in row.errors] == [("EXPOSURE_ALREADY_ENDED", Column.ENDED_ON)]
    assert "a pris fin le 28/02/2024" in row.errors[0].message


def test_a_new_exposure_may_not_overlap_a_recorded_one_to_the_same_agent() -> None:
    row = only(a_row(agent_name="Benzène", cas_number="71-43-2", started_on=date(2024, 4, 1)))
    assert [(e.code, e.column) for e in row.errors] == [("OVERLAPPING_EXPOSURE", Column.STARTED_ON)]
    assert "du 01/03/2024 à ce jour" in row.errors[0].message


def test_two_new_exposures_of_the_file_may_not_overlap() -> None:
    dry_run = planned(a_row(3, ended_on=date(2024, 8, 31)), a_row(4, started_on=date(2024, 8, 1)))
    assert [e.code for e in dry_run.rows[1].errors] == ["OVERLAPPING_EXPOSURE"]
    assert "ligne 3" in dry_run.rows[1].errors[0].message


# Applying -------------------------------------------------------------------------------------


@dataclass
class FakeRegistre:
    """Records the commands it is given; answers as the application does."""

    calls: list[tuple[str, str, UUID, dict[str, Any]]] = field(default_factory=list)
    replies: dict[str, CommandResult] = field(default_factory=dict)
    refuse_row: int | None = None
    version: int = 10

    def handle(self, request: Request, command: EmployeeChange) -> CommandResult:
        fields = msgspec.structs.asdict(command)
        employee_id = fields.pop("employee_id")
        if isinstance(command, RecordExposure):
            fields = {k: v for k, v in fields.items() if v not in {None, ()}}
        return self._run(command.command_name(), request, employee_id, fields)

    def _run(
        self, command: str, request: Request, employee_id: UUID, kwargs: dict[str, Any]
    ) -> CommandResult:
        if self.refuse_row is not None and request.request_id.endswith(f"-{self.refuse_row}"):
            raise NotFound("Ce salarié n'existe pas.", code="EMPLOYEE_NOT_FOUND")
        if request.request_id in self.replies:  # a retry: the first answer
            return self.replies[request.request_id]
        self.calls.append((command, request.request_id, employee_id, kwargs))
        self.version += 1
        reply = CommandResult(employee_id, self.version, len(self.calls) + 100)
        self.replies[request.request_id] = reply
        return reply


def as_registre(fake: FakeRegistre) -> RegistreApplication:
    return cast("RegistreApplication", fake)


ACTOR = Request("ignored", Actor("account", MEMBER))
ENDING_ROW = a_row(
    4,
    agent_name="Benzène",
    cas_number="71-43-2",
    started_on=date(2024, 3, 1),
    ended_on=date(2024, 12, 31),
    routes="Inhalation, Cutanée",
    degree="Modéré",
    hours_per_week=Decimal("7.5"),
    comment="Atelier peinture",
)


def a_plan(*rows: ImportRow) -> ImportPlan:
    return plan(
        rows, EMPLOYEES, (RECORDED, ENDED), member_id=MEMBER, today=TODAY, digest=digest_of(b"x")
    )


def test_applying_runs_each_action_under_a_request_id_of_the_upload_and_the_row() -> None:
    clean = a_plan(a_row(3), ENDING_ROW)
    fake = FakeRegistre()
    outcome = apply(clean, as_registre(fake), ACTOR)
    assert [(c[0], c[1]) for c in fake.calls] == [
        ("record_exposure", request_id_of(clean, 3)),
        ("end_exposure", request_id_of(clean, 4)),
    ]
    assert fake.calls[0][3]["agent"] == CmrAgent(
        AgentKind.SUBSTANCE, "Formaldéhyde", CasNumber("50-00-0")
    )
    assert fake.calls[1][3] == {"exposure_id": 1, "last_day": date(2024, 12, 31)}
    assert [(a.row, a.action, a.exposure_id) for a in outcome.applied] == [
        (3, Action.RECORD, 101),
        (4, Action.END, 1),
    ]
    assert outcome.failure is None
    assert request_id_of(clean, 3) != request_id_of(clean, 4)
    assert len(request_id_of(clean, 5000)) <= 100


def test_applying_again_records_nothing_twice() -> None:
    clean = a_plan(a_row(3))
    fake = FakeRegistre()
    first = apply(clean, as_registre(fake), ACTOR)
    again = apply(clean, as_registre(fake), ACTOR)  # answered from the first time
    assert len(fake.calls) == 1
    assert again.applied == first.applied


def test_an_exposure_withdrawn_since_an_upload_is_recorded_again_by_the_same_file() -> None:
    clean = a_plan(a_row(3))
    fake = FakeRegistre()
    old_answer = CommandResult(MARIE.employee_id, 2, 1)  # before the plan's version (4)
    fake.replies[request_id_of(clean, 3)] = old_answer
    outcome = apply(clean, as_registre(fake), ACTOR)
    assert [c[1] for c in fake.calls] == [f"{request_id_of(clean, 3)}-v4"]
    assert outcome.applied[0].exposure_id == 101


def test_a_plan_with_errors_is_not_applied() -> None:
    fake = FakeRegistre()
    with pytest.raises(RuleViolation) as refused:
        apply(a_plan(a_row(3, cas_number="1-2-3")), as_registre(fake), ACTOR)
    assert refused.value.code == "IMPORT_HAS_ERRORS"
    assert fake.calls == []


def test_a_command_refused_at_apply_time_stops_the_import_at_its_row() -> None:
    fake = FakeRegistre(refuse_row=4)
    outcome = apply(a_plan(a_row(3), ENDING_ROW), as_registre(fake), ACTOR)
    assert [a.row for a in outcome.applied] == [3]
    assert outcome.failure is not None
    assert (outcome.failure.row, outcome.failure.code) == (4, "EMPLOYEE_NOT_FOUND")
    assert outcome.failure.message == "Ligne 4 : Ce salarié n'existe pas."

"""Importing the visits held from the medical software's CSV file, on both stores: every error
of every line named with its line, a repeated line refused, a visit already recorded passed over
and counted; the dry run records nothing, applying records the valid lines, applying again (or
resuming after a failure part way) records nothing twice; through `registre visits
import-visits` once."""

from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.registre import Registre
from application.requests import Request
from application.visits.follow_up import RecordVisit, WithdrawVisit
from application.visits.organisation import RegisterProfessional
from application.visits.visit_file import MAX_FILE_BYTES, MAX_LINES, read_visit_file
from application.visits.visit_import import Outcome, VisitImport, apply_visits, import_visits
from cli.main import main
from domain.actor import SYSTEM
from domain.errors import InvalidValue
from domain.visits.follow_up_record import FollowUpRecord, VisitDocument
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.workforce.employment import ContractType
from tests.integration.test_workforce import a_member, hire
from tests.integration.visits_scenario import DOCTOR, staff

HEADER = "employee_id;kind;held_on;professional_id;document"
NIR = "2 90 05 13 055 123 45"
"""What a wrong export could put in the employee's column: never echoed."""
BLANK: tuple[str, Outcome, list[str]] = ("  ", Outcome.REFUSED, [])
"""A blank line: left aside, yet counted in the numbering of the lines."""


def visit_file(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join((header, *lines, "")).encode()


def organised(app: Registre) -> tuple[UUID, UUID, UUID]:
    """Two employees of a member, a doctor, and one periodic visit of the first recorded."""
    member_id = a_member(app)
    first = hire(app, member_id, "Léa", ContractType.CDI)
    second = hire(app, member_id, "Marc", ContractType.CDI)
    doctor = app.handle(staff(), RegisterProfessional(details=DOCTOR)).aggregate_id
    app.handle(staff(), record(first, VisitKind.PERIODIC, recorded_on(app), doctor))
    return first, second, doctor


def record(employee_id: UUID, kind: VisitKind, held_on: date, doctor: UUID) -> RecordVisit:
    return RecordVisit(
        employee_id=employee_id,
        kind=kind,
        held_on=held_on,
        professional_id=doctor,
        document=VisitDocument.NONE,
    )


def recorded_on(app: Registre) -> date:
    return app.today() - timedelta(days=100)


def the_file(app: Registre) -> tuple[bytes, list[tuple[int, Outcome, list[str]]]]:
    """A file with good lines, bad lines of each kind, a repeated line and a blank line; and,
    for each line, the outcome of its dry run and its errors' codes."""
    first, second, doctor = organised(app)
    today = app.today()
    day = f"{today - timedelta(days=30):%d/%m/%Y}"
    rows = [
        (f"{first};vip;{day};{doctor};follow_up_certificate", Outcome.TO_RECORD, []),
        (
            f"{second};Visite périodique;{today - timedelta(days=40)};{doctor};Avis d'aptitude",
            Outcome.TO_RECORD,
            [],
        ),
        (
            f"{first};periodic;{recorded_on(app):%d/%m/%Y};{doctor};none",
            Outcome.ALREADY_RECORDED,
            ["VISIT_ALREADY_RECORDED"],
        ),
        (f"{uuid4()};vip;{day};{doctor};none", Outcome.REFUSED, ["UNKNOWN_ID"]),
        (f"{NIR};vip;{day};{doctor};none", Outcome.REFUSED, ["INVALID_ID"]),
        (f"{first};intermediate;{day};{uuid4()};none", Outcome.REFUSED, ["UNKNOWN_ID"]),
        (f"{first};visite annuelle;{day};{doctor};none", Outcome.REFUSED, ["UNKNOWN_KIND"]),
        (f"{first};vip;31/02/2024;{doctor};none", Outcome.REFUSED, ["INVALID_DATE"]),
        (
            f"{first};vip;{today + timedelta(days=1):%d/%m/%Y};{doctor};none",
            Outcome.REFUSED,
            ["DATE_IN_FUTURE"],
        ),
        (f"{first};vip;{today.year - 51}-01-01;{doctor};none", Outcome.REFUSED, ["DATE_TOO_OLD"]),
        (f"{first};mid_career;{day};{doctor};certificat", Outcome.REFUSED, ["UNKNOWN_DOCUMENT"]),
        (f"{first};vip;{day};{doctor};follow_up_certificate", Outcome.REFUSED, ["DUPLICATE_LINE"]),
        (f"{first};vip;{day}", Outcome.REFUSED, ["FIELD_COUNT"]),
        (f"{first};vip\x1b;{day};{doctor};none", Outcome.REFUSED, ["INVALID_TEXT"]),
        (
            f";;{day};{doctor};",
            Outcome.REFUSED,
            ["VALUE_MISSING", "VALUE_MISSING", "VALUE_MISSING"],
        ),
        (f"{first};{'x' * 101};{day};{doctor};none", Outcome.REFUSED, ["VALUE_TOO_LONG"]),
        (f'{first};"vip;{day};{doctor};none', Outcome.REFUSED, ["UNREADABLE_LINE"]),
        BLANK,
        (f"{second};SIR_EXAM;{day};{doctor};AVIS D’APTITUDE", Outcome.TO_RECORD, []),
    ]
    expected = [
        (number, row[1], row[2]) for number, row in enumerate(rows, start=2) if row is not BLANK
    ]
    return visit_file(*(row[0] for row in rows)), expected


def outcomes(imported: VisitImport) -> list[tuple[int, Outcome, list[str]]]:
    return [(line.line, line.outcome, [m.code for m in line.messages]) for line in imported.lines]


def visits_of(app: Registre, employee_id: UUID) -> list[tuple[VisitKind, date, VisitDocument]]:
    record: FollowUpRecord = app.repository.get(FollowUpRecord.create_id(employee_id))
    return [(v.kind, v.held_on, v.document) for v in record.visits]  # in the order of days


def test_the_dry_run_names_every_error_with_its_line_and_records_nothing(app: Registre) -> None:
    content, expected = the_file(app)
    before = app.max_notification_id()

    planned = import_visits(app, SYSTEM, content, apply=False)

    assert outcomes(planned) == expected
    for line in planned.lines:
        assert all(m.message.startswith(f"Ligne {line.line}") for m in line.messages)
    messages = "\n".join(m.message for m in planned.messages)
    assert "Ligne 5, colonne « employee_id » : aucun salarié n'a l'identifiant" in messages
    assert "Ligne 7, colonne « professional_id » : aucun professionnel" in messages
    assert "Ligne 13 : même salarié, même type de visite et même jour qu'à la ligne 2." in messages
    assert "Ligne 16, colonne « kind » : la valeur est obligatoire." in messages
    assert NIR not in messages
    assert "x" * 101 not in messages
    assert planned.summary == (
        "Simulation : 3 visite(s) à enregistrer, 1 déjà enregistrée(s), 14 ligne(s) refusée(s)"
        " ; rien n'a été enregistré."
    )
    assert app.max_notification_id() == before


def test_applying_records_the_valid_lines_and_applying_again_nothing_more(
    app: Registre,
) -> None:
    content, expected = the_file(app)
    first, second = employee_ids(content)
    today = app.today()

    applied = import_visits(app, SYSTEM, content, apply=True)
    after_first = app.max_notification_id()
    again = import_visits(app, SYSTEM, content, apply=True)

    recorded = Outcome.RECORDED
    assert outcomes(applied) == [
        (n, recorded if o is Outcome.TO_RECORD else o, c) for n, o, c in expected
    ]
    assert applied.summary == (
        "3 visite(s) enregistrée(s), 1 déjà enregistrée(s), 14 ligne(s) refusée(s)."
    )
    assert visits_of(app, first) == [
        (VisitKind.PERIODIC, recorded_on(app), VisitDocument.NONE),
        (
            VisitKind.INFORMATION_AND_PREVENTION,
            today - timedelta(days=30),
            VisitDocument.FOLLOW_UP_CERTIFICATE,
        ),
    ]
    assert visits_of(app, second) == [
        (VisitKind.PERIODIC, today - timedelta(days=40), VisitDocument.APTITUDE_NOTICE),
        (VisitKind.SIR_EXAM, today - timedelta(days=30), VisitDocument.APTITUDE_NOTICE),
    ]
    assert again.summary == (
        "0 visite(s) enregistrée(s), 4 déjà enregistrée(s), 14 ligne(s) refusée(s)."
    )
    assert app.max_notification_id() == after_first


def employee_ids(content: bytes) -> list[UUID]:
    """The two employees of `the_file`, from its first two lines."""
    return [UUID(line.split(";")[0]) for line in content.decode().splitlines()[1:3]]


def test_resuming_after_a_failure_part_way_records_nothing_twice(
    app: Registre, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, _ = the_file(app)
    first, second = employee_ids(content)
    planned = import_visits(app, SYSTEM, content, apply=False)
    handle = app.handle
    calls: list[object] = []

    def failing_on_the_second(request: Request, command: Any) -> Any:
        calls.append(command)
        if len(calls) == 2:
            raise RuntimeError("connexion perdue")
        return handle(request, command)

    monkeypatch.setattr(app, "handle", failing_on_the_second)
    with pytest.raises(RuntimeError):
        apply_visits(app, planned, SYSTEM)
    monkeypatch.setattr(app, "handle", handle)

    resumed = import_visits(app, SYSTEM, content, apply=True)
    settled = app.max_notification_id()
    replayed = apply_visits(app, planned, SYSTEM)  # the first dry run, applied late

    assert resumed.summary.startswith("2 visite(s) enregistrée(s), 2 déjà enregistrée(s)")
    assert replayed.count(Outcome.RECORDED) == 3
    assert app.max_notification_id() == settled
    assert len(visits_of(app, first)) == 2
    assert len(visits_of(app, second)) == 2


def test_a_visit_withdrawn_since_is_recorded_again_by_the_same_file(app: Registre) -> None:
    first, _, doctor = organised(app)
    held_on = app.today() - timedelta(days=3)
    content = visit_file(f"{first};return_to_work;{held_on:%d/%m/%Y};{doctor};none")
    applied = import_visits(app, SYSTEM, content, apply=True)
    record: FollowUpRecord = app.repository.get(FollowUpRecord.create_id(first))
    visit_id = record.visits[-1].visit_id
    app.handle(staff(), WithdrawVisit(employee_id=first, visit_id=visit_id, error_note="Erreur"))

    again = import_visits(app, SYSTEM, content, apply=True)

    assert applied.count(Outcome.RECORDED) == again.count(Outcome.RECORDED) == 1
    assert (VisitKind.RETURN_TO_WORK, held_on, VisitDocument.NONE) in visits_of(app, first)
    record = app.repository.get(FollowUpRecord.create_id(first))
    assert record.visits[-1].role is ProfessionalRole.OCCUPATIONAL_DOCTOR


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b" " * (MAX_FILE_BYTES + 1), "VISIT_FILE_TOO_LARGE"),
        (HEADER.encode() + b"\n\xff\xfe;vip\n", "VISIT_FILE_NOT_UTF8"),
        (b"", "VISIT_FILE_MISSING_COLUMNS"),
        (HEADER.replace(";", ",").encode() + b"\n", "VISIT_FILE_MISSING_COLUMNS"),
        (b"employee_id;kind;held_on;document\n", "VISIT_FILE_MISSING_COLUMNS"),
        (f"{HEADER};kind\n".encode(), "VISIT_FILE_DUPLICATE_COLUMN"),
        (HEADER.encode() + b"\x00\n", "INVALID_TEXT"),
        (visit_file(*["x"] * (MAX_LINES + 1)), "VISIT_FILE_TOO_MANY_LINES"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(content: bytes, code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        read_visit_file(content)

    assert refused.value.code == code


def test_the_header_may_start_with_a_byte_order_mark_and_order_its_columns_freely() -> None:
    header = "\ufeffdocument;held_on;Kind;professional_id;employee_id;note"

    (line,) = read_visit_file(f"{header}\r\n\r\nnone;01/02/2024;vip;p;e;x\r\n".encode())

    assert line.number == 3
    assert line.values == {
        "employee_id": "e",
        "kind": "vip",
        "held_on": "01/02/2024",
        "professional_id": "p",
        "document": "none",
    }


def test_the_command_line_dry_runs_then_applies_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'registre.sqlite3'}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    with closing(Registre()) as app:
        first, _, doctor = organised(app)
        held_on = app.today() - timedelta(days=8)
    visits = tmp_path / "visites.csv"
    visits.write_bytes(
        visit_file(
            f"{first};Visite de reprise;{held_on:%d/%m/%Y};{doctor};Aucun document",
            f"{first};reprise;{held_on:%d/%m/%Y};{doctor};none",
        )
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(visit_file(f"{first};visite à la demande;;;").decode().encode("latin-1"))

    def run(*args: str) -> tuple[int, str]:
        return main(["visits", "import-visits", *args]), capsys.readouterr().out

    dry_run = run(str(visits))
    applied = run(str(visits), "--apply")
    again = run(str(visits), "--apply")
    refused = main(["visits", "import-visits", str(latin)])

    assert dry_run[0] == applied[0] == again[0] == 1
    assert "Ligne 3, colonne « kind » : type de visite inconnu" in dry_run[1]
    assert "Simulation : 1 visite(s) à enregistrer, 0 déjà enregistrée(s)" in dry_run[1]
    assert "Relancez avec --apply" in dry_run[1]
    assert "1 visite(s) enregistrée(s), 0 déjà enregistrée(s), 1 ligne(s) refusée(s)." in applied[1]
    assert "Ligne 2 : cette visite est déjà enregistrée : ligne passée." in again[1]
    assert "0 visite(s) enregistrée(s), 1 déjà enregistrée(s), 1 ligne(s) refusée(s)." in again[1]
    assert refused == 1
    assert "Fichier refusé : Le fichier n'est pas encodé en UTF-8." in capsys.readouterr().err
    with closing(Registre()) as app:
        assert visits_of(app, first) == [
            (VisitKind.PERIODIC, recorded_on(app), VisitDocument.NONE),
            (VisitKind.RETURN_TO_WORK, held_on, VisitDocument.NONE),
        ]

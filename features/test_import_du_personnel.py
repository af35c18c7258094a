"""Importing a workforce through `registre workforce import`: DSN and CSV, dry run, errors by
row or DSN line, apply, apply again."""

from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from cli.main import main
from domain.members.member import Member
from storage.settings import StoreSettings

scenarios("import_du_personnel.feature")

DSN = Path(__file__).parent.parent / "tests" / "integration" / "dsn"


@dataclass
class Import:
    folder: Path
    member_code: str = ""
    output: str = ""
    last_file: Path | None = None
    files: list[Path] = field(default_factory=list)


@pytest.fixture
def imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Import:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'registre.sqlite3'}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    return Import(tmp_path)


def _run(imports: Import, path: Path, capsys: pytest.CaptureFixture[str], *more: str) -> None:
    main(["workforce", "import", str(path), "--member", imports.member_code, *more])
    imports.output = capsys.readouterr().out
    imports.last_file = path


@given(parsers.parse("l'adhérent « {code} » de SIRET « {siret} » sans salarié"))
def a_member(imports: Import, code: str, siret: str) -> None:
    with closing(Registre(StoreSettings.from_environment())) as app:
        register = RegisterMember(
            member_code=code, declarant_number="12345678", legal_name="Fournil", siret=siret
        )
        app.handle(Request(f"register-{code}"), register)
    imports.member_code = code


@when(parsers.parse("le service simule l'import de la DSN « {name} »"))
def dry_run(imports: Import, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run(imports, DSN / name, capsys)


@when(parsers.parse("le service importe la DSN « {name} »"))
def import_dsn(imports: Import, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run(imports, DSN / name, capsys, "--apply")


@when("le service importe le tableur :")
def import_sheet(
    imports: Import, datatable: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    path = imports.folder / f"personnel-{len(imports.files)}.csv"
    path.write_text("\n".join(";".join(row) for row in datatable), encoding="utf-8")
    imports.files.append(path)
    _run(imports, path, capsys, "--apply")


@when("le service importe le même tableur de nouveau")
def import_again(imports: Import, capsys: pytest.CaptureFixture[str]) -> None:
    assert imports.last_file is not None
    _run(imports, imports.last_file, capsys, "--apply")


@then(parsers.parse("la simulation annonce « {text} »"))
@then(parsers.parse("l'import annonce « {text} »"))
def announced(imports: Import, text: str) -> None:
    assert text in imports.output, imports.output


@then("l'import signale les erreurs :")
def errors_shown(imports: Import, datatable: list[list[str]]) -> None:
    _, *rows = datatable
    assert f"{len(rows)} erreur(s), rien ne sera enregistré" in imports.output, imports.output
    for line, column, message in rows:
        where = f"Ligne {line} ({column}) : " if column else f"Ligne {line} : "
        assert f"{where}{message}" in imports.output, (where, imports.output)
    assert "Enregistré" not in imports.output


@then(parsers.parse("l'adhérent a {count:d} salarié(s)"))
def headcount(imports: Import, count: int) -> None:
    member_id = Member.create_id(imports.member_code)
    with closing(Registre(StoreSettings.from_environment())) as app:
        hired = [
            n for n in app.select_notifications(1, 10_000) if n.topic.endswith("Employee.Hired")
        ]
        mine = [n for n in hired if app.decode(n).member_id == member_id]
    assert len(mine) == count

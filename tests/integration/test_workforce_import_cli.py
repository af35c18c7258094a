"""`registre workforce import`: the dry run of a DSN printed, then applied once."""

from contextlib import closing
from pathlib import Path

import pytest

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from cli.main import main
from storage.settings import StoreSettings

DSN = Path(__file__).parent / "dsn"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'registre.sqlite3'}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    with closing(Registre(StoreSettings.from_environment())) as app:
        register = RegisterMember(
            member_code="00010",
            declarant_number="12345678",
            legal_name="Fournil",
            siret="73282932000017",
        )
        app.handle(Request("register"), register)


@pytest.mark.usefixtures("store")
def test_a_dsn_is_shown_then_applied_once(capsys: pytest.CaptureFixture[str]) -> None:
    dsn = str(DSN / "embauches.dsn")

    assert main(["workforce", "import", dsn]) == 0  # the member of the DSN's SIREN
    dry_run = capsys.readouterr().out
    assert main(["workforce", "import", dsn, "--member", "00010", "--apply"]) == 0
    applied = capsys.readouterr().out
    assert main(["workforce", "import", dsn, "--apply"]) == 0
    again = capsys.readouterr().out

    assert "Nouvelle embauche : 3" in dry_run
    assert "Sortie : 1" in dry_run
    assert "Enregistré : 3 ligne(s)." in applied
    assert "Nouvelle embauche : 0" in again
    assert "Sans changement : 3" in again


@pytest.mark.usefixtures("store")
def test_errors_are_listed_by_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["workforce", "import", str(DSN / "erreurs.dsn"), "--member", "00010", "--apply"])

    out = capsys.readouterr().out
    assert code == 2
    assert "rien ne sera enregistré" in out
    assert "Ligne 12 : Ligne mal formée" in out
    assert "Ligne 4 (NIR) :" in out
    assert "Enregistré" not in out

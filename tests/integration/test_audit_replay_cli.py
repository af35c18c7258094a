"""`registre audit replay` on a SQLite file: the French report and its JSON, as recorded at a
day's end or at an instant, erased persons unnamed, no NIR, and the read in the access log. The
report goes through `registre`, whose `audit` group (`cli.audit`) adds `replay`."""

import json
from pathlib import Path

import pytest

from application.accounts.access_store import AccessEvent, AccessStore
from application.registre import Registre
from cli.main import main
from domain.calendar import SetClock
from tests.integration.replay_history import MEMBER_CODE, START, History, record_history


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'registre.sqlite3'}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    clock = SetClock(START)
    app = Registre(clock=clock)
    try:
        return record_history(app, clock)
    finally:
        app.close()


def registre_audit(argv: list[str]) -> int:
    return main(["audit", *argv])


def test_the_report_is_in_french_as_known_at_the_end_of_a_day(
    recorded: History, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["replay", "--member", MEMBER_CODE, "--as-of", "2024-02-20", "--known-at", "2024-03-01"]

    assert registre_audit(argv) == 0

    out = capsys.readouterr().out
    assert "Adhérent 00042 « Soudures Martin »" in out
    assert "Situation au 20/02/2024, selon ce qui était enregistré le 01/03/2024 à 23:59:59" in out
    assert "Effectif présent : 4 salarié(s)" in out
    assert "KOWALCZYK Alice, née le 12/05/1990 — Suivi individuel renforcé" in out
    assert "Trichloréthylène (CAS 79-01-6) — du 22/01/2024 — Inhalation, Cutanée" in out
    assert "12,5 h par semaine — degré élevé — « Dégraissage des pièces »" in out
    assert "situations de travail : Travailleur de nuit" in out
    assert "(identité effacée)" in out
    for erased in ("DUBOIS", "Denise", "1970"):
        assert erased not in out


def test_an_instant_with_its_offset_and_the_json_answer(
    recorded: History, capsys: pytest.CaptureFixture[str]
) -> None:
    instant = recorded.between.isoformat()
    argv = ["replay", "--member", MEMBER_CODE, "--as-of", "2024-03-01", "--known-at", instant]

    assert registre_audit([*argv, "--format", "json"]) == 0

    answer = json.loads(capsys.readouterr().out)
    assert (answer["memberCode"], answer["asOf"]) == (MEMBER_CODE, "2024-03-01")
    bob = next(e for e in answer["employees"] if e["employeeId"] == str(recorded.bob))
    assert (bob["active"], bob["determinants"]) == (True, ["NIGHT_WORK"]), "left only later"
    agents = [(e["agentName"], e["birthName"]) for e in answer["exposures"]]
    assert agents == [
        ("Benzène", None),
        ("Travaux exposant aux HAP", "KOWALCZYK"),
    ]


def test_the_read_is_in_the_access_log_and_bad_instants_are_refused(
    recorded: History, capsys: pytest.CaptureFixture[str]
) -> None:
    assert registre_audit(["replay", "--member", MEMBER_CODE, "--as-of", "2024-02-20"]) == 0
    app = Registre()
    access = AccessStore.open(app.settings)
    try:
        (entry,) = access.log_entries(
            event=AccessEvent.HEALTH_DATA_READ, member_id=recorded.member_id, before=None, limit=5
        )
    finally:
        access.close()
        app.close()
    assert (entry.operation, entry.account_id) == ("auditReplay", None)
    assert str(recorded.alice) in entry.subjects

    for wrong in ("2024-03-01T12:00:00", "hier"):
        argv = ["replay", "--member", MEMBER_CODE, "--as-of", "2024-02-20", "--known-at", wrong]
        assert registre_audit(argv) == 2
        assert "un instant avec son décalage" in capsys.readouterr().err
    assert registre_audit(["replay", "--member", "99999", "--as-of", "2024-02-20"]) == 1
    assert "n'existe pas" in capsys.readouterr().err

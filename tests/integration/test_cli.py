"""The `registre` command line on a SQLite file: the demo member, created once, without NIRs
in the output."""

from pathlib import Path

import pytest
import uvicorn

from application.registre import Registre
from cli import demo
from cli.main import main
from domain.workforce.employee import Employee
from domain.workforce.follow_up import FollowUp


@pytest.fixture
def configured_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = tmp_path / "demo.sqlite3"
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    return database


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """What `serve` asked uvicorn to run (the real server is tested in test_serve.py)."""
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda app, **options: calls.append({"app": app, **options})
    )
    # `serve` hands its own address to the app it starts through the environment: forgotten
    # after the test (it leaked into the next server's reset links, on another port).
    monkeypatch.delenv("REGISTRE_PORTAL_URL", raising=False)
    return calls


def hired_events(app: Registre) -> list[str]:
    """Topics of every event ending in `Employee.Hired`, read from the notification log."""
    log = app.notification_log
    topics: list[str] = []
    start = 1
    while page := log.select(start, log.section_size):
        topics.extend(n.topic for n in page if n.topic.endswith("Employee.Hired"))
        start = page[-1].id + 1
    return topics


def load_employees(app: Registre) -> list[Employee]:
    member = app.find_member(demo.DEMO_MEMBER_CODE)
    assert member is not None
    return demo.employees_of(app, member)


def test_seed_demo_creates_the_member_once_and_prints_no_nir(
    configured_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed-demo", "--employees", "20"]) == 0
    first_output = capsys.readouterr()
    assert configured_store.exists()

    app = Registre()
    try:
        assert app.find_member("00010") is not None
        assert len(hired_events(app)) == 20
        employees = load_employees(app)
        today = app.clock.today()
        active = [e for e in employees if e.is_active_on(today)]
        assert any(e.follow_up_on(today).category is FollowUp.SIA for e in active)
        assert any(e.exposures for e in employees)
        nirs = {e.identity.nir.value for e in employees if e.identity and e.identity.nir}
    finally:
        app.close()
    assert len(nirs) == 20

    assert main(["seed-demo", "--employees", "20"]) == 0
    second_output = capsys.readouterr()
    assert "existe déjà" in second_output.out
    app = Registre()
    try:
        assert len(hired_events(app)) == 20
    finally:
        app.close()

    printed = first_output.out + first_output.err + second_output.out + second_output.err
    assert "N° télédéclarant" in first_output.out
    assert not [nir for nir in nirs if nir in printed]


def test_serve_seeds_an_empty_store_only(
    configured_store: Path, capsys: pytest.CaptureFixture[str], served: list[dict[str, object]]
) -> None:
    assert main(["seed-demo", "--employees", "3"]) == 0
    capsys.readouterr()

    assert main(["serve", "--port", "8123"]) == 0
    output = capsys.readouterr().out
    assert "existe déjà" in output
    assert "GraphiQL : http://127.0.0.1:8123/graphql" in output
    assert served == [
        {
            "app": "contexts:create_app_from_environment",
            "factory": True,
            "host": "127.0.0.1",
            "port": 8123,
            "log_level": "info",
            "log_config": None,
        }
    ]
    app = Registre()
    try:
        assert len(hired_events(app)) == 3
    finally:
        app.close()


def test_serve_on_a_store_in_use_starts_without_reading_its_employees(
    configured_store: Path,
    capsys: pytest.CaptureFixture[str],
    served: list[dict[str, object]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression: every start read every employee of the store to print the demo member's
    counts, so the time to come back after a crash grew with the store (2 s per 1,000)."""
    assert main(["seed-demo", "--employees", "3"]) == 0
    capsys.readouterr()
    loaded: list[object] = []
    monkeypatch.setattr(Registre, "employee", lambda app, employee_id: loaded.append(employee_id))

    assert main(["serve"]) == 0

    assert loaded == []
    assert "L'adhérent 00010 (« " in capsys.readouterr().out
    assert len(served) == 1


def test_serve_on_an_empty_store_seeds_the_demo(
    configured_store: Path, capsys: pytest.CaptureFixture[str], served: list[dict[str, object]]
) -> None:
    assert main(["serve"]) == 0
    output = capsys.readouterr().out
    assert "Adhérent de démonstration 00010 créé" in output
    assert f"Salariés : {demo.DEFAULT_EMPLOYEES} enregistrés" in output


def test_bad_arguments_are_refused_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed-demo", "--employees", "zéro"]) == 2
    assert "nombre entier" in capsys.readouterr().err


def test_projections_status_and_rebuild(
    configured_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed-demo", "--employees", "5"]) == 0
    capsys.readouterr()

    assert main(["projections", "rebuild", "workforce"]) == 0
    rebuilt = capsys.readouterr().out
    assert "100.0%" in rebuilt
    assert "workforce : génération 2 en service." in rebuilt

    assert main(["projections", "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    workforce = next(line.split() for line in lines if line.startswith("workforce"))
    assert workforce[1:2] == ["2"]
    assert workforce[3] == "0"  # no lag: the new generation is complete

    assert main(["projections", "rebuild", "audit", "--workers", "2"]) == 0
    rebuilt = capsys.readouterr().out
    assert "reconstruction en un processus" in rebuilt
    assert "audit : génération 2 en service." in rebuilt

    assert main(["projections", "rebuild", "nothing"]) == 2

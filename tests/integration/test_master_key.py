"""The master key of a store (issue 10, item 4): a process started with another key is refused
before it writes anything; `registre keys rotate-master` wraps every person's key under a new
master key, after which the old key is refused and the new one reads everything."""

import base64
import os
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
import uvicorn

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import HireEmployee
from cli import demo
from cli.main import main
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.timeline import instant
from projections.workforce.workforce import Workforce
from projections.workforce.workforce_queries import WorkforceFilter, WorkforceQueries
from storage import master_key
from storage.errors import ConfigurationError
from storage.keys import new_master_key
from storage.master_key import WrongMasterKey
from storage.settings import StoreSettings


def use_key(monkeypatch: pytest.MonkeyPatch, key: bytes, variable: str = "REGISTRE_MASTER_KEY"):
    monkeypatch.setenv(variable, base64.b64encode(key).decode())


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def hire_elodie(app: Registre) -> UUID:
    member_id = app.handle(
        a_request(),
        RegisterMember(member_code="00010", declarant_number="12345678", legal_name="Boulangerie"),
    ).aggregate_id
    return app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=Identity("Durand", "Élodie", date(1990, 5, 17), Sex.F),
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Vendeuse", ContractType.CDI),
        ),
    ).aggregate_id


def first_name_of(settings: StoreSettings, employee_id: UUID) -> str:
    app = Registre(settings)
    try:
        identity = app.employee(employee_id).identity
    finally:
        app.close()
    assert identity is not None
    return identity.first_name


def run_sql(settings: StoreSettings, statement: str, params: tuple[Any, ...] = ()) -> None:
    """`statement` on the store's tables, named `{schema}table`."""
    if settings.is_postgres:
        schema = settings.eventsourcing_env()["POSTGRES_SCHEMA"]
        with psycopg.connect(settings.url.split("?")[0], autocommit=True) as connection:
            query = statement.format(schema=f'"{schema}".').replace("?", "%s")
            connection.execute(query.encode(), params)
    else:
        with sqlite3.connect(settings.eventsourcing_env()["SQLITE_DBNAME"]) as connection:
            connection.execute(statement.format(schema=""), params)


def forget_check_value(settings: StoreSettings) -> None:
    """The store as it was before check values were recorded."""
    run_sql(settings, "DELETE FROM {schema}master_key_check")


def test_another_master_key_is_refused_at_start(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_key(monkeypatch, new_master_key())
    Registre(store).close()

    use_key(monkeypatch, new_master_key())
    with pytest.raises(WrongMasterKey, match="registre keys rotate-master"):
        Registre(store)


def test_a_store_older_than_its_check_value_refuses_a_key_that_opens_none_of_its_keys(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    right_key = new_master_key()
    use_key(monkeypatch, right_key)
    app = Registre(store)
    employee_id = hire_elodie(app)
    app.close()
    forget_check_value(store)

    use_key(monkeypatch, new_master_key())
    with pytest.raises(WrongMasterKey):
        Registre(store)
    use_key(monkeypatch, right_key)
    assert first_name_of(store, employee_id) == "Élodie"


def test_after_a_rotation_the_new_key_reads_everything_and_the_old_one_is_refused(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key, new_key = new_master_key(), new_master_key()
    use_key(monkeypatch, old_key)
    app = Registre(store)
    try:
        employee_id = hire_elodie(app)
        assert master_key.rotate(app.subject_keys, new_key, key_file=None) >= 1
        identity = app.employee(employee_id).identity
        assert identity is not None
        assert identity.first_name == "Élodie"
    finally:
        app.close()

    with pytest.raises(WrongMasterKey):
        Registre(store)
    use_key(monkeypatch, new_key)
    assert first_name_of(store, employee_id) == "Élodie"


def test_a_rotation_from_a_key_that_is_not_the_stores_changes_nothing(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two rotations at once: the second one finds the check value changed under it."""
    old_key = new_master_key()
    use_key(monkeypatch, old_key)
    app, late = Registre(store), Registre(store)
    try:
        employee_id = hire_elodie(app)
        newer_key = new_master_key()
        master_key.rotate(app.subject_keys, newer_key, key_file=None)
        with pytest.raises(WrongMasterKey):
            master_key.rotate(late.subject_keys, new_master_key(), key_file=None)
    finally:
        app.close()
        late.close()

    use_key(monkeypatch, newer_key)
    assert first_name_of(store, employee_id) == "Élodie"


def test_a_rotation_that_would_lose_a_key_changes_nothing(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key wrapped under another master key (as before the check value existed) cannot be
    wrapped again: the rotation is refused rather than done without it."""
    key = new_master_key()
    use_key(monkeypatch, key)
    app = Registre(store)
    try:
        employee_id = hire_elodie(app)
        run_sql(
            store,
            "INSERT INTO {schema}subject_keys (subject_id, category, wrapped_key) VALUES (?, ?, ?)",
            (str(uuid4()), "identity", os.urandom(60)),
        )
        with pytest.raises(ConfigurationError, match="1 clé"):
            master_key.rotate(app.subject_keys, new_master_key(), key_file=None)
    finally:
        app.close()

    assert first_name_of(store, employee_id) == "Élodie"


# The command line ------------------------------------------------------------------------------


@pytest.fixture
def configured(store: StoreSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", store.url)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REGISTRE_NEW_MASTER_KEY", raising=False)
    return tmp_path


def demo_first_names() -> list[str]:
    app = Registre()
    try:
        member = app.find_member(demo.DEMO_MEMBER_CODE)
        assert member is not None
        identities = [e.identity for e in demo.employees_of(app, member)]
    finally:
        app.close()
    return [i.first_name for i in identities if i is not None]


@pytest.mark.parametrize(
    "command",
    [
        ["serve"],
        ["project"],
        ["seed-demo"],
        ["projections", "rebuild"],
        ["users", "create-staff", "--email", "a@b.fr", "--last-name", "B", "--first-name", "A"],
    ],
)
def test_every_process_refuses_to_start_with_another_key(
    configured: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    use_key(monkeypatch, new_master_key())
    Registre().close()
    monkeypatch.setattr(uvicorn, "run", lambda *_, **__: pytest.fail("served"))

    use_key(monkeypatch, new_master_key())
    assert main(command) == 2
    assert "n'est pas celle de ce stockage" in capsys.readouterr().err


def test_the_command_rotates_a_key_given_in_the_environment(
    configured: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old_key, new_key = new_master_key(), new_master_key()
    use_key(monkeypatch, old_key)
    assert main(["seed-demo", "--employees", "3"]) == 0
    names = demo_first_names()
    capsys.readouterr()

    assert main(["keys", "rotate-master"]) == 2
    assert "REGISTRE_NEW_MASTER_KEY est requise" in capsys.readouterr().err

    use_key(monkeypatch, new_key, "REGISTRE_NEW_MASTER_KEY")
    assert main(["keys", "rotate-master"]) == 0
    out = capsys.readouterr().out
    assert "Clé maîtresse changée" in out
    assert "Donnez à REGISTRE_MASTER_KEY la valeur de REGISTRE_NEW_MASTER_KEY" in out

    assert main(["projections", "status"]) == 2
    assert "registre keys rotate-master" in capsys.readouterr().err
    use_key(monkeypatch, new_key)
    assert demo_first_names() == names
    assert len(names) == 3


def test_the_command_rotates_the_key_file_of_a_sqlite_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REGISTRE_MASTER_KEY")
    monkeypatch.delenv("REGISTRE_DATABASE_URL", raising=False)
    monkeypatch.delenv("REGISTRE_NEW_MASTER_KEY", raising=False)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path / "var"))
    key_file = tmp_path / "var" / "master.key"
    assert main(["seed-demo", "--employees", "3"]) == 0
    names = demo_first_names()
    old_key = key_file.read_bytes()

    assert main(["keys", "rotate-master"]) == 0
    assert f"La nouvelle clé est dans {key_file}" in capsys.readouterr().out
    assert key_file.read_bytes() != old_key
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in key_file.parent.iterdir() if "master" in p.name) == ["master.key"]
    assert demo_first_names() == names

    monkeypatch.setenv("REGISTRE_MASTER_KEY", old_key.decode())
    assert main(["projections", "status"]) == 2
    assert "n'est pas celle de ce stockage" in capsys.readouterr().err


def test_an_interrupted_rotation_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REGISTRE_MASTER_KEY")
    monkeypatch.delenv("REGISTRE_DATABASE_URL", raising=False)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    Registre().close()
    key = (tmp_path / "master.key").read_bytes()
    (tmp_path / "master.key.new").write_bytes(b"left by a rotation")

    assert main(["keys", "rotate-master"]) == 2
    assert "master.key.new existe" in capsys.readouterr().err
    assert (tmp_path / "master.key").read_bytes() == key
    Registre().close()


def test_names_are_still_found_after_a_rotation_without_a_rebuild(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read side's blind index used to be derived from the master key: after a rotation,
    no name was found until the workforce was rebuilt. It now uses the store's secret."""
    old_key, new_key = new_master_key(), new_master_key()
    use_key(monkeypatch, old_key)
    app = Registre(store)
    read_store = ReadStore.open(store)
    try:
        employee_id = hire_elodie(app)
        ProjectionRunner(app, read_store, [Workforce]).setup()
        ProjectionRunner(app, read_store, [Workforce]).catch_up()
        master_key.rotate(app.subject_keys, new_key, key_file=None)
    finally:
        read_store.close()
        app.close()

    use_key(monkeypatch, new_key)
    app = Registre(store)
    read_store = ReadStore.open(store)
    try:
        runner = ProjectionRunner(app, read_store, [Workforce])
        runner.setup()
        runner.catch_up()
        workforce = WorkforceQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))
        member_id = app.employee(employee_id).member_id
        found = workforce.employees(
            member_id, date(2024, 6, 1), instant(app.clock.now()), WorkforceFilter(search="élo")
        )
        assert [row.first_name for row in found] == ["Élodie"]
    finally:
        read_store.close()
        app.close()

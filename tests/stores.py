"""Stores for the tests: a SQLite file per test, and a PostgreSQL schema per test.

PostgreSQL comes from REGISTRE_TEST_DATABASE_URL (default: the local server of these machines).
When it cannot be reached, its tests are skipped with one reason, except under CI (CI=true),
where a skipped test fails the run.
"""

import base64
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher, profiles
from psycopg import sql

from application import credentials
from application.registre import Registre
from projections.store import ReadStore
from storage.keys import new_master_key
from storage.settings import StoreSettings

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
RUN_ID = uuid.uuid4().hex[:8]
UNDER_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

os.environ.setdefault("REGISTRE_MASTER_KEY", base64.b64encode(new_master_key()).decode())
# Public answers of access are held to a floor in service; tests do not wait (same code path).
os.environ.setdefault("REGISTRE_ANSWER_FLOOR_MS", "0")


@pytest.fixture(autouse=True)
def cheap_secret_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 is slow on purpose; tests hash with its cheapest profile (same code path)."""
    monkeypatch.setattr(credentials, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def postgres_base_url() -> str:
    return os.environ.get("REGISTRE_TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The test database URL; drops this run's schemas at the end."""
    url = postgres_base_url()
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL unreachable at {url} ({str(error).strip().splitlines()[0]})"
        if UNDER_CI:
            pytest.fail(f"{reason}: under CI the PostgreSQL tests must run", pytrace=False)
        pytest.skip(f"{reason}: PostgreSQL tests skipped")
    yield url
    with psycopg.connect(url, autocommit=True) as connection:
        schemas = connection.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (f"registre_{RUN_ID}_%",)
        ).fetchall()
        for (schema,) in schemas:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def new_postgres_settings(server_url: str, data_dir: Path) -> StoreSettings:
    schema = f"registre_{RUN_ID}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    separator = "&" if "?" in server_url else "?"
    return StoreSettings(url=f"{server_url}{separator}schema={schema}", data_dir=data_dir)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> StoreSettings:
    """Each test that uses it runs once on SQLite and once on PostgreSQL, on an empty store."""
    if request.param == "sqlite":
        return StoreSettings(url=f"sqlite:///{tmp_path / 'registre.sqlite3'}", data_dir=tmp_path)
    return new_postgres_settings(request.getfixturevalue("postgres_server"), tmp_path)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> StoreSettings:
    return StoreSettings(url=f"sqlite:///{tmp_path / 'registre.sqlite3'}", data_dir=tmp_path)


@pytest.fixture
def postgres_store(postgres_server: str, tmp_path: Path) -> StoreSettings:
    return new_postgres_settings(postgres_server, tmp_path)


@pytest.fixture
def app(store: StoreSettings) -> Iterator[Registre]:
    application = Registre(store)
    yield application
    application.close()


@pytest.fixture
def open_app(store: StoreSettings) -> Iterator[Callable[[], Registre]]:
    """Opens more Registre instances on the test's store (as other processes would)."""
    opened: list[Registre] = []

    def open_() -> Registre:
        application = Registre(store)
        opened.append(application)
        return application

    yield open_
    for application in opened:
        application.close()


@pytest.fixture
def read_store(store: StoreSettings) -> Iterator[ReadStore]:
    """The read tables' connections on the test's store."""
    opened = ReadStore.open(store)
    yield opened
    opened.close()


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if UNDER_CI and _skipped:
        print(f"\nUnder CI a skipped test is a failure: {len(_skipped)} skipped.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

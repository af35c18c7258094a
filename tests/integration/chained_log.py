"""What the tests of the chained log share: a store's events table reached by hand (as someone
with the database's password would), a little history, the verification of the live store, and
checkpoints signed with a key of the tests."""

import base64
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from application.members import commands as membership
from application.registre import Registre
from domain.calendar import SetClock
from domain.workforce.employment import ContractType, Sex
from storage.audit_log import ChainVerifier, Verdict
from storage.chain import ChainReader, Row, batches
from storage.checkpoints import Checkpoint, Checkpoints
from storage.settings import StoreSettings
from storage.sql import SqlStore
from tests.integration.test_rebuild_equivalence import (
    DECLARANT_NUMBER,
    Hire,
    Person,
    Terms,
    World,
    a_request,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PUBLIC_KEY = base64.b64encode(KEY.public_key().public_bytes_raw()).decode()
MARCH_2 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Database:
    """Raw access to the store's events table, as someone with the database's password."""

    def __init__(self, settings: StoreSettings, table: str):
        self.settings = settings
        self.postgres = settings.is_postgres
        self.table = table

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """`statement` with `{t}` for the events table, `{p}` for the position column and `{c}`
        for the checkpoints table."""
        if self.postgres:
            url, schema = self.settings.url.rsplit("?schema=", 1)
            query = sql.SQL(statement.replace("?", "%s")).format(
                t=sql.Identifier(schema, self.table),
                p=sql.Identifier("notification_id"),
                c=sql.Identifier(schema, "audit_checkpoints"),
            )
            with psycopg.connect(url, autocommit=True) as connection:
                cursor = connection.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        path = self.settings.eventsourcing_env()["SQLITE_DBNAME"]
        with sqlite3.connect(path) as connection:
            query_text = statement.format(t=self.table, p="rowid", c="audit_checkpoints")
            return connection.execute(query_text, params).fetchall()

    def positions(self) -> list[int]:
        return [r[0] for r in self.execute("SELECT {p} FROM {t} ORDER BY {p}")]

    def swap(self, a: int, b: int) -> None:
        """The rows at positions a and b exchange their places (all else kept)."""
        for old, new in ((a, -1), (b, a), (-1, b)):
            self.execute("UPDATE {t} SET {p} = ? WHERE {p} = ?", (new, old))


@pytest.fixture(name="clock")
def clock_fixture() -> SetClock:
    return SetClock(MARCH_2)


@pytest.fixture(name="database")
def database_fixture(store: StoreSettings, app: Registre) -> Database:
    return Database(store, app.recorder.events_table_name)  # type: ignore[attr-defined]


@pytest.fixture(name="checkpoints")
def checkpoints_fixture(store: StoreSettings) -> Iterator[Checkpoints]:
    sql_store = SqlStore.open(store, pool_size=2)
    kept = Checkpoints(sql_store)
    kept.create_table()
    yield kept
    sql_store.close()


Sign = Callable[..., Checkpoint | None]


@pytest.fixture(name="sign")
def sign_fixture(app: Registre, checkpoints: Checkpoints, clock: SetClock) -> Sign:
    """Signs a checkpoint where the log ends (with the service's key unless told)."""
    return lambda key=KEY: checkpoints.make(ChainReader(app.recorder), key, clock)


def populate(app: Registre, employees: int = 6) -> World:
    registered = app.handle(
        a_request(),
        membership.RegisterMember(
            member_code="00010", declarant_number=DECLARANT_NUMBER, legal_name="SAS 00010"
        ),
    )
    world = World(app, None, None, members=[registered.aggregate_id])  # type: ignore[arg-type]
    for index in range(employees):
        person = Person(f"Durand{'e' * index}", "Élodie", date(1990, 5, 17), Sex.F)
        Hire(0, person, date(2024, 1, 2), Terms(ContractType.CDI, "Vendeuse")).run(world)
    return world


def hire_one_more(app: Registre, name: str = "Roux") -> None:
    world = World(app, None, None, members=[event_at(app, 1).originator_id])  # type: ignore[arg-type]
    terms = Terms(ContractType.CDI, "Boulanger")
    Hire(0, Person(name, "Paul", date(1980, 1, 1), Sex.M), date(2024, 2, 1), terms).run(world)


def verify(app: Registre, checkpoints: Checkpoints | None = None) -> Verdict:
    reader = ChainReader(app.recorder)
    kept = checkpoints.up_to() if checkpoints else []
    verifier = ChainVerifier(kept, {KEY.public_key().public_bytes_raw()})
    for rows in batches(reader.rows, 0, reader.head(), 3):
        for row in rows:
            verifier.feed(row)
    return verifier.verdict()


def event_at(app: Registre, position: int) -> Row:
    return ChainReader(app.recorder).rows(position - 1, position, 1)[0]

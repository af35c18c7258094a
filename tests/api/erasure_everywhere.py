"""An employee named, exposed, declared, then erased — and every place the service keeps data
searched for their name and birth date afterwards (docs/PERSONAL_DATA.md is the inventory).

Shared by `tests/api/test_erasure_everywhere.py` and the Gherkin journey
`features/effacement.feature`. The places searched: every table of the store (SQLite file or
PostgreSQL schema: events, snapshots, keys, command log, read models of every generation,
sign-in tables, outbox), dumped cell by cell as text and bytes; every event decoded again with
the keys that remain (crypto-shredding holds only if no remaining key opens the name); every
file of the data folder (documents kept, the mail folder); and the log lines written.
"""

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit
from uuid import UUID, uuid4

import psycopg
from litestar.testing import TestClient
from psycopg import sql
from stdnum.fr import nir

from api.services import Services
from application.requests import Request
from application.workforce.commands import (
    DeclareDeterminant,
    EraseIdentity,
    HireEmployee,
    RecordExposure,
)
from domain.identifiers import CasNumber, Nir
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent
from tests.api.confirmed_declaration import confirm_a_declaration, confirmations
from tests.api.graphql_client import data
from tests.integration.test_declarations_read_model import register

BIRTH_NAME, FIRST_NAME = "Dupont", "Séraphine"
BIRTH_DATE = date(1990, 5, 14)
NIR_BODY = "2900575056123"  # F, born in May 1990
NIR_NUMBER = NIR_BODY + nir.calc_check_digits(NIR_BODY)
AGENT = CmrAgent(AgentKind.SUBSTANCE, "Trichloréthylène", CasNumber("79-01-6"))
TEXTS = (
    "dupont",
    "séraphine",
    "seraphine",
    "1990-05-14",
    "14/05/1990",
    "date(1990, 5, 14)",
    NIR_BODY,
)
"""What must be found nowhere once erased (compared case-folded)."""
EMPLOYEES = """
query($memberId: UUID!, $search: String) {
  employees(memberId: $memberId, search: $search, first: 100) {
    edges { node { id birthName firstName birthDate } }
  }
}"""
CMR = """
query($memberId: UUID!) { cmrExposures(memberId: $memberId) { employeeId agentName birthName } }
"""


@dataclass(frozen=True, slots=True)
class Story:
    member_id: UUID
    employee_id: UUID
    year: int


def a_request() -> Request:
    return Request.by(str(uuid4()), "rh-1")


def named_and_declared(client: TestClient, services: Services) -> Story:
    """A member whose employee Séraphine Dupont, born 14 May 1990, is exposed to
    trichloroethylene and works at night, in a confirmed declaration."""
    app = services.app
    member_id = register(app)
    year = services.clock.today().year
    employee_id = app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=Identity(
                birth_name=BIRTH_NAME,
                first_name=FIRST_NAME,
                birth_date=BIRTH_DATE,
                sex=Sex.F,
                nir=Nir(NIR_NUMBER),
            ),
            hire_date=date(year - 1, 9, 1),
            terms=ContractTerms("Dégraisseuse", ContractType.CDI),
        ),
    ).aggregate_id
    app.handle(
        a_request(),
        RecordExposure(employee_id=employee_id, agent=AGENT, started_on=date(year - 1, 9, 1)),
    )
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.NIGHT_WORK,
            started_on=date(year - 1, 9, 1),
        ),
    )
    confirmed_year = confirm_a_declaration(client, services, str(member_id))
    return Story(member_id, employee_id, confirmed_year)


def erase(services: Services, story: Story) -> None:
    services.app.handle(a_request(), EraseIdentity(employee_id=story.employee_id))
    services.settle()


def found_by_name(client: TestClient, story: Story, search: str) -> list[str]:
    variables = {"memberId": str(story.member_id), "search": search}
    edges = data(client, EMPLOYEES, variables)["employees"]["edges"]
    return [edge["node"]["id"] for edge in edges]


def declared_copy(client: TestClient, story: Story) -> str:
    return str(confirmations(client, str(story.member_id), story.year))


def cmr_list(client: TestClient, story: Story) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(client, CMR, {"memberId": str(story.member_id)})[
        "cmrExposures"
    ]
    return found


# Searching everywhere -------------------------------------------------------------------------


def traces(services: Services, log_text: str, *, opening_events: bool = True) -> list[str]:
    """Where the name, the first name, the birth date or the NIR still lie, in any form the
    search can tell: empty once erased everywhere. With `opening_events`, every event is also
    decoded with the keys that remain (before the erasure, the identity key opens them)."""
    settings = services.app.settings
    places: list[str] = []
    for table, cell in _cells(settings.url):
        if _holds(cell):
            places.append(f"table {table}")
    notifications = services.app.recorder.select_notifications(start=1, limit=1_000_000)
    for event in notifications if opening_events else ():
        if _holds(repr(vars(services.app.mapper.to_domain_event(event)))):
            places.append(f"event {event.id} ({event.topic.rpartition('.')[2]}), opened")
    store_file = urlsplit(settings.url).path.lstrip("/")
    for path in sorted(Path(settings.data_dir).rglob("*")):
        if path.is_file() and not str(path).startswith(store_file) and _holds(path.read_bytes()):
            places.append(f"file {path.relative_to(settings.data_dir)}")
    if _holds(log_text):
        places.append("logs")
    return sorted(set(places))


def tables_holding(services: Services, text: str) -> set[str]:
    """The tables where `text` lies in clear (what shows the search reads every table)."""
    needle = text.casefold()
    return {
        table
        for table, cell in _cells(services.app.settings.url)
        if isinstance(cell, str) and needle in cell.casefold()
    }


def _holds(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == BIRTH_DATE.toordinal()  # the read tables store days as ordinals
    if isinstance(value, memoryview | bytes | bytearray):
        raw = bytes(value).lower()
        return any(text.encode() in raw for text in TEXTS)
    text = str(value).casefold()
    return any(needle in text for needle in TEXTS)


def _cells(url: str) -> Iterator[tuple[str, Any]]:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        connection = sqlite3.connect(parts.path[1:] if parts.path.startswith("/") else parts.path)
        try:
            tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for (table,) in tables.fetchall():
                for row in connection.execute(f'SELECT * FROM "{table}"'):
                    for cell in row:
                        yield table, cell
        finally:
            connection.close()
        return
    schema = {k: v[-1] for k, v in parse_qs(parts.query).items()}["schema"]
    with psycopg.connect(urlunsplit(parts._replace(query=""))) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL("SELECT * FROM {}").format(sql.Identifier(schema, table))
            for row in connection.execute(query):
                for cell in row:
                    yield table, cell

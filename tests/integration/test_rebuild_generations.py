"""Generations of the read models: a rebuild after an interrupted one never drops the generation
queries read, and an erasure reaches every generation kept."""

import threading
import time
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import EraseIdentity, HireEmployee, RecordExposure
from contexts import READ_MODELS
from domain.identifiers import CasNumber
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from domain.workforce.health import AgentKind, CmrAgent, ExposureRoute
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import PostgresReadStore, ReadStore
from projections.timeline import NEVER
from projections.workforce.workforce import Workforce
from projections.workforce.workforce_queries import WorkforceQueries

EMPLOYEES = 12
BATCH = 4
READERS = 3
CACHED_SECONDS = 0.3
REFRESH_SECONDS = 1.0
ERASED = Identity("Quarantotto", "Zéphyrine", date(1987, 4, 23), Sex.F)


class Interrupted(Exception):
    """A rebuild stopped half-way (a crash, an operator's ^C)."""


def interrupt(done: int, head: int) -> None:
    raise Interrupted


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def a_member(app: Registre) -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(member_code="00010", declarant_number="12345678", legal_name="Boulangerie"),
    ).aggregate_id


def hire(app: Registre, member_id: UUID, identity: Identity) -> UUID:
    return app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=identity,
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Vendeuse", ContractType.CDI),
        ),
    ).aggregate_id


def staff(app: Registre, member_id: UUID) -> list[UUID]:
    return [
        hire(app, member_id, Identity("Durand", f"Salariée {n}", date(1990, 1, 1 + n), Sex.F))
        for n in range(EMPLOYEES)
    ]


def tables(read_store: ReadStore) -> set[str]:
    if isinstance(read_store, PostgresReadStore):
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {name for (name,) in read_store.read(sql)}


def columns(read_store: ReadStore, table: str) -> list[str]:
    if isinstance(read_store, PostgresReadStore):
        sql = (
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = ? ORDER BY ordinal_position"
        )
    else:
        sql = "SELECT name FROM pragma_table_info(?) ORDER BY cid"
    return [name for (name,) in read_store.read(sql, (table,))]


def holding_identity(read_store: ReadStore, identity: Identity) -> set[str]:
    """Every table, of the read side or not, that holds a name or the birth date."""
    texts = (identity.birth_name, identity.first_name, identity.birth_date.isoformat())
    found = set()
    for table in tables(read_store):
        names = columns(read_store, table)
        for row in read_store.read(f"SELECT * FROM {table}"):
            for column, value in zip(names, row, strict=True):
                if _holds(value, texts) or (
                    "birth_date" in column and value == identity.birth_date.toordinal()
                ):
                    found.add(table)
    return found


def sealing_identity(read_store: ReadStore, employee_id: UUID) -> set[str]:
    """The read tables holding the employee's identity sealed, or their name's tokens."""
    wheres = {
        "people": "identity IS NOT NULL",
        "versions": "identity IS NOT NULL",
        "name_tokens": "1 = 1",
        "entries": "changes LIKE '%$sealed%'",
    }
    found = set()
    for table in tables(read_store):
        where = wheres.get(table.rsplit("_g", 1)[-1].split("_", 1)[-1])
        column = "aggregate_id" if table.endswith("_entries") else "employee_id"
        if where is not None and read_store.read(
            f"SELECT 1 FROM {table} WHERE {column} = ? AND {where}", (str(employee_id),)
        ):
            found.add(table)
    return found


def _holds(value: Any, texts: tuple[str, ...]) -> bool:
    if isinstance(value, str):
        return any(text in value for text in texts)
    if isinstance(value, bytes | memoryview):
        return any(text.encode() in bytes(value) for text in texts)
    return False


def generations(read_store: ReadStore, name: str) -> set[int]:
    rows = read_store.read("SELECT generation FROM projection_positions WHERE name = ?", (name,))
    return {generation for (generation,) in rows}


def generations_with_tables(read_store: ReadStore, name: str) -> set[int]:
    prefix = f"{name}_g"
    return {
        int(table[len(prefix) :].split("_", 1)[0])
        for table in tables(read_store)
        if table.startswith(prefix)
    }


# A rebuild after an interrupted rebuild ------------------------------------------------------


class Readers:
    """Threads reading the workforce as the API does (the active generation cached a second)."""

    def __init__(self, read_store: ReadStore, member_id: UUID):
        self.read_store = read_store
        self.member_id = member_id
        self.reads = 0
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._read, daemon=True) for _ in range(READERS)]

    def _read(self) -> None:
        generations = ActiveGenerations(self.read_store, refresh_seconds=REFRESH_SECONDS)
        queries = WorkforceQueries(self.read_store, generations)
        while not self._stop.is_set():
            try:
                rows = queries.employees(self.member_id, date(2024, 6, 1), NEVER - 1, limit=100)
                assert len(rows) == EMPLOYEES, len(rows)
            except BaseException as error:
                with self._lock:
                    self.errors.append(error)
            with self._lock:
                self.reads += 1

    def __enter__(self) -> "Readers":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)


def test_a_rebuild_after_an_interrupted_one_keeps_the_generation_queries_read(
    app: Registre, read_store: ReadStore
) -> None:
    """The rebuild after an interrupted one used to drop the generation it replaced at once
    (it kept only the generation just below its own, the dead one): queries still reading the
    replaced one failed (`relation "workforce_g1_segments" does not exist`)."""
    runner = ProjectionRunner(app, read_store, [Workforce], batch_size=BATCH)
    runner.setup()
    member_id = a_member(app)
    staff(app, member_id)
    runner.catch_up()
    with pytest.raises(Interrupted):
        runner.rebuild("workforce", interrupt)
    assert generations(read_store, "workforce") == {1, 2}  # 2: dead, never switched to

    with Readers(read_store, member_id) as readers:
        time.sleep(CACHED_SECONDS)  # every reader has looked the active generation up
        assert runner.rebuild("workforce") == 3
        time.sleep(REFRESH_SECONDS + CACHED_SECONDS)  # and then reads the new one

    assert readers.errors == [], readers.errors[:3]
    assert readers.reads > READERS
    assert runner.active_generations() == {"workforce": 3}
    assert generations(read_store, "workforce") == {1, 3}  # the active one and the previous
    assert generations_with_tables(read_store, "workforce") == {1, 3}

    assert runner.rebuild("workforce") == 4  # the next rebuild drops the previous
    assert generations(read_store, "workforce") == {3, 4}
    assert generations_with_tables(read_store, "workforce") == {3, 4}


# An erasure reaches every generation ---------------------------------------------------------


def test_an_erasure_reaches_every_generation_kept(app: Registre, read_store: ReadStore) -> None:
    """An erasure used to reach only the active generation: the names and birth date stayed in
    clear in the generation kept behind it, and in one a rebuild left unfinished."""
    member_id = a_member(app)
    erased = hire(app, member_id, ERASED)
    app.handle(
        a_request(),
        RecordExposure(
            employee_id=erased,
            agent=CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2")),
            started_on=date(2024, 2, 1),
            routes=(ExposureRoute.INHALATION,),
        ),
    )
    staff(app, member_id)
    runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=BATCH)
    runner.setup()
    runner.catch_up()
    for model in READ_MODELS:
        assert runner.rebuild(model.name) == 2
    for name in ("workforce", "audit"):  # a dead partial generation 3, holding the identity
        with pytest.raises(Interrupted):
            runner.rebuild(name, interrupt)
    assert holding_identity(read_store, ERASED) == set(), "sealed in every table"
    held = sealing_identity(read_store, erased)
    for table in ("workforce_g{}_people", "exposures_g{}_versions", "audit_g{}_entries"):
        assert {table.format(1), table.format(2)} <= held
    assert {"workforce_g3_people", "workforce_g3_name_tokens", "audit_g3_entries"} <= held

    app.handle(a_request(), EraseIdentity(employee_id=erased))
    runner.catch_up()

    assert holding_identity(read_store, ERASED) == set()
    assert sealing_identity(read_store, erased) == set(), "wiped too, not only unreadable"
    assert runner.failures() == []
    assert generations(read_store, "workforce") == {1, 2, 3}  # erased in, not dropped
    assert generations(read_store, "exposures") == {1, 2}


def test_a_rebuilt_generation_has_the_indexes_of_one_set_up_empty(
    app: Registre, read_store: ReadStore
) -> None:
    """A rebuild makes its queries' indexes at the end (`ReadModel.index`), not none."""
    staff(app, a_member(app))
    runner = ProjectionRunner(app, read_store, READ_MODELS)
    runner.setup()
    runner.catch_up()
    for model in READ_MODELS:
        runner.rebuild(model.name)
        assert indexes(read_store, model.name, 2) == indexes(read_store, model.name, 1)
    assert {"entries_member", "entries_aggregate"} <= indexes(read_store, "audit", 2)
    assert {"segments_member", "people_member"} <= indexes(read_store, "workforce", 2)


def indexes(store: ReadStore, name: str, generation: int) -> set[str]:
    """The names of the indexes of a generation's tables, without the generation."""
    prefix = f"{name}_g{generation}_"
    if isinstance(store, PostgresReadStore):
        rows = store.read("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    else:
        rows = store.read("SELECT name FROM sqlite_master WHERE type = 'index'")
    return {index.removeprefix(prefix) for (index,) in rows if index.startswith(prefix)}

"""Fuzzing `/graphql` with schemathesis, signed in as a member's Administrator, on SQLite and on
PostgreSQL.

Every query and mutation of the schema, but those that end the session (`SESSION_ENDING`), is
sent with arguments hypothesis-graphql draws from the schema; one `String` argument (or input
field) in four is then given a hostile text instead, sent as a variable in ASCII JSON: control
characters and NUL, lone surrogates, bidirectional overrides, zero-width and other invisible
characters, noncharacters, or 100 000 characters and more (`hostile_texts`). Whatever the
arguments:

- the answer's status is below 500;
- `errors[]` holds only what the documentation promises: `FORBIDDEN`, `UNAUTHENTICATED`, a
  refused argument (`INVALID_CURSOR`, `INVALID_PAGE_SIZE`), a request the HTTP layer refuses
  (`BAD_REQUEST`: a lone surrogate), or an error about the query itself (parsing, validation, a
  literal its scalar refuses), which has no code and no `path` — never `INTERNAL_ERROR`, never
  an error raised while resolving a field without a code;
- the read models apply whatever a mutation recorded: they catch up, and no event is listed
  among those they could not apply (`projection_failures`: a failing event is skipped and
  recorded rather than stopping them all, so a failure must be looked for, not waited for).

On SQLite, each operation is fuzzed in a world of its own, on a store of its own, so that what
one operation's cases do (suspend the membership, remove the Administrator…) cannot blind the
fuzzing of the next one. On PostgreSQL, where a store cannot be copied cheaply, the operations
share one world, with fewer cases each (`PG_CASES`), queries first and the operations that spoil
the world for the others (`WORLD_SPOILING`) last. The arguments whose names say what they are
(`memberId`, `employeeId`, `requestId`, `expectedVersion`…) are given, three times out of four, a
value that means something in that world, so that the authorised paths run, not only the
"unknown id" ones.
"""

import dataclasses
import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count
from pathlib import Path
from string import Template
from typing import Any

import graphql
import pytest
import schemathesis
from argon2 import PasswordHasher, profiles
from hypothesis import HealthCheck, Phase, example, given, note, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from schemathesis.graphql import nodes
from schemathesis.hooks import HookContext, HookDispatcher, HookScope

from api.services import Services
from application import credentials
from contexts import SCHEMA, create_app, open_services
from domain.calendar import SYSTEM_CLOCK
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.graphql_client import (
    DECLARANT_NUMBER,
    HIRE_DATE,
    MEMBER_CODE,
    SIRET,
    a_nir,
    data,
    hire,
    mutate,
    register_member,
)
from tests.api.sessions import (
    STAFF_EMAIL,
    MovableClock,
    create_first_account,
    open_service_account,
    sign_in,
)
from tests.stores import new_postgres_settings

SESSION_ENDING = {
    "logout": "ends the Administrator's session: every later case would be UNAUTHENTICATED",
    "changePassword": "closes every session of the account and hands out another token",
    "resetPassword": "with a real token, changes the password and closes the account's sessions",
}
"""Left out of the fuzzing, and why: each would sign the fuzzer out in the middle of the run,
and the cases after it would only test the absence of a session."""

DOCUMENTED_CODES = frozenset(
    {
        "FORBIDDEN",
        "UNAUTHENTICATED",
        "INVALID_CURSOR",
        "INVALID_PAGE_SIZE",
        "BAD_ARGUMENTS",
        "INVALID_INSTANT",
        "INVALID_DATE",
        "BAD_REQUEST",
        "QUERY_TOO_COSTLY",
    }
)

CATCH_UP_SECONDS = 2.0
"""How long the read models may take to apply a case's events, after the mutation's own wait
(`READ_YOUR_WRITES_TIMEOUT`)."""


# Values ----------------------------------------------------------------------------------------
# The scalars the schema defines are drawn near today as often as at the ends of their range;
# `String`, `Int`… are hypothesis-graphql's own. (Schemathesis keeps custom scalars in one
# registry for the whole process: only this module uses it.)

dates = st.one_of(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.dates(),
    st.sampled_from([date.min, date(1, 1, 2), date(9999, 12, 30), date.max]),
).map(date.isoformat)
decimals = st.one_of(
    st.decimals(min_value=Decimal(0), max_value=Decimal(60), places=2).map(str),
    st.decimals().map(str),
    st.sampled_from(["", "abc", "1e999999", "-0", "NaN", "-Infinity"]),
)
uuids = st.one_of(st.uuids().map(str), st.sampled_from(["", "not-a-uuid"]))
json_leaves = st.one_of(
    st.text().map(nodes.String),
    st.integers(min_value=-(2**31), max_value=2**31 - 1).map(nodes.Int),
    st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    st.booleans().map(nodes.Boolean),
    st.just(nodes.Null),
)


def _json_containers(
    values: st.SearchStrategy[graphql.ValueNode],
) -> st.SearchStrategy[graphql.ValueNode]:
    names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,11}", fullmatch=True)
    fields = st.dictionaries(names, values, max_size=4).map(
        lambda members: [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)
            for name, value in members.items()
        ]
    )
    return st.one_of(st.lists(values, max_size=4).map(nodes.List), fields.map(nodes.Object))


json_values = st.recursive(json_leaves, _json_containers, max_leaves=10)

schemathesis.graphql.scalar("Date", dates.map(nodes.String))
schemathesis.graphql.scalar("Decimal", decimals.map(nodes.String))
schemathesis.graphql.scalar("UUID", uuids.map(nodes.String))
schemathesis.graphql.scalar("JSON", json_values)

GRAPHQL_SCHEMA = graphql.build_schema(str(SCHEMA))
FUZZED = schemathesis.graphql.from_file(str(SCHEMA)).exclude(
    name=[f"Mutation.{name}" for name in SESSION_ENDING]
)
WORLD_SPOILING = {
    "Mutation.suspendMembership",
    "Mutation.terminateMembership",
    "Mutation.removeMemberUser",
    "Mutation.changeMemberUserRoles",
}
"""Fuzzed last on PostgreSQL, where the operations share a world: each may leave the member
closed to changes, or the Administrator without their rights, for every later case."""
OPERATIONS = sorted(
    (result.ok().label for result in FUZZED.get_all_operations()),
    key=lambda label: (label in WORLD_SPOILING, not label.startswith("Query.")),
)

CASES = int(os.environ.get("REGISTRE_FUZZ_CASES", "1200"))
"""Cases in all on SQLite, shared among the operations: that part runs in about a minute on two
cores whatever the schema's size. More for a deeper search: `REGISTRE_FUZZ_CASES=20000 pytest …`."""
PG_CASES = int(os.environ.get("REGISTRE_FUZZ_PG_CASES", "400"))
"""Cases in all on PostgreSQL (`REGISTRE_FUZZ_PG_CASES`), where each costs more."""
MAX_EXAMPLES = {
    "sqlite": max(10, CASES // len(OPERATIONS)),
    "postgres": max(3, PG_CASES // len(OPERATIONS)),
}
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


# The world -------------------------------------------------------------------------------------

FOREIGN_CODE = "00099"
ADMIN_EMAIL = "claire.durand@martin-sas.fr"
USER_EMAIL = "luc.petit@martin-sas.fr"
MEMBER_USERS = "query Users($m: UUID!) { memberUsers(memberId: $m) { accountId } }"
FAILURE_TYPES = {
    "ValidationError",
    "NotFoundError",
    "ConflictError",
    "RuleViolationError",
    "ForbiddenError",
}


@dataclass(frozen=True)
class Ids:
    """What the fuzzing knows of the world."""

    token: str
    """The Administrator's session."""
    members: list[str]
    """The Administrator's member, then another one, out of their scope."""
    employees: list[str]
    """The member's two employees, then the other member's."""
    accounts: list[str]
    """The member's users: the Administrator and an accountant."""


@dataclass(frozen=True)
class World:
    client: TestClient
    services: Services
    ids: Ids


def _sqlite(folder: Path) -> StoreSettings:
    """As `tests.stores.sqlite_store`, in a given folder."""
    return StoreSettings(url=f"sqlite:///{folder / 'registre.sqlite3'}", data_dir=folder)


def _open(settings: StoreSettings, outbox: OutboxMailer) -> Services:
    return open_services(settings, run_projections=True, mailer=outbox, clock=MovableClock())


def _build(client: TestClient, services: Services, outbox: OutboxMailer) -> Ids:
    """A member with two employees, two users, a branch, a contact, a determinant and an
    exposure; another member, with an employee, out of the Administrator's scope; the first
    member's Administrator, signed in."""
    with pytest.MonkeyPatch.context() as patch:
        # As `tests.stores.cheap_secret_hashing` (a test's fixture, not there for a module's):
        # the world's hashes are verified by every case that signs in.
        patch.setattr(credentials, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        open_service_account(services, STAFF_EMAIL)
        sign_in(client, outbox, STAFF_EMAIL)
        foreign = register_member(client, FOREIGN_CODE)
        foreign_employee = hire(client, foreign, "Paul")["aggregateId"]
        member = register_member(client, MEMBER_CODE)
        employees = [hire(client, member, name)["aggregateId"] for name in ("Marie", "Jean")]
        created = create_first_account(client, MEMBER_CODE, ADMIN_EMAIL)
        assert created["__typename"] == "FirstAccountCreated", created
        token = sign_in(client, outbox, ADMIN_EMAIL)
        _furnish(client, member, employees[0])
        users = data(client, MEMBER_USERS, {"m": member})["memberUsers"]
    return Ids(
        token,
        members=[member, foreign],
        employees=[*employees, foreign_employee],
        accounts=[user["accountId"] for user in users],
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    """A SQLite store, made once, that every operation's world copies."""
    folder = tmp_path_factory.mktemp("fuzz")
    outbox = OutboxMailer(tmp_path_factory.mktemp("outbox"))
    services = _open(_sqlite(folder), outbox)
    try:
        with TestClient(create_app(services)) as client:
            ids = _build(client, services, outbox)
    finally:
        services.close()
    return folder, ids


@pytest.fixture(scope="module")
def postgres_world(
    postgres_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One PostgreSQL world for every operation (a schema of this run: dropped at its end)."""
    settings = new_postgres_settings(postgres_server, tmp_path_factory.mktemp("fuzz-pg"))
    outbox = OutboxMailer(tmp_path_factory.mktemp("outbox-pg"))
    services = _open(settings, outbox)
    try:
        with TestClient(create_app(services)) as client:
            yield World(client, services, _build(client, services, outbox))
    finally:
        services.close()


@pytest.fixture
def world(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """On SQLite, a copy of the template's store, and an application over it, for one operation:
    what one operation's cases do (suspend the membership, remove the Administrator…) cannot
    blind the fuzzing of the next one. On PostgreSQL, the world all the operations share."""
    if store_kind == "postgres":
        yield request.getfixturevalue("postgres_world")
        return
    original, ids = request.getfixturevalue("template")
    folder = tmp_path / "store"
    shutil.copytree(original, folder)
    services = _open(_sqlite(folder), OutboxMailer(tmp_path / "outbox"))
    try:
        with TestClient(create_app(services)) as client:
            yield World(client, services, ids)
    finally:
        services.close()


def _furnish(client: TestClient, member: str, employee: str) -> None:
    """What the Administrator records before the fuzzing: a user, a branch (number 2), a contact,
    a determinant and an exposure (number 1 each)."""
    person = {"email": USER_EMAIL, "lastName": "Petit", "firstName": "Luc", "function": "Comptable"}
    user = {"memberId": member, "person": person, "roles": ["BILLING"]}
    _record(client, "addMemberUser", "AddMemberUserInput", user)
    address = {"lines": ["3 rue de la Paix"], "postalCode": "75002", "city": "Paris"}
    branch = {"memberId": member, "name": "Atelier", "address": address}
    _record(client, "openBranch", "OpenBranchInput", branch)
    eva = {"lastName": "Roux", "firstName": "Eva", "email": "eva.roux@martin-sas.fr"}
    _record(client, "addContact", "AddContactInput", {"memberId": member, "contact": eva})
    since = HIRE_DATE.isoformat()
    determinant = {"employeeId": employee, "determinant": "HYPERBARIC", "startedOn": since}
    _record(client, "declareDeterminant", "DeclareDeterminantInput", determinant)
    agent = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}
    exposure = {"employeeId": employee, "agent": agent, "startedOn": since}
    _record(client, "recordExposure", "RecordExposureInput", exposure)


def _record(client: TestClient, name: str, input_type: str, fields: dict[str, Any]) -> None:
    reply = mutate(client, name, input_type, fields)
    assert reply["__typename"] not in FAILURE_TYPES, (name, reply)


# Meaningful values -----------------------------------------------------------------------------
# Drawn at random, an argument seldom names anything: the cases would stop at "unknown member",
# "request id missing" or "version conflict", and the authorised paths would never run. So,
# after hypothesis-graphql has drawn a query, every argument (or input field) whose name says
# what it is — `memberId`, `requestId`, `expectedVersion`… — is given, three times out of four,
# a value that means something in the world being fuzzed.

REQUEST_IDS = count(1)
THIS_YEAR = SYSTEM_CLOCK.today().year


def meaningful_values(world: World) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    def strings(*values: str) -> st.SearchStrategy[graphql.ValueNode]:
        return st.sampled_from(values).map(nodes.String)

    known = world.ids
    ids = [*known.members, *known.employees, *known.accounts]
    return {
        "requestId": st.builds(lambda: f"fuzz-{next(REQUEST_IDS)}").map(nodes.String),
        "expectedVersion": st.just(nodes.Null),
        "expectedRevision": st.just(nodes.Null),
        "year": st.integers(min_value=THIS_YEAR - 1, max_value=THIS_YEAR + 1).map(nodes.Int),
        "memberId": strings(*known.members),
        "employeeId": strings(*known.employees),
        "accountId": strings(*known.accounts),
        "id": strings(*ids),
        "aggregateId": strings(*ids),
        "memberCode": strings(MEMBER_CODE, FOREIGN_CODE),
        "code": strings(MEMBER_CODE, FOREIGN_CODE),
        "declarantNumber": strings(DECLARANT_NUMBER),
        "email": strings(ADMIN_EMAIL, USER_EMAIL, "nouvel.utilisateur@martin-sas.fr"),
        "emailConfirmation": strings(ADMIN_EMAIL, USER_EMAIL),
        "siret": strings(SIRET),
        "vatNumber": strings("FR40303265045"),
        "iban": strings("FR7630006000011234567890189"),
        "bic": strings("AGRIFRPP"),
        "nir": strings(a_nir("F", date(1990, 5, 12)), a_nir("M", date(2011, 2, 3))),
        "postalCode": strings("75002"),
        "phone": strings("0612345678"),
        "mobile": strings("0612345678"),
        "casNumber": strings("71-43-2"),
        "first": st.integers(min_value=1, max_value=100).map(nodes.Int),
        **dict.fromkeys(
            ["number", "contactId", "determinantId", "exposureId"],
            st.integers(min_value=1, max_value=2).map(nodes.Int),
        ),
    }


class _Sites(graphql.Visitor):
    """Collects the names of the arguments and input fields that have a meaningful value, or
    replaces their values with the picked ones (None: the drawn value stays), in visit order."""

    def __init__(self, names: Iterable[str], picked: Iterator[graphql.ValueNode | None]):
        super().__init__()
        self.names, self.picked, self.found = frozenset(names), picked, list[str]()

    def _site(self, node: Any) -> Any:
        if node.name.value not in self.names:
            return None
        self.found.append(node.name.value)
        value = next(self.picked, None)
        return None if value is None else type(node)(name=node.name, value=value)

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> Any:
        return self._site(node)

    def enter_object_field(self, node: graphql.ObjectFieldNode, *_: Any) -> Any:
        return self._site(node)


def _mostly(value: st.SearchStrategy[graphql.ValueNode]) -> st.SearchStrategy[Any]:
    """The meaningful value three times out of four, else None (the drawn value stays)."""
    return st.integers(min_value=0, max_value=3).flatmap(lambda i: st.none() if i == 3 else value)


def with_meaningful_values(world: World) -> HookDispatcher:
    """A schemathesis `flatmap_body` hook (on the query's AST) that puts meaningful values in."""
    values = meaningful_values(world)

    def flatmap_body(context: HookContext, body: Any) -> st.SearchStrategy[graphql.DocumentNode]:
        sites = _Sites(values, iter(()))
        graphql.visit(body, sites)
        picks = st.tuples(*(_mostly(values[name]) for name in sites.found))
        return picks.map(lambda picked: graphql.visit(body, _Sites(values, iter(picked))))

    hooks = HookDispatcher(scope=HookScope.TEST)
    hooks.register_hook_with_name(flatmap_body, "flatmap_body")
    return hooks


# Hostile texts ---------------------------------------------------------------------------------
# After the meaningful values, one `String` argument or input field in four is given a hostile
# text. It goes as a variable, in JSON escaped to ASCII: only so can a lone surrogate come in (a
# GraphQL literal cannot hold one), as it would from a client.

HOSTILE_CHARACTERS = [
    *["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"],  # controls
    *["\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u061c"],  # bidirectional
    *["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\U000e0041"],  # invisible
    *["\ufffe", "\uffff", "\ufdd0", "\U0010ffff"],  # noncharacters
]
HUGE = 100_000


def _around(characters: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Some text, a character drawn, some more text."""
    return st.tuples(st.text(max_size=8), characters, st.text(max_size=8)).map("".join)


hostile_texts = st.one_of(
    _around(st.sampled_from(HOSTILE_CHARACTERS)),
    _around(st.sampled_from(HOSTILE_CHARACTERS)),
    st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=8),
    st.sampled_from(["x" * HUGE, "Soudage\u00a0" * (HUGE // 8), "\u202e" * HUGE]),
    # Refused by the HTTP layer, whatever the rest of the request: one time in five only.
    _around(st.characters(categories=["Cs"])),
)
TEXT_TYPES = frozenset({"String", "ID"})


class _TextSites(graphql.Visitor):
    """Replaces, in visit order, the `String` values picked (None: the value stays) with
    variables, and keeps the variables' types and values."""

    def __init__(self, type_info: graphql.TypeInfo, picked: Iterator[str | None]):
        super().__init__()
        self.type_info, self.picked = type_info, picked
        self.found = 0
        self.variables: dict[str, tuple[str, str]] = {}

    def enter_string_value(self, node: graphql.StringValueNode, *_: Any) -> Any:
        place = self.type_info.get_input_type()
        if place is None or graphql.get_named_type(place).name not in TEXT_TYPES:
            return None
        self.found += 1
        value = next(self.picked, None)
        if value is None:
            return None
        name = f"hostile{len(self.variables)}"
        self.variables[name] = (str(place), value)
        return graphql.VariableNode(name=graphql.NameNode(value=name))


def _visit_texts(
    document: graphql.DocumentNode, picked: Iterator[str | None]
) -> tuple[graphql.DocumentNode, _TextSites]:
    type_info = graphql.TypeInfo(GRAPHQL_SCHEMA)
    sites = _TextSites(type_info, picked)
    visited = graphql.visit(document, graphql.TypeInfoVisitor(type_info, sites))
    return visited, sites


def with_hostile_texts(case: Any) -> st.SearchStrategy[tuple[Any, str, dict[str, str]]]:
    """The case, its query with some of its texts made variables holding hostile texts, and the
    variables."""
    document = graphql.parse(case.body)
    _, sites = _visit_texts(document, iter(()))
    picks = st.lists(_mostly_not(hostile_texts), min_size=sites.found, max_size=sites.found)
    return picks.map(lambda picked: (case, *_hostile_query(document, picked)))


def _hostile_query(
    document: graphql.DocumentNode, picked: list[str | None]
) -> tuple[str, dict[str, str]]:
    visited, sites = _visit_texts(document, iter(picked))
    if not sites.variables:
        return graphql.print_ast(document), {}
    definitions = tuple(
        graphql.VariableDefinitionNode(
            variable=graphql.VariableNode(name=graphql.NameNode(value=name)),
            type=graphql.parse_type(type_name),
        )
        for name, (type_name, _) in sites.variables.items()
    )
    operation, *rest = visited.definitions
    assert isinstance(operation, graphql.OperationDefinitionNode)
    variables = (*(operation.variable_definitions or ()), *definitions)
    operation = dataclasses.replace(operation, variable_definitions=variables)
    printed = graphql.print_ast(graphql.DocumentNode(definitions=(operation, *rest)))
    return printed, {name: value for name, (_, value) in sites.variables.items()}


def _mostly_not(value: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    """The value one time in four, else None."""
    return st.integers(min_value=0, max_value=3).flatmap(lambda i: value if i == 0 else st.none())


def shortened(variables: dict[str, str]) -> dict[str, str]:
    """The variables as a note shows them: long values cut."""
    return {
        name: value if len(value) < 80 else f"{value[:20]!r}… ({len(value)})"
        for name, value in variables.items()
    }


# Seeds -----------------------------------------------------------------------------------------
# Cases the fuzzing (or the probing of what it found) has failed on, run first, every time, as
# explicit examples: `$member`, `$employee` and `$request` stand for the world's member, its
# first employee and a fresh request id.

NO_END = "9999-12-31"
CDD_TO_NO_END = f'{{jobTitle: "Soudeuse", contractType: CDD, plannedEnd: "{NO_END}"}}'
SEEDS = {
    "Query.employees": [
        f'{{ employees(memberId: "$member", knownAt: "{NO_END}") {{ edges {{ cursor }} }} }}'
    ],
    "Query.auditTrail": [
        f'{{ auditTrail(memberId: "$member", to: "{NO_END}") {{ edges {{ cursor }} }} }}'
    ],
    "Mutation.closeContract": [
        f'mutation {{ closeContract(input: {{requestId: "$request", employeeId: "$employee",'
        f' lastDay: "{NO_END}", reason: RESIGNATION}}) {{ __typename }} }}'
    ],
    "Mutation.hireEmployee": [
        'mutation { hireEmployee(input: {requestId: "$request", memberId: "$member",'
        ' identity: {birthName: "Martin", firstName: "Zoé", birthDate: "1990-05-12", sex: F},'
        f' hireDate: "2024-01-15", terms: {CDD_TO_NO_END}}}) {{ __typename }} }}',
        # NUL in a name once broke every later batch of the read models on PostgreSQL.
        'mutation { hireEmployee(input: {requestId: "$request", memberId: "$member", identity:'
        ' {birthName: "Poi\\u0000son", firstName: "Zo\u202eé", birthDate: "1990-05-12", sex: F},'
        ' hireDate: "2024-01-15", terms: {jobTitle: "Soudeuse", contractType: CDI}}) {'
        " __typename } }",
    ],
    "Mutation.amendContract": [
        'mutation { amendContract(input: {requestId: "$request", employeeId: "$employee",'
        f' effectiveOn: "2025-01-01", terms: {CDD_TO_NO_END}}}) {{ __typename }} }}'
    ],
    "Mutation.correctContract": [
        'mutation { correctContract(input: {requestId: "$request", employeeId: "$employee",'
        f' hireDate: "2024-01-15", terms: {CDD_TO_NO_END}}}) {{ __typename }} }}'
    ],
    "Mutation.endExposure": [
        'mutation { endExposure(input: {requestId: "$request", employeeId: "$employee",'
        f' exposureId: 1, lastDay: "{NO_END}"}}) {{ __typename }} }}'
    ],
    "Mutation.withdrawDeterminant": [
        'mutation { withdrawDeterminant(input: {requestId: "$request", employeeId: "$employee",'
        f' determinantId: 1, lastDay: "{NO_END}"}}) {{ __typename }} }}'
    ],
    "Mutation.recordExposure": [
        'mutation { recordExposure(input: {requestId: "$request", employeeId: "$employee",'
        ' agent: {kind: PROCESS, name: "Soudage"}, startedOn: "2024-06-11",'
        ' hoursPerWeek: "NaN"}) { __typename } }',
        'mutation { recordExposure(input: {requestId: "$request", employeeId: "$employee",'
        ' agent: {kind: SUBSTANCE, name: "Plomb", casNumber: "7439-92-1"},'
        f' startedOn: "2024-06-11", endedOn: "{NO_END}"}}) {{ __typename }} }}',
        'mutation { recordExposure(input: {requestId: "$request", employeeId: "$employee",'
        f' agent: {{kind: PROCESS, name: "{"Soudage " * (HUGE // 8)}"}},'
        ' startedOn: "2024-06-11"}) { __typename } }',
    ],
}


def seeds(label: str, world: World, headers: dict[str, str]) -> list[Any]:
    root, name = label.split(".")
    ids = world.ids
    return [
        FUZZED[root][name].Case(
            body=Template(query).substitute(
                member=ids.members[0],
                employee=ids.employees[0],
                request=f"fuzz-seed-{next(REQUEST_IDS)}",
            ),
            headers=headers,
        )
        for query in SEEDS.get(label, [])
    ]


# Checks ----------------------------------------------------------------------------------------


def undocumented_errors(body: Any) -> list[Any]:
    """The entries of `errors[]` the documentation does not promise."""
    wrong = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            if "path" in error:  # raised while resolving a field, with no code: not the query's
                wrong.append(error)
        elif code not in DOCUMENTED_CODES:
            wrong.append(error)
    return wrong


def server_log(caplog: pytest.LogCaptureFixture) -> str:
    """The errors the server logged during the case, with their tracebacks."""
    handler = caplog.handler
    return "\n".join(handler.format(r) for r in caplog.records if r.levelno >= logging.WARNING)


@dataclass
class Tally:
    cases: int = 0
    answered: int = 0
    """Cases answered without any error."""
    refused: dict[str, int] = field(default_factory=dict)
    """Errors by code ("query": parsing or validation)."""
    recorded: int = 0
    """Events the cases recorded (mutations that went through)."""


@pytest.mark.parametrize("label", OPERATIONS)
@pytest.mark.parametrize("store_kind", STORES)
def test_every_generated_case_is_answered_as_documented(
    store_kind: str, label: str, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    root, name = label.split(".")
    signed_in = {"Authorization": f"Bearer {world.ids.token}"}
    hooks = with_meaningful_values(world)
    cases = FUZZED[root][name].as_strategy(hooks=hooks, headers=signed_in)
    runner, recorder = world.services.runner, world.services.app.recorder
    tally = Tally()
    start = recorder.max_notification_id() or 0

    # No shrinking: a case that breaks the store (read models stopped) makes every later case
    # fail too, and the shrunk example would not be the one that broke it.
    @settings(
        max_examples=MAX_EXAMPLES[store_kind],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )
    @given(sent=cases.flatmap(with_hostile_texts))
    def answered_as_documented(sent: tuple[Any, str, dict[str, str]]) -> None:
        caplog.clear()
        case, query, variables = sent
        note(f"{label}:\n{query}\n{shortened(variables)}")
        # An exception the application lets through is raised here by the test client.
        headers = dict(case.headers or {}) | {"content-type": "application/json"}
        sent = json.dumps({"query": query, "variables": variables}).encode()
        response = world.client.post("/graphql", content=sent, headers=headers)
        assert response.status_code < 500, f"{response.text}\n{server_log(caplog)}"
        body = response.json()
        wrong = undocumented_errors(body)
        assert not wrong, f"undocumented errors: {wrong}\nserver log:\n{server_log(caplog)}"
        head = recorder.max_notification_id() or 0
        caught_up = runner.wait_for(head, timeout=CATCH_UP_SECONDS)
        assert caught_up, f"read models stopped: {runner.status()}\n{server_log(caplog)}"
        failures = runner.failures()
        assert not failures, f"events not applied: {failures}\n{server_log(caplog)}"
        tally.cases += 1
        errors = body.get("errors") or []
        tally.answered += not errors
        for error in errors:
            code = (error.get("extensions") or {}).get("code", "query")
            tally.refused[code] = tally.refused.get(code, 0) + 1

    for seed in seeds(label, world, signed_in):
        answered_as_documented = example(sent=(seed, seed.body, {}))(answered_as_documented)
    with caplog.at_level(logging.WARNING):
        answered_as_documented()
    tally.recorded = (recorder.max_notification_id() or 0) - start
    print(f"{label}: {tally}")
    me = world.client.post("/graphql", json={"query": "{ me { email } }"}, headers=signed_in)
    assert me.json()["data"]["me"] == {"email": ADMIN_EMAIL}, "the fuzzing ended the session"


def test_only_the_session_ending_operations_are_left_out() -> None:
    every_operation = schemathesis.graphql.from_file(str(SCHEMA))
    labels = {result.ok().label for result in every_operation.get_all_operations()}
    assert labels - set(OPERATIONS) == {f"Mutation.{name}" for name in SESSION_ENDING}

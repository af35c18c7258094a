"""Operations built from the schema itself: for any root field, a complete document and its
variables, so that suites over "every operation" cover new fields without being edited.

`build_operation("hireEmployee", ids)` gives a mutation whose required arguments are all
variables, filled recursively (input objects, lists) with plausible values; UUIDs are chosen by
name from `ids` (a member, an employee, an account), and the selection set asks for
`__typename` and every leaf of the answer down to `max_depth` nested selection sets (an inline
fragment per member of a union). Fields that need arguments are left out of selections.

`run` sends an operation; `module_api` opens an API over a store of its own for a module's
tests (a world built once, every operation run against it).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from uuid import uuid4

import pytest
from argon2 import PasswordHasher, profiles
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
    is_required_input_field,
)
from litestar.testing import TestClient

from api.services import Services
from application import credentials
from contexts import SCHEMA, create_app, open_services
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.sessions import MovableClock
from tests.stores import new_postgres_settings

Kind = Literal["query", "mutation"]
DEFAULT_DEPTH = 3

EXTRA_INPUT_FIELDS: dict[str, frozenset[str]] = {
    "ContactInput": frozenset({"email"}),
    "CmrAgentInput": frozenset({"casNumber"}),
    "AddressInput": frozenset({"latitude", "longitude"}),
}
"""Optional input fields filled anyway, because the input is refused without them (a contact
needs a phone or an e-mail, a substance its CAS number, a worksite its coordinates): an
operation stopped by validation would tell little about who may touch what."""


@dataclass(frozen=True, slots=True)
class Ids:
    """The records an operation is aimed at."""

    member: str
    employee: str
    account: str
    member_code: str | None = None
    """Given: `memberCode` (and `code` of `memberByCode`) name this member."""


@dataclass(frozen=True, slots=True)
class Operation:
    kind: Kind
    field: str
    document: str
    variables: dict[str, Any]

    @property
    def payload(self) -> dict[str, Any]:
        return {"query": self.document, "variables": self.variables}


def graphql_schema() -> GraphQLSchema:
    return SCHEMA._schema


def root_fields() -> dict[str, Kind]:
    """Every root field of the schema, query or mutation, in the schema's order."""
    found: dict[str, Kind] = {}
    gql = graphql_schema()
    for kind, root in (("query", gql.query_type), ("mutation", gql.mutation_type)):
        if root is None:
            continue
        for name in root.fields:
            assert name not in found, f"{name} is both a query and a mutation"
            found[name] = kind  # type: ignore[assignment]
    return found


def build_operation(
    name: str, ids: Ids, *, optional_ids: bool = False, max_depth: int = DEFAULT_DEPTH
) -> Operation:
    """The document and variables of root field `name`.

    `optional_ids`: also pass the optional UUID arguments and input fields (filters such as
    `auditTrail(memberId, aggregateId)`), so that every id the operation accepts is `ids`'.
    """
    kind = root_fields()[name]
    gql = graphql_schema()
    root = gql.query_type if kind == "query" else gql.mutation_type
    assert root is not None
    field = root.fields[name]
    walker = _Walker(ids, optional_ids=optional_ids)
    declarations, arguments, variables = [], [], {}
    for arg_name, argument in field.args.items():
        if not walker.wanted_argument(arg_name, argument):
            continue
        declarations.append(f"${arg_name}: {argument.type}")
        arguments.append(f"{arg_name}: ${arg_name}")
        variables[arg_name] = walker.value(argument.type, arg_name, name)
    header = f"({', '.join(declarations)})" if declarations else ""
    call = f"{name}({', '.join(arguments)})" if arguments else name
    selection = _selection(field.type, 1, max_depth)
    operation_name = name[0].upper() + name[1:]
    document = f"{kind} {operation_name}{header} {{ {call}{selection} }}"
    return Operation(kind, name, document, variables)


# Values -----------------------------------------------------------------------------------


_DATE = "2024-01-15"
_DATES = {"birthDate": "1990-05-12", "lastDay": "2024-12-31"}
_FLOATS = {"latitude": 47.3220, "longitude": 5.0415}
_STRINGS: dict[str, str] = {
    "email": "a@b.fr",
    "emailconfirmation": "a@b.fr",
    "code": "12345678",
    "membercode": "00099",
    # Never the declarant number the tests register members with (DECLARANT_NUMBER): with a
    # member's code, the right pair would attach that member to the caller, as it should.
    "declarantnumber": "87654321",
    "password": "Mot-de-passe-solide-2024!",
    "currentpassword": "Mot-de-passe-solide-2024!",
    "newpassword": "Un-autre-mot-de-passe-2024!",
    "token": "00000000-0000-0000-0000-000000000000.jeton",
    "postalcode": "21000",
    "city": "Dijon",
    "country": "FR",
    "lines": "53 avenue Françoise Giroud",
    "iban": "FR7630006000011234567890189",
    "reference": "RUM-0001",
    "debtorname": "Dupont SARL",
    "legalname": "Dupont SARL",
    "lastname": "Durand",
    "birthname": "Durand",
    "usagename": "Durand",
    "firstname": "Claire",
    "function": "Gérante",
    "jobtitle": "Soudeuse",
    "name": "Atelier",
    "phone": "0380778530",
    "mobile": "0612345678",
    "siret": "73282932000074",
    "casnumber": "71-43-2",
    "actor": "personne",
}


class _Walker:
    def __init__(self, ids: Ids, *, optional_ids: bool):
        self.ids = ids
        self.optional_ids = optional_ids

    def wanted_argument(self, name: str, argument: GraphQLArgument) -> bool:
        return is_required_argument(argument) or (self.optional_ids and _is_uuid(argument.type))

    def wanted_input_field(self, owner: str, name: str, field: GraphQLInputField) -> bool:
        required = is_required_input_field(field)
        extra = name in EXTRA_INPUT_FIELDS.get(owner, frozenset())
        return required or extra or (self.optional_ids and _is_uuid(field.type))

    def value(self, type_: Any, name: str, parent: str) -> Any:
        if isinstance(type_, GraphQLNonNull):
            return self.value(type_.of_type, name, parent)
        if isinstance(type_, GraphQLList):
            return [self.value(type_.of_type, name, parent)]
        if isinstance(type_, GraphQLInputObjectType):
            return {
                field_name: self.value(field.type, field_name, type_.name)
                for field_name, field in type_.fields.items()
                if self.wanted_input_field(type_.name, field_name, field)
            }
        if isinstance(type_, GraphQLEnumType):
            return next(iter(type_.values))
        assert isinstance(type_, GraphQLScalarType), type_
        return self.scalar(type_.name, name, parent)

    def scalar(self, scalar: str, name: str, parent: str) -> Any:  # noqa: PLR0911
        match scalar:
            case "UUID":
                return self.uuid(name, parent)
            case "String" | "ID":
                return self.string(name, parent)
            case "Int":
                return 1
            case "Float":
                return _FLOATS.get(name, 1.0)
            case "Boolean":
                return False
            case "Date":
                return _DATES.get(name, _DATE)
            case "DateTime":
                return f"{_DATE}T09:00:00+00:00"
            case "Time":
                return "09:00:00"
            case "Decimal":
                return "1"
            case "JSON":
                return {}
        raise AssertionError(f"no plausible value for scalar {scalar} ({parent}.{name})")

    def uuid(self, name: str, parent: str) -> str:
        lowered, owner = name.lower(), parent.lower()
        if lowered in {"aggregateid", "employeeid"} or (lowered == "id" and "employee" in owner):
            return self.ids.employee
        if "account" in lowered:
            return self.ids.account
        if "employee" in lowered:
            return self.ids.employee
        return self.ids.member

    def string(self, name: str, parent: str) -> str:
        lowered = name.lower()
        if lowered == "requestid":
            return str(uuid4())
        if self.ids.member_code is not None and (
            lowered == "membercode" or (lowered == "code" and parent == "memberByCode")
        ):
            return self.ids.member_code
        if lowered == "code" and parent == "memberByCode":
            return _STRINGS["membercode"]
        return _STRINGS.get(lowered, "Saisie de test")


def _is_uuid(type_: Any) -> bool:
    named = get_named_type(type_)
    return isinstance(named, GraphQLScalarType) and named.name == "UUID"


# Selections -------------------------------------------------------------------------------


def _selection(type_: Any, depth: int, max_depth: int) -> str:
    """` { __typename leaves… objects { … } }` for an object, union or interface; "" for a
    leaf."""
    named: GraphQLNamedType = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType):
        fragments = [
            f"... on {member.name}{_selection(member, depth, max_depth)}" for member in named.types
        ]
        return " { __typename " + " ".join(fragments) + " }"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType), named
    parts = ["__typename"]
    for field_name, field in named.fields.items():
        if _needs_arguments(field):
            continue
        if is_leaf_type(get_named_type(field.type)):
            parts.append(field_name)
        elif depth < max_depth:
            parts.append(field_name + _selection(field.type, depth + 1, max_depth))
    return " { " + " ".join(parts) + " }"


def _needs_arguments(field: GraphQLField) -> bool:
    return any(is_required_argument(argument) for argument in field.args.values())


# Running ---------------------------------------------------------------------------------


def run(client: TestClient, operation: Operation) -> Any:
    """The response body of `operation` (`data`, and `errors` when there are some)."""
    response = client.post("/graphql", json=operation.payload)
    assert response.status_code == 200, response.text
    return response.json()


@dataclass
class ModuleApi:
    """An API over a store of its own, shared by the tests of a module (building a world of
    members, employees and accounts once, not once per operation)."""

    services: Services
    client: TestClient
    outbox: OutboxMailer
    clock: MovableClock


STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Params of a module-scoped fixture that calls `module_api`: both stores, as `store` does."""


@contextmanager
def module_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleApi]:
    """`request.param`'s store ("sqlite" or "postgres"), empty, with the services, clock and
    outbox of `tests/api/conftest.py`; secrets hashed cheaply for the whole module."""
    data_dir = tmp_path_factory.mktemp("api")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(credentials, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        if request.param == "sqlite":
            settings = StoreSettings(
                url=f"sqlite:///{data_dir / 'registre.sqlite3'}", data_dir=data_dir
            )
        else:
            server = request.getfixturevalue("postgres_server")
            settings = new_postgres_settings(server, data_dir)
        clock, outbox = MovableClock(), OutboxMailer(data_dir / "outbox")
        services = open_services(settings, run_projections=True, mailer=outbox, clock=clock)
        try:
            with TestClient(create_app(services)) as client:
                yield ModuleApi(services, client, outbox, clock)
        finally:
            services.close()

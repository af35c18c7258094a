"""One member's administrator aims every operation of the schema at another member's records.

Members A and B are registered by the service; B has employees (one with a CMR exposure and a
follow-up determinant), a first account (its administrator) and another user. A's
administrator then runs every query and every mutation, built from the schema
(`tests.api.schema_walk`), with B's ids — member, employee, account, member code — in every
argument and input field that takes one. For each operation:

(a) nothing of B's is in the answer (ids, legal name, employees' names, users' e-mails);
(b) nothing of B's changed (the versions of B's member, employees and accounts);
(c) the answer is the one given for ids that name nothing: B's records are not even shown to
    exist.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
from graphql import build_schema

from contexts.export_schema import SDL_PATH
from tests.account_ids import account_id
from tests.api.graphql_client import (
    DECLARANT_NUMBER,
    data,
    hire,
    mutate,
    register_member,
    request_id,
)
from tests.api.schema_walk import (
    STORES,
    Ids,
    ModuleApi,
    build_operation,
    graphql_schema,
    module_api,
    root_fields,
    run,
)
from tests.api.sessions import STAFF_EMAIL, create_first_account, open_service_account, sign_in

EXCLUDED = {
    # Both end the session of A's administrator (logout revokes its token; changePassword closes
    # every session of the account and hands out a new token): every operation run after them
    # would be answered UNAUTHENTICATED, whatever its ids, and prove nothing. Neither takes an id
    # of a member's records.
    "logout",
    "changePassword",
}
OPERATIONS = [name for name in root_fields() if name not in EXCLUDED]

THROTTLED = frozenset(
    {
        "requestLoginCode",
        "loginWithCode",
        "loginWithPassword",
        "requestPasswordReset",
        "resetPassword",
        "createFirstAccount",
        "attachMember",
    }
)
"""Operations whose failures count towards the sign-in throttles (per address, e-mail, member
code): the clock moves past the throttles' memory before each, so that the run before cannot
change the answer of the one after."""

A_CODE, B_CODE = "00010", "00020"
B_LEGAL_NAME = "Bertin Industries"
B_ADMIN, B_USER = "direction@bertin.fr", "paie@bertin.fr"
A_ADMIN = "direction@martin.fr"
B_EMPLOYEES = (("Bertrande", "Bouvier"), ("Basile", "Barreau"))
BENZENE = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}

REGISTER_B = """
mutation($input: RegisterMemberInput!) {
  registerMember(input: $input) { __typename ... on RegisterMemberSuccess { aggregateId } }
}"""


@dataclass
class World:
    api: ModuleApi
    a_member: str
    a_employee: str
    b: Ids
    b_aggregates: list[str]
    b_texts: list[str]
    """What of B's must never be in an answer to A's administrator."""


@pytest.fixture(scope="module", params=STORES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with module_api(request, tmp_path_factory) as api:
        client = api.client
        open_service_account(api.services, STAFF_EMAIL)
        sign_in(client, api.outbox, STAFF_EMAIL)

        a_member = register_member(client, A_CODE)
        a_employee = hire(client, a_member, "Marie", birth_name="Martin")["aggregateId"]
        registered = data(
            client,
            REGISTER_B,
            {
                "input": {
                    "requestId": request_id(),
                    "memberCode": B_CODE,
                    "declarantNumber": DECLARANT_NUMBER,
                    "legalName": B_LEGAL_NAME,
                }
            },
        )["registerMember"]
        b_member = registered["aggregateId"]
        b_employees = [
            hire(client, b_member, first, birth_name=last)["aggregateId"]
            for first, last in B_EMPLOYEES
        ]
        exposed = b_employees[0]
        recorded = mutate(
            client,
            "recordExposure",
            "RecordExposureInput",
            {"employeeId": exposed, "agent": BENZENE, "startedOn": "2024-03-01"},
        )
        declared = mutate(
            client,
            "declareDeterminant",
            "DeclareDeterminantInput",
            {"employeeId": exposed, "determinant": "NIGHT_WORK", "startedOn": "2024-03-01"},
        )
        b_admin = create_first_account(client, B_CODE, B_ADMIN)
        added = mutate(
            client,
            "addMemberUser",
            "AddMemberUserInput",
            {
                "memberId": b_member,
                "person": {
                    "email": B_USER,
                    "lastName": "Brunet",
                    "firstName": "Berthe",
                    "function": "Comptable",
                },
                "roles": ["BILLING"],
            },
        )
        assert (recorded["__typename"], declared["__typename"], added["__typename"]) == (
            "RecordExposureSuccess",
            "DeclareDeterminantSuccess",
            "MemberUsersChanged",
        )
        assert b_admin["__typename"] == "FirstAccountCreated", b_admin
        b_accounts = [b_admin["accountId"], str(account_id(api.services.app, B_USER))]

        a_admin = create_first_account(client, A_CODE, A_ADMIN)
        assert a_admin["__typename"] == "FirstAccountCreated", a_admin
        sign_in(client, api.outbox, A_ADMIN)

        yield World(
            api=api,
            a_member=a_member,
            a_employee=a_employee,
            b=Ids(member=b_member, employee=exposed, account=b_accounts[0], member_code=B_CODE),
            b_aggregates=[b_member, *b_employees, *b_accounts],
            b_texts=[
                b_member,
                *b_employees,
                *b_accounts,
                "Bertin",
                "bertin.fr",
                "Brunet",
                "Berthe",
                *(name for person in B_EMPLOYEES for name in person),
            ],
        )


def nothing_ids() -> Ids:
    """Ids (and a member code) that name no record."""
    return Ids(
        member=str(uuid4()),
        employee=str(uuid4()),
        account=str(uuid4()),
        member_code=f"9{uuid4().int % 10**7:07d}",
    )


def versions(world: World) -> dict[str, int]:
    repository = world.api.services.app.repository
    return {aggregate: repository.get(UUID(aggregate)).version for aggregate in world.b_aggregates}


KEPT = frozenset({"__typename", "code", "message", "field", "total", "count"})


def normalised(body: Any) -> tuple[list[Any], Any]:
    """What must be equal between two answers to the same operation: its errors (path, code,
    message), and its data's shape — keys, list lengths, the kind of each value, and the
    values that say what happened (`__typename`, `code`, `message`, `field`). Versions, dates
    and ids of A's own records may differ from one run to the next."""
    errors = [
        (error.get("path"), (error.get("extensions") or {}).get("code"), error["message"])
        for error in body.get("errors", [])
    ]
    return errors, _shape(body.get("data"), None)


def _shape(value: Any, key: str | None) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(item, key) for item in value]
    if key in KEPT:
        return value
    return type(value).__name__


def checked(body: Any) -> Any:
    """The body, once it is known to be an answer the operation itself gave: the document was
    valid, and A's administrator was still signed in."""
    errors = body.get("errors", [])
    assert not [e for e in errors if "path" not in e], f"document refused: {errors}"
    codes = {(e.get("extensions") or {}).get("code") for e in errors}
    assert "UNAUTHENTICATED" not in codes, "A's administrator is no longer signed in"
    assert "INTERNAL_ERROR" not in codes, errors
    return body


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_member_s_administrator_reaches_nothing_of_another_member(
    world: World, name: str
) -> None:
    api = world.api
    if name in THROTTLED:
        api.clock.advance(minutes=16)
    before = versions(world)

    answer = checked(run(api.client, build_operation(name, world.b, optional_ids=True)))

    text = json.dumps(answer, ensure_ascii=False)
    leaked = [shown for shown in world.b_texts if shown in text]
    assert not leaked, f"{name} shows B's {leaked}: {text}"
    assert versions(world) == before, f"{name} changed B's records"

    if name in THROTTLED:
        api.clock.advance(minutes=16)
    unknown = checked(run(api.client, build_operation(name, nothing_ids(), optional_ids=True)))

    assert normalised(answer) == normalised(unknown), (
        f"{name} answers B's ids unlike ids that name nothing:\n"
        f"B's:     {json.dumps(answer, ensure_ascii=False)}\n"
        f"nothing: {json.dumps(unknown, ensure_ascii=False)}"
    )


def test_the_audit_trail_filtered_on_b_s_records_alone_is_empty(world: World) -> None:
    """Without `memberId`, the audit trail of a member's user is their own member's: filtering
    on one of B's records finds nothing, while the same filter finds A's own records."""
    query = """
    query($aggregateId: UUID!) {
      auditTrail(aggregateId: $aggregateId) { edges { node { aggregateId eventType } } }
    }"""

    found = {
        aggregate: data(world.api.client, query, {"aggregateId": aggregate})["auditTrail"]
        for aggregate in [*world.b_aggregates, world.a_employee]
    }

    assert all(not found[aggregate]["edges"] for aggregate in world.b_aggregates), found
    assert found[world.a_employee]["edges"], "A's administrator should see A's own records"


def test_the_suite_covers_every_root_field_of_the_schema() -> None:
    served = set(root_fields())
    committed = build_schema(SDL_PATH.read_text(encoding="utf-8"))
    assert committed.query_type is not None
    assert committed.mutation_type is not None
    in_sdl = set(committed.query_type.fields) | set(committed.mutation_type.fields)

    assert served == in_sdl
    assert served >= EXCLUDED
    assert set(OPERATIONS) == served - EXCLUDED
    assert len(OPERATIONS) == len(set(OPERATIONS))


@pytest.mark.parametrize("name", list(root_fields()))
def test_every_built_operation_is_a_valid_document(name: str) -> None:
    from graphql import parse, validate

    ids = Ids(str(uuid4()), str(uuid4()), str(uuid4()), "00010")
    for optional_ids in (False, True):
        operation = build_operation(name, ids, optional_ids=optional_ids)
        assert validate(graphql_schema(), parse(operation.document)) == [], operation.document

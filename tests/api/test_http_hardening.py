"""`/graphql` answers a request that is no GraphQL request with a typed 400 (issue 10, item 11).

Before any sign-in, JSON nested a thousand levels deep answered 500, and a lone UTF-16
surrogate (`"\\ud800"` in JSON) in `search` or `requestId` an INTERNAL_ERROR. Every such body
now gets a 400 whose JSON says what is wrong, in French, with the code BAD_REQUEST — the way
GraphQL errors are answered — and nothing is logged as an error.
"""

import logging

import pytest
from litestar.testing import TestClient

from api.graphql_http import LONE_SURROGATE, MAX_JSON_DEPTH, NOT_JSON, TOO_DEEP

JSON = {"content-type": "application/json"}
CAMPAIGNS = b'"{ campaigns { year } }"'
SEARCH = (
    b'"query($m: UUID!, $s: String)'
    b' { employees(memberId: $m, search: $s) { edges { node { id } } } }"'
)
REGISTER = b'"mutation($i: RegisterMemberInput!) { registerMember(input: $i) { __typename } }"'
MEMBER = b'"00000000-0000-0000-0000-000000000001"'


TYPENAME = b'"{ __typename }"'


def nested(levels: int, query: bytes = CAMPAIGNS) -> bytes:
    """A body whose deepest value is `levels` + 2 levels down (the body, its variables)."""
    return b'{"query": ' + query + b', "variables": {"a": ' + b"[" * levels + b"]" * levels + b"}}"


BODIES: dict[str, tuple[bytes, str]] = {
    "nested 1,000 levels": (nested(1000), TOO_DEEP),
    "nested 100,000 levels": (nested(100_000), TOO_DEEP),
    "nested just past the limit": (nested(MAX_JSON_DEPTH - 1), TOO_DEEP),
    "invalid UTF-8": (b'{"query": "{ campaigns { year } }\xff\xfe"}', NOT_JSON),
    "UTF-16": ('{"query": "{ campaigns { year } }"}'.encode("utf-16"), NOT_JSON),
    "truncated JSON": (b'{"query": ', NOT_JSON),
    "a number": (b"1", NOT_JSON),
    "a string": (b'"{ campaigns { year } }"', NOT_JSON),
    "null": (b"null", NOT_JSON),
    "a list": (b"[]", NOT_JSON),
    "a lone surrogate in search": (
        b'{"query": ' + SEARCH + b', "variables": {"m": ' + MEMBER + b', "s": "\\ud800"}}',
        LONE_SURROGATE,
    ),
    "a lone surrogate in a requestId": (
        b'{"query": ' + REGISTER + b', "variables": {"i": {"requestId": "\\udc00",'
        b' "memberCode": "00010", "declarantNumber": "12345678", "legalName": "Martin SAS"}}}',
        LONE_SURROGATE,
    ),
    "a lone surrogate in the query": (
        b'{"query": "{ campaigns { year } } # \\ud800"}',
        LONE_SURROGATE,
    ),
    "a lone surrogate in a key": (
        b'{"query": ' + CAMPAIGNS + b', "variables": {"\\ud800": 1}}',
        LONE_SURROGATE,
    ),
}


def assert_bad_request(response: object, message: str) -> None:
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body == {
        "data": None,
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}],
    }


@pytest.mark.parametrize("case", list(BODIES))
def test_a_body_that_is_no_graphql_request_gets_a_typed_400_before_any_sign_in(
    anonymous_client: TestClient, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, message = BODIES[case]

    with caplog.at_level(logging.WARNING):
        response = anonymous_client.post("/graphql", content=body, headers=JSON)

    assert_bad_request(response, message)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("case", ["a lone surrogate in search", "a lone surrogate in a requestId"])
def test_a_lone_surrogate_is_refused_for_a_signed_in_user_too(
    client: TestClient, case: str
) -> None:
    body, message = BODIES[case]

    assert_bad_request(client.post("/graphql", content=body, headers=JSON), message)


def test_variables_of_a_get_are_checked_the_same_way(anonymous_client: TestClient) -> None:
    query = "query($s: String) { workSituations(search: $s) { code } }"

    response = anonymous_client.get(
        "/graphql", params={"query": query, "variables": '{"s": "\\ud800"}'}
    )

    assert_bad_request(response, LONE_SURROGATE)


def test_a_percent_encoded_lone_surrogate_in_a_get_is_no_server_error(
    anonymous_client: TestClient,
) -> None:
    response = anonymous_client.get(
        "/graphql?query=%7B%20campaigns%20%7B%20year%20%7D%20%7D%ED%A0%80"
    )

    assert response.status_code < 500


@pytest.mark.parametrize(
    ("content", "headers", "message"),
    [
        (b"{ campaigns { year } }", {"content-type": "text/plain"}, "Envoyez la requête en JSON"),
        (b'{"variables": {}}', JSON, "La requête ne contient aucune opération GraphQL."),
        (b'{"query": 1}', JSON, "Cette requête n'est pas une requête GraphQL valide."),
    ],
)
def test_strawberry_s_own_refusals_are_typed_and_in_french(
    anonymous_client: TestClient, content: bytes, headers: dict[str, str], message: str
) -> None:
    response = anonymous_client.post("/graphql", content=content, headers=headers)

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert error["message"].startswith(message)


def test_a_request_nested_up_to_the_limit_is_answered(anonymous_client: TestClient) -> None:
    body = nested(MAX_JSON_DEPTH - 2, TYPENAME)

    response = anonymous_client.post("/graphql", content=body, headers=JSON)

    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}


def test_accents_and_surrogate_pairs_are_no_lone_surrogates(anonymous_client: TestClient) -> None:
    body = b'{"query": ' + TYPENAME + b', "variables": {"a": "Z\\u00e9phyrine \\ud83d\\ude00"}}'

    response = anonymous_client.post("/graphql", content=body, headers=JSON)

    assert response.json() == {"data": {"__typename": "Query"}}

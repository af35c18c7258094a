"""Plain HTTP JSON in GraphQL's spelling: names in camelCase, data left as it is."""

import msgspec
from litestar import Litestar, Response, get
from litestar.exceptions import NotFoundException
from litestar.testing import TestClient

from api.json_names import camel_case_json, camel_keys, http_refusal


class Report(msgspec.Struct):
    can_apply: bool
    rows: list[dict[str, str]]


@get("/report")
async def report() -> Response[Report]:
    return Response(Report(True, [{"employee_id": "x", "INVALID_PERIOD": "code", "a.b_c": "id"}]))


@get("/missing")
async def missing() -> None:
    raise NotFoundException("Rien ici.", extra={"code": "NOT_FOUND", "member_id": "m"})


def test_names_are_camel_cased_and_data_keys_kept() -> None:
    assert camel_keys(
        {"store_reachable": True, "SI": 1, "night_work.x": 2, "lag": [{"a_b": 1}]}
    ) == {
        "storeReachable": True,
        "SI": 1,
        "night_work.x": 2,
        "lag": [{"aB": 1}],
    }


def test_an_endpoint_s_answer_and_a_refusal_are_in_camel_case() -> None:
    app = Litestar(
        [report, missing],
        after_request=camel_case_json,
        exception_handlers={NotFoundException: http_refusal},
    )
    with TestClient(app) as client:
        answer = client.get("/report").json()
        refused = client.get("/missing")
    assert answer == {
        "canApply": True,
        "rows": [{"employeeId": "x", "INVALID_PERIOD": "code", "a.b_c": "id"}],
    }
    assert (refused.status_code, refused.json()) == (
        404,
        {"statusCode": 404, "detail": "Rien ici.", "extra": {"code": "NOT_FOUND", "memberId": "m"}},
    )

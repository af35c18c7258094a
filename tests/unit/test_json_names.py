"""JSON in GraphQL's spelling, plain HTTP answers and the `JSON` scalar's values alike: names in
camelCase, data left as it is."""

import dataclasses
import typing
from collections.abc import Iterator, Mapping
from typing import Any

import msgspec
from litestar import Litestar, Response, get
from litestar.exceptions import NotFoundException
from litestar.testing import TestClient

from api.declaration.types import COPY_DATA_MAPS
from api.json_names import camel_case_json, camel_keys, http_refusal
from api.workforce.types import CHANGES_DATA_MAPS
from contexts import AGGREGATES
from projections.declaration.declared import Recap
from projections.members.members import MemberView
from projections.workforce.exposures import ExposureRow
from projections.workforce.workforce_queries import WorkforceRow


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


def test_the_value_of_a_field_keyed_by_data_is_left_as_it_is() -> None:
    declaration = {"tool_subscribed": True, "prevention": {"activity": {"main_activity": "x"}}}

    assert camel_keys([declaration], frozenset({"prevention"})) == [
        {"toolSubscribed": True, "prevention": {"activity": {"main_activity": "x"}}}
    ]
    assert camel_keys(declaration)["prevention"] == {"activity": {"mainActivity": "x"}}


def _maps(hint: Any, name: str) -> Iterator[str]:
    """The names of the fields under `hint` (a field `name` of that type) holding a map."""
    if typing.get_origin(hint) in {dict, Mapping}:
        yield name
    for argument in typing.get_args(hint):
        yield from _maps(argument, name)
    if isinstance(hint, type) and (
        dataclasses.is_dataclass(hint) or issubclass(hint, msgspec.Struct)
    ):
        for inner, inner_hint in typing.get_type_hints(hint).items():
            yield from _maps(inner_hint, inner)


def test_every_event_field_holding_a_map_is_read_as_keyed_by_data() -> None:
    """A new event field holding a map: are its keys data (list it in `CHANGES_DATA_MAPS`), or
    field names (then give it a struct)?"""
    events = {
        value
        for aggregate in AGGREGATES
        for value in vars(aggregate).values()
        if isinstance(value, type) and issubclass(value, aggregate.Event)
    }
    found = {
        name
        for event in events
        for field, hint in typing.get_type_hints(event).items()
        for name in _maps(hint, field)
    }

    assert found == CHANGES_DATA_MAPS


def test_every_map_of_a_frozen_copy_is_read_as_keyed_by_data() -> None:
    """The copy holds the member, the workforce and exposures rows, the recap, and the
    declaration's own answers (`DeclaredSources.compose`): of these, only the prevention
    answers and the recap's counts are maps."""
    parts = (MemberView, WorkforceRow, ExposureRow, Recap)
    found = {
        name
        for part in parts
        for field, hint in typing.get_type_hints(part).items()
        for name in _maps(hint, field)
    }

    assert found | {"prevention"} == COPY_DATA_MAPS

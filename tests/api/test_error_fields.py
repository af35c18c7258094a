"""An error's `field` is the name of the input's field, in the schema's spelling: a refusal the
domain words in its own names is reported under the input's, or under none."""

import strawberry
from litestar.testing import TestClient

from api.failures import ValidationError, failure_of
from domain.errors import InvalidValue
from tests.api.graphql_client import hire, mutate, register_member

BENZENE = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}


def test_ending_an_exposure_before_its_start_names_last_day(client: TestClient) -> None:
    member_id = register_member(client)
    employee_id = hire(client, member_id, "Marie")["aggregateId"]
    mutate(
        client,
        "recordExposure",
        "RecordExposureInput",
        {"employeeId": employee_id, "agent": BENZENE, "startedOn": "2024-03-01"},
    )
    ended = mutate(
        client,
        "endExposure",
        "EndExposureInput",
        {"employeeId": employee_id, "exposureId": 1, "lastDay": "2024-02-01"},
    )
    assert (ended["__typename"], ended["code"], ended["field"]) == (
        "ValidationError",
        "INVALID_PERIOD",
        "lastDay",
    )


@strawberry.input
class Inner:
    trial_end: str


@strawberry.input
class Outer:
    last_day: str
    terms: list[Inner]


def test_a_field_is_found_at_any_depth_of_the_input_or_left_out() -> None:
    given = Outer(last_day="x", terms=[Inner(trial_end="y")])

    def field_of(name: str) -> str | None:
        failure = failure_of(InvalidValue("refusé", code="X", field=name), given)
        assert isinstance(failure, ValidationError)
        return failure.field

    assert [field_of(n) for n in ("last_day", "trial_end", "ended_on")] == [
        "lastDay",
        "trialEnd",
        None,
    ]

"""`knownAtInstant`: what had been recorded at an instant, so that two changes of one day are
told apart; `knownAt` (a day) keeps working as before."""

from datetime import timedelta
from typing import Any

from litestar.testing import TestClient

from tests.api.graphql_client import graphql, hire, register_member
from tests.api.sessions import MovableClock

NAMES = """
query($memberId: UUID!, $knownAt: Date, $instant: DateTime) {
  employees(memberId: $memberId, knownAt: $knownAt, knownAtInstant: $instant) {
    edges { node { firstName } }
  }
}"""


def first_names(client: TestClient, member_id: str, **knowledge: str) -> Any:
    reply = graphql(client, NAMES, {"memberId": member_id, **knowledge})
    if "errors" in reply:
        return [error["extensions"]["code"] for error in reply["errors"]]
    return sorted(edge["node"]["firstName"] for edge in reply["data"]["employees"]["edges"])


def test_two_hires_of_one_day_are_told_apart_by_the_instant(
    client: TestClient, clock: MovableClock
) -> None:
    member_id = register_member(client)
    hire(client, member_id, "Marie")
    between = clock.now() + timedelta(minutes=1)
    clock.set(clock.now() + timedelta(minutes=2))
    hire(client, member_id, "Paul")
    today = clock.today().isoformat()

    assert first_names(client, member_id, instant=between.isoformat()) == ["Marie"]
    paris = between.astimezone(clock.now().astimezone().tzinfo)
    assert first_names(client, member_id, instant=paris.isoformat()) == ["Marie"]
    assert first_names(client, member_id, knownAt=today) == ["Marie", "Paul"]
    assert first_names(client, member_id) == ["Marie", "Paul"]


def test_a_day_and_an_instant_together_or_an_instant_without_offset_are_refused(
    client: TestClient, clock: MovableClock
) -> None:
    member_id = register_member(client)
    now = clock.now()
    both = first_names(client, member_id, knownAt=now.date().isoformat(), instant=now.isoformat())
    naive = first_names(client, member_id, instant=now.replace(tzinfo=None).isoformat())
    assert (both, naive) == (["BAD_ARGUMENTS"], ["INVALID_INSTANT"])

"""A declaration confirmed through the API, for tests of who reads what of its frozen copy.

The member's records and the steps are filled through the application (as the read model's
tests do); the confirmation itself goes through `confirmDeclaration`, so the copy is composed
by the read side exactly as the portal's would be: the named workforce, the CMR list, the recap.
"""

from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from api.services import Services
from tests.api.graphql_client import data, request_id
from tests.integration.test_declarations_read_model import (
    REQUIRED,
    complete,
    furnish,
    open_campaign,
)

CONFIRM = """
mutation($input: StepInput!) {
  confirmDeclaration(input: $input) { __typename ... on DeclarationChanged { version } }
}"""
CONFIRMATIONS = """
query($memberId: UUID!, $year: Int!) {
  declarationConfirmations(memberId: $memberId, year: $year) { edition contentHash content }
}"""


def confirm_a_declaration(client: TestClient, services: Services, member_id: str) -> int:
    """This year's campaign opened, the member's declaration filled and confirmed by `client`
    (signed in as the service's staff); returns the year."""
    app, year = services.app, services.clock.today().year
    open_campaign(app, year)
    furnish(app, UUID(member_id))
    complete(app, UUID(member_id), year, *REQUIRED)
    services.settle()
    variables = {"input": {"requestId": request_id(), "memberId": member_id, "year": year}}
    confirmed = data(client, CONFIRM, variables)["confirmDeclaration"]
    assert confirmed["__typename"] == "DeclarationChanged", confirmed
    return year


def confirmations(client: TestClient, member_id: str, year: int) -> list[Any]:
    found: list[Any] = data(client, CONFIRMATIONS, {"memberId": member_id, "year": year})[
        "declarationConfirmations"
    ]
    return found

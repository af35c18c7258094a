"""An API over a fresh store (both stores, via the `store` fixture), read models running, mail
going to an outbox folder, the service's clock in the test's hands.

`client` is signed in as the service's staff, who may do everything: tests of what members'
users may do sign in as those users (`tests.api.sessions`).
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from api.services import Services
from contexts import create_app, open_services
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.sessions import STAFF_EMAIL, MovableClock, open_service_account, sign_in


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def outbox(tmp_path: Path) -> OutboxMailer:
    return OutboxMailer(tmp_path / "outbox")


@pytest.fixture
def services(store: StoreSettings, outbox: OutboxMailer, clock: MovableClock) -> Iterator[Services]:
    opened = open_services(store, run_projections=True, mailer=outbox, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def anonymous_client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous_client: TestClient, services: Services, outbox: OutboxMailer) -> TestClient:
    open_service_account(services, STAFF_EMAIL)
    sign_in(anonymous_client, outbox, STAFF_EMAIL)
    return anonymous_client

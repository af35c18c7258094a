"""An API over a fresh store (both stores, via the `store` fixture), read models running."""

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.services import Services
from storage.settings import StoreSettings


@pytest.fixture
def services(store: StoreSettings) -> Iterator[Services]:
    opened = Services.open(store, run_projections=True)
    yield opened
    opened.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client

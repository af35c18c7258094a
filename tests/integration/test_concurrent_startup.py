"""Processes started together (API workers, `registre project --workers`) set up the same
PostgreSQL schema at once: each creates what is missing and replaces the log's insert function.
They wait for one another instead of failing — two creating the same table at once broke a
unique index of the catalogue, two replacing the function deadlocked (24 of 40 starts, four at
a time, before the setup was made one at a time)."""

import threading
from collections.abc import Callable

import pytest

from application.accounts.access_store import AccessStore
from application.registre import Registre
from contexts import READ_MODELS
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from storage.settings import StoreSettings

pytestmark = pytest.mark.postgres
STARTED_TOGETHER = 4


def start_up(settings: StoreSettings) -> None:
    """What a process of the service sets up when it starts."""
    app = Registre(settings)
    store = ReadStore.open(settings)
    try:
        ProjectionRunner(app, store, READ_MODELS).setup()
        AccessStore.open(settings).close()
    finally:
        store.close()
        app.close()


def together(action: Callable[[], None]) -> list[BaseException]:
    barrier = threading.Barrier(STARTED_TOGETHER)
    failures: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            action()
        except Exception as error:
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(STARTED_TOGETHER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_processes_started_together_on_a_new_schema_all_start(
    postgres_store: StoreSettings,
) -> None:
    assert together(lambda: start_up(postgres_store)) == []


def test_processes_started_together_on_a_schema_set_up_all_start(
    postgres_store: StoreSettings,
) -> None:
    start_up(postgres_store)

    for _ in range(5):
        assert together(lambda: start_up(postgres_store)) == []

"""GraphiQL in a real headless browser: the page served by the application renders from its own
assets (no request leaves the machine) and runs a query against `/graphql`.

The browser is Chromium with its driver (`scripts/dev.py` installs them on Debian); without
them the test is skipped with the reason, and fails under CI (CI=true), like PostgreSQL's."""

import shutil
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from api.services import Services
from contexts import create_app, open_services
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.sessions import MovableClock
from tests.stores import UNDER_CI

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
WAIT_SECONDS = 30


def _browser() -> tuple[str, str]:
    binary = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    if binary is None or driver is None:
        reason = (
            "no Chromium with chromedriver on this machine (python3 scripts/dev.py test installs"
            " them on Debian: apt-get install chromium chromium-driver)"
        )
        if UNDER_CI:
            pytest.fail(f"{reason}: under CI the browser test must run", pytrace=False)
        pytest.skip(f"{reason}: GraphiQL browser test skipped")
    return binary, driver


@pytest.fixture
def server(sqlite_store: StoreSettings, tmp_path: Any) -> Iterator[str]:
    services: Services = open_services(
        sqlite_store,
        run_projections=True,
        mailer=OutboxMailer(tmp_path / "outbox"),
        clock=MovableClock(),
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_config=None)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        WebDriverWait(None, WAIT_SECONDS, poll_frequency=0.1).until(lambda _: running.started)
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=20)
        services.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    binary, driver_path = _browser()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--no-proxy-server",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def test_graphiql_renders_from_the_application_s_assets_and_runs_a_query(
    server: str, browser: Any
) -> None:
    browser.get(f"{server}/graphql")
    wait = WebDriverWait(browser, WAIT_SECONDS)
    run = wait.until(
        expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, ".graphiql-execute-button"))
    )
    assert browser.title == "Registre — GraphiQL"
    run.click()
    wait.until(
        expected_conditions.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".graphiql-response"), '"__typename": "Query"'
        )
    )
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    assert any(name.endswith("/graphiql/graphiql.min.js") for name in loaded)
    assert all(name.startswith(server) for name in loaded), "every asset comes from the application"
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []

"""The main job: `registre serve` on a fresh embedded store seeds the demo, then serves the API."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_starts_the_api_on_a_fresh_store(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "REGISTRE_DATA_DIR": str(tmp_path),
        "REGISTRE_DATABASE_URL": f"sqlite:///{tmp_path / 'registre.sqlite3'}",
    }
    env.pop("REGISTRE_MASTER_KEY", None)  # the embedded default makes its own key file
    log = (tmp_path / "serve.log").open("w")
    registre = str(Path(sys.executable).parent / "registre")
    server = subprocess.Popen(
        [registre, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        health = wait_for_health(port)
        assert health["store_reachable"] is True
        reply = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": '{ memberByCode(code: "00010") { legalName } }'},
            timeout=10,
        ).json()
        assert reply == {"data": {"memberByCode": {"legalName": "Boulangeries Martin & Fils"}}}
        assert httpx.get(f"http://127.0.0.1:{port}/graphql", timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert f"GraphiQL : http://127.0.0.1:{port}/graphql" in output
    assert "demo data seeded on first start" in output
    assert (tmp_path / "master.key").exists()


def wait_for_health(port: int) -> dict[str, object]:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            if response.status_code == 200:
                body: dict[str, object] = response.json()
                return body
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("registre serve did not answer /health in time")
        time.sleep(0.2)

"""The main job: `registre serve` on a fresh embedded store seeds the demo, then serves the API."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from messaging.mailer import OutboxMailer

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
    env.pop("REGISTRE_PORTAL_URL", None)  # the links follow the port it is started on
    log = (tmp_path / "serve.log").open("w")
    registre = str(Path(sys.executable).parent / "registre")
    server = subprocess.Popen(
        [registre, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        health = wait_for_health(port)
        assert health["storeReachable"] is True
        anonymous = graphql(port, '{ memberByCode(code: "00010") { legalName } }')
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        declarant_number = printed_declarant_number(tmp_path / "serve.log")
        token = first_account_token(port, tmp_path / "outbox", declarant_number)
        reply = graphql(port, '{ memberByCode(code: "00010") { legalName } }', token)
        assert reply == {"data": {"memberByCode": {"legalName": "Boulangeries Martin & Fils"}}}
        assert httpx.get(f"http://127.0.0.1:{port}/graphql", timeout=10).status_code == 200
        assert reset_link(port, tmp_path / "outbox").startswith(f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert f"GraphiQL : http://127.0.0.1:{port}/graphql" in output
    assert "demo data seeded on first start" in output
    assert "la déclaration annuelle peut être saisie" in output
    assert (tmp_path / "master.key").exists()


def reset_link(port: int, outbox: Path) -> str:
    """The password-reset link mailed to the demo's first account."""
    asked = graphql(
        port,
        "mutation($email: String!) { requestPasswordReset(email: $email) { __typename } }",
        email="gerante@boulangeries-martin.fr",
    )
    assert "errors" not in asked
    link = re.search(
        r"(http\S+/mot-de-passe/\S+)", OutboxMailer(outbox).messages()[-1].get_content()
    )
    assert link, "the reset mail holds a link"
    return link.group(1)


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


def graphql(port: int, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=10,
    )
    return response.json()


def printed_declarant_number(log_path: Path) -> str:
    found = re.search(r"N° télédéclarant : (\d+)", log_path.read_text())
    assert found, "the demo prints the declarant number of its member"
    return found.group(1)


def first_account_token(port: int, outbox: Path, declarant_number: str) -> str:
    """The first account of the demo member, made with its postal codes, as seed 001 does; the
    password arrives in the outbox (no SMTP server is configured)."""
    email = "gerante@boulangeries-martin.fr"
    created = graphql(
        port,
        """mutation($input: CreateFirstAccountInput!) {
          createFirstAccount(input: $input) { __typename }
        }""",
        input={
            "requestId": "first-account",
            "memberCode": "00010",
            "declarantNumber": declarant_number,
            "lastName": "Martin",
            "firstName": "Claire",
            "function": "Gérante",
            "email": email,
            "emailConfirmation": email,
        },
    )
    assert created == {"data": {"createFirstAccount": {"__typename": "FirstAccountCreated"}}}
    password = re.search(r"Mot de passe : (\S+)", OutboxMailer(outbox).messages()[-1].get_content())
    assert password
    signed_in = graphql(
        port,
        """mutation($email: String!, $password: String!) {
          loginWithPassword(email: $email, password: $password) {
            ... on SignedIn { token passwordChangeRequired }
          }
        }""",
        email=email,
        password=password.group(1),
    )["data"]["loginWithPassword"]
    assert signed_in["passwordChangeRequired"] is True
    new_password = "Une-Nouvelle-Phrase-2026"
    changed = graphql(
        port,
        """mutation($current: String!, $new: String!) {
          changePassword(currentPassword: $current, newPassword: $new) {
            ... on SignedIn { token passwordChangeRequired }
          }
        }""",
        signed_in["token"],
        current=password.group(1),
        new=new_password,
    )["data"]["changePassword"]
    assert changed["passwordChangeRequired"] is False
    token: str = changed["token"]
    return token

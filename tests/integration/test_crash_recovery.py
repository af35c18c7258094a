"""`registre serve` killed with SIGKILL right after a successful mutation loses nothing: started
again, it shows the employee, and the same request sent again is answered from the command log
with the first result. `scripts/probe_crash.py` does the same under load, killing the read-model
worker too (figures in docs/GUARANTEES.md)."""

import os
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

from storage.settings import StoreSettings
from tests.api.graphql_client import HIRE, HIRE_DATE, a_contract, an_identity
from tests.integration.test_serve import (
    first_account_token,
    free_port,
    graphql,
    printed_declarant_number,
    wait_for_health,
)

EMPLOYEE = "query($id: UUID!) { employee(id: $id) { id firstName birthName status } }"


def test_a_hire_answered_before_a_kill_is_kept_and_its_retry_answered_the_same(
    store: StoreSettings, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "REGISTRE_DATABASE_URL": store.url,
        "REGISTRE_DATA_DIR": str(tmp_path),
        "REGISTRE_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    log_path = tmp_path / "serve.log"
    command = [str(Path(sys.executable).parent / "registre"), "serve", "--port", str(port)]
    with log_path.open("w") as log:

        def start() -> "subprocess.Popen[bytes]":
            server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            wait_for_health(port)
            return server

        server = start()
        try:
            token = first_account_token(
                port, tmp_path / "outbox", printed_declarant_number(log_path)
            )
            member = graphql(port, '{ memberByCode(code: "00010") { id } }', token)
            hire = {
                "requestId": str(uuid4()),
                "memberId": member["data"]["memberByCode"]["id"],
                "identity": an_identity("Inès", "Haddad"),
                "hireDate": HIRE_DATE.isoformat(),
                "terms": a_contract(),
            }
            answered = graphql(port, HIRE, token, input=hire)["data"]["hireEmployee"]
            assert answered["__typename"] == "HireEmployeeSuccess", answered

            server.kill()
            server.wait(timeout=20)
            server = start()

            kept = graphql(port, EMPLOYEE, token, id=answered["aggregateId"])["data"]["employee"]
            assert kept == {
                "id": answered["aggregateId"],
                "firstName": "Inès",
                "birthName": "HADDAD",
                "status": "ACTIVE",
            }
            retried = graphql(port, HIRE, token, input=hire)["data"]["hireEmployee"]
            assert retried == answered
        finally:
            server.terminate()
            server.wait(timeout=20)

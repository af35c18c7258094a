"""Steps of the audit proofs (`preuves_d_audit.feature`): the service signs a checkpoint and
exports its log with `registre audit`, the auditor verifies it; someone alters a row in the
database and the verification of the live store names it."""

import base64
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from pytest_bdd import given, then, when

from application.registre import Registre
from cli.main import main
from features.steps.vocabulary import phrase
from storage.checkpoints import required_signing_key
from storage.settings import StoreSettings


@dataclass
class Verification:
    """What the last `registre audit …` command printed, and its exit status."""

    status: int | None = None
    out: str = ""
    export: Path | None = None


@pytest.fixture
def verification() -> Verification:
    return Verification()


@pytest.fixture
def command_line(
    sqlite_store: StoreSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> "CommandLine":
    monkeypatch.setenv("REGISTRE_DATABASE_URL", sqlite_store.url)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(sqlite_store.data_dir))
    return CommandLine(capsys)


class CommandLine:
    """`registre …` run in this process on the scenario's store; what it printed."""

    def __init__(self, capsys: pytest.CaptureFixture[str]):
        self.capsys = capsys

    def run(self, *arguments: str) -> tuple[int, str]:
        self.capsys.readouterr()
        status = main(list(arguments))
        return status, self.capsys.readouterr().out


@given("le service signe un point de contrôle du journal")
def sign_checkpoint(command_line: CommandLine) -> None:
    status, out = command_line.run("audit", "checkpoint")
    assert status == 0, out
    assert "Point de contrôle signé à la position" in out


@when("le service exporte le journal pour l'auditeur")
def export_log(command_line: CommandLine, verification: Verification, tmp_path: Path) -> None:
    verification.export = tmp_path / "auditeur" / "journal.jsonl"
    verification.export.parent.mkdir()
    status, out = command_line.run("audit", "export", str(verification.export))
    assert status == 0, out


@when("le stockage du service n'est plus accessible")
def store_gone(registre: Registre, sqlite_store: StoreSettings) -> None:
    registre.close()
    Path(sqlite_store.eventsourcing_env()["SQLITE_DBNAME"]).unlink()


@then("l'auditeur vérifie l'export avec la clé publique du service")
def verify_export(
    command_line: CommandLine, verification: Verification, sqlite_store: StoreSettings
) -> None:
    assert verification.export is not None
    public = required_signing_key(sqlite_store).public_key().public_bytes_raw()
    verification.status, verification.out = command_line.run(
        "audit",
        "verify",
        str(verification.export),
        "--public-key",
        base64.b64encode(public).decode(),
    )


@then(
    phrase(
        "la vérification conclut que le journal est intègre, {count:d} point de contrôle signé"
        " vérifié"
    )
)
def log_holds(verification: Verification, count: int) -> None:
    assert verification.status == 0, verification.out
    assert f"points de contrôle signés vérifiés : {count}." in verification.out
    assert "Journal intègre" in verification.out


@then(phrase("l'export ne contient pas le nom « {name} » en clair"))
def export_sealed(verification: Verification, name: str) -> None:
    assert verification.export is not None
    assert name.encode() not in verification.export.read_bytes()


@when("quelqu'un modifie directement dans la base le contenu de l'embauche de la salariée")
def alter_hire(sqlite_store: StoreSettings, employee_id: UUID) -> None:
    path = sqlite_store.eventsourcing_env()["SQLITE_DBNAME"]
    with sqlite3.connect(path) as connection:
        changed = connection.execute(
            "UPDATE stored_events SET state = state || x'20'"
            " WHERE originator_id = ? AND originator_version = 1",
            (employee_id.hex,),
        ).rowcount
    assert changed == 1


@then("la vérification du stockage échoue")
def verify_store(command_line: CommandLine, verification: Verification) -> None:
    verification.status, verification.out = command_line.run("audit", "verify")
    assert verification.status == 1, verification.out


@then(phrase("elle nomme l'embauche de la salariée comme première rupture : « {reason} »"))
def names_the_hire(verification: Verification, employee_id: UUID, reason: str) -> None:
    broken = [line for line in verification.out.splitlines() if line.startswith("RUPTURE")]
    assert len(broken) == 1, verification.out
    assert f"(agrégat {employee_id}, version 1)" in broken[0]
    assert reason in broken[0]

"""`registre cmr export`: the CMR list of one member or of the whole service written to a file,
on a date as known at an instant, its progress on stderr, each read in the access log."""

import csv
import io
import json
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest

from application.accounts.access_store import AccessEvent, AccessStore
from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import HireEmployee, RecordExposure, WithdrawExposure
from cli.main import main
from domain.calendar import SetClock
from domain.identifiers import CasNumber, Nir
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from domain.workforce.health import AgentKind, CmrAgent, ExposureRoute
from storage.settings import StoreSettings
from tests.api.graphql_client import a_nir

RECORDED_AT = datetime(2025, 1, 10, 9, tzinfo=UTC)
WITHDRAWN_AT = datetime(2025, 1, 20, 9, tzinfo=UTC)
BENZENE = CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))


def registered(app: Registre, code: str) -> UUID:
    result = app.handle(
        Request(f"register-{code}"),
        RegisterMember(member_code=code, declarant_number="12345678", legal_name=f"Société {code}"),
    )
    return result.aggregate_id


def exposed(app: Registre, member_id: UUID, first_name: str) -> UUID:
    born = date(1990, 5, 12)
    identity = Identity(
        birth_name="Martin",
        first_name=first_name,
        birth_date=born,
        sex=Sex.F,
        nir=Nir(a_nir("F", born)),
    )
    hired = app.handle(
        Request(f"hire-{first_name}"),
        HireEmployee(
            member_id=member_id,
            identity=identity,
            hire_date=date(2024, 1, 8),
            terms=ContractTerms("Soudeuse", ContractType.CDI),
        ),
    )
    app.handle(
        Request(f"expose-{first_name}"),
        RecordExposure(
            employee_id=hired.aggregate_id,
            agent=BENZENE,
            started_on=date(2024, 3, 1),
            routes=(ExposureRoute.INHALATION,),
        ),
    )
    return hired.aggregate_id


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, UUID]:
    """Two members, Marie (00010) and Eve (00020) exposed to benzene, recorded on 10 January
    2025; Eve's exposure withdrawn on 20 January (an error)."""
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'registre.sqlite3'}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))
    clock = SetClock(RECORDED_AT)
    with closing(Registre(StoreSettings.from_environment(), clock=clock)) as app:
        member_a, member_b = registered(app, "00010"), registered(app, "00020")
        marie, eve = exposed(app, member_a, "Marie"), exposed(app, member_b, "Eve")
        clock.set(WITHDRAWN_AT)
        app.handle(
            Request("withdraw-eve"),
            WithdrawExposure(employee_id=eve, exposure_id=1, error_note="Mauvaise salariée."),
        )
    return {"member_a": member_a, "member_b": member_b, "marie": marie, "eve": eve}


def export(tmp_path: Path, *arguments: str) -> list[dict[str, str]]:
    output = tmp_path / "liste.csv"
    assert main(["cmr", "export", "--as-of", "2024-06-01", *arguments, "--format", "csv",
                 str(output)]) == 0  # fmt: skip
    text = output.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_service_wide_list_as_known_before_and_after_a_correction(
    tmp_path: Path, recorded: dict[str, UUID], capsys: pytest.CaptureFixture[str]
) -> None:
    before = export(tmp_path, "--known-at", "2025-01-15")
    progress = capsys.readouterr()
    now = export(tmp_path)

    assert [(r["Code adhérent"], r["Prénom"]) for r in before] == [
        ("00010", "Marie"),
        ("00020", "Eve"),
    ]
    assert [(r["Code adhérent"], r["Prénom"]) for r in now] == [("00010", "Marie")]
    assert "lecture : 2/2 exposition(s), terminé." in progress.err
    assert "2 exposition(s), fichier" in progress.out


def test_an_instant_of_knowledge_may_be_given_to_the_second(
    tmp_path: Path, recorded: dict[str, UUID]
) -> None:
    just_before = export(tmp_path, "--known-at", "2025-01-20T08:59:59+00:00")
    just_after = export(tmp_path, "--known-at", "2025-01-20T10:00:00+01:00")

    assert sorted(r["Prénom"] for r in just_before) == ["Eve", "Marie"]
    assert [r["Prénom"] for r in just_after] == ["Marie"]


def test_one_member_anonymised_in_json(tmp_path: Path, recorded: dict[str, UUID]) -> None:
    output = tmp_path / "liste.json"

    code = main(["cmr", "export", "--as-of", "2024-06-01", "--member", "00010", "--anonymised",
                 "--format", "json", str(output)])  # fmt: skip

    assert code == 0
    (line,) = json.loads(output.read_text())
    assert (line["memberCode"], line["workSituation"], line["workers"]) == (
        "00010",
        "Soudeuse",
        1,
    )
    assert "Marie" not in output.read_text()
    assert "1990" not in output.read_text()


def test_an_unknown_member_code_writes_nothing(
    tmp_path: Path, recorded: dict[str, UUID], capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "liste.csv"

    code = main(["cmr", "export", "--as-of", "2024-06-01", "--member", "99999", "--format", "csv",
                 str(output)])  # fmt: skip

    assert code == 1
    assert "aucun adhérent de code « 99999 »" in capsys.readouterr().err
    assert not output.exists()


def test_every_read_of_the_export_is_in_the_access_log(
    tmp_path: Path, recorded: dict[str, UUID]
) -> None:
    export(tmp_path, "--known-at", "2025-01-15")

    with closing(AccessStore.open(StoreSettings.from_environment())) as access:
        entries = access.log_entries(
            event=AccessEvent.HEALTH_DATA_READ, member_id=None, before=None, limit=10
        )

    assert {(e.operation, e.account_id, e.member_id, tuple(e.subjects)) for e in entries} == {
        ("cmrExport", None, recorded["member_a"], (str(recorded["marie"]),)),
        ("cmrExport", None, recorded["member_b"], (str(recorded["eve"]),)),
    }

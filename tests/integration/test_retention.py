"""Retention ends by itself: 41 years on, the keys of a worker who left are destroyed and the
events say why; a worker still employed, and an account still open, are untouched; a closed
account is erased a year after its closing; a second run destroys nothing more — on both
stores, with the read models following."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from api.services import Services
from application.accounts.commands import CloseAccount, NewAccount, OpenAccount
from application.members.commands import RegisterMember
from application.requests import Request
from application.retention import Retention, RetentionOutcome
from application.workforce.commands import CloseContract, HireEmployee, RecordExposure
from cli.main import main
from contexts import open_services
from domain.accounts.access import AccountKind
from domain.calendar import SetClock
from domain.contact_details import Email
from domain.personal_data import DataCategory
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.health import AgentKind, CmrAgent
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings

START = datetime(2025, 1, 10, 9, tzinfo=UTC)
FORTY_ONE_YEARS_ON = datetime(2066, 1, 10, 9, tzinfo=UTC)
LEFT_EMAIL, STAYING_EMAIL = "partie@sst.example", "reste@sst.example"


@pytest.fixture
def clock() -> SetClock:
    return SetClock(START)


@pytest.fixture
def services(store: StoreSettings, tmp_path: Path, clock: SetClock) -> Iterator[Services]:
    opened = open_services(
        store, run_projections=True, mailer=OutboxMailer(tmp_path / "outbox"), clock=clock
    )
    yield opened
    opened.close()


def staff() -> Request:
    return Request.by(uuid4().hex, "staff-1")


def hire(services: Services, member_id: UUID, name: str) -> UUID:
    return services.app.handle(
        staff(),
        HireEmployee(
            member_id=member_id,
            identity=Identity(name, "Camille", date(1980, 5, 4), Sex.F),
            hire_date=date(2020, 1, 6),
            terms=ContractTerms("Soudeuse", ContractType.CDI),
        ),
    ).aggregate_id


def open_account(services: Services, email: str) -> UUID:
    person = NewAccount(email=Email(email), last_name="Roux", first_name="Inès", function="RH")
    command = OpenAccount(person=person, kind=AccountKind.SERVICE_STAFF)
    return services.app.handle(staff(), command).aggregate_id


def has_key(services: Services, subject: UUID, category: DataCategory) -> bool:
    return services.app.subject_keys.sealer(subject, category, create=False) is not None


@pytest.fixture
def scene(services: Services) -> tuple[UUID, UUID, UUID, UUID]:
    """A welder who left at the end of 2024 after a CMR exposure; one still employed; an account
    closed today; one still open."""
    app = services.app
    member_id = app.handle(
        staff(),
        RegisterMember(member_code="00021", declarant_number="48151623", legal_name="Forges"),
    ).aggregate_id
    left, staying = hire(services, member_id, "MARTIN"), hire(services, member_id, "BLANC")
    for employee_id in (left, staying):
        app.handle(
            staff(),
            RecordExposure(
                employee_id=employee_id,
                agent=CmrAgent(AgentKind.PROCESS, "Fumées de soudage"),
                started_on=date(2021, 3, 1),
                ended_on=date(2022, 6, 30) if employee_id == left else None,
            ),
        )
    app.handle(
        staff(),
        CloseContract(employee_id=left, last_day=date(2024, 12, 31), reason=ExitReason.RESIGNATION),
    )
    closed, still_open = open_account(services, LEFT_EMAIL), open_account(services, STAYING_EMAIL)
    app.handle(staff(), CloseAccount(account_id=closed))
    services.catch_up()
    return left, staying, closed, still_open


def test_nothing_ends_before_its_time(services: Services, scene: tuple[UUID, ...]) -> None:
    assert Retention(services.app).run() == RetentionOutcome(employees=0, accounts=0)
    left, *_ = scene
    assert has_key(services, left, DataCategory.IDENTITY)


def test_forty_one_years_on_the_keys_of_who_left_are_destroyed_and_the_events_say_why(
    services: Services, clock: SetClock, scene: tuple[UUID, UUID, UUID, UUID]
) -> None:
    left, staying, closed, still_open = scene
    app = services.app

    clock.set(FORTY_ONE_YEARS_ON)
    outcome = Retention(app).run()

    assert outcome == RetentionOutcome(employees=1, accounts=1)
    assert not has_key(services, left, DataCategory.IDENTITY)
    assert not has_key(services, left, DataCategory.HEALTH)
    ended = list(app.events.get(left))[-1]
    assert type(ended).__name__ == "RetentionEnded"
    assert "40 ans" in ended.reason  # type: ignore[attr-defined]
    assert ended.actor.user_id == "system"  # type: ignore[attr-defined]
    assert ended.timestamp == FORTY_ONE_YEARS_ON
    gone = app.employee(left)
    assert (gone.identity, gone.exposures, gone.retention_ended) == (None, None, True)

    kept = app.employee(staying)
    assert kept.identity is not None
    assert kept.identity.birth_name == "BLANC"
    assert kept.exposures is not None
    assert has_key(services, staying, DataCategory.HEALTH)

    erased = app.account(closed)
    assert (erased.erased, erased.email) == (True, None)
    assert not has_key(services, closed, DataCategory.IDENTITY)
    assert app.find_account(Email(STAYING_EMAIL)) is not None
    assert app.account(still_open).email == Email(STAYING_EMAIL)

    assert Retention(app).run() == RetentionOutcome(employees=0, accounts=0)  # idempotent
    assert [type(e).__name__ for e in app.events.get(left)].count("RetentionEnded") == 1

    services.catch_up()
    assert services.runner.failures() == []
    trail = services.audit.entries(aggregate_id=left)
    assert trail[0].summary.startswith("Données du salarié détruites (fin de la durée de")
    assert services.accounts.account(closed) is None


def test_a_closed_account_is_erased_a_year_after_its_closing(
    services: Services, clock: SetClock, scene: tuple[UUID, UUID, UUID, UUID]
) -> None:
    _, _, closed, _ = scene
    assert services.app.find_account(Email(LEFT_EMAIL)) is None  # no more sign-in

    clock.set(datetime(2026, 1, 9, 9, tzinfo=UTC))
    assert Retention(services.app).run().accounts == 0
    clock.set(datetime(2026, 1, 10, 9, tzinfo=UTC))
    assert Retention(services.app).run().accounts == 1
    assert services.app.account(closed).erased


def test_the_command_line_runs_the_retention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REGISTRE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path))

    assert main(["retention", "run"]) == 0
    assert "données de 0 salarié(s) et de 0 compte(s) détruites" in capsys.readouterr().out


def test_an_identity_whose_retention_ended_no_longer_holds_its_marks(
    services: Services, clock: SetClock, scene: tuple[UUID, UUID, UUID, UUID]
) -> None:
    left, *_ = scene
    member_id = services.app.employee(left).member_id
    clock.set(FORTY_ONE_YEARS_ON)
    Retention(services.app).run()

    again = hire(services, member_id, "MARTIN")  # no homonym to confirm: the first one is gone

    assert services.app.employee(again).identity is not None

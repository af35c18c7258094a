"""Side effects after commit, exactly once (`application.reactions`, `messaging.outbox`): a
retried request sends nothing twice, a process killed between a commit and its mail sends it
once started again, two runners write one mail, a held mail waits for its event, and the
outbox keeps no secret in clear nor after sending."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from api.services import Services
from application.accounts.access_store import AccessStore
from application.accounts.commands import AddMemberUser, NewAccount, OpenAccount
from application.declaration.commands import TransferDeclaration
from application.registre import Registre
from application.requests import Request
from application.side_effects import open_side_effects
from contexts import REACTIONS, open_services
from domain.accounts.access import AccountKind, Role
from domain.contact_details import Email
from domain.declaration.steps import Step
from messaging.mailer import Mail, MailDeliveryError, OutboxMailer
from messaging.outbox import MailOutbox
from storage.settings import StoreSettings
from tests.account_ids import account_id
from tests.api.sessions import MovableClock
from tests.integration.test_declarations_read_model import complete, open_campaign, register

STAFF = "agent@sst-rhone.example"
ELODIE = "elodie@lefevre.fr"
TRANSFERRED = "Déclaration annuelle 2025 de Boulangérie du Parc : à vous de poursuivre"
SERVICE_ACCOUNT = "Votre compte du portail"
ISSUED = "Votre accès au portail adhérent"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def outbox_dir(tmp_path: Path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def services(store: StoreSettings, outbox_dir: Path) -> Iterator[Services]:
    opened = open_services(
        store, run_projections=True, mailer=OutboxMailer(outbox_dir), clock=MovableClock()
    )
    yield opened
    opened.close()


def subjects_to(outbox_dir: Path, address: str) -> list[str]:
    return [str(m["Subject"]) for m in OutboxMailer(outbox_dir).messages() if m["To"] == address]


def person(email: str, first_name: str) -> NewAccount:
    return NewAccount(email=Email(email), last_name="Lefèvre", first_name=first_name, function="RH")


def a_transfer(services: Services) -> tuple[Request, UUID]:
    """A member whose workforce is confirmed, its administrator and a colleague to hand the
    declaration to; the request of the administrator's transfer, and the member."""
    app = services.app
    member_id = register(app)
    open_campaign(app, 2025)
    for email, first_name, role in (
        (STAFF, "Marc", Role.ADMIN),
        (ELODIE, "Élodie", Role.DECLARATION),
    ):
        app.handle(
            Request.by(uuid4().hex, "staff-1"),
            AddMemberUser(
                member_id=member_id,
                person=person(email, first_name),
                roles=frozenset({role}),
                third_party_declarant=False,
            ),
        )
    complete(app, member_id, 2025, Step.COMPANY, Step.CONTACTS, Step.WORKFORCE)
    return Request.by(uuid4().hex, str(account_id(app, STAFF))), member_id


def test_a_retried_transfer_sends_one_mail(services: Services, outbox_dir: Path) -> None:
    request, member_id = a_transfer(services)
    colleague = account_id(services.app, ELODIE)

    transfer = TransferDeclaration(member_id=member_id, year=2025, account_id=colleague)
    first = services.app.handle(request, transfer)
    services.settle()
    retried = services.app.handle(request, transfer)
    services.settle()
    services.app.handle(
        request, TransferDeclaration(member_id=member_id, year=2025, account_id=colleague)
    )
    services.settle()

    assert retried == first
    mail = [m for m in OutboxMailer(outbox_dir).messages() if m["Subject"] == TRANSFERRED]
    assert len(mail) == 1
    assert mail[0]["To"] == ELODIE
    assert "Marc Lefèvre vous a transféré la déclaration annuelle 2025" in mail[0].get_content()


def test_a_command_sends_nothing_itself_its_reaction_does(
    services: Services, outbox_dir: Path
) -> None:
    services.reactions.stop()  # nobody reacts: the command alone
    services.app.handle(
        Request(uuid4().hex), OpenAccount(person=person(STAFF, "Alex"), kind=AccountKind.AUDITOR)
    )
    assert subjects_to(outbox_dir, STAFF) == []

    services.settle()

    assert subjects_to(outbox_dir, STAFF) == [SERVICE_ACCOUNT]


def test_two_runners_on_one_store_write_one_mail(
    services: Services, store: StoreSettings, outbox_dir: Path
) -> None:
    services.reactions.stop()
    other_app = Registre(store)
    other_access = AccessStore.open(store)
    try:
        _, other = open_side_effects(
            other_app,
            other_access.sql,
            OutboxMailer(outbox_dir),
            MovableClock(),
            REACTIONS,
        )
        services.app.handle(
            Request(uuid4().hex),
            OpenAccount(person=person(STAFF, "Alex"), kind=AccountKind.AUDITOR),
        )
        other.run_once()
        services.reactions.run_once()
        other.settle()
        services.settle()
    finally:
        other_access.close()
        other_app.close()

    assert subjects_to(outbox_dir, STAFF) == [SERVICE_ACCOUNT]


def test_a_mail_is_sealed_in_the_outbox_and_dropped_once_sent(
    services: Services, outbox_dir: Path
) -> None:
    services.app.handle(
        Request(uuid4().hex), OpenAccount(person=person(STAFF, "Alex"), kind=AccountKind.AUDITOR)
    )
    services.reactions.stop()
    services.settle()
    services.access.request_login_code(STAFF, "203.0.113.7")

    rows = services.access_store.sql.read("SELECT mail_key, sealed, sent_at FROM mail_outbox")
    assert len(rows) == 2
    assert all(sealed is None and sent_at is not None for _, sealed, sent_at in rows)
    code_mail = OutboxMailer(outbox_dir).messages()[-1].get_content()
    assert "Voici votre code de connexion" in code_mail


class FailingOnce:
    def __init__(self, outbox_dir: Path) -> None:
        self.failures = 1
        self.delivered = OutboxMailer(outbox_dir)

    def send(self, mail: Mail) -> None:
        if self.failures:
            self.failures -= 1
            raise MailDeliveryError("server down")
        self.delivered.send(mail)


def test_a_mail_not_delivered_is_kept_sealed_and_sent_later(
    services: Services, outbox_dir: Path
) -> None:
    services.reactions.stop()  # its sender keeps another time: this test's alone delivers
    clock = MovableClock(datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    outbox = MailOutbox(
        services.access_store.sql,
        FailingOnce(outbox_dir),
        services.app.settings.master_key(),
        clock,
    )
    with services.access_store.sql.transaction() as tx:
        outbox.put(tx, "test:1", Mail(STAFF, "Code", "Voici votre code de connexion : 12345678"))
        outbox.put(tx, "test:1", Mail(STAFF, "Code", "the same key: no second mail"))

    with pytest.raises(MailDeliveryError):
        outbox.deliver("test:1")
    [(sealed,)] = services.access_store.sql.read("SELECT sealed FROM mail_outbox")
    assert "12345678" not in sealed
    assert outbox.deliver_due() == 0, "not due again yet"

    clock.advance(minutes=1)
    assert outbox.deliver_due() == 1
    assert outbox.deliver_due() == 0
    assert subjects_to(outbox_dir, STAFF) == ["Code"]
    assert outbox.pending() == 0


def test_a_held_mail_waits_for_its_event_and_a_refused_one_is_dropped(
    services: Services, outbox_dir: Path
) -> None:
    services.reactions.stop()  # this test's calls alone deliver
    outbox = services.outbox
    outbox.hold("held:1", Mail(STAFF, "Held", "released by its event only"))
    outbox.hold("held:2", Mail(STAFF, "Dropped", "its command was refused"))
    assert outbox.deliver_due() == 0

    with services.access_store.sql.transaction() as tx:
        outbox.release(tx, "held:1")
    outbox.drop_held("held:2")

    assert outbox.deliver_due() == 1
    assert subjects_to(outbox_dir, STAFF) == ["Held"]
    assert outbox.pending() == 0


@pytest.mark.parametrize("mode", ["after-commit", "after-reaction", "issued-password"])
def test_a_mail_lost_to_a_kill_after_the_commit_goes_out_once_on_restart(
    store: StoreSettings, outbox_dir: Path, mode: str
) -> None:
    first = open_services(store, run_projections=False, mailer=OutboxMailer(outbox_dir))
    first.close()  # the reactions set up, as a first start does
    env = {
        **os.environ,
        "REGISTRE_DATABASE_URL": store.url,
        "REGISTRE_DATA_DIR": str(store.data_dir),
    }
    command = [
        sys.executable,
        "-m",
        "tests.integration.crash_after_commit",
        mode,
        str(outbox_dir),
        STAFF,
    ]
    killed = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, timeout=120, check=False
    )
    assert killed.returncode == -9, killed.stderr.decode()
    assert subjects_to(outbox_dir, STAFF) == []

    expected = [SERVICE_ACCOUNT, ISSUED] if mode == "issued-password" else [SERVICE_ACCOUNT]
    for _ in range(2):  # started again: the mail goes out; once more: nothing more
        restarted = open_services(store, run_projections=True, mailer=OutboxMailer(outbox_dir))
        try:
            deadline = time.monotonic() + 10
            while sorted(subjects_to(outbox_dir, STAFF)) != sorted(expected):
                assert time.monotonic() < deadline, subjects_to(outbox_dir, STAFF)
                time.sleep(0.05)
            restarted.settle()
        finally:
            restarted.close()
        assert sorted(subjects_to(outbox_dir, STAFF)) == sorted(expected)

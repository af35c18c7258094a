"""The API process that runs the read models (`registre serve`, `start`) signs the log's
checkpoints too: a service run without `registre project` used to sign none."""

import base64
import os
from uuid import uuid4

import pytest

from application.members.commands import RegisterMember
from application.requests import Request
from contexts import open_services
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.sessions import MovableClock


def test_the_services_running_the_read_models_sign_checkpoints_of_the_log(
    store: StoreSettings, outbox: OutboxMailer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGISTRE_SIGNING_KEY", base64.b64encode(os.urandom(32)).decode())
    services = open_services(store, run_projections=True, mailer=outbox, clock=MovableClock())
    try:
        services.app.handle(
            Request.by(str(uuid4()), "staff"),
            RegisterMember(
                member_code="00042", declarant_number="00000042", legal_name="Boulangerie"
            ),
        )
        checkpointer = services.checkpointer
        assert checkpointer is not None

        checkpointer.step()

        last = checkpointer.checkpoints.last()
        assert last is not None
        assert last.position == services.app.recorder.max_notification_id()
    finally:
        services.close()

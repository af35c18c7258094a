"""Accounts erasable: ids drawn at random, addresses claimed once (even by two at once), and an
erased account leaves no e-mail nor name in any table, cannot sign in, and the trail says
"compte effacé" — on both stores."""

import base64
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.services import Services
from application.accounts import claims
from application.accounts.commands import EraseAccount, NewAccount, OpenAccount
from application.registre import Registre
from application.requests import Request
from contexts import open_services
from domain.accounts.access import AccountKind
from domain.accounts.account import Account, account_id_of
from domain.contact_details import Email
from domain.errors import DomainError, NotFound
from messaging.mailer import OutboxMailer
from projections.store import PostgresReadStore, ReadStore
from storage import master_key
from storage.keys import new_master_key
from storage.settings import StoreSettings
from tests.api.sessions import MovableClock, code_in

EMAIL = "Lea.Fontaine@Sante-Travail.fr"
LAST_NAME, FIRST_NAME, MOBILE = "Fontaine", "Léa", "+33698765432"
ADDRESS = "203.0.113.9"


def a_person(email: str = EMAIL) -> NewAccount:
    return NewAccount(
        email=Email(email),
        last_name=LAST_NAME,
        first_name=FIRST_NAME,
        function="Infirmière",
        mobile=MOBILE,  # type: ignore[arg-type]
    )


def staff() -> Request:
    return Request.by(uuid4().hex, "dpo-1")


def open_account(app: Registre, email: str = EMAIL) -> UUID:
    command = OpenAccount(person=a_person(email), kind=AccountKind.SERVICE_STAFF)
    return app.handle(staff(), command).aggregate_id


@pytest.fixture
def services(store: StoreSettings, tmp_path: Path) -> Iterator[Services]:
    opened = open_services(
        store,
        run_projections=True,
        mailer=OutboxMailer(tmp_path / "outbox"),
        clock=MovableClock(),
    )
    yield opened
    opened.close()


# Ids and claims --------------------------------------------------------------------------------


def test_a_new_account_has_a_random_id_and_is_found_by_its_email(app: Registre) -> None:
    account_id = open_account(app)

    assert account_id != account_id_of(Email(EMAIL))
    assert account_id.version == 4
    for typed in (EMAIL, EMAIL.upper(), f"  {EMAIL.lower()} "):
        found = app.find_account(Email(typed))
        assert found is not None
        assert found.id == account_id


def test_the_identity_of_an_account_is_sealed_in_its_events(
    app: Registre, store: StoreSettings
) -> None:
    open_account(app)

    assert holding(store, (EMAIL, LAST_NAME, FIRST_NAME, MOBILE)) == set()


def test_a_second_account_for_an_address_is_refused(app: Registre) -> None:
    open_account(app)

    with pytest.raises(DomainError) as refused:
        open_account(app, EMAIL.lower())
    assert refused.value.code == "EMAIL_TAKEN"


def test_two_accounts_opened_at_once_for_one_address_make_one(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both see the address free (each waits for the other after looking), both save: the store
    keeps one claim, the other is refused."""
    apps = [Registre(store), Registre(store)]
    looked = threading.Barrier(2, timeout=10)
    held_claim = claims.held_claim

    def looking_together(app: Any, email: Email) -> Any:
        found = held_claim(app, email)
        looked.wait()
        return found

    monkeypatch.setattr(claims, "held_claim", looking_together)
    outcomes: list[object] = []

    def try_to_open(app: Registre) -> None:
        try:
            outcomes.append(open_account(app))
        except DomainError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=try_to_open, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.undo()

    opened = [o for o in outcomes if isinstance(o, UUID)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert (len(opened), len(refused)) == (1, 1), outcomes
    found = apps[0].find_account(Email(EMAIL))
    assert found is not None
    assert found.id == opened[0]
    for app in apps:
        app.close()


def test_an_account_opened_before_keeps_its_id_and_its_address(app: Registre) -> None:
    """An account of an older store: its id follows from its address, and it has no claim."""
    account = Account._create(
        Account.Opened,  # type: ignore[attr-defined]
        id=account_id_of(Email(EMAIL)),
        email=Email(EMAIL),
        last_name=LAST_NAME,
        first_name=FIRST_NAME,
        function="Infirmière",
        mobile=None,
        kind=AccountKind.SERVICE_STAFF,
        actor=staff().actor,
    )
    app.save(account)

    found = app.find_account(Email(EMAIL.lower()))
    assert found is not None
    assert found.id == account_id_of(Email(EMAIL))
    with pytest.raises(DomainError) as refused:
        open_account(app)
    assert refused.value.code == "EMAIL_TAKEN"

    app.handle(staff(), EraseAccount(account_id=found.id))

    assert app.find_account(Email(EMAIL)) is None
    assert open_account(app) != found.id  # the address is free again, for a new account


def test_an_account_is_found_by_its_email_after_a_rotation_of_the_master_key(
    store: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claims are named by tokens of a secret kept like a person's key: a new master key
    wraps it again, and the tokens stay."""
    old_key, new_key = new_master_key(), new_master_key()
    monkeypatch.setenv("REGISTRE_MASTER_KEY", base64.b64encode(old_key).decode())
    with closing(Registre(store)) as app:
        account_id = open_account(app)
        master_key.rotate(app.subject_keys, new_key, key_file=None)

    monkeypatch.setenv("REGISTRE_MASTER_KEY", base64.b64encode(new_key).decode())
    with closing(Registre(store)) as app:
        found = app.find_account(Email(EMAIL))
        assert found is not None
        assert found.id == account_id
        with pytest.raises(DomainError) as refused:
            open_account(app)
        assert refused.value.code == "EMAIL_TAKEN"


# Erasure ---------------------------------------------------------------------------------------


def test_an_erased_account_cannot_sign_in_and_leaves_no_identity_anywhere(
    services: Services, store: StoreSettings, tmp_path: Path
) -> None:
    access = services.access
    account_id = access.open_service_account(
        staff(), a_person(), AccountKind.SERVICE_STAFF
    ).aggregate_id
    access.request_login_code(EMAIL, ADDRESS)
    mails = OutboxMailer(tmp_path / "outbox").messages()
    (code_mail,) = [m for m in mails if "code" in str(m["Subject"]).casefold()]
    session = access.login_with_code(EMAIL, code_in(code_mail), ADDRESS)
    services.catch_up()
    shown = services.accounts.account(account_id)
    assert shown is not None
    assert (shown.email, shown.last_name, shown.first_name, shown.mobile) == (
        str(Email(EMAIL)),
        LAST_NAME,
        FIRST_NAME,
        MOBILE,
    )
    found = services.accounts.account_by_email(Email(EMAIL.upper()))
    assert found is not None
    assert found.account_id == account_id
    assert holding(store, (EMAIL, LAST_NAME, FIRST_NAME, MOBILE)) == set(), "before erasure"

    services.access.end_account(staff(), EraseAccount(account_id=account_id))
    services.catch_up()

    assert access.session(session.token) is None
    assert services.app.find_account(Email(EMAIL)) is None
    with pytest.raises(DomainError):
        access.login_with_code(EMAIL, "00000000", ADDRESS)
    assert services.accounts.account(account_id) is None
    assert services.accounts.account_by_email(Email(EMAIL)) is None
    assert holding(store, (EMAIL, LAST_NAME, FIRST_NAME, MOBILE)) == set()
    erased = services.app.account(account_id)
    assert erased.erased
    assert (erased.email, erased.first_name, erased.last_name) == (None, None, None)
    trail = services.audit.entries(aggregate_id=account_id)
    assert trail[0].summary == "Compte effacé (personne partie) : son identité est détruite"
    assert trail[0].actor == "dpo-1"


def test_an_account_is_erased_once_and_its_address_may_open_a_new_one(app: Registre) -> None:
    account_id = open_account(app)
    app.handle(staff(), EraseAccount(account_id=account_id))

    with pytest.raises(DomainError) as again:
        app.handle(staff(), EraseAccount(account_id=account_id))
    assert again.value.code == "ACCOUNT_ERASED"
    with pytest.raises(NotFound):
        app.handle(staff(), EraseAccount(account_id=uuid4()))

    reopened = open_account(app)
    assert reopened != account_id
    found = app.find_account(Email(EMAIL))
    assert found is not None
    assert found.id == reopened
    assert app.account(account_id).email is None


# Helpers ---------------------------------------------------------------------------------------


def holding(store: StoreSettings, texts: tuple[str, ...]) -> set[str]:
    """Every table of the store (events, keys, read models, sign-in tables, outbox) that holds
    one of these texts, in any case."""
    read_store = ReadStore.open(store)
    wanted = [text.casefold() for text in texts]
    try:
        if isinstance(read_store, PostgresReadStore):
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        found = set()
        for (table,) in read_store.read(sql):
            for row in read_store.read(f"SELECT * FROM {table}"):
                text = " ".join(_text(value) for value in row).casefold()
                if any(w in text for w in wanted):
                    found.add(table)
        return found
    finally:
        read_store.close()


def _text(value: Any) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)

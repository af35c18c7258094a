"""Sign-in attempts tell nothing of whether an e-mail has an account, even in a burst: the same
work for a known e-mail as for an unknown one (the same reads, comparisons and argon2
verifications, one record of the failure), and throttling checked and counted in one atomic
step, on both stores. Nothing here is timed: the work is counted with spies."""

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.services import Services
from application import credentials
from application.accounts.access import NewSession
from application.accounts.access_throttle import Throttle
from application.accounts.commands import NewAccount, RecordFailedLogin
from application.base import RaceLost
from application.commands import Command
from application.requests import Request
from contexts import open_services
from domain.accounts.access import AccountKind
from domain.accounts.account import account_id_of
from domain.accounts.throttling import ACCOUNT_POLICY
from domain.actor import Actor
from domain.contact_details import Email
from domain.errors import DomainError
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.sessions import MovableClock, body, code_in, last_mail_to, password_in

KNOWN = "claire.durand@boulangerie.fr"
UNKNOWN = "c.durand@boulangerie.fr"
ADDRESS = "203.0.113.7"
BURST = 100
EVALUATED_AT_ONCE = ACCOUNT_POLICY.free + 1
"""Guesses the account policy lets through before the first wait."""


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def outbox(tmp_path: Path) -> OutboxMailer:
    return OutboxMailer(tmp_path / "outbox")


@pytest.fixture
def services(store: StoreSettings, outbox: OutboxMailer, clock: MovableClock) -> Iterator[Services]:
    opened = open_services(store, run_projections=True, mailer=outbox, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def known(services: Services, outbox: OutboxMailer) -> UUID:
    """An account with a password (mailed) and, later, codes."""
    person = NewAccount(
        email=Email(KNOWN), last_name="Durand", first_name="Claire", function="Gérante"
    )
    account_id = services.access.open_service_account(
        Request(f"open-{uuid4().hex}"), person, AccountKind.SERVICE_STAFF
    ).aggregate_id
    services.access.issue_password(account_id, Actor("test"))
    services.settle()
    return account_id


class Spy:
    """Stands for `target`, noting in `calls` the name of each method called through it (of a
    command message sent to the application: its name in the command log)."""

    def __init__(self, target: Any, name: str, calls: list[tuple[str, str]]):
        self._target, self._name, self._calls = target, name, calls

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(self._target, attribute)
        if not callable(value):
            return value

        def called(*args: Any, **kwargs: Any) -> Any:
            named = args[1].command_name() if attribute == "handle" else attribute
            self._calls.append((self._name, named))
            return value(*args, **kwargs)

        return called


@pytest.fixture
def work(
    services: Services, monkeypatch: pytest.MonkeyPatch, cheap_secret_hashing: None
) -> list[tuple[str, str]]:
    """What access does, in order: the calls to its tables, to the application, to its keyed
    hashes and to argon2."""
    calls: list[tuple[str, str]] = []
    credentials.decoy_hash()  # made once per process, on first use: not part of any attempt
    access = services.access
    store = Spy(access.store, "store", calls)
    monkeypatch.setattr(access, "store", store)
    monkeypatch.setattr(access, "throttle", Throttle(store, access.clock))  # type: ignore[arg-type]
    monkeypatch.setattr(access, "registre", Spy(access.registre, "registre", calls))
    monkeypatch.setattr(access, "secrets", Spy(access.secrets, "secrets", calls))
    monkeypatch.setattr(credentials, "_hasher", Spy(credentials._hasher, "argon2", calls))
    return calls


def refusal(action: Callable[[], Any]) -> DomainError:
    with pytest.raises(DomainError) as refused:
        action()
    return refused.value


def work_of(calls: list[tuple[str, str]], action: Callable[[], Any]) -> list[tuple[str, str]]:
    calls.clear()
    refusal(action)
    return list(calls)


# The same work ---------------------------------------------------------------------------------


def test_a_wrong_code_costs_the_same_work_for_a_known_and_an_unknown_email(
    services: Services, outbox: OutboxMailer, known: UUID, work: list[tuple[str, str]]
) -> None:
    services.access.request_login_code(KNOWN, ADDRESS)  # a code is pending on the account
    access = services.access

    on_known = work_of(work, lambda: access.login_with_code(KNOWN, "00000000", ADDRESS))
    on_unknown = work_of(work, lambda: access.login_with_code(UNKNOWN, "00000000", ADDRESS))

    assert (
        on_known[:-1]
        == on_unknown[:-1]
        == [
            ("secrets", "digest"),
            ("store", "claim"),
            ("registre", "find_account"),
            ("store", "take_code"),
            ("secrets", "matches"),
        ]
    )
    # One record of the failure each: an event of the account, a line of the access log.
    assert (on_known[-1], on_unknown[-1]) == (
        ("registre", "record_failed_login"),
        ("store", "log"),
    )


def test_a_wrong_password_costs_one_argon2_verification_either_way(
    services: Services, known: UUID, work: list[tuple[str, str]]
) -> None:
    access = services.access

    on_known = work_of(work, lambda: access.login_with_password(KNOWN, "Pas-Le-Bon-1", ADDRESS))
    on_unknown = work_of(work, lambda: access.login_with_password(UNKNOWN, "Pas-Le-Bon-1", ADDRESS))

    assert (
        on_known[:-1]
        == on_unknown[:-1]
        == [
            ("secrets", "digest"),
            ("store", "claim"),
            ("registre", "find_account"),
            ("argon2", "verify"),
        ]
    )
    assert (on_known[-1], on_unknown[-1]) == (
        ("registre", "record_failed_login"),
        ("store", "log"),
    )


def test_a_forged_reset_link_costs_the_same_work_for_an_account_and_for_none(
    services: Services, known: UUID, work: list[tuple[str, str]]
) -> None:
    services.access.request_password_reset(KNOWN, ADDRESS)  # a link is pending on the account
    access = services.access
    forged = "Mot-De-Passe-Solide-2025"

    on_known = work_of(work, lambda: access.reset_password(f"{known}.forged", forged, ADDRESS))
    nobody = account_id_of(Email(UNKNOWN))
    on_unknown = work_of(work, lambda: access.reset_password(f"{nobody}.forged", forged, ADDRESS))

    assert (
        on_known
        == on_unknown
        == [
            ("store", "claim"),
            ("registre", "account"),
            ("store", "take_code"),
            ("secrets", "matches"),
        ]
    )


def test_a_failure_that_loses_its_races_is_refused_as_any_other(
    services: Services,
    known: UUID,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    handle = services.app.handle

    def lost(request: Request, command: Command[Any]) -> Any:
        if isinstance(command, RecordFailedLogin):
            raise RaceLost("perdu", current_version=1)
        return handle(request, command)

    monkeypatch.setattr(services.app, "handle", lost)

    with caplog.at_level(logging.WARNING):
        refused = refusal(lambda: services.access.login_with_code(KNOWN, "00000000", ADDRESS))

    assert (refused.code, type(refused).__name__) == ("LOGIN_REFUSED", "RuleViolation")
    assert "could not be added to its account's history" in caplog.text
    assert KNOWN not in caplog.text


# Bursts ------------------------------------------------------------------------------------------


def at_once(actions: list[Callable[[], Any]]) -> list[Any]:
    """Runs the actions in threads started together; each gives its result or its exception."""
    start = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        start.wait(timeout=30)
        try:
            results[index] = action()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def answer(result: Any) -> str:
    if isinstance(result, NewSession):
        return "SIGNED_IN"
    assert isinstance(result, DomainError), result
    return result.code


def failures_on(services: Services, email: str) -> int:
    key = f"email:{services.access.secrets.digest(email.casefold())}"
    counted = services.access.store.failures([key]).get(key)
    return 0 if counted is None else counted.count


def logins_failed(services: Services, account_id: UUID) -> int:
    events = services.app.events.get(account_id)
    return sum(type(event).__name__ == "LoginFailed" for event in events)


def burst_of_wrong_codes(services: Services, email: str, address: str) -> Counter[str]:
    guess = services.access.login_with_code
    return Counter(
        answer(result) for result in at_once([lambda: guess(email, "00000000", address)] * BURST)
    )


def test_a_burst_of_wrong_codes_gets_the_policys_guesses_and_answers_as_on_no_account(
    services: Services, known: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.access.request_login_code(KNOWN, ADDRESS)
    checks: list[tuple[str, str]] = []
    monkeypatch.setattr(services.access, "secrets", Spy(services.access.secrets, "", checks))

    on_known = burst_of_wrong_codes(services, KNOWN, "198.51.100.1")
    checks_on_known = checks.count(("", "matches"))
    on_unknown = burst_of_wrong_codes(services, UNKNOWN, "198.51.100.2")

    expected = {"LOGIN_REFUSED": EVALUATED_AT_ONCE, "TOO_MANY_ATTEMPTS": BURST - EVALUATED_AT_ONCE}
    assert on_known == on_unknown == expected
    assert checks_on_known == EVALUATED_AT_ONCE
    assert failures_on(services, KNOWN) == failures_on(services, UNKNOWN) == EVALUATED_AT_ONCE
    assert logins_failed(services, known) == EVALUATED_AT_ONCE
    address = services.access.store.failures(["address:198.51.100.1"])["address:198.51.100.1"]
    assert address.count == EVALUATED_AT_ONCE


def test_a_burst_with_the_right_code_in_it_counts_every_guess_it_lets_through(
    services: Services, outbox: OutboxMailer, known: UUID
) -> None:
    services.access.request_login_code(KNOWN, ADDRESS)
    code = code_in(last_mail_to(outbox, KNOWN))
    guess = services.access.login_with_code
    actions = [lambda: guess(KNOWN, "00000000", ADDRESS)] * BURST
    actions.insert(BURST // 2, lambda: guess(KNOWN, code, ADDRESS))

    results = at_once(actions)

    right = answer(results.pop(BURST // 2))
    wrong = Counter(answer(result) for result in results)
    assert set(wrong) <= {"LOGIN_REFUSED", "TOO_MANY_ATTEMPTS"}
    assert logins_failed(services, known) == wrong["LOGIN_REFUSED"]
    left = failures_on(services, KNOWN)
    if right == "TOO_MANY_ATTEMPTS":
        assert wrong["LOGIN_REFUSED"] == left == EVALUATED_AT_ONCE
    else:
        assert right == "SIGNED_IN"
        # The sign-in forgot the failures counted before it (fewer than the policy lets
        # through), not those of the guesses counted meanwhile: each of those still counts.
        assert 0 <= wrong["LOGIN_REFUSED"] - left < EVALUATED_AT_ONCE
        assert left <= EVALUATED_AT_ONCE


# What a success gives back ---------------------------------------------------------------------


def test_successful_sign_ins_do_not_use_up_the_addresss_allowance(
    services: Services, outbox: OutboxMailer, known: UUID
) -> None:
    password = password_in(last_mail_to(outbox, KNOWN))

    for _ in range(30):  # more than the address's free failures
        assert services.access.login_with_password(KNOWN, password, ADDRESS).account_id == known

    assert services.access.store.failures([f"address:{ADDRESS}"]) == {}
    assert failures_on(services, KNOWN) == 0


def test_a_weak_new_password_on_a_right_link_is_not_counted(
    services: Services, outbox: OutboxMailer, known: UUID
) -> None:
    services.access.request_password_reset(KNOWN, ADDRESS)
    token = re.findall(r"jeton=(\S+)", body(last_mail_to(outbox, KNOWN)))[-1]

    for _ in range(30):
        refused = refusal(lambda: services.access.reset_password(token, "faible", ADDRESS))
        assert refused.code != "TOO_MANY_ATTEMPTS"

    assert services.access.store.failures([f"address:{ADDRESS}"]) == {}


def test_a_typed_member_code_is_counted_under_a_keyed_hash(services: Services) -> None:
    """Whatever is typed as a member code (here a NUL, which PostgreSQL text refuses) is
    refused as a wrong pair, and counted without being stored."""
    typed = "000\x0010"
    person = NewAccount(
        email=Email(KNOWN), last_name="Durand", first_name="Claire", function="Gérante"
    )

    refused = refusal(
        lambda: services.access.create_first_account(
            request_id=uuid4().hex,
            member_code=typed,
            declarant_number="12345678",
            person=person,
            email_confirmation=KNOWN,
            third_party_declarant=False,
            address=ADDRESS,
        )
    )

    assert refused.code == "WRONG_MEMBER_CODES"
    key = f"pair:{services.access.secrets.digest(typed)}"
    assert services.access.store.failures([key])[key].count == 1

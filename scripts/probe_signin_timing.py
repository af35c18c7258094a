"""Probe of the sign-in operations: do they answer an e-mail with an account as they answer one
without, in time and in content?

    python scripts/probe_signin_timing.py [--database-url URL] [--tries 30] [--warm-up 3]
        [--stores sqlite,postgres] [--floor-ms MS]

Through the GraphQL API (Litestar's test client, the mutations as the portal calls them), for
each operation open to someone not signed in, it alternates an e-mail that has an account (with a
password and a pending code) and one that has none, `--tries` times each, and prints, as a
markdown table, the median and the 90th percentile of each, their ratios (known / unknown) and
whether every answer had the same content (type, code, message, field). Each try uses fresh
e-mails and moves the service's clock past the throttling's memory, so no answer is a refusal
for too many attempts.

`--floor-ms` sets the floor the answers are held to (`REGISTRE_ANSWER_FLOOR_MS`, by default the
service's own); `--floor-ms 0` shows what the same work alone gives.

Stores: SQLite (read models in the API process, as `registre serve` runs by default) and
PostgreSQL with a worker (`REGISTRE_RUN_PROJECTIONS=0` and a `registre project` process, in a
scratch schema dropped at the end). Passwords are hashed with argon2's default (production)
parameters.
"""

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from uuid import uuid4

import benchkit
from litestar.testing import TestClient

from api.services import Services
from application.accounts.access_settings import DEFAULT_ANSWER_FLOOR_MS
from application.accounts.commands import NewAccount, OpenAccount
from application.requests import Request
from contexts import create_app, open_services
from domain.accounts.access import AccountKind
from domain.accounts.account import account_id_of
from domain.accounts.throttling import ACCOUNT_POLICY
from domain.actor import Actor
from domain.calendar import SystemClock
from domain.contact_details import Email
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings

FAILURE_FIELDS = """
  ... on ValidationError { code message field }
  ... on NotFoundError { code message }
  ... on ConflictError { code message currentVersion }
  ... on RuleViolationError { code message field }
"""
MAIL = "mutation($email: String!) {{ {name}(email: $email) {{ __typename {failures} }} }}"
OPERATIONS = {
    "requestLoginCode": MAIL.format(name="requestLoginCode", failures=FAILURE_FIELDS),
    "loginWithCode": (
        "mutation($email: String!, $secret: String!) {"
        f" loginWithCode(email: $email, code: $secret) {{ __typename {FAILURE_FIELDS} }} }}"
    ),
    "loginWithPassword": (
        "mutation($email: String!, $secret: String!) {"
        f" loginWithPassword(email: $email, password: $secret) {{ __typename {FAILURE_FIELDS} }} }}"
    ),
    "requestPasswordReset": MAIL.format(name="requestPasswordReset", failures=FAILURE_FIELDS),
    "resetPassword": (
        "mutation($secret: String!) {"
        ' resetPassword(token: $secret, newPassword: "Un-Nouveau-Mot-2025")'
        f" {{ __typename {FAILURE_FIELDS} }} }}"
    ),
}
WRONG_CODE = "00000000"
WRONG_PASSWORD = "Pas-Le-Bon-Mot-De-Passe-1"
KNOWN, UNKNOWN = "known", "unknown"
BURST = 50
"""Wrong codes sent at once on one e-mail, with an account and without."""


class StepClock(SystemClock):
    """The service's clock, moved forward between tries so that throttling forgets them."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return super().now() + self.offset

    def step(self) -> None:
        self.offset += ACCOUNT_POLICY.forget_after + timedelta(minutes=1)


@dataclass
class Samples:
    seconds: dict[str, list[float]] = field(default_factory=lambda: {KNOWN: [], UNKNOWN: []})
    answers: dict[str, set[str]] = field(default_factory=lambda: {KNOWN: set(), UNKNOWN: set()})

    def median_ms(self, who: str) -> float:
        return statistics.median(self.seconds[who]) * 1000

    def p90_ms(self, who: str) -> float:
        return statistics.quantiles(self.seconds[who], n=10)[-1] * 1000

    @property
    def same_answer(self) -> bool:
        return self.answers[KNOWN] == self.answers[UNKNOWN] and len(self.answers[KNOWN]) == 1


def call(client: TestClient, operation: str, variables: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    response = client.post(
        "/graphql", json={"query": OPERATIONS[operation], "variables": variables}
    )
    elapsed = time.perf_counter() - started
    body = response.json()
    if "errors" in body:
        raise RuntimeError(f"{operation}: {body['errors']}")
    return elapsed, repr(sorted(body["data"][operation].items()))


def open_account_with_password(services: Services, email: str) -> None:
    person = NewAccount(
        email=Email(email), last_name="Essai", first_name="Sonde", function="Gestionnaire"
    )
    result = services.app.handle(
        Request(f"probe-{uuid4().hex}"), OpenAccount(person=person, kind=AccountKind.SERVICE_STAFF)
    )
    services.access.issue_password(result.aggregate_id, Actor("probe"))


def variables_for(operation: str, email: str, services: Services | None = None) -> dict[str, str]:
    if operation in {"requestLoginCode", "requestPasswordReset"}:
        return {"email": email}
    if operation == "loginWithCode":
        return {"email": email, "secret": WRONG_CODE}
    if operation == "loginWithPassword":
        return {"email": email, "secret": WRONG_PASSWORD}
    account = None if services is None else services.app.find_account(Email(email))
    account_id = account_id_of(Email(email)) if account is None else account.id
    return {"secret": f"{account_id}.{uuid4().hex}"}


def burst(client: TestClient, email: str, size: int) -> Counter[str]:
    """`size` wrong codes for `email` sent at once: how many got each answer (by its code)."""
    start = threading.Barrier(size)

    def guess(_: int) -> str:
        start.wait(timeout=30)
        variables = variables_for("loginWithCode", email)
        query = {"query": OPERATIONS["loginWithCode"], "variables": variables}
        return str(client.post("/graphql", json=query).json()["data"]["loginWithCode"]["code"])

    with ThreadPoolExecutor(max_workers=size) as pool:
        return Counter(pool.map(guess, range(size)))


def probe(
    services: Services, clock: StepClock, tries: int, warm_up: int
) -> tuple[dict[str, Samples], dict[str, Counter[str]]]:
    samples = {operation: Samples() for operation in OPERATIONS}
    known = [f"sonde-{n}-{uuid4().hex[:6]}@service.example" for n in range(tries + warm_up)]
    for email in known:
        open_account_with_password(services, email)
    services.settle()
    with TestClient(create_app(services)) as client:
        for n, known_email in enumerate(known):
            clock.step()
            emails = {KNOWN: known_email, UNKNOWN: f"personne-{uuid4().hex[:8]}@ailleurs.example"}
            for operation in OPERATIONS:
                order = (KNOWN, UNKNOWN) if (n + len(operation)) % 2 else (UNKNOWN, KNOWN)
                for who in order:
                    variables = variables_for(operation, emails[who], services)
                    elapsed, answer = call(client, operation, variables)
                    if n >= warm_up:
                        samples[operation].seconds[who].append(elapsed)
                        samples[operation].answers[who].add(answer)
        clock.step()
        call(client, "requestLoginCode", {"email": known[0]})  # a code pending, as in the tries
        stranger = f"rafale-{uuid4().hex[:8]}@ailleurs.example"
        bursts = {KNOWN: burst(client, known[0], BURST), UNKNOWN: burst(client, stranger, BURST)}
    return samples, bursts


def report(store: str, samples: dict[str, Samples], bursts: dict[str, Counter[str]]) -> None:
    tries = len(samples["loginWithCode"].seconds[KNOWN])
    floor = os.environ.get("REGISTRE_ANSWER_FLOOR_MS", f"{DEFAULT_ANSWER_FLOOR_MS} (default)")
    print(f"\n{store}: {tries} tries of each, answer floor {floor} ms\n")
    print(
        "| operation | median known / unknown (ms) | ratio | p90 known / unknown (ms) | ratio"
        " | same answer |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for operation, sample in samples.items():
        median = sample.median_ms(KNOWN), sample.median_ms(UNKNOWN)
        p90 = sample.p90_ms(KNOWN), sample.p90_ms(UNKNOWN)
        same = "yes" if sample.same_answer else f"NO: {sample.answers}"
        print(
            f"| `{operation}` | {median[0]:.1f} / {median[1]:.1f} | {median[0] / median[1]:.2f}"
            f" | {p90[0]:.1f} / {p90[1]:.1f} | {p90[0] / p90[1]:.2f} | {same} |"
        )
    answers = {
        who: ", ".join(f"{n} {code}" for code, n in sorted(c.items())) for who, c in bursts.items()
    }
    same = "the same" if bursts[KNOWN] == bursts[UNKNOWN] else "NOT the same"
    print(
        f"\n{BURST} wrong codes at once: known e-mail {answers[KNOWN]};"
        f" unknown e-mail {answers[UNKNOWN]} ({same})."
    )


@contextmanager
def projection_worker(url: str) -> Iterator[None]:
    """`registre project` in its own process, as in production with PostgreSQL."""
    registre = Path(sys.executable).with_name("registre")
    worker = subprocess.Popen(
        [str(registre), "project"],
        env={**os.environ, "REGISTRE_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def run_store(
    name: str, open_settings: Callable[[Path], Iterator[StoreSettings]], args: argparse.Namespace
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for settings in open_settings(Path(folder)):
            clock = StepClock()
            outbox = OutboxMailer(Path(folder) / "outbox")
            worker = settings.is_postgres
            services = open_services(
                settings, run_projections=not worker, mailer=outbox, clock=clock
            )
            try:
                if worker:
                    with projection_worker(settings.url):
                        samples, bursts = probe(services, clock, args.tries, args.warm_up)
                else:
                    samples, bursts = probe(services, clock, args.tries, args.warm_up)
            finally:
                services.close()
            report(name, samples, bursts)


def sqlite_settings(folder: Path) -> Iterator[StoreSettings]:
    yield StoreSettings(url=f"sqlite:///{folder / 'registre.sqlite3'}", data_dir=folder)


def postgres_settings(database_url: str) -> Callable[[Path], Iterator[StoreSettings]]:
    def settings(folder: Path) -> Iterator[StoreSettings]:
        with benchkit.fresh_schema(database_url, "probe_signin") as schema:
            url = benchkit.store_url(database_url, schema, "pool_size=10")
            yield StoreSettings(url=url, data_dir=folder)

    return settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=benchkit.DEFAULT_DATABASE_URL)
    parser.add_argument("--tries", type=int, default=30)
    parser.add_argument("--warm-up", type=int, default=3)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--floor-ms", type=float, help="the answer floor (default: the service's)")
    args = parser.parse_args()
    benchkit.ensure_master_key()
    os.environ.pop("REGISTRE_SMTP_HOST", None)
    if args.floor_ms is not None:
        os.environ["REGISTRE_ANSWER_FLOOR_MS"] = str(args.floor_ms)
    logging.disable(logging.WARNING)  # a line per request and per mail otherwise
    stores = {
        "SQLite (read models in the API process)": ("sqlite", sqlite_settings),
        "PostgreSQL (read models in a `registre project` worker)": (
            "postgres",
            postgres_settings(args.database_url),
        ),
    }
    chosen = set(args.stores.split(","))
    for title, (key, open_settings) in stores.items():
        if key in chosen:
            run_store(title, open_settings, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Crash probe: concurrent hires while the API and the read-model worker are killed with SIGKILL.

    python scripts/probe_crash.py [--database-url URL] [--threads 8] [--seconds 90] [--kills 6]
                                   [--seed N]

On a scratch PostgreSQL schema (dropped at the end) it starts `registre serve`
(REGISTRE_RUN_PROJECTIONS=0) and a `registre project` worker, signs in as the demo member's
manager (member 00010) and as the service's staff (who registers member 00020), then `--threads`
clients hire employees into the two members for `--seconds`, each request with a request id the
client keeps. Meanwhile the API, the worker or both are killed `--kills` times (kill -9, at random
moments) and started again. A client whose answer was lost sends the same request again, with the
same request id, until it is answered; before each resend it looks whether the command log holds
that request id already (the first attempt was saved), to count the retries the log answered.

At the end it checks, and prints with the figures:
- durable: every answered hire is an employee with the name sent, through the API;
- no duplicate: each request id made exactly one employee (names are unique per request), and a
  retry answered from the log got the first attempt's employee;
- exactly once: once the worker has caught up, every read model equals the one
  `registre projections rebuild` makes from event zero, row for row, all columns.
Exit status 1 when a check fails. The figures of a run are in docs/GUARANTEES.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import benchkit
import httpx
import msgspec

sys.path.insert(0, str(benchkit.ROOT))  # the tests' helpers below: starting serve, signing in

from application.registre import Registre
from application.requests import CommandResult
from contexts import READ_MODELS
from messaging.mailer import OutboxMailer
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from storage.settings import StoreSettings
from tests.api.graphql_client import (
    DECLARANT_NUMBER,
    HIRE,
    HIRE_DATE,
    REGISTER,
    SIRET,
    a_contract,
    an_identity,
)
from tests.api.sessions import LOGIN_WITH_CODE, REQUEST_CODE, code_in, last_mail_to
from tests.integration.test_rebuild_equivalence import differences, read_tables
from tests.integration.test_serve import (
    first_account_token,
    free_port,
    graphql,
    printed_declarant_number,
    wait_for_health,
)

REGISTRE = str(Path(sys.executable).with_name("registre"))
STAFF_EMAIL = "sonde@service-sante.example"
FIRST_NAMES = ("Camille", "Léa", "Inès", "Lucas", "Hugo", "Théo")
NAME_PREFIX = "SONDE"
RESEND_PAUSE = 0.3
EMPLOYEES = """query($member: UUID!, $after: String) {
  employees(memberId: $member, first: 100, after: $after) {
    edges { node { id firstName birthName } } pageInfo { hasNextPage endCursor }
  }
}"""
EMPLOYEE = "query($id: UUID!) { employee(id: $id) { id firstName birthName status } }"


@dataclass
class Hire:
    """One request as its client keeps it: the id it chose, what it sent, what it was answered."""

    request_id: str
    member_id: str
    birth_name: str
    first_name: str
    answer: dict[str, Any] | None = None
    cut: int = 0
    """Answers lost: the connection was cut (or the answer unreadable) once the request was sent."""
    refused: int = 0
    """Sends refused: the API was down."""
    answered_from_log: bool = False
    logged_result: CommandResult | None = None

    def input(self) -> dict[str, Any]:
        return {
            "requestId": self.request_id,
            "memberId": self.member_id,
            "identity": an_identity(self.first_name, self.birth_name),
            "hireDate": HIRE_DATE.isoformat(),
            "terms": a_contract(),
        }


@dataclass
class Figures:
    hires: list[Hire] = field(default_factory=list)
    kills: Counter[str] = field(default_factory=Counter)
    api_down_seconds: list[float] = field(default_factory=list)
    """From each kill of the API to its next answer to /health."""
    load_seconds: float = 0.0


class Processes:
    """`registre serve` and `registre project` on one store, killed and started again."""

    def __init__(self, env: dict[str, str], folder: Path, port: int):
        self.env, self.folder, self.port = env, folder, port
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.logs: dict[str, IO[bytes]] = {}

    def start(self, name: str) -> None:
        log = self.logs.get(name) or (self.folder / f"{name}.log").open("ab")
        self.logs[name] = log
        command = ["serve", "--port", str(self.port)] if name == "api" else ["project"]
        self.running[name] = subprocess.Popen(
            [REGISTRE, *command], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        if name == "api":
            wait_for_health(self.port)

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        process.kill()
        process.wait(timeout=20)

    def stop(self) -> None:
        for process in self.running.values():
            process.terminate()
        for process in self.running.values():
            process.wait(timeout=30)
        for log in self.logs.values():
            log.close()

    def print_tails(self, size: int = 3000) -> None:
        for name in self.logs:
            text = (self.folder / f"{name}.log").read_text(errors="replace")
            print(f"--- {name}.log (end) ---\n{text[-size:]}")


def staff_token(port: int, env: dict[str, str], outbox: Path) -> str:
    """A staff account opened as an operator does, signed in with the code mailed to it."""
    command = [REGISTRE, "users", "create-staff", "--email", STAFF_EMAIL]
    command += ["--last-name", "Sonde", "--first-name", "Alex"]
    subprocess.run(command, env=env, check=True, capture_output=True)
    asked = graphql(port, REQUEST_CODE, email=STAFF_EMAIL)["data"]["requestLoginCode"]
    assert asked["__typename"] == "MailSent", asked
    code = code_in(last_mail_to(OutboxMailer(outbox), STAFF_EMAIL))
    signed_in = graphql(port, LOGIN_WITH_CODE, email=STAFF_EMAIL, code=code)["data"]
    token: str = signed_in["loginWithCode"]["token"]
    return token


def register_second_member(port: int, token: str) -> str:
    registered = {
        "requestId": "probe-member-00020",
        "memberCode": "00020",
        "declarantNumber": DECLARANT_NUMBER,
        "legalName": "Menuiserie Sonde",
        "siret": SIRET,
    }
    reply = graphql(port, REGISTER, token, input=registered)["data"]["registerMember"]
    assert reply["__typename"] == "RegisterMemberSuccess", reply
    member_id: str = reply["aggregateId"]
    return member_id


def name_of(number: int) -> str:
    """A birth name of letters only, unique to the request's number."""
    letters = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        letters = chr(ord("A") + digit) + letters
    return NAME_PREFIX + letters


def send_until_answered(port: int, token: str, hire: Hire, app: Registre) -> None:
    """Send the hire; while its answer is lost, send it again with the same request id. Before
    each resend, look whether the command log holds the request id (the lost attempt was saved)."""
    while True:
        logged = cast(Any, app.recorder).find_command(hire.request_id) if hire.cut else None
        try:
            reply = graphql(port, HIRE, token, input=hire.input())
        except httpx.ConnectError:
            hire.refused += 1
            time.sleep(RESEND_PAUSE)
            continue
        except (httpx.TransportError, ValueError):  # killed mid-request, or the answer cut short
            hire.cut += 1
            time.sleep(RESEND_PAUSE)
            continue
        answered = (reply.get("data") or {}).get("hireEmployee")
        hire.answer = answered or {"errors": reply.get("errors")}
        if logged is not None:
            hire.answered_from_log = True
            hire.logged_result = msgspec.json.decode(logged.result, type=CommandResult)
        return


@dataclass
class Load:
    """What the clients share: the members with the token that hires into each, the API's port,
    the application (to look into the command log), the request numbers and the figures."""

    members: list[tuple[str, str]]
    port: int
    app: Registre
    stop: threading.Event = field(default_factory=threading.Event)
    numbers: itertools.count[int] = field(default_factory=itertools.count)
    figures: Figures = field(default_factory=Figures)


def client(load: Load) -> None:
    while not load.stop.is_set():
        n = next(load.numbers)
        member_id, token = load.members[n % len(load.members)]
        hire = Hire(f"probe-{n:05d}", member_id, name_of(n), FIRST_NAMES[n % len(FIRST_NAMES)])
        load.figures.hires.append(hire)
        send_until_answered(load.port, token, hire, load.app)


def kill_at_random(processes: Processes, args: argparse.Namespace, figures: Figures) -> None:
    """`--kills` kills at random moments of the load: the API, the worker, or both at once."""
    rng = random.Random(args.seed)
    moments = sorted(rng.uniform(0.1, 0.85) * args.seconds for _ in range(args.kills))
    cycle = [("api",), ("worker",), ("api", "worker")]
    targets = [cycle[i % len(cycle)] for i in range(args.kills)]
    rng.shuffle(targets)
    started = time.monotonic()
    for moment, names in zip(moments, targets, strict=True):
        time.sleep(max(0.0, started + moment - time.monotonic()))
        killed_at = time.monotonic()
        for name in names:
            processes.kill(name)
            figures.kills[name] += 1
        time.sleep(rng.uniform(0.0, 1.5))
        for name in names:
            processes.start(name)
        if "api" in names:
            figures.api_down_seconds.append(time.monotonic() - killed_at)
    time.sleep(max(0.0, started + args.seconds - time.monotonic()))


def run_load(processes: Processes, load: Load, args: argparse.Namespace) -> Figures:
    threads = [threading.Thread(target=client, args=(load,)) for _ in range(args.threads)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        kill_at_random(processes, args, load.figures)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join()
    load.figures.load_seconds = time.monotonic() - started
    return load.figures


def check_answers(figures: Figures, port: int, token: str, members: list[str]) -> list[str]:
    """Durable and no duplicate, through the API; the problems found."""
    problems = []
    for hire in figures.hires:
        answer = hire.answer or {}
        if answer.get("__typename") != "HireEmployeeSuccess":
            problems.append(f"{hire.request_id}: not a success: {answer}")
            continue
        if hire.logged_result and str(hire.logged_result.aggregate_id) != answer["aggregateId"]:
            problems.append(f"{hire.request_id}: the retry was not answered with the first result")
        kept = graphql(port, EMPLOYEE, token, id=answer["aggregateId"])["data"]["employee"]
        expected = {"firstName": hire.first_name, "birthName": hire.birth_name, "status": "ACTIVE"}
        if kept is None or {k: kept[k] for k in expected} != expected:
            problems.append(f"{hire.request_id}: answered, but not kept as sent: {kept}")
    made: Counter[str] = Counter()
    for member_id in members:
        made.update(e["birthName"] for e in employees_of(port, token, member_id))
    sent = Counter(hire.birth_name for hire in figures.hires)
    for name in sorted(made.keys() | sent.keys()):
        if made[name] != sent[name]:
            problems.append(f"{name}: {sent[name]} request(s), {made[name]} employee(s)")
    print(f"read back through the API: {len(figures.hires)} hires, {made.total()} employees")
    return problems


def employees_of(port: int, token: str, member_id: str) -> list[dict[str, Any]]:
    found, after = [], None
    while True:
        page = graphql(port, EMPLOYEES, token, member=member_id, after=after)["data"]["employees"]
        nodes = [edge["node"] for edge in page["edges"]]
        found += [node for node in nodes if node["birthName"].startswith(NAME_PREFIX)]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def check_read_models(settings: StoreSettings, app: Registre, env: dict[str, str]) -> list[str]:
    """Once the worker has caught up: the live read models equal a rebuild from event zero."""
    with closing(ReadStore.open(settings)) as read_store:
        runner = ProjectionRunner(app, read_store, READ_MODELS)
        deadline = time.monotonic() + 120
        while any(s.lag_events for s in runner.status()):
            if time.monotonic() > deadline:
                return ["the worker did not catch up within 2 minutes"]
            time.sleep(0.5)
        skipped = [f"{f.name}: event {f.position} ({f.topic}) skipped" for f in runner.failures()]
        live_generations = runner.active_generations()
        live = read_tables(read_store, live_generations)
        subprocess.run(
            [REGISTRE, "projections", "rebuild"], env=env, check=True, capture_output=True
        )
        rebuilt_generations = runner.active_generations()
        if any(rebuilt_generations[n] <= g for n, g in live_generations.items()):
            return [f"no new generation: {live_generations} → {rebuilt_generations}"]
        found = differences(live, read_tables(read_store, rebuilt_generations))
        rows = sum(len(r) for r in live.values())
        print(f"read models: {len(live)} tables, {rows} rows compared with a rebuild")
        return skipped + [f"{table}: {diff}" for table, diff in found.items()]


def report(figures: Figures) -> None:
    hires = figures.hires
    successes = [h for h in hires if (h.answer or {}).get("__typename") == "HireEmployeeSuccess"]
    sent_again = [h for h in hires if h.cut or h.refused]
    from_log = [h for h in hires if h.answered_from_log]
    print(f"requests (request ids): {len(hires)}")
    print(f"successes: {len(successes)}")
    print(f"answers lost (connection cut after sending): {sum(h.cut for h in hires)}")
    print(f"sends refused (API down): {sum(h.refused for h in hires)}")
    print(f"requests sent again with their request id: {len(sent_again)}")
    print(f"  answered from the command log (the first attempt was saved): {len(from_log)}")
    print(f"kills (kill -9): API {figures.kills['api']}, worker {figures.kills['worker']}")
    if figures.api_down_seconds:
        down = ", ".join(f"{seconds:.1f}" for seconds in figures.api_down_seconds)
        print(f"API unavailable after each kill (s, until /health answers again): {down}")
    print(
        f"load: {figures.load_seconds:.1f} s,"
        f" {len(successes) / figures.load_seconds:.1f} successes/s\n"
    )


def probe(args: argparse.Namespace, folder: Path, schema: str) -> list[str]:
    url = benchkit.store_url(args.database_url, schema, "pool_size=10")
    settings = StoreSettings(url=url, data_dir=folder)
    outbox = folder / "outbox"
    env = {
        **os.environ,
        "REGISTRE_DATABASE_URL": url,
        "REGISTRE_DATA_DIR": str(folder),
        "REGISTRE_OUTBOX_DIR": str(outbox),
        "REGISTRE_RUN_PROJECTIONS": "0",
    }
    env.pop("REGISTRE_SMTP_HOST", None)
    processes = Processes(env, folder, free_port())
    with ExitStack() as stack:
        stack.callback(processes.stop)
        try:
            processes.start("api")
            processes.start("worker")
            port = processes.port
            manager = first_account_token(
                port, outbox, printed_declarant_number(folder / "api.log")
            )
            staff = staff_token(port, env, outbox)
            demo = graphql(port, '{ memberByCode(code: "00010") { id } }', manager)
            members = [
                (demo["data"]["memberByCode"]["id"], manager),
                (register_second_member(port, staff), staff),
            ]
            app = Registre(settings)
            stack.callback(app.close)
            started = time.monotonic()
            figures = run_load(processes, Load(members, port, app), args)
            report(figures)
            problems = check_answers(figures, port, staff, [m for m, _ in members])
            problems += check_read_models(settings, app, env)
        except BaseException:
            processes.print_tails()
            raise
        print(f"duration (load and checks): {time.monotonic() - started:.1f} s")
        print("\n".join(["checks: all passed"] if not problems else ["PROBLEMS:", *problems[:30]]))
        if problems:
            processes.print_tails()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    benchkit.add_database_argument(parser)
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=90.0, help="duration of the load")
    parser.add_argument("--kills", type=int, default=6, help="kill -9 of the API or the worker")
    parser.add_argument("--seed", type=int, default=None, help="seed of the kills' moments")
    args = parser.parse_args()
    benchkit.ensure_master_key()
    print(benchkit.machine_facts(args.database_url, load_average=True))
    print(f"{args.threads} clients, {args.seconds:.0f} s of load, {args.kills} kills\n")
    with (
        tempfile.TemporaryDirectory() as folder,
        benchkit.fresh_schema(args.database_url, "probe_crash") as schema,
    ):
        problems = probe(args, Path(folder), schema)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

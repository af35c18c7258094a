"""Billing benchmark: the contribution invoices of a whole campaign, and their documents.

    python scripts/bench_invoices.py [--database-url URL] [--members 50000] [--threads 1,4]
                                     [--documents 300] [--label TEXT] [--report PATH]

In a fresh PostgreSQL schema (dropped at the end), M members are registered (saved in batches,
as set-up), then the contribution invoice of each (seed 000: 3 × 79 € + 150 €) is issued by the
command the service's process sends after a confirmation, `IssueContributionInvoice`, from T
threads at once (they race for the next number: a race lost is decided again). Measured: the
invoices numbered and recorded per second, and the numbers checked — 1 to M, each once, no gap.
Then D documents (Factur-X PDF/A-3b with its CII XML) are rendered in this process, and the
documents per second per core are measured from the process's CPU time.

Goals (issue 12): all 50,000 invoices in under 60 s, with no gap; at least 100 documents per
second per core. Results go to docs/BENCHMARKS.md between `<!-- bench_invoices:start -->` and
`<!-- bench_invoices:end -->`, one subsection per `--label`.
"""

import argparse
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import benchkit
import msgspec
from eventsourcing.utils import get_topic

from application.billing.commands import ChangeSeller, SetBillingTerms
from application.billing.contributions import (
    ConfirmedContribution,
    IssueContributionInvoice,
    IssueContributionInvoices,
)
from application.billing.documents.document import invoice_document
from application.commands import Command
from application.registre import Registre
from application.requests import Request
from domain.actor import Actor
from domain.address import Address
from domain.billing.invoice import Invoice
from domain.billing.parties import Bic, CreditorId, Seller
from domain.billing.terms import BillingTerms
from domain.calendar import SYSTEM_CLOCK, SetClock, stamping_at
from domain.declaration.contribution import Contribution
from domain.errors import Conflict
from domain.identifiers import Iban, Siret, VatNumber
from domain.members.member import Member
from domain.money import Money
from storage.settings import StoreSettings

YEAR = 2026
SEED_000 = Contribution(3, Money.euros(79), Money.euros(150))
SELLER = Seller(
    legal_name="Service de santé au travail (banc d'essai)",
    siret=Siret("73282932000074"),
    vat_number=VatNumber("FR44732829320"),
    address=Address(("12 rue de la Santé",), "13001", "Marseille"),
    creditor_id=CreditorId("FR72ZZZ123456"),
    iban=Iban("FR7630006000011234567890189"),
    bic=Bic("AGRIFRPP"),
    electronic_address="732829320",
)
ISSUED_TOPIC = get_topic(Invoice.InvoiceIssued)  # type: ignore[attr-defined]
SETUP_BATCH = 500
POOL_QUERY = "pool_size=12&max_overflow=4"
SECTION = benchkit.ReportSection(
    name="bench_invoices",
    intro=(
        "Contribution invoices of a campaign issued by `IssueContributionInvoice` (the command the"
        " billing process sends after each confirmation), on PostgreSQL, and Factur-X documents"
        " rendered (`scripts/bench_invoices.py`)."
    ),
    columns=("measure", "value", "goal", "met?"),
    alignments="|---|---:|---:|---|",
)


def register_members(app: Registre, count: int) -> list[UUID]:
    """Set-up: `count` members saved in batches (their registration events, no command)."""
    actor = Actor("bench")
    ids: list[UUID] = []
    with stamping_at(app.clock.now()):
        for start in range(0, count, SETUP_BATCH):
            batch = [
                Member.register(
                    member_code=f"{n:06d}",
                    declarant_number_hash="-",
                    legal_name=f"Adhérent {n}",
                    siret=Siret("73282932000033"),
                    actor=actor,
                )
                for n in range(start, min(count, start + SETUP_BATCH))
            ]
            app.save(*batch)
            ids += [member.id for member in batch]
    return ids


def issue_all(app: Registre, members: Sequence[UUID], threads: int, batch: int) -> float:
    """Seconds to issue one contribution invoice per member from `threads` threads, `batch`
    confirmations per command (1: `IssueContributionInvoice`, more: `IssueContributionInvoices`
    as the billing process sends the confirmations it reads together)."""
    shares = [members[i::threads] for i in range(threads)]

    def confirmed(member_id: UUID) -> ConfirmedContribution:
        return ConfirmedContribution(
            declaration_id=uuid4(),
            member_id=member_id,
            year=YEAR,
            edition=1,
            contribution=SEED_000,
            reference_date=date(YEAR - 1, 12, 31),
        )

    def issue(share: Sequence[UUID]) -> None:
        for start in range(0, len(share), batch):
            chunk = [confirmed(member_id) for member_id in share[start : start + batch]]
            message: Command[Any] = (
                IssueContributionInvoice(**msgspec.structs.asdict(chunk[0]))
                if batch == 1
                else IssueContributionInvoices(confirmations=tuple(chunk))
            )
            request = Request.by(str(uuid4()), "system")
            while True:
                try:
                    app.handle(request, message)
                    break
                except Conflict:
                    continue

    workers = [threading.Thread(target=issue, args=(share,)) for share in shares]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - began


def gapless(app: Registre, expected: int) -> bool:
    notifications = app.recorder.select_notifications(
        start=1, limit=10_000_000, topics=[ISSUED_TOPIC]
    )
    numbers = sorted(
        int(app.repository.get(n.originator_id).issued.number.removeprefix("F"))
        for n in notifications
    )
    return numbers == list(range(1, expected + 1))


def render_rate(app: Registre, invoice_ids: Sequence[UUID]) -> float:
    """Documents per CPU-second of this process."""
    invoices: list[Invoice] = [app.repository.get(i) for i in invoice_ids]
    began = time.process_time()
    for invoice in invoices:
        invoice_document(invoice.issued)
    return len(invoices) / (time.process_time() - began)


Rows = list[tuple[str, ...]]


def measure(args: argparse.Namespace, threads: int, batch: int) -> tuple[Rows, bool]:
    """One run in a fresh schema: its table rows, and whether the numbers had no gap."""
    rows: Rows = []
    with (
        benchkit.fresh_schema(args.database_url, "bench_invoices") as schema,
        tempfile.TemporaryDirectory() as data_dir,
    ):
        url = benchkit.store_url(args.database_url, schema, POOL_QUERY)
        clock = SetClock(datetime(YEAR, 1, 20, 9, tzinfo=UTC))
        app = Registre(StoreSettings(url=url, data_dir=Path(data_dir)), clock=clock)
        try:
            app.handle(Request.by(str(uuid4()), "staff"), ChangeSeller(seller=SELLER))
            terms = BillingTerms(
                YEAR, Money.euros(13), 30, Decimal("0.1215"), Decimal("0.07"), date(YEAR, 2, 15)
            )
            app.handle(Request.by(str(uuid4()), "staff"), SetBillingTerms(terms=terms))
            members = register_members(app, args.members)
            how = f"{threads} thread(s), {batch} per command"
            print(f"{len(members)} members registered; issuing with {how}…", flush=True)
            rate = len(members) / issue_all(app, members, threads, batch)
            ok = gapless(app, len(members))
            rows.append(
                (f"{len(members):,} invoices, {how}: invoices/s", f"{rate:,.0f}", "≥ 834", "—")
            )
            rows.append(
                (
                    f"… 50,000 invoices would take (s); numbers 1..N without gap: {ok}",
                    f"{50_000 / rate:,.1f}",
                    "< 60",
                    benchkit.met_cell(50_000 / rate < 60 and ok),
                )
            )
            if threads == 1 and batch == 1:
                notifications = app.recorder.select_notifications(
                    start=1, limit=args.documents, topics=[ISSUED_TOPIC]
                )
                per_core = render_rate(app, [n.originator_id for n in notifications])
                rows.append(
                    (
                        f"{len(notifications)} documents (PDF/A-3b + CII XML): per CPU-second",
                        f"{per_core:,.1f}",
                        "≥ 100",
                        benchkit.met_cell(per_core >= 100),
                    )
                )
        finally:
            app.close()
    return rows, ok


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    benchkit.add_database_argument(parser)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--threads", default="1,4", help="issuing threads, one run each")
    parser.add_argument(
        "--batches", default="1,500", help="confirmations per command, one run each (threads 1)"
    )
    parser.add_argument("--documents", type=int, default=300)
    benchkit.add_report_arguments(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    benchkit.ensure_master_key()
    when = SYSTEM_CLOCK.now()
    rows: list[tuple[str, ...]] = []
    all_gapless = True
    runs = [(int(t), 1) for t in args.threads.split(",")]
    runs += [(1, int(b)) for b in args.batches.split(",") if int(b) > 1]
    for threads, batch in runs:
        measured, ok = measure(args, threads, batch)
        rows += measured
        all_gapless &= ok
    run = benchkit.Run(
        label=args.label,
        when=when,
        machine=benchkit.machine_facts(args.database_url, load_average=True),
        facts=(f"Members: {args.members:,}; threads: {args.threads}; per command: {args.batches}",),
        rows=tuple(rows),
    )
    print(SECTION.render_console(run))
    SECTION.update_file(args.report, run)
    print(f"\nWritten to {benchkit.shown(args.report)}")
    return 0 if all_gapless else 1


if __name__ == "__main__":
    raise SystemExit(main())

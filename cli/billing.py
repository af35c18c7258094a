"""`registre billing sepa-file --collection-date D [--output FILE]`: collect the direct debits due
on D (or before, never presented) and write their pain.008.001.08 file, to hand to the bank.

The collection is recorded once per day under a request id naming the day: run again for the
same day, the command writes the same file again and presents nothing twice.

`registre billing import-returns FILE`: record the returned debits the bank's pain.002 or
camt.054 file lists, and print what was recorded and what was refused; run again on the same
file, it records nothing twice."""

import argparse
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

from application.billing.sepa.collection import collect_debits
from application.billing.sepa.pain008 import debit_file
from application.billing.sepa.returns import Outcome, import_returns
from application.requests import Request
from cli.arguments import command, day, group
from cli.read_side import open_runner
from domain.actor import SYSTEM
from domain.errors import InvalidValue
from projections.billing.queries import InvoiceQueries
from projections.model import ActiveGenerations


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    actions = group(commands, "billing", "facturation du service")
    sepa = command(
        actions,
        "sepa-file",
        help="présente les prélèvements SEPA dus à une date et écrit leur fichier pain.008",
        description="Présente les prélèvements dus à la date (ou avant, jamais présentés) et"
        " écrit leur fichier pain.008.001.08. Relancée pour la même date, la commande réécrit"
        " le même fichier sans rien présenter deux fois.",
    )
    sepa.add_argument(
        "--collection-date",
        required=True,
        type=day,
        metavar="AAAA-MM-JJ",
        help="date de prélèvement demandée",
    )
    sepa.add_argument(
        "--output",
        type=Path,
        metavar="FICHIER",
        help="fichier écrit (par défaut : prelevements-AAAA-MM-JJ.xml)",
    )
    sepa.set_defaults(handler=sepa_file)
    returns = command(
        actions,
        "import-returns",
        help="enregistre les prélèvements rejetés d'un fichier pain.002 ou camt.054 de la banque",
        description="Enregistre les rejets et retours de prélèvements que liste le fichier de la"
        " banque (pain.002.001 ou camt.054.001) : chaque facture est rouverte. Relancée sur le"
        " même fichier, la commande n'enregistre rien deux fois.",
    )
    returns.add_argument("file", type=Path, metavar="FICHIER", help="fichier de la banque")
    returns.set_defaults(handler=import_returns_file)


def sepa_file(args: argparse.Namespace) -> int:
    collection_date: date = args.collection_date
    request = Request(f"sepa-file-{collection_date.isoformat()}", SYSTEM)
    app, store, runner = open_runner()
    with closing(app), closing(store):
        runner.catch_up()  # the read models hold every invoice issued until now
        due = InvoiceQueries(store, ActiveGenerations(store)).due_for_debit
        file = debit_file(app, collect_debits(app, request, collection_date, due))
    output: Path = args.output or Path(file.name)
    output.write_bytes(file.content)
    print(f"{file.count} prélèvement(s) présenté(s) pour {file.total} : fichier {output}")
    return 0


def import_returns_file(args: argparse.Namespace) -> int:
    file: Path = args.file
    app, store, runner = open_runner()
    with closing(app), closing(store):
        runner.catch_up()  # the read models know every invoice presented
        invoices = InvoiceQueries(store, ActiveGenerations(store))
        try:
            imported = import_returns(app, SYSTEM, file.read_bytes(), invoices.invoice_id_of)
        except InvalidValue as refusal:
            print(f"Fichier refusé : {refusal.message}", file=sys.stderr)
            return 1
    for line in imported.outcomes:
        print(f"{line.returned.end_to_end_id} ({line.returned.reason_code}) : {line.message}")
    print(imported.summary)
    return 1 if imported.count(Outcome.REFUSED) else 0

"""`registre visits import-visits FILE [--apply]`: the visits held that the service's medical
software exported (CSV). Without `--apply`, a dry run: every error of every line, in French with
its line number, and what applying would do; with `--apply`, the valid lines are recorded. Run
again on the same file, it records nothing twice."""

import argparse
import sys
from contextlib import closing
from pathlib import Path

from application.registre import Registre
from application.visits.visit_file import MAX_FILE_BYTES
from application.visits.visit_import import Outcome, import_visits
from cli.arguments import command, group
from domain.actor import SYSTEM
from domain.errors import InvalidValue


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    actions = group(commands, "visits", "visites des salariés")
    importing = command(
        actions,
        "import-visits",
        help="importe les visites réalisées exportées par le logiciel médical (CSV)",
        description="Lit le fichier CSV (UTF-8, séparé par « ; », en-tête employee_id;kind;"
        "held_on;professional_id;document) et liste les erreurs de chaque ligne. Avec --apply,"
        " enregistre les lignes valides ; relancée sur le même fichier, la commande"
        " n'enregistre rien deux fois.",
    )
    importing.add_argument("file", type=Path, metavar="FICHIER", help="fichier CSV des visites")
    importing.add_argument(
        "--apply",
        action="store_true",
        help="enregistre les visites valides (sans cette option : simulation, rien n'est"
        " enregistré)",
    )
    importing.set_defaults(handler=import_visits_file)


def import_visits_file(args: argparse.Namespace) -> int:
    file: Path = args.file
    try:
        with file.open("rb") as opened:
            content = opened.read(MAX_FILE_BYTES + 1)  # more is refused: read no further
    except OSError:
        print(f"Fichier illisible : {file}", file=sys.stderr)
        return 1
    with closing(Registre()) as app:
        try:
            imported = import_visits(app, SYSTEM, content, apply=args.apply)
        except InvalidValue as refusal:
            print(f"Fichier refusé : {refusal.message}", file=sys.stderr)
            return 1
    for line in imported.messages:
        print(line.message)
    print(imported.summary)
    if imported.count(Outcome.TO_RECORD):
        print("Relancez avec --apply pour enregistrer les visites valides.")
    return 1 if imported.count(Outcome.REFUSED) else 0

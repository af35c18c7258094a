"""`registre workforce import FICHIER [--member CODE] [--apply] [--confirm N,…]`: a member's
workforce from a DSN, CSV or XLSX file. Without `--apply`, the dry run only (nothing is
recorded); with it, the file is applied once its dry run has no error. Applying the same file
again records nothing twice, and finishes what a failure left undone. Without `--member`, a
DSN's member is the one of its SIREN.

Run as the service (no account): whoever runs the command holds the store."""

import argparse
import sys
from contextlib import closing
from pathlib import Path
from typing import TextIO
from uuid import UUID, uuid4

from api.workforce.workforce_import_records import ReadModelWorkforce
from application.requests import Request
from application.workforce.workforce_import import Change, WorkforceImport, WorkforcePlan
from application.workforce.workforce_import.dsn import is_dsn
from cli.read_side import open_runner
from domain.errors import DomainError
from projections.members.members import MemberDirectoryQueries
from projections.model import ActiveGenerations
from projections.workforce.workforce_queries import WorkforceQueries

ACTOR = "cli:workforce-import"
SIREN_RUBRIC = b"S21.G00.06.001,'"


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    workforce = commands.add_parser("workforce", help="personnel des adhérents")
    actions = workforce.add_subparsers(dest="action", metavar="ACTION", required=True)
    command = actions.add_parser(
        "import",
        help="importe le personnel d'un adhérent (DSN, CSV ou XLSX)",
        description="Montre ce que le fichier changerait (embauches, identités et contrats"
        " modifiés, sorties, doublons possibles, erreurs par ligne) ; avec --apply, l'enregistre.",
    )
    command.add_argument("file", type=Path, metavar="FICHIER", help="DSN, CSV ou XLSX")
    command.add_argument("--member", metavar="CODE", help="code adhérent (DSN : selon le SIREN)")
    command.add_argument("--apply", action="store_true", help="enregistre le fichier")
    command.add_argument(
        "--confirm",
        default="",
        metavar="LIGNES",
        help="lignes des doublons possibles à embaucher quand même (ex. 4,12)",
    )
    command.set_defaults(handler=import_workforce)


def import_workforce(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    content = args.file.read_bytes()
    app, store, runner = open_runner()
    with closing(app), closing(store):
        runner.catch_up()
        generations = ActiveGenerations(store)
        member_id = _member(MemberDirectoryQueries(store, generations), args.member, content)
        if member_id is None:
            print("registre : adhérent introuvable (indiquez --member CODE).", file=sys.stderr)
            return 1
        records = ReadModelWorkforce(WorkforceQueries(store, generations), runner.catch_up)
        service = WorkforceImport(app, records)
        try:
            planned = service.plan(member_id, content)
        except DomainError as error:
            print(f"registre : {error.message}", file=sys.stderr)
            return 1
        _report(planned, out)
        if not args.apply or not planned.can_apply:
            return 0 if planned.can_apply else 2
        confirmed = frozenset(int(n) for n in args.confirm.split(",") if n.strip())
        outcome = service.apply(planned, Request.by(str(uuid4()), ACTOR), confirmed)
    print(f"Enregistré : {len(outcome.applied)} ligne(s).", file=out)
    if outcome.left_out:
        rows = ", ".join(map(str, outcome.left_out))
        print(f"Doublons possibles non confirmés (--confirm) : lignes {rows}.", file=out)
    if outcome.failure is not None:
        print(f"Échec : {outcome.failure.message} Relancez la même commande.", file=out)
        return 3
    return 0


def _member(members: MemberDirectoryQueries, code: str | None, content: bytes) -> UUID | None:
    if code is not None:
        found = members.by_code(code)
        return None if found is None else found.member_id
    if not is_dsn(content) or SIREN_RUBRIC not in content:
        return None
    start = content.index(SIREN_RUBRIC) + len(SIREN_RUBRIC)
    siren = content[start : start + 9].decode(errors="replace")
    same = [m for m in members.members(search=siren) if (m.siret or "").startswith(siren)]
    return same[0].member_id if len(same) == 1 else None


def _report(planned: WorkforcePlan, out: TextIO) -> None:
    print("Simulation (rien n'est encore enregistré) :", file=out)
    for change in Change:
        print(f"  {change.label} : {planned.count(change)}", file=out)
    print(f"  Sans changement : {planned.unchanged}", file=out)
    print(f"  Salariés actifs absents du fichier : {len(planned.not_in_file)}", file=out)
    if planned.errors:
        print(f"{len(planned.errors)} erreur(s), rien ne sera enregistré :", file=out)
    for error in planned.errors:
        column = "" if error.column is None else f" ({error.column})"
        print(f"  Ligne {error.row}{column} : {error.message}", file=out)

"""`registre cmr export --as-of D [--known-at I] [--member CODE] [--anonymised] --format
csv|xlsx|json OUT`: the CMR list of décret 2024-307, of one member or of the whole service, on a
date as known at an instant, written to a file as it is read (never held whole), with its
progress on stderr.

Every page of health data read is recorded in the access log, as the API records its reads,
under the operation `cmrExport` and no account (whoever runs the command holds the store).
"""

import argparse
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TextIO
from uuid import UUID

from api.workforce.cmr_files import FileFormat, file_chunks
from application.accounts.access_store import AccessEvent, AccessStore
from cli.arguments import command, day, group
from cli.read_side import open_runner
from domain.calendar import Clock
from projections.members.members import MemberDirectoryQueries
from projections.model import ActiveGenerations
from projections.workforce.cmr_list import CmrListQueries, CmrListReader, ListScope, known_at_of
from projections.workforce.workforce_queries import WorkforceQueries

OPERATION = "cmrExport"
"""The operation's name in the access log."""


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    actions = group(commands, "cmr", "listes CMR (décret 2024-307)")
    export = command(
        actions,
        "export",
        help="écrit la liste CMR d'un adhérent ou de tout le service dans un fichier",
        description="Écrit la liste des travailleurs exposés à des agents CMR à une date, selon"
        " ce qui était enregistré à un instant, d'un adhérent ou de tout le service, au fil de"
        " la lecture. Chaque lecture est inscrite au journal des accès.",
    )
    export.add_argument(
        "--as-of", required=True, type=day, metavar="AAAA-MM-JJ", help="date de validité"
    )
    export.add_argument(
        "--known-at",
        type=_known_at,
        metavar="INSTANT",
        help="selon ce qui était enregistré à cet instant (AAAA-MM-JJ : à la fin de ce jour à"
        " Paris, ou instant ISO 8601 avec décalage) ; par défaut maintenant",
    )
    export.add_argument("--member", metavar="CODE", help="code adhérent (par défaut : tous)")
    export.add_argument(
        "--anonymised", action="store_true", help="version anonyme (travailleurs, CSE)"
    )
    export.add_argument(
        "--format",
        required=True,
        type=FileFormat,
        choices=list(FileFormat),
        metavar="csv|xlsx|json",
        help="format du fichier",
    )
    export.add_argument("output", type=Path, metavar="FICHIER", help="fichier écrit")
    export.set_defaults(handler=export_list)


def export_list(args: argparse.Namespace, progress: TextIO | None = None) -> int:
    progress = progress or sys.stderr
    app, store, runner = open_runner()
    with closing(app), closing(store), closing(AccessStore.open(app.settings)) as access_store:
        runner.catch_up()  # the read models hold every exposure recorded until now
        generations = ActiveGenerations(store)
        members = MemberDirectoryQueries(store, generations)
        member_id = None
        if args.member is not None:
            found = members.by_code(args.member)
            if found is None:
                print(f"registre : aucun adhérent de code « {args.member} ».", file=sys.stderr)
                return 1
            member_id = found.member_id
        known_at = args.known_at if args.known_at is not None else known_at_of(None)
        scope = ListScope(args.as_of, known_at, member_id)
        bar = _Progress(progress)
        reader = CmrListReader(
            members,
            WorkforceQueries(store, generations),
            CmrListQueries(store, generations),
            _access_log(access_store, app.clock),
            on_page=bar.advance,
        )
        bar.total = reader.count(scope)
        lines = reader.anonymised(scope) if args.anonymised else reader.lines(scope)
        output: Path = args.output
        with output.open("wb") as file:
            for chunk in file_chunks(lines, args.format, anonymised=args.anonymised):
                file.write(chunk)
        bar.done()
    print(f"Liste CMR au {args.as_of.isoformat()} : {bar.count} exposition(s), fichier {output}")
    return 0


def _access_log(access_store: AccessStore, clock: Clock) -> Callable[[UUID, set[UUID]], None]:
    def log(member_id: UUID, employees: set[UUID]) -> None:
        access_store.log(
            AccessEvent.HEALTH_DATA_READ,
            at=clock.now(),
            account_id=None,
            member_id=member_id,
            operation=OPERATION,
            subjects=[str(e) for e in employees],
        )

    return log


class _Progress:
    def __init__(self, out: TextIO):
        self.out = out
        self.total = 0
        self.count = 0

    def advance(self, lines: int) -> None:
        self.count += lines
        share = 1.0 if self.total == 0 else min(self.count / self.total, 1.0)
        self.out.write(f"\rlecture : {self.count}/{self.total} exposition(s) ({share:6.1%})")
        self.out.flush()

    def done(self) -> None:
        self.out.write(f"\rlecture : {self.count}/{self.total} exposition(s), terminé.\n")
        self.out.flush()


def _known_at(text: str) -> int:
    try:
        return known_at_of(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"« {text} » : une date AAAA-MM-JJ ou un instant ISO 8601 avec décalage est attendu"
        ) from None

"""`registre retention run`: destroy now the keys of the data whose retention has ended (what
the daily process of `registre project` and `registre serve` does once a day)."""

import argparse
from contextlib import closing

from application.registre import Registre
from application.retention import Retention

HELP = "affiche cette aide et quitte"


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    retention = commands.add_parser(
        "retention", add_help=False, help="fin des durées de conservation des données"
    )
    retention.add_argument("-h", "--help", action="help", help=HELP)
    actions = retention.add_subparsers(dest="action", metavar="ACTION", required=True)
    run_parser = actions.add_parser(
        "run",
        add_help=False,
        help="détruit les clés des données dont la durée de conservation est écoulée",
        description="Salariés : identité et données de santé détruites 40 ans après la fin de"
        " la dernière exposition CMR et du dernier contrat (R4412-93-3). Comptes : identité"
        " détruite un an après leur fermeture. Chaque destruction est un événement du journal,"
        " avec sa raison ; relancée, la commande ne détruit rien de plus.",
    )
    run_parser.add_argument("-h", "--help", action="help", help=HELP)
    run_parser.set_defaults(handler=run)


def run(_: argparse.Namespace) -> int:
    with closing(Registre()) as app:
        outcome = Retention(app).run()
    print(
        f"Conservation écoulée : données de {outcome.employees} salarié(s) et de"
        f" {outcome.accounts} compte(s) détruites."
    )
    return 0

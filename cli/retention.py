"""`registre retention run`: destroy now the keys of the data whose retention has ended (what
the daily process of `registre project` and `registre serve` does once a day)."""

import argparse
from contextlib import closing

from application.registre import Registre
from application.retention import Retention
from cli.arguments import command, group


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    actions = group(commands, "retention", "fin des durées de conservation des données")
    run_parser = command(
        actions,
        "run",
        help="détruit les clés des données dont la durée de conservation est écoulée",
        description="Salariés : identité et données de santé détruites 40 ans après la fin de"
        " la dernière exposition CMR et du dernier contrat (R4412-93-3). Comptes : identité"
        " détruite un an après leur fermeture. Chaque destruction est un événement du journal,"
        " avec sa raison ; relancée, la commande ne détruit rien de plus.",
    )
    run_parser.set_defaults(handler=run)


def run(_: argparse.Namespace) -> int:
    with closing(Registre()) as app:
        outcome = Retention(app).run()
    print(
        f"Conservation écoulée : données de {outcome.employees} salarié(s) et de"
        f" {outcome.accounts} compte(s) détruites."
    )
    return 0

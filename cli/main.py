"""Entry point of the `registre` command line: a thin dispatcher over the application."""

import argparse
import logging
import os
import sys
from collections.abc import Callable
from contextlib import closing

import uvicorn

from application.registre import Registre
from cli import (
    audit,
    billing,
    cmr,
    demo,
    keys,
    logs,
    read_side,
    retention,
    users,
    visits,
    workforce,
)
from cli.arguments import command, group, with_help
from cli.demo.campaign import campaign_line, open_current_campaign
from domain.errors import DomainError
from messaging.settings import MailSettings
from storage.settings import ConfigurationError

logger = logging.getLogger("cli")
MAX_EMPLOYEES = 1000

STORE_HELP = (
    "Le stockage vient de REGISTRE_DATABASE_URL (par défaut, le fichier SQLite"
    " registre.sqlite3 du dossier REGISTRE_DATA_DIR, ./var)."
)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_EMPLOYEES:
        raise argparse.ArgumentTypeError(
            f"« {text} » : un nombre entier de 1 à {MAX_EMPLOYEES} est attendu"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        add_help=False,
        prog="registre",
        description="Registre des adhérents et de leurs salariés.",
        epilog=STORE_HELP,
    )
    with_help(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", required=True)
    seed = command(
        commands,
        "seed-demo",
        help="crée un adhérent de démonstration (une boulangerie) et ses salariés",
        description="Crée l'adhérent de démonstration 00010 par les commandes de l'application,"
        " sauf s'il existe déjà.",
        epilog=STORE_HELP,
    )
    seed.add_argument(
        "--employees", type=_positive, default=demo.DEFAULT_EMPLOYEES, help="nombre de salariés"
    )
    seed.add_argument(
        "--seed", type=int, default=demo.DEFAULT_SEED, help="graine des données (reproductibles)"
    )
    seed.set_defaults(handler=seed_demo)
    serve_parser = command(
        commands,
        "serve",
        help="démarre l'API GraphQL (et la démonstration au premier démarrage)",
        description="Démarre l'API GraphQL et ses modèles de lecture. Sur un stockage vide,"
        " crée d'abord l'adhérent de démonstration.",
        epilog=STORE_HELP,
    )
    serve_parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute de l'API")
    serve_parser.add_argument("--port", type=int, default=8000, help="port d'écoute de l'API")
    serve_parser.set_defaults(handler=serve)
    worker = command(
        commands,
        "project",
        help="fait tourner les modèles de lecture dans leur propre processus",
        description="Suit le journal des événements et met à jour les modèles de lecture"
        " (réveillé par LISTEN/NOTIFY sur PostgreSQL, avec une interrogation régulière).",
        epilog=STORE_HELP,
    )
    worker.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="processus qui se partagent les modèles de lecture (par défaut : 1)",
    )
    worker.set_defaults(handler=lambda args: read_side.project(args.workers))
    actions = group(commands, "projections", "état et reconstruction des modèles de lecture")
    status = command(actions, "status", "position et retard de chaque modèle de lecture")
    status.set_defaults(handler=lambda _: read_side.status())
    rebuild = command(
        actions,
        "rebuild",
        help="reconstruit un modèle (ou tous) depuis le premier événement",
        description="Construit une nouvelle génération depuis l'événement zéro; l'ancienne"
        " reste en service jusqu'à la bascule.",
    )
    rebuild.add_argument("name", nargs="?", help="nom du modèle (par défaut : tous)")
    rebuild.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="processus qui se partagent les enregistrements des modèles qui le permettent"
        " (PostgreSQL ; par défaut : 1)",
    )
    rebuild.set_defaults(handler=lambda args: read_side.rebuild(args.name, workers=args.workers))
    users.add_parser(commands)
    keys.add_parser(commands)
    billing.add_parser(commands)
    visits.add_parser(commands)
    retention.add_parser(commands)
    cmr.add_parser(commands)
    workforce.add_parser(commands)
    audit.add_parser(commands)
    return parser


def seed_demo(args: argparse.Namespace) -> int:
    with closing(Registre()) as app:
        outcome = demo.seed_demo(app, employees=args.employees, seed=args.seed)
        opened = open_current_campaign(app, app.clock.today())
    _print(demo.report(outcome))
    _print([] if opened is None else [campaign_line(opened)])
    return 0


def serve(args: argparse.Namespace) -> int:
    with closing(Registre()) as app:
        empty = demo.store_is_empty(app)
        outcome = demo.seed_demo(app) if empty else demo.existing_demo(app)
        opened = None if outcome is None else open_current_campaign(app, app.clock.today())
    if outcome is None:
        _print(["Le stockage contient déjà des données : la démonstration n'est pas créée."])
    else:
        _print(demo.report(outcome))
    _print([] if opened is None else [campaign_line(opened)])
    if empty:
        logger.info("demo data seeded on first start (member %s)", demo.DEMO_MEMBER_CODE)
    mail = MailSettings.from_environment()
    if mail.smtp_host is None:
        _print([f"Aucun serveur SMTP configuré : les e-mails sont écrits dans {mail.outbox_dir}/"])
    _print([f"GraphiQL : http://{args.host}:{args.port}/graphql"])
    # The links mailed (password reset) point at this server unless a public address is set.
    os.environ.setdefault("REGISTRE_PORTAL_URL", f"http://{_reachable(args.host)}:{args.port}")
    uvicorn.run(
        "contexts:create_app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        log_level="info",
        log_config=None,
    )
    return 0


def _reachable(host: str) -> str:
    """The address a browser on this machine reaches a server listening on `host` at."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - compared, not bound
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    logs.configure()
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ConfigurationError as error:
        print(f"registre : configuration invalide : {error}", file=sys.stderr)
        return 2
    except DomainError as error:
        logger.error("command refused: %s", error.code)
        print(f"registre : {error.message}", file=sys.stderr)
        return 1

"""`registre users create-staff`: open an account of the service from the command line (the
first staff account cannot be opened through the API, which needs a staff account to do it)."""

import argparse
from contextlib import closing
from uuid import uuid4

from application.accounts.access import Access
from application.accounts.access_settings import AccessSettings
from application.accounts.access_store import AccessStore
from application.accounts.commands import NewAccount
from application.registre import Registre
from application.requests import Request
from application.side_effects import open_side_effects
from cli.arguments import command, group
from contexts import REACTIONS
from domain.accounts.access import AccountKind
from domain.actor import SYSTEM
from domain.contact_details import Email
from messaging.mailer import mailer_from
from messaging.settings import MailSettings

KINDS = {
    "staff": AccountKind.SERVICE_STAFF,
    "auditor": AccountKind.AUDITOR,
    "regulator": AccountKind.REGULATOR,
}


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    actions = group(commands, "users", "comptes du service")
    create = command(
        actions,
        "create-staff",
        help="ouvrir un compte du service (personnel, auditeur, autorité de contrôle)",
        description="La personne reçoit un e-mail ; elle se connecte avec un code reçu par e-mail.",
    )
    create.add_argument("--email", required=True, help="adresse e-mail de connexion")
    create.add_argument("--last-name", required=True, help="nom")
    create.add_argument("--first-name", required=True, help="prénom")
    create.add_argument("--function", default="Personnel du service", help="fonction")
    create.add_argument(
        "--kind", choices=sorted(KINDS), default="staff", help="sorte de compte (staff)"
    )
    create.set_defaults(handler=create_staff)


def create_staff(args: argparse.Namespace) -> int:
    mail_settings = MailSettings.from_environment()
    with closing(Registre()) as app, closing(AccessStore.open(app.settings)) as access_store:
        outbox, reactions = open_side_effects(
            app,
            access_store.sql,
            mailer_from(mail_settings, app.clock),
            app.clock,
            REACTIONS,
        )
        access = Access(
            app,
            access_store,
            outbox,
            side_effects=reactions.settle,
            memberships=lambda _: [],
            settings=AccessSettings.from_environment(mail_settings.service_contact),
        )
        kind = KINDS[args.kind]
        person = NewAccount(
            email=Email(args.email),
            last_name=args.last_name,
            first_name=args.first_name,
            function=args.function,
        )
        result = access.open_service_account(Request(f"cli-{uuid4().hex}", SYSTEM), person, kind)
    print(
        f"Compte « {kind.label} » ouvert pour {person.email} (identifiant {result.aggregate_id})."
    )
    return 0

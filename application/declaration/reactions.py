"""The mails the annual declaration causes, sent after their events were committed."""

from typing import Any
from uuid import UUID

from application.reactions import MailReaction
from domain.declaration.declaration import Declaration
from messaging.mailer import SIGNATURE, Mail
from storage.sql import Tx


class DeclarationTransferredMail(MailReaction):
    """Seed 000, step 3: whoever the declaration is handed to is told by e-mail."""

    name = "declaration_transferred_mail"
    follows = ((Declaration, "Transferred"),)

    def react(self, tx: Tx, position: int, event: Any) -> None:
        declaration: Declaration = self.app.repository.get(
            event.originator_id, version=event.originator_version
        )
        member = self.app.member(declaration.member_id)
        sender = self.app.account(UUID(event.actor.user_id)).display_name
        recipient = self.app.account(event.account_id).email
        mail = declaration_transferred(str(recipient), member.legal_name, declaration.year, sender)
        self.outbox.put(tx, self.key(position), mail)


def declaration_transferred(to: str, legal_name: str, year: int, by: str) -> Mail:
    return Mail(
        to=to,
        subject=f"Déclaration annuelle {year} de {legal_name} : à vous de poursuivre",
        body=(
            f"Bonjour,\n\n{by} vous a transféré la déclaration annuelle {year} de {legal_name} :"
            " l'effectif est validé, il reste les informations de prévention, les risques et"
            " les situations de travail. Connectez-vous au portail adhérent pour la poursuivre."
            + SIGNATURE
        ),
    )

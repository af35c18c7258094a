"""The mails accounts cause, sent after their events were committed (`application.reactions`).

Mails holding a secret are not here: a code, a reset link or an issued password never reaches
the event log, so access writes those mails itself (`Access`), in the transaction that keeps the
secret's hash; an issued password's mail waits, held, for the event that says it was issued.
"""

import hashlib
from typing import Any

from application.accounts import mails
from application.reactions import MailReaction
from domain.accounts.access import AccountKind
from domain.accounts.account import Account
from domain.members.member import Member
from storage.sql import Tx


class ServiceAccountMail(MailReaction):
    """An account of the service (staff, auditor, regulator) is told it was opened."""

    name = "service_account_mail"
    follows = ((Account, "Opened"),)

    def react(self, tx: Tx, position: int, event: Any) -> None:
        if event.kind is AccountKind.MEMBER_USER or event.email is None:
            return  # a member's user is told by `AccessGrantedMail`; an erased one, never
        self.outbox.put(
            tx, self.key(position), mails.service_account(str(event.email), event.kind.label)
        )


class AccessGrantedMail(MailReaction):
    """Someone an administrator added as a user of the member is told so."""

    name = "access_granted_mail"
    follows = ((Member, "UserAdded"),)

    def react(self, tx: Tx, position: int, event: Any) -> None:
        member: Member = self.app.repository.get(
            event.originator_id, version=event.originator_version
        )
        email = self.app.account(event.user.account_id).email
        if email is None:
            return  # erased since
        self.outbox.put(tx, self.key(position), mails.access_granted(str(email), member.legal_name))


class IssuedPasswordMail(MailReaction):
    """Releases the mail of an issued password, held by `Access` until the event is committed."""

    name = "issued_password_mail"
    follows = ((Account, "PasswordIssued"),)

    def react(self, tx: Tx, position: int, event: Any) -> None:
        self.outbox.release(tx, issued_password_key(event.password_hash))


def issued_password_key(password_hash: str) -> str:
    """The key of an issued password's mail: from its hash (salted, so never twice alike),
    which both the command's event and `Access` know."""
    return f"issued_password:{hashlib.sha256(password_hash.encode()).hexdigest()}"

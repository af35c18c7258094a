"""What billing does after other events were committed: invoices issued by the service's
processes (a confirmed declaration's contribution, a new member's fee, a reduction lost), the
documents of every invoice issued, rendered and kept, and the mails of billing (an invoice is
available, a debit came back)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from application.billing import document_keeping
from application.billing.commands import BillLostDiscount, IssueMembershipInvoice
from application.billing.contributions import (
    MAX_BATCH,
    ConfirmedContribution,
    IssueContributionInvoice,
    IssueContributionInvoices,
)
from application.billing.transmission import EInvoiceTransmission, NoPlatform
from application.reactions import CommandReaction, MailReaction, Reaction
from application.requests import Request
from domain.accounts.access import Notification, Role
from domain.billing.invoice import Invoice
from domain.calendar import paris_date
from domain.declaration.declaration import Declaration
from domain.members.member import Member
from messaging.mailer import SIGNATURE, Mail
from messaging.outbox import MailOutbox
from storage.documents import DocumentStore
from storage.sql import Tx

if TYPE_CHECKING:
    from application.registre import Registre


class ContributionInvoicing(CommandReaction):
    """Seed 000: the invoice follows the confirmed declaration (the difference after a
    reopening). The confirmations the runner reads together are billed by one command; if it
    is refused, each is billed alone, so one at fault holds up no other."""

    name = "contribution_invoicing"
    follows = ((Declaration, "ContributionDetermined"),)

    def command(self, event: Any) -> IssueContributionInvoice:
        return IssueContributionInvoice(**_confirmed(event))

    def send_all(self, events: Sequence[tuple[int, Any]]) -> None:
        for start in range(0, len(events), MAX_BATCH):
            chunk = events[start : start + MAX_BATCH]
            if len(chunk) == 1:
                super().send_all(chunk)
                continue
            batch = IssueContributionInvoices(
                confirmations=tuple(ConfirmedContribution(**_confirmed(e)) for _, e in chunk)
            )
            request = Request(f"{self.key(chunk[0][0])}-{chunk[-1][0]}")
            if not self.sent(request, batch, chunk[0][0]):
                super().send_all(chunk)


def _confirmed(event: Any) -> dict[str, Any]:
    """The fields of a `ContributionDetermined` a confirmation is billed from."""
    names = [n for n in ConfirmedContribution.__struct_fields__ if n != "declaration_id"]
    return {name: getattr(event, name) for name in names} | {"declaration_id": event.originator_id}


class MembershipInvoicing(CommandReaction):
    """A member that registers owes the membership fee of its year."""

    name = "membership_invoicing"
    follows = ((Member, "Registered"),)

    def command(self, event: Any) -> IssueMembershipInvoice:
        return IssueMembershipInvoice(
            member_id=event.originator_id, year=paris_date(event.timestamp).year
        )


class LostDiscountInvoicing(CommandReaction):
    """A reduction lost (debit rejected, payment late) is billed again by itself."""

    name = "lost_discount_invoicing"
    follows = ((Invoice, "DiscountLost"),)

    def command(self, event: Any) -> BillLostDiscount:
        return BillLostDiscount(invoice_id=event.originator_id)


class InvoiceDocumentKeeping(Reaction):
    """The Factur-X PDF and CII XML of every invoice issued, rendered once and kept ten years
    (`application.billing.document_keeping`), in the runner's transaction that also writes the
    mail announcing the invoice; once kept, they are handed to the e-invoice transmission."""

    name = "invoice_document_keeping"
    follows = ((Invoice, "InvoiceIssued"),)
    transmission: ClassVar[EInvoiceTransmission] = NoPlatform()
    """Where the documents go once kept. No approved platform is plugged in: invoices are kept
    for the members to download, nothing is transmitted; a platform's client replaces
    `NoPlatform` here (`application.billing.transmission`)."""

    def __init__(self, app: "Registre", outbox: MailOutbox):
        super().__init__(app, outbox)
        self.files = DocumentStore.in_data_dir(app.settings.data_dir)

    def setup(self, tx: Tx) -> None:
        document_keeping.create_table(tx)

    def react(self, tx: Tx, position: int, event: Any) -> None:
        kept = document_keeping.keep(tx, self.files, event.originator_id, event.issued)
        if kept is not None:
            self.transmission.transmit(event.issued.number, kept.pdf, kept.xml)


class BillingMail(MailReaction):
    """A mail to each user of the member who handles its invoices (billing or administrator)
    and chose to receive them (`Notification.INVOICES`)."""

    def mail(self, invoice: Invoice, legal_name: str, to: str) -> Mail:
        raise NotImplementedError

    def react(self, tx: Tx, position: int, event: Any) -> None:
        invoice: Invoice = self.app.repository.get(
            event.originator_id, version=event.originator_version
        )
        member = self.app.member(invoice.member_id)
        for user in member.users:
            if not user.roles & {Role.BILLING, Role.ADMIN}:
                continue
            if Notification.INVOICES not in user.notifications:
                continue
            to = str(self.app.account(user.account_id).email)
            key = f"{self.key(position)}:{user.account_id}"
            self.outbox.put(tx, key, self.mail(invoice, member.legal_name, to))


class InvoiceAvailableMail(BillingMail):
    name = "invoice_available_mail"
    follows = ((Invoice, "InvoiceIssued"),)

    def mail(self, invoice: Invoice, legal_name: str, to: str) -> Mail:
        issued = invoice.issued
        what = f"{issued.kind.label} n° {issued.number}"
        debit = (
            ""
            if issued.debit is None
            else f" Elle sera prélevée le {issued.debit.debit_on:%d/%m/%Y} sur le compte du mandat"
            f" {issued.debit.mandate_reference}."
        )
        return Mail(
            to=to,
            subject=f"{what} de {legal_name} disponible",
            body=(
                f"Bonjour,\n\n{what} ({issued.totals.ttc} TTC, échéance le"
                f" {issued.due_on:%d/%m/%Y}) est disponible sur le portail adhérent.{debit}"
                + SIGNATURE
            ),
        )


class DebitReturnedMail(BillingMail):
    name = "debit_returned_mail"
    follows = ((Invoice, "DebitReturned"),)

    def mail(self, invoice: Invoice, legal_name: str, to: str) -> Mail:
        number = invoice.issued.number
        return Mail(
            to=to,
            subject=f"Prélèvement rejeté : facture n° {number} de {legal_name}",
            body=(
                f"Bonjour,\n\nLe prélèvement de la facture n° {number} a été rejeté par la banque."
                f" Il reste dû {invoice.outstanding} : réglez-le par virement ou par chèque, ou"
                " vérifiez votre mandat de prélèvement sur le portail adhérent." + SIGNATURE
            ),
        )

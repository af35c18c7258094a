"""Importing the bank's file of returned direct debits (issue 12, BILLING.md §3): each rejected or
returned debit is recorded on the invoice its end-to-end id names (`<number>-<AAAAMMJJ>`, as the
pain.008 file presented it) with `RecordDebitReturn` — the invoice reopens, its reduction is lost,
its billing users are told by mail (reactions).

Every transaction is decided on its own and reported, recorded or refused with its reason in
French: an end-to-end id naming no presented debit, an unknown reason code, an amount other than
the one presented. Each is recorded under a request id derived from the file's message id and its
end-to-end id, and a debit already returned is reported as such: importing the same file twice
records nothing twice.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from uuid import UUID

from application.base import RegistreApplication
from application.billing.commands import RecordDebitReturn
from application.billing.issuing import INVOICE_NOT_FOUND
from application.billing.sepa.return_files import ReturnedDebit, ReturnFile, read_return_file
from application.requests import Request
from domain.actor import Actor
from domain.billing.invoice import Invoice
from domain.billing.kinds import ReturnReason
from domain.errors import DomainError

InvoiceOfNumber = Callable[[str], UUID | None]
"""The read side's invoice of a number (`InvoiceQueries.invoice_id_of`), None for none."""

KNOWN_REASONS = ", ".join(reason.value for reason in ReturnReason)


class Outcome(Enum):
    RECORDED = "RECORDED"
    ALREADY_RECORDED = "ALREADY_RECORDED"
    REFUSED = "REFUSED"


@dataclass(frozen=True, slots=True)
class ReturnOutcome:
    returned: ReturnedDebit
    outcome: Outcome
    message: str
    code: str | None = None
    """Why the transaction was refused."""


@dataclass(frozen=True, slots=True)
class ImportedReturns:
    message: str
    """`pain.002` or `camt.054`."""
    message_id: str
    outcomes: tuple[ReturnOutcome, ...]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for line in self.outcomes if line.outcome is outcome)

    @property
    def summary(self) -> str:
        return (
            f"Fichier {self.message} {self.message_id} : {self.count(Outcome.RECORDED)} rejet(s)"
            f" enregistré(s), {self.count(Outcome.ALREADY_RECORDED)} déjà enregistré(s),"
            f" {self.count(Outcome.REFUSED)} refusé(s)."
        )


class _Refused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def import_returns(
    app: RegistreApplication, actor: Actor, content: bytes, invoice_of_number: InvoiceOfNumber
) -> ImportedReturns:
    """Record every return `content` lists; refuse the whole file (`InvalidValue`) only when it
    cannot be read."""
    file = read_return_file(content)
    importing = _Importing(app, actor, file, invoice_of_number)
    return ImportedReturns(
        message=file.message,
        message_id=file.message_id,
        outcomes=tuple(importing.record(returned) for returned in file.returns),
    )


class _Importing:
    def __init__(
        self,
        app: RegistreApplication,
        actor: Actor,
        file: ReturnFile,
        invoice_of_number: InvoiceOfNumber,
    ):
        self.app = app
        self.actor = actor
        self.file = file
        self.invoice_of_number = invoice_of_number

    def record(self, returned: ReturnedDebit) -> ReturnOutcome:
        try:
            reason = _reason(returned.reason_code)
            invoice = self._presented(returned)
            if invoice.debit_collected.is_zero:
                already = "Le rejet de ce prélèvement est déjà enregistré."
                return ReturnOutcome(returned, Outcome.ALREADY_RECORDED, already)
            message = RecordDebitReturn(
                invoice_id=invoice.id, reason=reason, returned_on=returned.returned_on
            )
            self.app.handle(Request(self._request_id(returned), self.actor), message)
            reopened = f"Facture {invoice.issued.number} rouverte : {reason.label}."
            return ReturnOutcome(returned, Outcome.RECORDED, reopened)
        except _Refused as refusal:
            return ReturnOutcome(returned, Outcome.REFUSED, refusal.message, refusal.code)
        except DomainError as error:
            return ReturnOutcome(returned, Outcome.REFUSED, error.message, error.code)

    def _presented(self, returned: ReturnedDebit) -> Invoice:
        """The invoice whose debit the transaction names, presented for that amount."""
        end_to_end_id = returned.end_to_end_id
        number = end_to_end_id.rpartition("-")[0]
        invoice_id = self.invoice_of_number(number) if number else None
        invoice = (
            None if invoice_id is None else self.app.load(Invoice, invoice_id, INVOICE_NOT_FOUND)
        )
        collected = None if invoice is None else invoice.collected
        if (
            invoice is None
            or collected is None
            or collected.end_to_end_id != returned.end_to_end_id
        ):
            raise _Refused(
                "UNKNOWN_END_TO_END_ID",
                f"La référence « {end_to_end_id} » ne désigne aucun prélèvement présenté.",
            )
        if returned.amount is not None and returned.amount != collected.amount:
            raise _Refused(
                "AMOUNT_MISMATCH",
                f"Le montant rejeté ({returned.amount}) diffère du prélèvement présenté"
                f" ({collected.amount}) pour la facture {invoice.issued.number}.",
            )
        return invoice

    def _request_id(self, returned: ReturnedDebit) -> str:
        named = "\n".join((self.file.message, self.file.message_id, returned.end_to_end_id))
        return f"debit-return-{hashlib.sha256(named.encode()).hexdigest()[:32]}"


def _reason(code: str) -> ReturnReason:
    try:
        return ReturnReason(code)
    except ValueError:
        raise _Refused(
            "UNKNOWN_RETURN_REASON",
            f"Le motif de rejet « {code[:10]} » n'est pas reconnu (motifs connus :"
            f" {KNOWN_REASONS}).",
        ) from None

"""The kinds of invoices, their numbering series, how they are paid, and the reasons a direct
debit comes back (R-transactions, EPC reason codes)."""

from enum import Enum

from domain.labelled import LabelledEnum


class Series(Enum):
    """One continuous, chronological series per document kind (BILLING.md §1)."""

    INVOICES = "invoices"
    CREDIT_NOTES = "credit_notes"

    @property
    def prefix(self) -> str:
        return {"invoices": "F", "credit_notes": "AV"}[self.value]


class InvoiceKind(LabelledEnum):
    CONTRIBUTION = "contribution", "Cotisation"
    MEMBERSHIP = "membership", "Facture d'adhésion"
    ADJUSTMENT = "adjustment", "Facture d'ajustement"
    NO_SHOW = "no_show", "Frais d'absence à une visite"
    CREDIT_NOTE = "credit_note", "Avoir"

    @property
    def series(self) -> Series:
        return Series.CREDIT_NOTES if self is InvoiceKind.CREDIT_NOTE else Series.INVOICES

    @property
    def type_code(self) -> str:
        """UNTDID 1001: 380 commercial invoice, 381 credit note."""
        return "381" if self is InvoiceKind.CREDIT_NOTE else "380"


class PaymentMethod(LabelledEnum):
    DIRECT_DEBIT = "direct_debit", "Prélèvement SEPA"
    TRANSFER = "transfer", "Virement"
    CHEQUE = "cheque", "Chèque"


class SequenceType(LabelledEnum):
    """Where a direct debit stands among those of its mandate (pain.008 `SeqTp`)."""

    FIRST = "FRST", "premier prélèvement"
    RECURRING = "RCUR", "prélèvement récurrent"


class InvoiceStatus(Enum):
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"


class ReturnReason(LabelledEnum):
    """Why a direct debit came back (EPC SEPA Core reason codes)."""

    AC01 = "AC01", "IBAN incorrect"
    AC04 = "AC04", "Compte clôturé"
    AC06 = "AC06", "Compte bloqué"
    AM04 = "AM04", "Provision insuffisante"
    MD01 = "MD01", "Pas de mandat valide"
    MD06 = "MD06", "Remboursement demandé par le débiteur"
    MD07 = "MD07", "Débiteur décédé"
    MS02 = "MS02", "Refus du débiteur"
    MS03 = "MS03", "Raison non communiquée"

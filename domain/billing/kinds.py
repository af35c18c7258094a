"""The kinds of invoices, their numbering series, how they are paid, and the reasons a direct
debit comes back (R-transactions, EPC reason codes)."""

from enum import Enum


class Series(Enum):
    """One continuous, chronological series per document kind (BILLING.md §1)."""

    INVOICES = "invoices"
    CREDIT_NOTES = "credit_notes"

    @property
    def prefix(self) -> str:
        return {"invoices": "F", "credit_notes": "AV"}[self.value]


class InvoiceKind(Enum):
    CONTRIBUTION = "contribution"
    MEMBERSHIP = "membership"
    ADJUSTMENT = "adjustment"
    NO_SHOW = "no_show"
    CREDIT_NOTE = "credit_note"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def series(self) -> Series:
        return Series.CREDIT_NOTES if self is InvoiceKind.CREDIT_NOTE else Series.INVOICES

    @property
    def type_code(self) -> str:
        """UNTDID 1001: 380 commercial invoice, 381 credit note."""
        return "381" if self is InvoiceKind.CREDIT_NOTE else "380"


_KIND_LABELS = {
    InvoiceKind.CONTRIBUTION: "Cotisation",
    InvoiceKind.MEMBERSHIP: "Facture d'adhésion",
    InvoiceKind.ADJUSTMENT: "Facture d'ajustement",
    InvoiceKind.NO_SHOW: "Frais d'absence à une visite",
    InvoiceKind.CREDIT_NOTE: "Avoir",
}


class PaymentMethod(Enum):
    DIRECT_DEBIT = "direct_debit"
    TRANSFER = "transfer"
    CHEQUE = "cheque"

    @property
    def label(self) -> str:
        return {
            "direct_debit": "Prélèvement SEPA",
            "transfer": "Virement",
            "cheque": "Chèque",
        }[self.value]


class SequenceType(Enum):
    """Where a direct debit stands among those of its mandate (pain.008 `SeqTp`)."""

    FIRST = "FRST"
    RECURRING = "RCUR"

    @property
    def label(self) -> str:
        return "premier prélèvement" if self is SequenceType.FIRST else "prélèvement récurrent"


class InvoiceStatus(Enum):
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"


class ReturnReason(Enum):
    """Why a direct debit came back (EPC SEPA Core reason codes)."""

    AC01 = "AC01"
    AC04 = "AC04"
    AC06 = "AC06"
    AM04 = "AM04"
    MD01 = "MD01"
    MD06 = "MD06"
    MD07 = "MD07"
    MS02 = "MS02"
    MS03 = "MS03"

    @property
    def label(self) -> str:
        return _RETURN_LABELS[self]


_RETURN_LABELS = {
    ReturnReason.AC01: "IBAN incorrect",
    ReturnReason.AC04: "Compte clôturé",
    ReturnReason.AC06: "Compte bloqué",
    ReturnReason.AM04: "Provision insuffisante",
    ReturnReason.MD01: "Pas de mandat valide",
    ReturnReason.MD06: "Remboursement demandé par le débiteur",
    ReturnReason.MD07: "Débiteur décédé",
    ReturnReason.MS02: "Refus du débiteur",
    ReturnReason.MS03: "Raison non communiquée",
}

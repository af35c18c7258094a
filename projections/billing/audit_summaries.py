"""Audit summaries of the billing events: numbers, amounts and dates, never an IBAN."""

from projections.summaries import Summaries, french_date

SUMMARIES: Summaries = {
    "BillingSettingsOpened": lambda e: "Paramètres de facturation du service créés",
    "SellerChanged": lambda e: (
        f"Coordonnées du service comme vendeur modifiées : {e.seller.legal_name},"
        f" SIRET {e.seller.siret}"
    ),
    "BillingTermsSet": lambda e: (
        f"Conditions de facturation {e.terms.year} : adhésion {e.terms.membership_fee} HT,"
        f" paiement à {e.terms.payment_days} jours, abattement de"
        f" {e.terms.discount_rate * 100:.2f} % jusqu'au {french_date(e.terms.discount_deadline)}"
    ),
    "InvoiceSeriesOpened": lambda e: f"Série de numérotation ouverte : {e.series.value}",
    "InvoiceNumberTaken": lambda e: f"Numéro {e.number} attribué",
    "InvoiceIssued": lambda e: (
        f"{e.issued.kind.label} {e.issued.number} émise le {french_date(e.issued.issued_on)} :"
        f" {e.issued.totals.ttc} TTC, échéance le {french_date(e.issued.due_on)}"
    ),
    "PaymentRecorded": lambda e: (
        f"Paiement de {e.amount} reçu le {french_date(e.paid_on)} ({e.method.label})"
    ),
    "DebitCollected": lambda e: (
        f"Prélèvement de {e.debit.amount} présenté pour le"
        f" {french_date(e.debit.collection_date)} ({e.debit.sequence.label}, mandat"
        f" {e.debit.mandate.reference})"
    ),
    "DebitReturned": lambda e: (
        f"Prélèvement de {e.amount} rejeté le {french_date(e.returned_on)}"
        f" ({e.reason.value} : {e.reason.label})"
    ),
    "InvoiceCredited": lambda e: f"Avoir {e.credit_note_number} de {e.amount} TTC imputé",
    "DiscountLost": lambda e: f"Abattement de {e.amount} HT perdu : {e.reason}",
    "MandateUseStarted": lambda e: f"Suivi des prélèvements du mandat {e.reference} ouvert",
    "MandateUsed": lambda e: (
        f"Prélèvement du {french_date(e.collection_date)} sous ce mandat ({e.sequence.label}),"
        f" facture {e.invoice_number}"
    ),
}

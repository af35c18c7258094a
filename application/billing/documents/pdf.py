"""The invoice as a PDF/A-3b in French, with every mention of BILLING.md §1.

Typst lays out `invoice.typ` (`application.documents.typeset`); what the page says is worded
here, the template only places it. The PDF is dated by its issue date, so the same invoice
always gives the same bytes.
"""

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from application.billing.documents import mentions
from application.documents import typeset
from domain.address import Address
from domain.billing.invoice import IssuedInvoice
from domain.billing.kinds import InvoiceKind
from domain.billing.lines import InvoiceLine

TEMPLATE = Path(__file__).with_name("invoice.typ")
NOTHING = "—"


def invoice_pdf(issued: IssuedInvoice) -> bytes:
    return typeset(TEMPLATE, "invoice", _page(issued), issue_moment(issued.issued_on))


def issue_moment(issued_on: date) -> datetime:
    """The instant a document of the invoice is dated with: midnight UTC of its issue date."""
    return datetime.combine(issued_on, time(), tzinfo=UTC)


def _page(issued: IssuedInvoice) -> dict[str, Any]:
    credit_note = issued.kind is InvoiceKind.CREDIT_NOTE
    return {
        "title": f"{'Avoir' if credit_note else 'Facture'} n° {issued.number}",
        "nature": f"{issued.kind.label} — prestation de services",
        "seller": _seller(issued),
        "buyer": _buyer(issued),
        "facts": _facts(issued),
        "lines": [_line(line) for line in issued.lines],
        "vat": [
            {"rate": mentions.percent(part.rate), "base": str(part.base), "vat": str(part.vat)}
            for part in issued.totals.breakdown
        ],
        "totals": {
            "ht": str(issued.totals.ht),
            "vat": str(issued.totals.vat),
            "ttc": str(issued.totals.ttc),
        },
        "payment": _payment(issued),
        "mentions": [
            mentions.discount_conditions(issued.discount),
            mentions.late_penalties(issued.penalty_rate),
            mentions.recovery_indemnity(),
        ],
    }


def _seller(issued: IssuedInvoice) -> dict[str, Any]:
    seller = issued.seller
    return {
        "name": seller.legal_name,
        "address": _address(seller.address),
        "identifiers": [
            ("SIREN", seller.siren.formatted),
            ("SIRET", seller.siret.formatted),
            ("N° TVA intracommunautaire", seller.vat_number),
            ("Adresse de facturation électronique", seller.electronic_address),
        ],
        "siret": seller.siret.formatted,
        "vat_number": seller.vat_number,
    }


def _buyer(issued: IssuedInvoice) -> dict[str, Any]:
    buyer = issued.buyer
    identifiers = [
        ("SIREN", None if buyer.siren is None else buyer.siren.formatted),
        ("N° TVA intracommunautaire", buyer.vat_number),
    ]
    return {
        "name": buyer.legal_name,
        "address": [] if buyer.address is None else _address(buyer.address),
        "identifiers": [(label, value) for label, value in identifiers if value is not None],
    }


def _address(address: Address) -> list[str]:
    country = [] if address.country == "FR" else [address.country]
    return [*address.lines, f"{address.postal_code} {address.city}", *country]


def _facts(issued: IssuedInvoice) -> list[tuple[str, str]]:
    year = issued.year
    facts = [
        ("Date d'émission", mentions.french_date(issued.issued_on)),
        (
            "Période de la prestation",
            f"année {year} (du 01/01/{year} au 31/12/{year})",
        ),
        ("Date d'échéance", mentions.french_date(issued.due_on)),
    ]
    if issued.corrects is not None:
        corrected = issued.corrects
        facts.append(
            (
                "Facture corrigée",
                f"n° {corrected.number} du {mentions.french_date(corrected.issued_on)}",
            )
        )
    if issued.purchase_order is not None:
        facts.append(("Bon de commande", f"n° {issued.purchase_order}"))
    if issued.reason is not None:
        facts.append(("Motif", issued.reason))
    return facts


def _line(line: InvoiceLine) -> dict[str, str]:
    reduction = (
        f"{mentions.percent(line.allowance_rate)} (−{line.allowance})"
        if line.allowance_rate
        else NOTHING
    )
    return {
        "label": line.label,
        "quantity": mentions.plain_number(line.quantity).replace(".", ","),
        "unit_price": str(line.unit_price),
        "reduction": reduction,
        "net": str(line.net),
        "vat_rate": mentions.percent(line.vat_rate),
    }


def _payment(issued: IssuedInvoice) -> dict[str, Any]:
    terms = mentions.payment_terms(issued)
    if issued.corrects is not None:
        return {"heading": "Imputation", "lines": [terms]}
    if issued.debit is not None:
        return {"heading": "Pré-notification de prélèvement SEPA", "lines": [terms]}
    seller = issued.seller
    return {
        "heading": "Règlement",
        "lines": [terms, f"IBAN {seller.iban.formatted} — BIC {seller.bic}"],
    }

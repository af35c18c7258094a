"""The EN 16931 CII XML of an issued invoice (Factur-X profile EN 16931, French rules of the
FR CTC: BILLING.md §2), written by `factur-x` from the EN 16931 business terms (BT-…, BG-…).

An invoice says what it bills in positive amounts; a credit note too, with its type code (381)
and the invoice it corrects (BT-25, BT-26).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from facturx import generate_cii_xml

from application.billing.documents import mentions
from domain.address import Address
from domain.billing.invoice import IssuedInvoice
from domain.billing.lines import InvoiceLine
from domain.billing.parties import ELECTRONIC_ADDRESS_SCHEME, Buyer, Seller
from domain.money import Money

PROFILE = "en16931"
SERVICES = "S1"
"""BT-23, the French billing framework: an invoice of services."""
SIRET_SCHEME = "0009"
SIREN_SCHEME = "0002"
ONE_UNIT = "C62"
"""UN/ECE Recommendation 20: one (a number of things, here employees or services)."""
DISCOUNT_REASON = "95"
"""UNTDID 5189: discount."""
CREDIT_TRANSFER = "58"
DIRECT_DEBIT = "59"
"""UNTDID 4461: SEPA credit transfer, SEPA direct debit."""
GENERAL_INFORMATION = "AAI"
"""UNTDID 4451, the subject of the note giving the reason of an adjustment or a credit note."""

Terms = dict[str, Any]


def cii_xml(issued: IssuedInvoice) -> bytes:
    """The XML, UTF-8; checked against the XSD and the schematrons by the tests, not here."""
    terms: Terms = {
        "BT-1": issued.number,
        "BT-2": issued.issued_on,
        "BT-3": issued.kind.type_code,
        "BT-5": "EUR",
        "BT-9": issued.due_on,
        "BT-13": issued.purchase_order,
        "BT-20": mentions.payment_terms(issued),
        "BT-23": SERVICES,
        "BT-73": date(issued.year, 1, 1),
        "BT-74": date(issued.year, 12, 31),
        "BG-1": _notes(issued),
        "BG-3": _corrected_invoice(issued),
        "BG-4": _seller(issued.seller),
        "BG-7": _buyer(issued.buyer),
        # The services are delivered to the member: the delivery block CII requires is not
        # left empty (factur-x would write it nil, which the XSD refuses).
        "BG-13": {"name": issued.buyer.legal_name},
        **_payment_means(issued),
        "BG-23": [
            {
                "BT-116": _amount(part.base),
                "BT-117": _amount(part.vat),
                "BT-118": _vat_category(part.rate),
                "BT-119": _percent(part.rate),
            }
            for part in issued.totals.breakdown
        ],
        "BG-25": [_line(number, line) for number, line in enumerate(issued.lines, 1)],
        "BT-106": _amount(issued.totals.ht),
        "BT-109": _amount(issued.totals.ht),
        "BT-110": _amount(issued.totals.vat),
        "BT-112": _amount(issued.totals.ttc),
        "BT-115": _amount(issued.totals.ttc),
    }
    xml: bytes = generate_cii_xml(terms, level=PROFILE, check_xsd=False, check_schematron=False)
    return xml


def _notes(issued: IssuedInvoice) -> list[Terms]:
    notes = [
        ("PMT", mentions.recovery_indemnity()),
        ("PMD", mentions.late_penalties(issued.penalty_rate)),
        ("AAB", mentions.discount_conditions(issued.discount)),
    ]
    if issued.reason is not None:
        notes.append((GENERAL_INFORMATION, issued.reason))
    return [{"BT-21": subject, "BT-22": text} for subject, text in notes]


def _corrected_invoice(issued: IssuedInvoice) -> list[Terms] | None:
    if issued.corrects is None:
        return None
    return [{"BT-25": issued.corrects.number, "BT-26": issued.corrects.issued_on}]


def _seller(seller: Seller) -> Terms:
    return {
        "name": seller.legal_name,
        "identifiers": {SIRET_SCHEME: str(seller.siret)},
        "legal_identifier": str(seller.siren),
        "legal_identifier_schemeid": SIREN_SCHEME,
        "vat_identifier": str(seller.vat_number),
        "einvoicing_addr": seller.electronic_address,
        "einvoicing_addr_schemeid": ELECTRONIC_ADDRESS_SCHEME,
        **_address(seller.address),
    }


def _buyer(buyer: Buyer) -> Terms:
    return {
        "name": buyer.legal_name,
        "legal_identifier": None if buyer.siren is None else str(buyer.siren),
        "legal_identifier_schemeid": SIREN_SCHEME,
        "vat_identifier": None if buyer.vat_number is None else str(buyer.vat_number),
        "einvoicing_addr": buyer.electronic_address,
        "einvoicing_addr_schemeid": ELECTRONIC_ADDRESS_SCHEME,
        **(_address(buyer.address) if buyer.address is not None else {}),
    }


def _address(address: Address) -> Terms:
    lines = address.lines
    return {
        "addr_l1": lines[0],
        "addr_l2": lines[1] if len(lines) > 1 else None,
        "addr_l3": ", ".join(lines[2:]) or None,
        "postcode": address.postal_code,
        "city": address.city,
        "country_code": address.country,
    }


def _payment_means(issued: IssuedInvoice) -> Terms:
    """How the invoice is paid: by the member's direct debit, else by transfer to the service;
    a credit note is not paid."""
    if issued.corrects is not None:
        return {}
    if issued.debit is not None:
        return {
            "BT-81": DIRECT_DEBIT,
            "BT-82": "Prélèvement SEPA",
            "BT-89": issued.debit.mandate_reference,
            "BT-90": str(issued.seller.creditor_id),
            "BT-91": str(issued.debit.iban),
        }
    return {
        "BT-81": CREDIT_TRANSFER,
        "BT-82": "Virement SEPA",
        "BT-83": issued.number,
        "BT-84": str(issued.seller.iban),
        "BT-86": str(issued.seller.bic),
    }


def _line(number: int, line: InvoiceLine) -> Terms:
    allowance = {
        "amount": _amount(line.allowance),
        "base_amount": _amount(line.gross),
        "rate": _percent(line.allowance_rate),
        "reason": mentions.DIRECT_DEBIT_REDUCTION,
        "reason_code": DISCOUNT_REASON,
    }
    return {
        "BT-126": str(number),
        "BT-129": mentions.plain_number(line.quantity),
        "BT-130": ONE_UNIT,
        "BT-131": _amount(line.net),
        "BT-146": _amount(line.unit_price),
        "BT-151": _vat_category(line.vat_rate),
        "BT-152": _percent(line.vat_rate),
        "BT-153": line.label,
        "BG-27": [allowance] if line.allowance_rate else None,
    }


def _vat_category(rate: Decimal) -> str:
    """UNTDID 5305: standard rate, or zero-rated."""
    return "S" if rate else "Z"


def _amount(money: Money) -> str:
    return f"{money.amount:.2f}"


def _percent(rate: Decimal) -> str:
    return mentions.plain_number(rate * 100)

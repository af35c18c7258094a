"""The pain.008.001.08 file of a collection: the SEPA Core direct debits it presented, written
with `sepaxml` and checked against the schema it ships.

Debits are grouped by sequence type (first, then recurring); the creditor is the service as it
stood on the day (name, creditor identifier, IBAN, BIC, address). Addresses are structured
(street, postal code, town, country: banks refuse unstructured ones since November 2026) and
texts are reduced to the EPC's Latin characters. Everything in the file follows from the
collection as recorded — the message id from the debits' end-to-end ids, its time from the
collection's — so that the same collection gives the same bytes.
"""

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sepaxml import SepaDD

from application.base import RegistreApplication
from application.billing.issuing import INVOICE_NOT_FOUND
from application.billing.sepa.collection import Collection
from domain.address import Address
from domain.billing.invoice import CollectedDebit, Invoice, IssuedInvoice
from domain.billing.parties import Seller
from domain.calendar import PARIS
from domain.money import Money

SCHEMA = "pain.008.001.08"
_NOT_LATIN = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


@dataclass(frozen=True, slots=True)
class DebitFile:
    collection_date: date
    count: int
    total: Money
    content: bytes

    @property
    def name(self) -> str:
        return f"prelevements-{self.collection_date.isoformat()}.xml"


def debit_file(app: RegistreApplication, collection: Collection) -> DebitFile:
    """The file of what `collection` presented, from its invoices' records."""
    debits = []
    for invoice_id in collection.invoice_ids:
        invoice = app.load(Invoice, invoice_id, INVOICE_NOT_FOUND)
        assert invoice.collected is not None, "a collection's invoices were collected"
        debits.append((invoice.issued, invoice.collected))
    return DebitFile(
        collection_date=collection.collection_date,
        count=len(debits),
        total=sum((debit.amount for _, debit in debits), Money.zero()),
        content=pain_008(collection.collected_at, debits),
    )


def pain_008(created_at: datetime, debits: Sequence[tuple[IssuedInvoice, CollectedDebit]]) -> bytes:
    """The XML of `debits` (one collection's, first debits first), valid against the schema."""
    end_to_end_ids = "\n".join(debit.end_to_end_id for _, debit in debits)
    digest = hashlib.sha256(end_to_end_ids.encode()).hexdigest()[:16]
    message_id = f"PRLV-{debits[0][1].collection_date:%Y%m%d}-{digest}"
    document = _ReproducibleDirectDebits(_creditor(debits[0][1].creditor), message_id, created_at)
    for issued, debit in debits:
        document.add_payment(_payment(issued, debit))
    content: bytes = document.export(validate=True)
    return content


class _ReproducibleDirectDebits(SepaDD):  # type: ignore[misc]
    """sepaxml draws its message and batch ids at random and stamps the time of the export:
    here they follow from the collection."""

    def __init__(self, config: dict[str, Any], message_id: str, created_at: datetime):
        self.message_id = message_id
        self.created_at = created_at
        super().__init__(config, schema=SCHEMA, clean=False)

    def _create_header(self) -> None:
        super()._create_header()
        header = self._xml.find("CstmrDrctDbtInitn/GrpHdr")
        header.find("MsgId").text = self.message_id
        header.find("CreDtTm").text = f"{self.created_at.astimezone(PARIS):%Y-%m-%dT%H:%M:%S}"

    def _finalize_batch(self) -> None:
        super()._finalize_batch()
        for number, batch_id in enumerate(self._xml.iter("PmtInfId"), start=1):
            batch_id.text = f"{self.message_id}-{number}"


def _creditor(seller: Seller) -> dict[str, Any]:
    return {
        "name": _latin(seller.legal_name, 70),
        "IBAN": str(seller.iban),
        "BIC": str(seller.bic),
        "batch": True,
        "creditor_id": str(seller.creditor_id),
        "currency": "EUR",
        "address": _structured(seller.address),
    }


def _payment(issued: IssuedInvoice, debit: CollectedDebit) -> dict[str, Any]:
    mandate = debit.mandate
    payment: dict[str, Any] = {
        "name": _latin(mandate.debtor_name, 70),
        "IBAN": str(mandate.iban),
        "amount": int(debit.amount.amount * 100),
        "type": debit.sequence.value,
        "collection_date": debit.collection_date,
        "mandate_id": mandate.reference,
        "mandate_date": mandate.signed_on,
        "description": _latin(f"Facture {issued.number} du {issued.issued_on:%d/%m/%Y}", 140),
        "endtoend_id": debit.end_to_end_id,
    }
    if mandate.bic is not None:
        payment["BIC"] = mandate.bic
    if issued.buyer.address is not None:
        payment["address"] = _structured(issued.buyer.address)
    return payment


def _structured(address: Address) -> dict[str, str]:
    return {
        "street_name": _latin(", ".join(address.lines), 70),
        "postcode": _latin(address.postal_code, 16),
        "town": _latin(address.city, 35),
        "country": address.country,
    }


def _latin(text: str, limit: int) -> str:
    """The EPC's Latin character set: accents dropped, any other sign a space."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NOT_LATIN.sub(" ", plain).split())[:limit]

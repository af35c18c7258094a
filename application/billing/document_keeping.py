"""The documents of every issued invoice and credit note, rendered once and kept: the Factur-X
PDF and its CII XML (`application.billing.documents`), each in the document store under its
SHA-256 (`storage.documents`, folder `invoices`), recorded against the invoice in the table
`invoice_documents` with the day until which they must be kept.

The reaction `InvoiceDocumentKeeping` (`application.billing.reactions`) keeps them after the
issue was committed, in its runner's transaction. The invoice's row is claimed before anything
is rendered (`INSERT … ON CONFLICT DO NOTHING`): a second runner waits for the first one's commit
and then finds the row taken, a retry finds it kept, so neither renders nor records again.
Nothing here renders on demand: a download returns the kept bytes, checked against their
SHA-256, and so the same bytes every time.

Blocking (rendering, file I/O, SQL): the API calls it from worker threads only.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.billing.documents.document import InvoiceDocument, invoice_document
from domain.billing.invoice import IssuedInvoice
from storage.documents import DocumentStore
from storage.sql import SqlStore, Tx

RETENTION_YEARS = 10
"""Accounting documents are kept ten years after the close of their financial year (Code de
commerce, article L123-22); the service's financial year is the calendar year."""
FOLDER = "invoices"
"""The invoices' subfolder of the document store."""

_TABLE = """CREATE TABLE IF NOT EXISTS invoice_documents (
    invoice_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, number TEXT NOT NULL,
    pdf_sha256 TEXT, xml_sha256 TEXT, kept_until INTEGER NOT NULL)"""
_NUMBER_INDEX = (
    "CREATE UNIQUE INDEX IF NOT EXISTS invoice_documents_number"
    " ON invoice_documents (member_id, number)"
)


@dataclass(frozen=True, slots=True)
class KeptDocuments:
    """The documents of one invoice, as kept."""

    invoice_id: UUID
    number: str
    pdf_sha256: str
    xml_sha256: str
    kept_until: date


def kept_until(issued_on: date) -> date:
    return date(issued_on.year + RETENTION_YEARS, 12, 31)


def create_table(tx: Tx) -> None:
    """The table, made if missing (when the reactions' runner is set up)."""
    tx.execute(_TABLE)
    tx.execute(_NUMBER_INDEX)


def keep(
    tx: Tx, files: DocumentStore, invoice_id: UUID, issued: IssuedInvoice
) -> InvoiceDocument | None:
    """Renders the invoice's documents and keeps them, unless the invoice already has its row;
    the documents, when they were kept now."""
    claimed = tx.execute(
        "INSERT INTO invoice_documents (invoice_id, member_id, number, kept_until)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (invoice_id) DO NOTHING RETURNING invoice_id",
        (
            str(invoice_id),
            str(issued.member_id),
            issued.number,
            kept_until(issued.issued_on).toordinal(),
        ),
    )
    if not claimed:
        return None
    document = invoice_document(issued)
    folder = files.within(FOLDER)
    tx.execute(
        "UPDATE invoice_documents SET pdf_sha256 = ?, xml_sha256 = ? WHERE invoice_id = ?",
        (folder.put(document.pdf), folder.put(document.xml), str(invoice_id)),
    )
    return document


class InvoiceDocuments:
    """What was kept, read back (the table is in `sql`, the files in `files`)."""

    def __init__(self, sql: SqlStore, files: DocumentStore):
        self.sql = sql
        self.files = files.within(FOLDER)

    def kept(self, member_id: UUID, number: str) -> KeptDocuments | None:
        """The documents of the member's invoice of that number, once rendered."""
        rows = self.sql.read(
            "SELECT invoice_id, number, pdf_sha256, xml_sha256, kept_until"
            " FROM invoice_documents WHERE member_id = ? AND number = ?",
            (str(member_id), number),
        )
        if not rows:
            return None
        invoice_id, found, pdf_sha256, xml_sha256, until = rows[0]
        return KeptDocuments(
            UUID(invoice_id), found, pdf_sha256, xml_sha256, date.fromordinal(until)
        )

    def pdf_sha256s(self, invoice_ids: Sequence[UUID]) -> dict[UUID, str]:
        """The SHA-256 of the PDF of each of these invoices already rendered."""
        if not invoice_ids:
            return {}
        marks = ", ".join("?" * len(invoice_ids))
        rows = self.sql.read(
            f"SELECT invoice_id, pdf_sha256 FROM invoice_documents WHERE invoice_id IN ({marks})",  # noqa: S608
            [str(i) for i in invoice_ids],
        )
        return {UUID(invoice_id): sha256 for invoice_id, sha256 in rows}

    def content(self, sha256: str) -> bytes:
        """The bytes kept under `sha256`, checked against it (`DocumentNotStored`,
        `DocumentCorrupted`: the file is missing or damaged)."""
        return self.files.get(sha256)

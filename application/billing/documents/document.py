"""The documents of an issued invoice or credit note: its EN 16931 CII XML, and its Factur-X PDF
(the French PDF/A-3b with that XML embedded). Rendering an invoice again gives the same bytes."""

from dataclasses import dataclass

from application.billing.documents.cii import cii_xml
from application.billing.documents.embedding import factur_x
from application.billing.documents.pdf import invoice_pdf, issue_moment
from domain.billing.invoice import IssuedInvoice


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    xml: bytes
    """The CII XML, UTF-8."""
    pdf: bytes
    """The Factur-X PDF: PDF/A-3b, `xml` embedded as `factur-x.xml`."""


def invoice_document(issued: IssuedInvoice) -> InvoiceDocument:
    xml = cii_xml(issued)
    pdf = factur_x(invoice_pdf(issued), xml, issue_moment(issued.issued_on))
    return InvoiceDocument(xml=xml, pdf=pdf)

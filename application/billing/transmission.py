"""Where an approved platform (plateforme agréée, the e-invoicing reform) plugs in: the port
through which an invoice's documents are transmitted once kept.

Transmission through a platform is out of scope for now: the composition root
(`contexts/billing.py`) gives `NoPlatform`, and the documents are only kept for the member to
download. A platform's client implements `EInvoiceTransmission` and replaces it there.

The keeping reaction (`application.billing.reactions.InvoiceDocumentKeeping`) calls it once it
has rendered and kept an invoice's documents, in the runner's transaction: if that transaction
fails after the call, the invoice is kept and transmitted again, so an implementation must
answer a number it already transmitted with that transmission's reference, not a second one.
"""

from typing import Protocol


class EInvoiceTransmission(Protocol):
    def transmit(self, invoice_number: str, pdf: bytes, xml: bytes) -> str | None:
        """Sends the invoice's Factur-X PDF and CII XML; the platform's reference of the
        transmission, or None when nothing was transmitted."""
        ...


class NoPlatform:
    """No approved platform: nothing is transmitted, the documents are kept for the member to
    download from the portal, and no reference is invented."""

    def transmit(self, invoice_number: str, pdf: bytes, xml: bytes) -> str | None:
        return None

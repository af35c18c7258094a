"""The Factur-X PDF: the CII XML attached to the PDF/A-3b as `factur-x.xml` (its associated file,
relationship Data) and declared by the document's XMP metadata (Factur-X extension schema,
profile EN 16931), written by `factur-x` (`generate_xmp_object`).

This is what `facturx.generate_from_binary` does, but dated: that function stamps the moment it
runs in three places (the document's dates, the XMP, the attachment), so two runs would give two
different files. Here every date is the one the PDF already carries, its issue date: the same
invoice always gives the same bytes.
"""

from collections.abc import Mapping
from datetime import datetime
from io import BytesIO

from facturx import generate_xmp_object
from lxml import etree
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, NameObject, TextStringObject

FILE_NAME = "factur-x.xml"
PROFILE = "EN 16931"
XMP_HEAD = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
XMP_TAIL = '\n<?xpacket end="w"?>'


def factur_x(pdf: bytes, xml: bytes, dated: datetime) -> bytes:
    """`pdf` (PDF/A-3b, dated `dated`) with `xml` embedded: the Factur-X invoice."""
    writer = PdfWriter(clone_from=BytesIO(pdf), keep_initial_header=True)
    attachment = writer.add_attachment(FILE_NAME, xml)
    attachment.alternative_name = TextStringObject(FILE_NAME)
    attachment.description = TextStringObject("Facture électronique CII (EN 16931)")
    attachment.subtype = NameObject("/text/xml")
    attachment.modification_date = dated
    attachment.associated_file_relationship = NameObject("/Data")
    assert attachment.pdf_object.indirect_reference is not None
    writer.root_object[NameObject("/AF")] = ArrayObject([attachment.pdf_object.indirect_reference])
    writer.xmp_metadata = _metadata(writer, dated)
    written = BytesIO()
    writer.write(written)
    return written.getvalue()


def _metadata(writer: PdfWriter, dated: datetime) -> bytes:
    """The XMP of a Factur-X invoice, saying what the document's information already says."""
    information: Mapping[str, str] = writer.metadata or {}
    xmp = generate_xmp_object(
        {
            "pdfa3_flavor": "B",
            "title": information.get("/Title", ""),
            "author": information.get("/Author", ""),
            "subject": information.get("/Subject", ""),
            "producer": information.get("/Producer", ""),
            "creator_tool": information.get("/Creator", ""),
            "timestamp": dated.isoformat(),
            "version": "1.0",
            "documenttype": "INVOICE",
            "xml_filename": FILE_NAME,
            "xmp_level": PROFILE,
            "urn": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
        }
    )
    body = etree.tostring(xmp, encoding="unicode")
    return f"{XMP_HEAD}{body}{XMP_TAIL}".encode()

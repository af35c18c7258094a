"""The Factur-X PDF: the CII XML attached to the PDF/A-3b as `factur-x.xml` (its associated file,
relationship Data) and declared by the document's XMP metadata (Factur-X extension schema,
profile EN 16931), written by `factur-x` (`generate_xmp_object`); the PDF is edited by
`pikepdf` (qpdf), in a fraction of the time a pure-Python library takes.

This is what `facturx.generate_from_binary` does, but dated: that function stamps the moment it
runs in three places (the document's dates, the XMP, the attachment), so two runs would give two
different files. Here every date is the one the PDF already carries, its issue date: the same
invoice always gives the same bytes.
"""

import re
from datetime import datetime
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

import pikepdf
from facturx import generate_xmp_object
from lxml import etree
from pikepdf import Array, Name
from pikepdf.models.metadata import encode_pdf_date

FILE_NAME = "factur-x.xml"
PROFILE = "EN 16931"
XMP_HEAD = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
XMP_TAIL = '\n<?xpacket end="w"?>'


def factur_x(pdf: bytes, xml: bytes, dated: datetime) -> bytes:
    """`pdf` (PDF/A-3b, dated `dated`) with `xml` embedded: the Factur-X invoice."""
    with pikepdf.open(BytesIO(pdf)) as document:
        moment = encode_pdf_date(dated)
        attachment = pikepdf.AttachedFileSpec(
            document,
            xml,
            description="Facture électronique CII (EN 16931)",
            filename=FILE_NAME,
            mime_type="text/xml",
            creation_date=moment,
            mod_date=moment,
            relationship=Name.Data,
        )
        document.attachments[FILE_NAME] = attachment
        document.Root.AF = Array([attachment.obj])
        document.Root.Metadata = document.make_stream(
            _metadata(document.docinfo, dated), Type=Name.Metadata, Subtype=Name.XML
        )
        written = BytesIO()
        # The file's identifier follows from its content: the same invoice, the same bytes; the
        # XMP just written already says the PDF's version.
        document.save(written, deterministic_id=True, fix_metadata_version=False)
    return written.getvalue()


def _metadata(information: pikepdf.Dictionary, dated: datetime) -> bytes:
    """The XMP of a Factur-X invoice, saying what the document's information already says."""
    said = {
        "title": str(information.get("/Title", "")),
        "author": str(information.get("/Author", "")),
        "subject": str(information.get("/Subject", "")),
        "producer": str(information.get("/Producer", "")),
        "creator_tool": str(information.get("/Creator", "")),
        "timestamp": dated.isoformat(),
    }
    return _SLOT.sub(lambda slot: escape(said[slot.group(1)]), _xmp_form()).encode()


_SLOT = re.compile("@(title|author|subject|producer|creator_tool|timestamp)@")


@cache
def _xmp_form() -> str:
    """The XMP `factur-x` writes, once, with a slot (`@title@`…) where each document's own value
    goes: building it with lxml for every invoice cost as much as the rest of the embedding."""
    xmp = generate_xmp_object(
        {
            "pdfa3_flavor": "B",
            "title": "@title@",
            "author": "@author@",
            "subject": "@subject@",
            "producer": "@producer@",
            "creator_tool": "@creator_tool@",
            "timestamp": "@timestamp@",
            "version": "1.0",
            "documenttype": "INVOICE",
            "xml_filename": FILE_NAME,
            "xmp_level": PROFILE,
            "urn": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
        }
    )
    body = etree.tostring(xmp, encoding="unicode")
    return f"{XMP_HEAD}{body}{XMP_TAIL}"

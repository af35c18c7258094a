"""Workbooks that cross the service's edge: an upload opened without trusting it, and text
written so that the workbook stays valid.

An upload is opened in three steps, each failure a typed refusal in French. Its zip directory
is read first: more than `MAX_ENTRIES` parts, or parts that would weigh more than
`MAX_UNCOMPRESSED_BYTES` unzipped, and it is refused before openpyxl opens anything (a zip bomb).
A part may lie about its size: zipfile never unzips more than the declared size, so the lie
only cuts the part short. Then openpyxl opens it, and its rows are read: a part cut short, a
part whose bytes do not match their checksum, a cell openpyxl cannot convert, show only then,
and are the same refusal as a file that is no zip at all: it is not a workbook we can read.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any, TypeVar

import openpyxl

from domain.errors import InvalidValue

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
"""What the workbook's parts may weigh once unzipped."""
MAX_ENTRIES = 1_000
"""Parts the workbook's zip may hold (Excel writes a few dozen)."""
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The old binary formats (.xls, and .xlsx files encrypted by a password)."""
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 cannot hold: control characters, U+FFFE and U+FFFF, lone surrogates."""
REPLACEMENT = "\ufffd"

T = TypeVar("T")


class ImportFileError(InvalidValue):
    """The upload cannot be read as the expected workbook."""

    code = "INVALID_IMPORT_FILE"


NOT_AN_XLSX = ImportFileError(
    "Ce fichier n'est pas un classeur Excel (.xlsx) : téléchargez le modèle, remplissez-le et"
    " enregistrez-le au format « Classeur Excel (.xlsx) ».",
    code="NOT_AN_XLSX",
)
OLD_FORMAT = ImportFileError(
    "Ce fichier est au format Excel 97-2003 (.xls) ou protégé par un mot de passe :"
    " enregistrez-le au format « Classeur Excel (.xlsx) », sans mot de passe, puis"
    " envoyez-le de nouveau.",
    code="NOT_AN_XLSX",
)
EMPTY_FILE = ImportFileError("Le fichier envoyé est vide.", code="EMPTY_FILE")
TOO_LARGE = ImportFileError(
    "Ce classeur est trop volumineux : gardez la seule feuille des expositions.",
    code="FILE_TOO_LARGE",
)


def open_workbook(content: bytes) -> Any:
    """The upload as a read-only openpyxl workbook (to be closed), once its zip is known to be
    of a reasonable size."""
    if not content:
        raise EMPTY_FILE.fresh()
    if content.startswith(OLE2_SIGNATURE):
        raise OLD_FORMAT.fresh()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except Exception:  # not a zip, or one zipfile cannot read (its version, its directory…)
        raise NOT_AN_XLSX.fresh() from None
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
        raise TOO_LARGE.fresh()
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # any malformed part: the upload is not a workbook we can read
        raise NOT_AN_XLSX.fresh() from None


def readable(rows: Iterator[T]) -> Iterator[T]:
    """The rows of a read-only sheet, each read as the upload's bytes allow: read-only sheets
    are parsed as they are iterated, so a damaged part fails here rather than when opened."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:  # the part's XML, its checksum, a cell's value: not readable
            raise NOT_AN_XLSX.fresh() from None
        yield row


def xml_safe(text: str) -> str:
    """A text to write into a workbook, each character XML 1.0 cannot hold replaced by U+FFFD
    (names recorded before names were checked may hold one)."""
    return NOT_XML.sub(REPLACEMENT, text)

"""Printed pages as PDF/A-3b, laid out by typst, for every context that prints one (invoices,
the account schedule, a declaration's receipt).

Typst lays out a template with the fonts the `typst` package embeds (Libertinus Serif): no
system font nor library is needed. What a page says is worded by its module, the template only
places it. A PDF is dated by the instant it is given, so the same page always gives the same
bytes.

The page reaches the template as a string literal of JSON put before it (`#let <name> = …`),
not through `sys.inputs`: typst hashes its whole standard library again whenever `sys.inputs`
changes, a tenth of the work of an invoice.
"""

import json
import threading
import unicodedata
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

import typst

PDF_A: Final = "a-3b"

_compiling = threading.Lock()
"""One compiler per process, reused for its caches (fonts, layouts); it compiles one document at
a time."""


def typeset(template: Path, name: str, page: dict[str, Any], dated: datetime) -> bytes:
    """The PDF/A-3b of `template`, given `page` as JSON in `sys.inputs.<name>`, dated `dated`
    (the same page and date give the same bytes). A text the shipped fonts cannot show (a name
    in Chinese characters, an emoji) is printed with "?" in place of those characters: PDF/A
    refuses a glyph it cannot draw, and a document is never lost for it."""
    try:
        return _typeset(template, name, page, dated)
    except typst.TypstError:
        return _typeset(template, name, printable(page), dated)


def printable(value: Any) -> Any:
    """`value` (the page's JSON) with every character outside the scripts the shipped fonts
    carry (Latin, Greek, Cyrillic, punctuation, currency and letterlike symbols) as "?"."""
    if isinstance(value, str):
        return "".join(c if _carried(ord(c)) else "?" for c in unicodedata.normalize("NFC", value))
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable(item) for item in value]
    return value


_CARRIED: tuple[tuple[int, int], ...] = (
    (0x20, 0x24F),
    (0x370, 0x4FF),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
)


def _carried(point: int) -> bool:
    return point == 0x0A or any(low <= point <= high for low, high in _CARRIED)


def _typeset(template: Path, name: str, page: dict[str, Any], dated: datetime) -> bytes:
    given = f"#let {name} = json(bytes({_typst_string(json.dumps(page, ensure_ascii=False))}))\n"
    with _compiling:
        pdf = _compiler().compile(
            input=(given + _source(template)).encode(),
            format="pdf",
            pdf_standards=[PDF_A],
            timestamp=dated,
            # Untagged: PDF/A-3b does not ask for a structure tree, and copying its objects
            # when the XML is embedded costs more than the rest (26 ms a document, not 18).
            pdf_tags=False,
        )
    assert isinstance(pdf, bytes), "one PDF, written to no file"
    return pdf


def _typst_string(text: str) -> str:
    """`text` as a typst string literal: in one, only the backslash and the quote are special."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@cache
def _source(template: Path) -> str:
    return template.read_text(encoding="utf-8")


@cache
def _compiler() -> typst.Compiler:
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True)

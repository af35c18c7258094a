"""Printed pages as PDF/A-3b, laid out by typst, for every context that prints one (invoices,
the account schedule, a declaration's receipt).

Typst lays out a template with the fonts the `typst` package embeds (Libertinus Serif): no
system font nor library is needed. What a page says is worded by its module, the template only
places it. A PDF is dated by the instant it is given, so the same page always gives the same
bytes.
"""

import json
import threading
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

import typst

PDF_A: Final = "a-3b"

_compiling = threading.Lock()
"""One compiler per template and process, reused for its caches (fonts, template); they compile
one document at a time."""


def typeset(template: Path, name: str, page: dict[str, Any], dated: datetime) -> bytes:
    """The PDF/A-3b of `template`, given `page` as JSON in `sys.inputs.<name>`, dated `dated`
    (the same page and date give the same bytes)."""
    with _compiling:
        pdf = _compiler(template).compile(
            format="pdf",
            sys_inputs={name: json.dumps(page, ensure_ascii=False)},
            pdf_standards=[PDF_A],
            timestamp=dated,
            # Untagged: PDF/A-3b does not ask for a structure tree, and copying its objects
            # when the XML is embedded costs more than the rest (26 ms a document, not 18).
            pdf_tags=False,
        )
    assert isinstance(pdf, bytes), "one PDF, written to no file"
    return pdf


@cache
def _compiler(template: Path) -> typst.Compiler:
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
    return typst.Compiler(template, font_paths=fonts, ignore_system_fonts=True)

"""Text typed by people: the one check every text field of every command goes through.

A text may not hold what no one can see or what breaks the programs it is shown in or stored
by: control characters (NUL, escape…, C0 and C1), format characters (bidirectional overrides
and isolates, zero-width spaces and joiners, the byte order mark, the soft hyphen…), lone
surrogates (which no store can encode) and noncharacters. Tab, carriage return and line feed
are whitespace: every run of spaces becomes one space (what a paste brings), line breaks
included in a one-line text; a multi-line text keeps its line breaks, as "\\n". Every text has
a length limit, counted once the text is cleaned.

A refusal names the field and the character's place, never the value: it may be personal data.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator

from domain.errors import InvalidValue

MAX_TEXT = 120
MAX_DESCRIPTION = 2000
INVALID_TEXT = "INVALID_TEXT"
SHOWN_CODE = 40
"""How much of a code a message quotes (see `shown`)."""
WHITESPACE_CONTROLS = "\t\n\r"
"""The control characters that are whitespace to people, and to this check."""


def _format_characters() -> Iterator[int]:
    """Unicode's format characters (category Cf); they all lie in planes 0, 1 and 14."""
    for first, last in ((0, 0x1FFFF), (0xE0000, 0xE0FFF)):
        for point in range(first, last + 1):
            if unicodedata.category(chr(point)) == "Cf":
                yield point


def _noncharacters() -> Iterator[int]:
    yield from range(0xFDD0, 0xFDF0)
    for plane in range(17):
        yield plane * 0x10000 + 0xFFFE
        yield plane * 0x10000 + 0xFFFF


def _character_class(points: Iterable[int]) -> str:
    """A regular expression's class matching `points`, as ranges."""
    ranges: list[list[int]] = []
    for point in sorted(points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges) + "]"


CONTROLS = (frozenset(range(0x20)) - {ord(c) for c in WHITESPACE_CONTROLS}) | set(range(0x7F, 0xA0))
SURROGATES = range(0xD800, 0xE000)
_REFUSED = re.compile(
    _character_class([*CONTROLS, *_format_characters(), *_noncharacters(), *SURROGATES])
)


def _kind(point: int) -> str:
    if point in CONTROLS:
        return "de contrôle"
    if point in SURROGATES:
        return "invalide (demi-paire de substitution)"
    if unicodedata.category(chr(point)) == "Cf":
        return "invisible ou de mise en forme"
    return "invalide (non-caractère Unicode)"


def check_characters(value: str, field: str | None, label: str) -> None:
    """Refuse a text holding a character no one should type (see the module)."""
    if value.isprintable():
        return  # every refused character is unprintable to Python: a fast pre-check
    found = _REFUSED.search(value)
    if found is not None:
        point = ord(found.group())
        raise InvalidValue(
            f"{label} contient un caractère {_kind(point)}, U+{point:04X}, en position"
            f" {found.start() + 1} : retirez-le puis recommencez.",
            code=INVALID_TEXT,
            field=field,
        )


def _cleaned(value: str, multiline: bool) -> str:
    if multiline:
        return "\n".join(" ".join(line.split()) for line in value.splitlines()).strip()
    return " ".join(value.split())


def optional_text(
    value: str | None,
    field: str,
    label: str,
    limit: int = MAX_TEXT,
    *,
    multiline: bool = False,
    code: str = INVALID_TEXT,
) -> str | None:
    """The text cleaned (see the module), or None when it is absent or blank.

    `label` names the field in French messages ("Le prénom"). `code` is the code of a refusal
    for the length (some fields had their own before this check was shared); a refused
    character is always `INVALID_TEXT`.
    """
    if value is None:
        return None
    cleaned = _cleaned(value, multiline)
    if len(cleaned) > limit:
        raise InvalidValue(
            f"{label} ne peut dépasser {limit} caractères ({len(cleaned)} saisis).",
            code=code,
            field=field,
        )
    check_characters(value, field, label)
    return cleaned or None


def required_text(
    value: str,
    field: str,
    label: str,
    limit: int = MAX_TEXT,
    *,
    multiline: bool = False,
    code: str = INVALID_TEXT,
) -> str:
    """The text cleaned (see the module); refused, with `code`, when blank."""
    cleaned = optional_text(value, field, label, limit, multiline=multiline, code=code)
    if cleaned is None:
        raise InvalidValue(f"{label} est obligatoire.", code=code, field=field)
    return cleaned


def shown(value: object, limit: int) -> str:
    """A value as typed, to quote in a message about a value that is not personal data (a code,
    a SIRET): trimmed, shortened to `limit`, and with the characters refused here replaced by
    "?", since a message is shown and logged."""
    text = str(value).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _REFUSED.sub("?", text)

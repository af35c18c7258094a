"""Reading the file of the visits held that the service's medical software exported (issue 13).

The file is UTF-8 (a byte order mark allowed), `;` separated, with a header row naming the
columns `employee_id`, `kind`, `held_on`, `professional_id` and `document`, in any order (other
columns are left aside), then one visit per line (a value never spans lines).

`read_visit_file` reads it (pure): each line into its columns' values, or the reason it cannot
be; the file as a whole is refused (`InvalidValue`) only when it cannot be read. What the values
mean is checked by the import (`application.visits.visit_import`). Messages quote line numbers
only: a cell may hold anything, personal data included.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.errors import InvalidValue
from domain.text import check_characters

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINES = 100_000
COLUMNS = ("employee_id", "kind", "held_on", "professional_id", "document")


@dataclass(frozen=True, slots=True)
class LineMessage:
    code: str
    message: str
    """French, naming the line (and the column)."""


@dataclass(frozen=True, slots=True)
class ReadLine:
    number: int
    """The line's number in the file, the header being line 1."""
    values: dict[str, str] = field(default_factory=dict)
    """Each column's value, trimmed."""
    refusal: LineMessage | None = None
    """Why the line could not be read into values."""


def read_visit_file(content: bytes) -> list[ReadLine]:
    """Every line holding something after the header, each read into its columns' values."""
    if len(content) > MAX_FILE_BYTES:
        raise _refused(f"Le fichier dépasse {MAX_FILE_BYTES // (1024 * 1024)} Mo.", "TOO_LARGE")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refused("Le fichier n'est pas encodé en UTF-8.", "NOT_UTF8") from None
    lines = (
        (number, line.removesuffix("\n").removesuffix("\r"))
        for number, line in enumerate(io.StringIO(text, newline="\n"), start=1)
        if line.strip()
    )
    header = next(lines, None)
    if header is None:
        raise _missing_columns(COLUMNS)
    positions, width = _header(header[1])
    read: list[ReadLine] = []
    for number, line in lines:
        if len(read) == MAX_LINES:
            raise _refused(
                f"Le fichier compte plus de {MAX_LINES:_} lignes".replace("_", " ")
                + " : découpez-le en plusieurs fichiers.",
                "TOO_MANY_LINES",
            )
        read.append(_read_line(number, line, positions, width))
    return read


def _header(line: str) -> tuple[dict[str, int], int]:
    """Each column's position, and the number of fields of every line."""
    check_characters(line, "file", "La ligne d'en-tête")
    try:
        names = [name.strip().lower() for name in _fields(line)]
    except csv.Error:
        raise _missing_columns(COLUMNS) from None
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise _missing_columns(missing)
    if any(names.count(column) > 1 for column in COLUMNS):
        raise _refused("La ligne d'en-tête nomme une colonne deux fois.", "DUPLICATE_COLUMN")
    return {column: names.index(column) for column in COLUMNS}, len(names)


def _read_line(number: int, line: str, positions: dict[str, int], width: int) -> ReadLine:
    try:
        check_characters(line, None, "la ligne")
        fields = _fields(line)
    except InvalidValue as error:
        return ReadLine(
            number, refusal=LineMessage(error.code, f"Ligne {number} : {error.message}")
        )
    except csv.Error:
        unreadable = f"Ligne {number} : illisible (guillemets mal placés, ou valeur démesurée)."
        return ReadLine(number, refusal=LineMessage("UNREADABLE_LINE", unreadable))
    if len(fields) != width:
        counted = (
            f"Ligne {number} : {len(fields)} champ(s) au lieu de {width} : chaque ligne suit les"
            " colonnes de l'en-tête, séparées par « ; »."
        )
        return ReadLine(number, refusal=LineMessage("FIELD_COUNT", counted))
    return ReadLine(number, {column: fields[positions[column]].strip() for column in COLUMNS})


def _fields(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=";", strict=True), [])


def _refused(message: str, code: str) -> InvalidValue:
    return InvalidValue(message, code=f"VISIT_FILE_{code}", field="file")


def _missing_columns(columns: Sequence[str]) -> InvalidValue:
    return _refused(
        f"La première ligne doit être l'en-tête {';'.join(COLUMNS)} (il manque :"
        f" {', '.join(columns)}).",
        "MISSING_COLUMNS",
    )

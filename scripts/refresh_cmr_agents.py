"""Rebuild `application/catalogues/data/cmr_agents.csv` from ECHA's table of harmonised entries
in Annex VI to CLP (Regulation (EC) 1272/2008, Part 3, table 3): every substance classified
Carc., Muta. or Repr. of category 1A or 1B that has a CAS number.

    .venv/bin/python scripts/refresh_cmr_agents.py annex_vi_clp_table_atpNN_en.xlsx [--atp NN]

The workbook is the one ECHA publishes at
https://echa.europa.eu/information-on-chemicals/annex-vi-to-clp (« Annex VI to CLP » Excel, one
per adaptation to technical progress, ATP). ECHA's site answers automated downloads with a
challenge page: download it in a browser, then run this script on the file.

What the file keeps: every row already in it (the French names of the agents the service chose,
the carcinogenic processes of the arrêté du 26 octobre 2020, the service's own sources), and,
for a CAS number it lacks, the Annex VI entry under its International Chemical Identification
(English or IUPAC: the table gives no French name; the row's source says so). A name longer than
the catalogue allows is cut; two entries of one name are told apart by their CAS number.
"""

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from stdnum import casrn

CSV_PATH = Path(__file__).parent.parent / "application/catalogues/data/cmr_agents.csv"
COLUMNS = ("kind", "cas_number", "name_fr", "name_en", "clp_hazard", "source")
CMR_CLASS = re.compile(r"\b(Carc|Muta|Repr)\.\s*1[AB]\b")
NUMBERED = re.compile(r"\s*\[(\d+)\]\s*$")
MAX_NAME = 300
HEADERS = {
    "name": "international chemical identification",
    "cas": "cas no",
    "classes": "hazard class and category code(s)",
}


@dataclass(frozen=True, slots=True)
class Entry:
    cas_number: str
    name: str
    hazards: tuple[str, ...]


def annex_vi_entries(workbook_path: Path) -> Iterator[Entry]:
    """The CMR 1A/1B entries of the workbook, one per valid CAS number."""
    sheet = load_workbook(workbook_path, read_only=True).worksheets[0]
    found: dict[str, int] = {}
    columns: dict[str, int] | None = None
    for row in sheet.iter_rows(values_only=True):
        cells = ["" if value is None else str(value).strip() for value in row]
        if columns is None:
            found.update(_titles(cells))
            columns = found if len(found) == len(HEADERS) else None
            continue
        hazards = tuple(
            dict.fromkeys(m.group(0) for m in CMR_CLASS.finditer(_at(cells, columns, "classes")))
        )
        if hazards:
            yield from _entries(_at(cells, columns, "name"), _at(cells, columns, "cas"), hazards)


def _titles(cells: list[str]) -> dict[str, int]:
    """The columns this row names: ECHA's header spans two rows (« Classification » above
    « Hazard Class and Category Code(s) »)."""
    lowered = [" ".join(cell.lower().split()) for cell in cells]
    return {key: lowered.index(title) for key, title in HEADERS.items() if title in lowered}


def _at(cells: list[str], columns: dict[str, int], key: str) -> str:
    index = columns[key]
    return cells[index] if index < len(cells) else ""


def _entries(names_cell: str, numbers_cell: str, hazards: tuple[str, ...]) -> Iterator[Entry]:
    """A group entry lists several substances, « name [1] » beside « number [1] »."""
    names = _numbered(names_cell)
    for key, number in _numbered(numbers_cell).items():
        if casrn.is_valid(number):
            name = names.get(key) or next(iter(names.values()), number)
            yield Entry(casrn.compact(number), name, hazards)


def _numbered(cell: str) -> dict[str, str]:
    items: dict[str, str] = {}
    for position, line in enumerate(line.strip() for line in cell.splitlines()):
        if line:
            match = NUMBERED.search(line)
            items[match.group(1) if match else str(position)] = _cleaned(
                NUMBERED.sub("", line)
            ).strip(" ;")
    return items


def merged(
    current: Iterable[dict[str, str]], entries: Iterable[Entry], atp: str
) -> list[dict[str, str]]:
    """The current rows as they are, then every entry whose CAS number they lack."""
    rows = [dict(row) for row in current]
    numbers = {row["cas_number"] for row in rows if row["cas_number"]}
    names = {row["name_fr"] for row in rows}
    edition = f" (ATP {atp})" if atp else ""
    source = f"CLP Annex VI{edition} ; nom anglais ou IUPAC, sans nom français dans la source"
    for entry in entries:
        if entry.cas_number in numbers:
            continue
        name = _shortened(entry.name)
        if name in names:
            name = _shortened(f"{entry.name} (CAS {entry.cas_number})")
        numbers.add(entry.cas_number)
        names.add(name)
        hazard = "; ".join(entry.hazards)
        rows.append(
            dict(
                zip(
                    COLUMNS,
                    ("substance", entry.cas_number, name, name, hazard, source),
                    strict=True,
                )
            )
        )
    return rows


def _cleaned(name: str) -> str:
    """ECHA's names hold soft hyphens and other format characters, which no catalogue name
    may (they hide a difference between two names)."""
    return " ".join("".join(c for c in name if unicodedata.category(c) != "Cf").split())


def _shortened(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"


def written(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path, help="annex_vi_clp_table_atpNN_en.xlsx (ECHA)")
    parser.add_argument("--atp", default="", help="the ATP of the workbook, named in the source")
    parser.add_argument("--output", type=Path, default=CSV_PATH)
    arguments = parser.parse_args(argv)
    with CSV_PATH.open(encoding="utf-8", newline="") as current:
        rows = merged(csv.DictReader(current), annex_vi_entries(arguments.workbook), arguments.atp)
    arguments.output.write_text(written(rows), encoding="utf-8")
    print(f"{len(rows)} agents written to {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`scripts/refresh_cmr_agents.py` rebuilds the CMR catalogue from ECHA's Annex VI workbook:
over a workbook laid out as ECHA's (title rows, then a header over two rows, then one entry a
row, names with soft hyphens, group entries listing « name [n] » beside « number [n] »), it
keeps the current rows and adds every Carc./Muta./Repr. 1A or 1B substance they lack, which the
catalogue loader then accepts."""

import importlib
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import Workbook

from application.catalogues.loader import load_catalogues

DATA = Path(__file__).resolve().parents[2] / "application/catalogues/data"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
HEADER = (
    ("Index No", "International Chemical Identification", "EC No", "CAS No", "Classification"),
    (None, None, None, None, "Hazard Class and Category Code(s)", "Hazard Statement Code(s)"),
)
ROWS = [
    ("601-020-00-8", "benzene", "200-753-7", "71-43-2", "Flam. Liq. 2\nCarc. 1A\nMuta. 1B", ""),
    ("001-001-00-9", "hydrogen", "215-605-7", "1333-74-0", "Flam. Gas 1\nPress. Gas", ""),
    ("082-001-00-6", "lead compounds", "", "", "Repr. 1A\nAcute Tox. 4 *", ""),
    (
        "024-017-00-8",
        "sodium chro\u00admate [1]\npotassium chromate [2]",
        "231-889-5 [1]\n232-140-5 [2]",
        "7775-11-3 [1]\n7789-00-6 [2]",
        "Carc. 1B\nMuta. 1B\nRepr. 1B\nSkin Sens. 1",
        "",
    ),
    ("000-000-00-0", "a bad number", "", "12-34-5", "Carc. 1B", ""),
    ("606-001-00-8", "acetone", "200-662-2", "67-64-1", "Flam. Liq. 2\nEye Irrit. 2", ""),
]


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(SCRIPTS))
    return importlib.import_module("refresh_cmr_agents")


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(("Table of harmonised entries in Annex VI to CLP",))
    sheet.append(())
    for header_row in HEADER:
        sheet.append(header_row)
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "annex_vi_clp_table_atp99_en.xlsx"
    book.save(path)
    return path


def test_only_cmr_1a_1b_entries_with_a_valid_cas_number_are_read(
    script: ModuleType, workbook: Path
) -> None:
    entries = list(script.annex_vi_entries(workbook))

    assert [(e.cas_number, e.name, e.hazards) for e in entries] == [
        ("71-43-2", "benzene", ("Carc. 1A", "Muta. 1B")),
        ("7775-11-3", "sodium chromate", ("Carc. 1B", "Muta. 1B", "Repr. 1B")),
        ("7789-00-6", "potassium chromate", ("Carc. 1B", "Muta. 1B", "Repr. 1B")),
    ]


def test_the_rebuilt_file_keeps_every_current_row_and_loads(
    script: ModuleType, workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    output = folder / "cmr_agents.csv"
    lines = output.read_text(encoding="utf-8").splitlines(keepends=True)
    current = "".join(
        line for line in lines if ",7775-11-3," not in line and ",7789-00-6," not in line
    )
    output.write_text(current, encoding="utf-8")
    monkeypatch.setattr(script, "CSV_PATH", output)

    assert script.main([str(workbook), "--atp", "99", "--output", str(output)]) == 0

    rebuilt = output.read_text(encoding="utf-8")
    assert rebuilt.startswith(current), "the French names and the processes stay as they were"
    added = rebuilt[len(current) :].splitlines()
    assert [line.split(",")[1] for line in added] == ["7775-11-3", "7789-00-6"]
    assert "CLP Annex VI (ATP 99) ; nom anglais ou IUPAC, sans nom français" in added[0]
    catalogue = load_catalogues(folder)
    names = {agent.name for agent in catalogue.cmr_agents}
    assert {"Benzène", "sodium chromate", "potassium chromate"} <= names

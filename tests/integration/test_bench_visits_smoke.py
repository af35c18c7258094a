"""The visits benchmark runs: `scripts/bench_visits.py --quick` on the PostgreSQL test server
writes its section of the report, with a number in every figure's cell."""

import importlib
import re
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
FIGURE = re.compile(r"^\d[\d,]*(\.\d+)? (events/s|rows/s|ms)$")


def table_rows(section: str) -> list[list[str]]:
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[1:]]


@pytest.mark.postgres
def test_the_quick_run_writes_its_section_with_numbers(
    postgres_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(SCRIPTS))
    bench_visits = importlib.import_module("bench_visits")
    report = tmp_path / "BENCHMARKS.md"
    argv = ["--quick", "--database-url", postgres_server, "--report", str(report)]

    assert bench_visits.main([*argv, "--label", "Smoke test"]) == 0

    text = report.read_text(encoding="utf-8")
    start, end = text.index("<!-- bench_visits:start -->"), text.index("<!-- bench_visits:end -->")
    section = text[start:end]
    assert "<!-- bench_visits:run smoke-test -->" in section
    rows = table_rows(section)
    measures = [row[0] for row in rows]
    assert sum(m.startswith("catch-up of DUE_VISITS") for m in measures) == 4, measures
    assert sum(m.startswith("of_member") for m in measures) == 8, measures
    assert sum(m.startswith("overdue, first page") for m in measures) == 2, measures
    for measure, measured, baseline, ratio, goal, met in rows:
        assert FIGURE.match(measured), (measure, measured)
        assert FIGURE.match(baseline), (measure, baseline)
        assert float(measured.split()[0].replace(",", "")) > 0, measure
        assert re.match(r"^\d+(\.\d+)?(%|x)$", ratio), (measure, ratio)
        if measure.startswith("of_member") and "first page" in measure:
            assert (goal, met in {"yes", "NO"}) == ("< 50 ms", True), measure

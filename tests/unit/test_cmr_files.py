"""The CMR list's files (CSV, XLSX, JSON) and its reader: lines written as they come, the
anonymised version grouped without identities, and memory that does not grow with the list."""

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import openpyxl
import pytest

from api.workforce.cmr_files import FileFormat, file_chunks
from domain.workforce.health import AgentKind, ExposureDegree, ExposureRoute
from projections.workforce.cmr_list import CmrEntry, CmrLine, CmrListReader, ListScope, anonymise
from projections.workforce.people import PersonIdentity


def a_line(n: int = 0, **changes: Any) -> CmrLine:
    fields: dict[str, Any] = {
        "member_code": "00010",
        "employee_id": UUID(int=n + 1),
        "birth_name": "Martin",
        "usage_name": None,
        "first_name": f"Marie{n}",
        "birth_date": date(1990, 5, 12),
        "job_title": "Soudeuse",
        "agent_kind": AgentKind.SUBSTANCE,
        "agent_name": "Benzène",
        "cas_number": "71-43-2",
        "routes": (ExposureRoute.INHALATION, ExposureRoute.SKIN),
        "hours_per_week": Decimal("3.5"),
        "degree": ExposureDegree.HIGH,
        "comment": None,
        "started_on": date(2024, 3, 1),
        "ended_on": None,
    }
    return CmrLine(**fields | changes)


def lines(count: int) -> Iterator[CmrLine]:
    return (a_line(n) for n in range(count))


def written(file_format: FileFormat, source: Any, *, anonymised: bool = False) -> bytes:
    return b"".join(file_chunks(source, file_format, anonymised=anonymised))


def test_csv_is_for_french_spreadsheets_and_never_runs_a_formula() -> None:
    content = written(FileFormat.CSV, [a_line(comment="=HYPERLINK(1)")])

    assert content.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Voies d'exposition"] == "Inhalation, Cutanée"
    assert cells["Degré"] == "Élevé"
    assert cells["Date de naissance"] == "1990-05-12"
    assert cells["Fin d'exposition"] == ""
    assert cells["Commentaire"] == "'=HYPERLINK(1)"


def test_xlsx_holds_dates_as_dates_and_formulas_as_text() -> None:
    content = written(FileFormat.XLSX, [a_line(comment="=1+1")])

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    cells = dict(zip(header, row, strict=True))
    assert cells["Début d'exposition"].date() == date(2024, 3, 1)
    assert cells["Commentaire"] == "=1+1"
    assert sheet.cell(row=2, column=header.index("Commentaire") + 1).data_type == "s"


def test_json_keeps_the_codes_under_camel_case_keys() -> None:
    (line,) = json.loads(written(FileFormat.JSON, [a_line()]))

    assert line["routes"] == ["INHALATION", "SKIN"]
    assert line["startedOn"] == "2024-03-01"
    assert line["endedOn"] is None


def test_an_empty_list_is_a_file_with_its_titles_only() -> None:
    assert json.loads(written(FileFormat.JSON, [])) == []
    assert written(FileFormat.CSV, []).decode("utf-8-sig").startswith("Code adhérent;")


def test_the_anonymised_list_counts_workers_per_work_situation_and_agent() -> None:
    source = [
        a_line(0, ended_on=date(2024, 6, 30)),
        a_line(1, started_on=date(2024, 1, 1), ended_on=date(2024, 9, 30)),
        a_line(1, started_on=date(2024, 10, 1)),  # the same worker again: counted once
        a_line(2, job_title="Menuisier", agent_name="Poussières de bois"),
    ]

    grouped = anonymise(source)

    assert [(g.work_situation, g.agent_name, g.workers) for g in grouped] == [
        ("Soudeuse", "Benzène", 2),
        ("Menuisier", "Poussières de bois", 1),
    ]
    assert (grouped[0].first_day, grouped[0].last_day) == (date(2024, 1, 1), None)
    content = written(FileFormat.CSV, grouped, anonymised=True).decode("utf-8-sig")
    for identifying in ("Marie", "Martin", "1990"):
        assert identifying not in content
    assert str(UUID(int=1)) not in content


def test_a_closed_group_ends_on_its_last_day() -> None:
    grouped = anonymise(
        [a_line(0, ended_on=date(2024, 6, 30)), a_line(1, ended_on=date(2024, 5, 1))]
    )

    assert grouped[0].last_day == date(2024, 6, 30)


@pytest.mark.parametrize("file_format", list(FileFormat))
def test_memory_does_not_grow_with_the_list(file_format: FileFormat) -> None:
    def peak(count: int) -> int:
        tracemalloc.start()
        for _ in file_chunks(lines(count), file_format, anonymised=False):
            pass
        _, highest = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return highest

    # openpyxl under tracemalloc is slow: ten times more lines all the same, fewer of them
    count = 500 if file_format is FileFormat.XLSX else 2_000
    small, large = peak(count), peak(10 * count)

    assert large < small * 1.5 + 256 * 1024, (small, large)


# The reader: pages joined to identities, read as the file is written -----------------------------


class FakeMembers:
    def __init__(self, codes: list[str]):
        self.views = [_member(code) for code in codes]

    def members(self, search: Any = None, after: str | None = None, limit: int = 50) -> list[Any]:
        return [v for v in self.views if after is None or v.member_code > after][:limit]

    def member(self, member_id: UUID) -> Any:
        return next((v for v in self.views if v.member_id == member_id), None)


def _member(code: str) -> Any:
    class View:
        member_id = uuid4()
        member_code = code

    return View()


class FakeExposures:
    """Each member has `per_member` exposures; counts the pages asked for."""

    def __init__(self, per_member: int):
        self.per_member = per_member
        self.pages = 0
        self.people: dict[UUID, PersonIdentity] = {}

    def page(self, *, member_id: UUID, after: Any, limit: int, **_: Any) -> list[CmrEntry]:
        self.pages += 1
        start = 0 if after is None else after[1]
        return [
            CmrEntry(
                employee_id=UUID(int=n),
                member_id=member_id,
                exposure_id=n,
                agent_kind=AgentKind.SUBSTANCE,
                agent_name="Benzène",
                cas_number=None,
                routes=(),
                hours_per_week=None,
                degree=None,
                comment=None,
                valid_from=date(2024, 1, 1),
                valid_to=None,
            )
            for n in range(start + 1, min(start + limit, self.per_member) + 1)
        ]


class FakeWorkforce:
    def employees_by_ids(self, ids: list[UUID], valid_on: date, known_at: int) -> dict[UUID, Any]:
        return {}


def test_the_reader_reads_a_page_only_when_the_lines_before_it_are_taken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "projections.workforce.cmr_list.identities_of",
        lambda _, ids: {i: PersonIdentity(i, "Martin", None, "Marie", None) for i in ids},
    )
    exposures, logged = FakeExposures(per_member=25), []
    reader = CmrListReader(
        FakeMembers(["00010", "00020"]),  # type: ignore[arg-type]
        FakeWorkforce(),  # type: ignore[arg-type]
        exposures,  # type: ignore[arg-type]
        lambda member_id, employees: logged.append(len(employees)),
        page_size=10,
    )

    read = reader.lines(ListScope(date(2024, 6, 1), 0))
    first = next(read)

    assert (first.member_code, first.first_name, exposures.pages) == ("00010", "Marie", 1)
    rest = list(read)
    assert len(rest) == 49
    assert exposures.pages == 6
    assert logged == [10, 10, 5, 10, 10, 5]

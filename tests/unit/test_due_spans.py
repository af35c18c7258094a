"""What a file owes over time (`due_spans`) is what the rule says on each day: every file of the
due-date tables, asked on every turning day, the days around it and every week of fifteen years."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain.visits.due import _first_visits, due_visits, posts_of
from domain.visits.employee_file import due_spans
from domain.visits.follow_up_file import FollowUpFile, HeldVisit
from domain.visits.kinds import ProfessionalRole, VisitKind
from tests.unit.test_visit_due_dates import EDGES, SECTION_2

FILES = {
    param.id: param.values[0]
    for param in [*SECTION_2, *EDGES]
    if isinstance(param.values[0], FollowUpFile)
}


def days_to_ask(file: FollowUpFile) -> set[date]:
    start = file.hire_date - timedelta(days=400)
    weekly = {start + timedelta(weeks=week) for week in range(52 * 15)}
    named = {file.hire_date, *(p.started_on for p in file.periods)}
    named |= {a.first_day for a in file.absences} | {v.held_on for v in file.visits}
    named |= {d for a in file.absences if a.returned_on for d in [a.returned_on]}
    if file.left_on is not None:
        named.add(file.left_on)
    around = {d + timedelta(days=shift) for d in named for shift in (-1, 0, 1)}
    return weekly | around


@pytest.mark.parametrize("file", FILES.values(), ids=FILES.keys())
def test_the_spans_say_what_the_rule_says_on_every_day(file: FollowUpFile) -> None:
    spans = due_spans(file)

    for day in sorted(days_to_ask(file)):
        listed = {
            span.due
            for span in spans
            if (span.valid_from is None or span.valid_from <= day)
            and (span.valid_to is None or day <= span.valid_to)
        }
        assert listed == set(due_visits(file, day)), day


def test_the_files_of_the_tables_are_all_asked() -> None:
    assert len(FILES) >= 40


def test_a_file_dated_beyond_the_calendar_owes_nothing_rather_than_failing() -> None:
    any_file = next(iter(FILES.values()))
    typed_by_mistake = replace(any_file, left_on=date(9999, 12, 31))

    assert due_spans(typed_by_mistake) == []


@pytest.mark.parametrize("file", FILES.values(), ids=FILES.keys())
def test_the_first_visits_when_none_is_held_are_those_of_the_general_rule(
    file: FollowUpFile,
) -> None:
    """`_first_visits` answers by a shorter path when no visit is held: the same as the general
    one given a visit that meets no first visit (a return-to-work visit by a nurse)."""
    posts = posts_of(file)
    meets_nothing = (HeldVisit(VisitKind.RETURN_TO_WORK, file.hire_date, ProfessionalRole.NURSE),)
    for day in sorted(days_to_ask(file)):
        assert _first_visits(day, (), posts) == _first_visits(day, meets_nothing, posts), day

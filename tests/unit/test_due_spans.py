"""What a file owes over time (`due_spans`) is what the rule says on each day: every file of the
due-date tables, asked on every turning day, the days around it and every week of fifteen years;
then files drawn at random, asked on every day that starts a stretch and the day before; and the
first visits as posts are taken up (`FirstVisits`) against the loop the rule was first written
as."""

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.visits.due import due_visits, visits_counted
from domain.visits.due_spans import DueSpan, due_spans
from domain.visits.first_visits import FirstVisits, Post, posts_of
from domain.visits.follow_up_file import (
    Absence,
    AbsenceKind,
    CategoryPeriod,
    FollowUpFile,
    HeldVisit,
    PreviousSirExam,
)
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.visits.owed import DueVisit
from domain.workforce.follow_up import FollowUp
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
        assert owed_on(spans, day) == set(due_visits(file, day)), day


def owed_on(spans: list[DueSpan], day: date) -> set[DueVisit]:
    return {
        span.due
        for span in spans
        if (span.valid_from is None or span.valid_from <= day)
        and (span.valid_to is None or day <= span.valid_to)
    }


def test_the_files_of_the_tables_are_all_asked() -> None:
    assert len(FILES) >= 40


def test_a_file_dated_beyond_the_calendar_owes_nothing_rather_than_failing() -> None:
    any_file = next(iter(FILES.values()))
    typed_by_mistake = replace(any_file, left_on=date(9999, 12, 31))

    assert due_spans(typed_by_mistake) == []


DAY = timedelta(days=1)
HIRE = date(2024, 3, 1)
ROLES = st.sampled_from(list(ProfessionalRole))
KINDS = st.sampled_from(list(VisitKind))


def drawn_posts(draw: st.DrawFn, *, most: int, apart: int) -> tuple[list[CategoryPeriod], date]:
    """Up to `most` periods of any category from the hire on, each 1 to `apart` days after the
    one before; and the day after the last one's gap."""
    day = HIRE
    periods = []
    for _ in range(draw(st.integers(1, most))):
        category = draw(st.sampled_from(list(FollowUp)))
        before = category is FollowUp.SIR or (category is FollowUp.SIA and draw(st.booleans()))
        cat_a = category is FollowUp.SIR and draw(st.booleans())
        periods.append(CategoryPeriod(day, category, before, cat_a))
        day += draw(st.integers(1, apart)) * DAY
    return periods, day


@st.composite
def files(draw: st.DrawFn) -> FollowUpFile:
    """A file of a few posts (any categories), visits of any kind by anyone, absences one after
    the other, maybe a departure, an exam before the hire, a birth date."""
    periods, day = drawn_posts(draw, most=7, apart=500)
    absences = []
    away = HIRE + draw(st.integers(0, 300)) * DAY
    for _ in range(draw(st.integers(0, 3))):
        length = draw(st.none() | st.integers(1, 120))
        returned_on = None if length is None else away + length * DAY
        absences.append(Absence(draw(st.sampled_from(list(AbsenceKind))), away, returned_on))
        if returned_on is None:
            break
        away = returned_on + draw(st.integers(0, 400)) * DAY
    visits = tuple(
        HeldVisit(draw(KINDS), HIRE + draw(st.integers(-60, 3000)) * DAY, draw(ROLES))
        for _ in range(draw(st.integers(0, 6)))
    )
    left_on = draw(st.none() | st.just(max(day, away) + draw(st.integers(0, 900)) * DAY))
    previous = draw(
        st.none()
        | st.builds(
            PreviousSirExam,
            st.just(HIRE - draw(st.integers(0, 1000)) * DAY),
            st.booleans(),
            st.booleans(),
        )
    )
    try:
        return FollowUpFile(
            hire_date=HIRE,
            apprentice=draw(st.booleans()),
            birth_date=draw(st.none() | st.dates(date(1958, 1, 1), date(2006, 12, 31))),
            periods=tuple(periods),
            absences=tuple(absences),
            visits=visits,
            left_on=left_on,
            previous_sir_exam=previous,
        )
    except InvalidValue:
        reject()


def stretch_days(file: FollowUpFile, spans: list[DueSpan]) -> set[date]:
    """Every day a span starts or ends around, and the days next to them."""
    named = {HIRE - DAY, HIRE, *(v.held_on for v in file.visits)}
    named |= {p.started_on for p in file.periods} | {a.first_day for a in file.absences}
    named |= {s.valid_from for s in spans if s.valid_from} | {
        s.valid_to for s in spans if s.valid_to
    }
    if file.left_on is not None:
        named.add(file.left_on)
    return {d + shift * DAY for d in named for shift in (-1, 0, 1)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(files())
def test_the_sweep_owes_what_the_rule_owes_on_each_day_of_a_random_file(
    file: FollowUpFile,
) -> None:
    spans = due_spans(file)

    for day in sorted(stretch_days(file, spans)):
        assert owed_on(spans, day) == set(due_visits(file, day)), day


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(files())
def test_spans_of_one_visit_neither_overlap_nor_touch(file: FollowUpFile) -> None:
    """Each visit owed over days that follow one another is one span."""
    by_visit: dict[DueVisit, list[DueSpan]] = {}
    for span in due_spans(file):
        by_visit.setdefault(span.due, []).append(span)

    for spans in by_visit.values():
        for earlier, later in pairwise(spans):
            assert earlier.valid_to is not None
            assert later.valid_from is not None
            assert later.valid_from > earlier.valid_to + DAY


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(files())
def test_first_visits_taken_up_in_turn_are_those_of_the_first_loop(file: FollowUpFile) -> None:
    posts = posts_of(file)
    for day in sorted(stretch_days(file, due_spans(file))):
        visits = visits_counted(file, day)
        first = FirstVisits(visits, posts)
        for count in range(len(posts) + 1):
            if count and posts[count - 1].started_on > day:
                break
            first.take_up(count)
        owed = [*first.in_force, *(first.to_come() or ())]

        assert (owed, first.in_force_held) == first_visits_as_first_written(day, visits, posts)


def first_visits_as_first_written(
    on: date, visits: tuple[HeldVisit, ...], posts: tuple[Post, ...]
) -> tuple[list[DueVisit], bool]:
    """The rule's loop before posts were taken up in turn (a reference, kept as it was)."""
    owed: list[DueVisit] = []
    floor: date | None = None
    met_on: date | None = None
    in_force_held = False
    for post in posts:
        in_force = post.started_on <= on
        if not post.opens_assignment:
            if met_on is not None or not in_force:
                continue
            owed.pop()
        elif post.previous_started_on is not None:
            met_after = None if met_on is None else met_on + timedelta(1)
            floor = max(filter(None, (floor, post.previous_started_on, met_after)))
            if in_force:
                owed.clear()
        met_on = min(
            (
                visit.held_on
                for visit in visits
                if visit.kind in post.met_by
                and visit.professional in post.held_by
                and (floor is None or visit.held_on >= floor)
            ),
            default=None,
        )
        if met_on is None:
            owed.append(post.first_visit)
        if in_force:
            in_force_held = met_on is not None
    return owed, in_force_held


@st.composite
def crowded_files(draw: st.DrawFn) -> FollowUpFile:
    """A file whose days crowd together: posts a few days apart, visits on and around the days
    the posts are taken up, short absences, a departure soon after the last post."""
    periods, _ = drawn_posts(draw, most=8, apart=6)
    starts = [HIRE, *(p.started_on for p in periods)]
    visits = tuple(
        HeldVisit(draw(KINDS), draw(st.sampled_from(starts)) + draw(st.integers(-3, 8)) * DAY, role)
        for role in draw(st.lists(ROLES, max_size=10))
    )
    absences = []
    away = HIRE + draw(st.integers(0, 10)) * DAY
    for _ in range(draw(st.integers(0, 3))):
        returned_on = away + draw(st.integers(1, 40)) * DAY
        absences.append(Absence(draw(st.sampled_from(list(AbsenceKind))), away, returned_on))
        away = returned_on + draw(st.integers(0, 5)) * DAY
    last = max(periods[-1].started_on, absences[-1].returned_on if absences else HIRE)
    try:
        return FollowUpFile(
            hire_date=HIRE,
            apprentice=draw(st.booleans()),
            birth_date=draw(st.none() | st.dates(date(1979, 1, 1), date(1981, 12, 31))),
            periods=tuple(periods),
            absences=tuple(absences),
            visits=visits,
            left_on=draw(st.none() | st.just(last + draw(st.integers(0, 5)) * DAY)),
        )
    except InvalidValue:
        reject()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(crowded_files())
def test_the_sweep_owes_what_the_rule_owes_on_every_day_of_a_crowded_file(
    file: FollowUpFile,
) -> None:
    """Every day, not only those that start a stretch: posts, visits, absences and the
    departure a few days apart, so that an epoch holds many posts taken up in turn and the
    stretches between two visits are a day or two long."""
    spans = due_spans(file)
    last = max(d for d in stretch_days(file, spans)) + 3 * DAY

    day = HIRE - 2 * DAY
    while day <= last:
        assert owed_on(spans, day) == set(due_visits(file, day)), day
        day += DAY

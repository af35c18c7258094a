"""What a follow-up file owes over time (`due_spans`): every visit owed and the days on which it
is owed, for the read side to answer "what is due on that day" by a lookup.

What the rule (`domain.visits.due.due_visits`) owes changes only on the days the file names (a
visit held, a post taken up, an absence begun, the day after a departure, the new year of the
mid-career birthday), so the days fall into stretches that owe the same visits. Asking the rule
once per stretch costs the file's length each time — cubic over a long history, whose file is
drawn again at each event — so the file is swept once instead:

- between two days of visits held (an epoch), the visits counted stay the same: the
  end-of-career visit, each absence's return-to-work visit and the mid-career visit are each
  owed over one run of the epoch's stretches, read off the rule once;
- the first visits and renewals follow the posts as they are taken up (`FirstVisits`); those
  the posts still to come owe are a list whose tails the stretches share, so that a stretch
  costs what changed since the one before.

The visits owed over runs of stretches that touch are one span.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from domain.visits.due import (
    end_of_career,
    mid_career,
    renewals_in_force,
    return_to_work,
    visits_counted,
)
from domain.visits.first_visits import FirstVisits, ToCome, length, posts_of
from domain.visits.follow_up_file import CURRENT_VISIT_RULES, FollowUpFile, HeldVisit, VisitRules
from domain.visits.owed import DueVisit

DAY = timedelta(days=1)
HORIZON = date(2200, 1, 1)
"""A file naming a day beyond it (a departure in 9999 typed by mistake) is not scheduled: the
rule counts years from its days, which the calendar would not hold."""

Key = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class DueSpan:
    """A visit owed on every day from `valid_from` to `valid_to` (both included; None: without
    bound), as the file says."""

    valid_from: date | None
    valid_to: date | None
    due: DueVisit


def due_spans(file: FollowUpFile, rules: VisitRules = CURRENT_VISIT_RULES) -> list[DueSpan]:
    """Every visit the file owes, and the days on which it is owed."""
    starts = sorted(_turning_days(file, rules))
    if starts[-1] >= HORIZON or starts[0] == date.min:
        return []
    days = [starts[0] - DAY, *starts]  # a day of each stretch: the first's is before the hire
    left_from = len(days) if file.left_on is None else bisect_right(days, file.left_on)
    runs = _Runs()
    for first, last in _epochs(days, file):
        visits = visits_counted(file, days[first])
        runs.over(first, last, *end_of_career(file, visits, rules))
        staying = min(last, left_from - 1)  # once the worker left, only that visit stays
        if first > staying:
            continue
        for absence in file.absences:
            due = return_to_work(absence, visits, rules)
            if due is not None:
                runs.over(max(first, bisect_left(days, absence.first_day)), staying, due)
        owed_then = mid_career(file, days[staying], visits, rules)
        if owed_then:
            since = bisect_left(
                range(first, staying + 1),
                True,
                key=lambda stretch: bool(mid_career(file, days[stretch], visits, rules)),
            )
            runs.over(first + since, staying, *owed_then)
        _sweep_posts(runs, file, days[first : staying + 1], first, visits)
    return runs.spans(days)


def _epochs(days: list[date], file: FollowUpFile) -> list[tuple[int, int]]:
    """The runs of stretches (first, last) over which the visits held stay the same."""
    held_on = sorted(visit.held_on for visit in file.visits)
    counts = [bisect_right(held_on, day) for day in days]
    epochs: list[tuple[int, int]] = []
    first = 0
    for _, stretches in groupby(counts):
        last = first + len(list(stretches)) - 1
        epochs.append((first, last))
        first = last + 1
    return epochs


def _sweep_posts(
    runs: "_Runs",
    file: FollowUpFile,
    days: list[date],
    offset: int,
    visits: tuple[HeldVisit, ...],
) -> None:
    """The first visits and renewals over stretches of one epoch (`days`, from `offset`): they
    change only when a post is taken up."""
    first = FirstVisits(visits, posts_of(file))
    starts = [period.started_on for period in file.periods]
    in_force: dict[int, tuple[int, DueVisit]] = {}  # by identity: since when
    to_come: ToCome | None = None
    to_come_since: dict[ToCome, int] = {}
    for stretch, day in enumerate(days, start=offset):
        taken_up = bisect_right(starts, day)
        if stretch > offset and taken_up == first.taken_up:
            continue
        first.take_up(taken_up)
        owed = (*first.in_force, *renewals_in_force(file, first, visits))
        owed_ids = {id(due) for due in owed}
        for gone_id in [i for i in in_force if i not in owed_ids]:
            since, due = in_force.pop(gone_id)
            runs.over(since, stretch - 1, due)
        for due in owed:
            in_force.setdefault(id(due), (stretch, due))
        now = first.to_come()
        gone, came = _changes(to_come, now)
        for node in gone:
            runs.over(to_come_since.pop(node), stretch - 1, node.due)
        to_come_since.update((node, stretch) for node in came)
        to_come = now
    last = offset + len(days) - 1
    for since, due in in_force.values():
        runs.over(since, last, due)
    for node, since in to_come_since.items():
        runs.over(since, last, node.due)


def _changes(before: ToCome | None, after: ToCome | None) -> tuple[list[ToCome], list[ToCome]]:
    """The cells of `before` that `after` lost and those it gained: the lists share their
    tails, walked from the same length until they meet."""
    gone: list[ToCome] = []
    came: list[ToCome] = []
    while before is not after:
        longer_before = length(before) >= length(after)
        longer_after = length(after) >= length(before)
        if longer_before and before is not None:
            gone.append(before)
            before = before.rest
        if longer_after and after is not None:
            came.append(after)
            after = after.rest
    return gone, came


class _Runs:
    """The runs of stretches over which each visit is owed."""

    def __init__(self) -> None:
        self._runs: list[tuple[int, int, DueVisit]] = []

    def over(self, first: int, last: int, *dues: DueVisit) -> None:
        if first <= last:
            self._runs += [(first, last, due) for due in dues]

    def spans(self, days: list[date]) -> list[DueSpan]:
        """The runs of one visit that touch as one span each, in days."""
        by_visit: defaultdict[Key, list[tuple[int, int, DueVisit]]] = defaultdict(list)
        for run in self._runs:
            by_visit[_key(run[2])].append(run)
        spans: list[DueSpan] = []
        final = len(days) - 1
        for runs in by_visit.values():
            runs.sort(key=lambda run: run[0])
            merged = [[runs[0][0], runs[0][1]]]
            for first, last, _ in runs[1:]:
                if first <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], last)
                else:
                    merged.append([first, last])
            spans += [
                DueSpan(
                    None if first == 0 else days[first],
                    None if last == final else days[last + 1] - DAY,
                    runs[0][2],
                )
                for first, last in merged
            ]
        return sorted(spans, key=_order)


def _order(span: DueSpan) -> tuple[object, ...]:
    return (span.due.due_by, span.valid_from or date.min, *_key(span.due))


def _key(due: DueVisit) -> Key:
    """What tells two visits owed apart, as a key hashed without the enum's own (Python)
    hash."""
    return (due.kind.value, due.due_by, due.article, due.reason)


def _turning_days(file: FollowUpFile, rules: VisitRules) -> set[date]:
    days = {file.hire_date, *(period.started_on for period in file.periods)}
    days |= {absence.first_day for absence in file.absences}
    days |= {visit.held_on for visit in file.visits}
    if file.left_on is not None:
        days.add(_day_after(file.left_on))
    if file.birth_date is not None:
        days.add(date(min(file.birth_date.year + rules.mid_career_age, HORIZON.year), 1, 1))
    return days


def _day_after(day: date) -> date:
    """The next day; the last day of the calendar has none, and stands for itself."""
    return day if day == date.max else day + DAY

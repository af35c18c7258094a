"""The first visits (RULES.md §2): the hire's, then each new post's (`posts_of`), and which of
them are owed once some posts are taken up (`FirstVisits`).

A visit before assignment may precede the post: it counts from the start of the period the
worker leaves, and meets one first visit only. A new post replaces a first visit still owed once
it is taken up (the SIR exam replaces the VIP, R4624-24); a lower category turns it into that
category's. The posts not taken up yet owe their own first visit ahead of time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Final

from domain.visits.follow_up_file import CategoryPeriod, FollowUpFile, HeldVisit, add_months
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.visits.owed import DOCTOR, HEALTH_PROFESSIONALS, DueVisit, shown
from domain.workforce.follow_up import FollowUp

_K = VisitKind
ONE_DAY = timedelta(days=1)
VIP_MONTHS: Final = 3
APPRENTICE_VIP_MONTHS: Final = 2


@dataclass(frozen=True, slots=True)
class Post:
    """A category period as the first visits see it, whatever the day asked: whether it opens
    a new assignment, the day the period before it started, and the first visit it owes."""

    started_on: date
    opens_assignment: bool
    previous_started_on: date | None  # None: the hire's
    first_visit: DueVisit
    met_by: frozenset[VisitKind]
    held_by: frozenset[ProfessionalRole]


def posts_of(file: FollowUpFile) -> tuple[Post, ...]:
    """The file's periods as posts, each with the first visit it owes: the hire's, then, at
    each new assignment, that post's (a period that opens none keeps the assignment's day)."""
    posts: list[Post] = []
    assigned_on = file.hire_date
    previous_periods: tuple[CategoryPeriod | None, ...] = (None, *file.periods)
    for previous, period in zip(previous_periods, file.periods, strict=False):
        opens = previous is None or period.opens_assignment_after(previous)
        if previous is not None and opens:
            assigned_on = period.started_on
        due = _first_visit(
            period.category,
            period.visit_before_assignment,
            assigned_on,
            hired=assigned_on == file.hire_date,
            apprentice=file.apprentice,
        )
        posts.append(
            Post(
                period.started_on,
                opens,
                None if previous is None else previous.started_on,
                due,
                _MET_BY[due.kind],
                DOCTOR if due.kind is _K.SIR_EXAM else HEALTH_PROFESSIONALS,
            )
        )
    return tuple(posts)


class ToCome:
    """The first visits owed by the posts not taken up yet, in order: a list whose tails are
    shared by every day that reaches the same post with the same floor (`FirstVisits`)."""

    __slots__ = ("due", "length", "rest")

    def __init__(self, due: DueVisit, rest: ToCome | None):
        self.due = due
        self.rest = rest
        self.length = 1 + length(rest)

    def __iter__(self) -> Iterator[DueVisit]:
        node: ToCome | None = self
        while node is not None:
            yield node.due
            node = node.rest


def length(to_come: ToCome | None) -> int:
    return 0 if to_come is None else to_come.length


class FirstVisits:
    """The first visits given the visits held, as posts are taken up in turn (`take_up`): the
    one owed for the posts in force (`in_force`, at most one), whether the post in force had
    its own (`in_force_held`), and those the posts still to come owe (`to_come`)."""

    def __init__(self, visits: tuple[HeldVisit, ...], posts: tuple[Post, ...]):
        self.visits = visits
        self.posts = posts
        self.taken_up = 0
        self.in_force: list[DueVisit] = []
        self.in_force_held = False
        self._floor: date | None = None  # visits before it met earlier first visits
        self._met_on: date | None = None
        self._to_come: dict[tuple[int, date | None], ToCome | None] = {}
        self._next_opening = _next_openings(posts)

    def take_up(self, count: int) -> None:
        """Takes up the posts until `count` of them are in force."""
        for post in self.posts[self.taken_up : count]:
            if not post.opens_assignment:
                if self._met_on is not None:
                    continue
                self.in_force.pop()  # still owed on a lower category: that category's
            elif post.previous_started_on is not None:
                self._floor = _floor(self._floor, post, self._met_on)
                self.in_force.clear()
            self._met_on = self._first_held(post, self._floor)
            if self._met_on is None:
                self.in_force.append(post.first_visit)
            self.in_force_held = self._met_on is not None
        self.taken_up = max(self.taken_up, count)

    def to_come(self) -> ToCome | None:
        """The first visits the posts not taken up yet owe (a post that opens no assignment
        owes none before it is taken up)."""
        walked: list[tuple[tuple[int, date | None], DueVisit | None]] = []
        index, floor, met_on = self.taken_up, self._floor, self._met_on
        rest: ToCome | None = None
        while (index := self._next_opening[index]) < len(self.posts):
            post = self.posts[index]
            if post.previous_started_on is not None:
                floor = _floor(floor, post, met_on)
            if (index, floor) in self._to_come:
                rest = self._to_come[index, floor]
                break
            met_on = self._first_held(post, floor)
            walked.append(((index, floor), post.first_visit if met_on is None else None))
            index += 1
        for key, due in reversed(walked):
            if due is not None:
                rest = ToCome(due, rest)
            self._to_come[key] = rest
        return rest

    def _first_held(self, post: Post, since: date | None) -> date | None:
        """The day of the first visit since `since` that meets the post's first visit."""
        if not self.visits:
            return None
        return min(
            (
                visit.held_on
                for visit in self.visits
                if visit.kind in post.met_by
                and visit.professional in post.held_by
                and (since is None or visit.held_on >= since)
            ),
            default=None,
        )


def _floor(floor: date | None, post: Post, met_on: date | None) -> date | None:
    """Where to look for the visit that meets the post's: not before the period the worker
    leaves, nor at or before the visit that met the first visit before."""
    for later in (post.previous_started_on, None if met_on is None else met_on + ONE_DAY):
        if later is not None and (floor is None or later > floor):
            floor = later
    return floor


def _next_openings(posts: tuple[Post, ...]) -> list[int]:
    """For each index, the first post from it on that opens an assignment (or the end)."""
    following = [len(posts)] * (len(posts) + 1)
    for index in range(len(posts) - 1, -1, -1):
        following[index] = index if posts[index].opens_assignment else following[index + 1]
    return following


_MET_BY: Final = {
    kind: frozenset({kind, _K.SIR_EXAM}) for kind in (_K.SIR_EXAM, _K.INFORMATION_AND_PREVENTION)
}


@lru_cache(maxsize=4096)  # a file is drawn again at each event: its posts' visits are the same
def _first_visit(
    category: FollowUp,
    visit_before_assignment: bool,
    assigned_on: date,
    *,
    hired: bool,
    apprentice: bool,
) -> DueVisit:
    trigger = (
        f"Embauche le {shown(assigned_on)}"
        if hired
        else f"Nouvelle affectation le {shown(assigned_on)} ({category.label.lower()})"
    )
    if category is FollowUp.SIR:
        reason = f"{trigger} : examen médical d'aptitude avant l'affectation au poste"
        return DueVisit(_K.SIR_EXAM, assigned_on, "R4624-24", reason)
    vip = "visite d'information et de prévention"
    if visit_before_assignment:
        reason = f"{trigger} : {vip} avant l'affectation au poste"
        return DueVisit(_K.INFORMATION_AND_PREVENTION, assigned_on, "R4624-18", reason)
    apprentice = apprentice and hired
    months = APPRENTICE_VIP_MONTHS if apprentice else VIP_MONTHS
    reason = f"{trigger} : {vip} dans les {months} mois{' (apprenti)' if apprentice else ''}"
    due_by = add_months(assigned_on, months)
    return DueVisit(_K.INFORMATION_AND_PREVENTION, due_by, "R4624-10", reason)

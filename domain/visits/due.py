"""The visits an employee owes on a date (RULES.md §2): a pure rule over the follow-up file.

An obligation is open on `on` once the fact that creates it is in the file, planned facts
included (a hire or a new post opens its visit before assignment, a known return its
return-to-work visit, a departure its end-of-career visit), or once its window opened (the
mid-career visit on 1 January of its year; a renewal runs from the last visit). It is met by a
visit of the right kind, held by `on` by a professional who may hold it, on or after the day the
obligation arose. Once the worker has left, only the end-of-career visit stays open.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import Final

from domain.visits.first_visits import FirstVisits, posts_of
from domain.visits.follow_up_file import (
    CURRENT_VISIT_RULES,
    Absence,
    AbsenceKind,
    CategoryPeriod,
    FollowUpFile,
    HeldVisit,
    VisitRules,
    add_months,
)
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.visits.owed import DOCTOR, HEALTH_PROFESSIONALS, DueVisit, shown
from domain.workforce.follow_up import FollowUp

_K = VisitKind
_FOLLOW_UP_VISITS: Final = frozenset(
    {_K.INFORMATION_AND_PREVENTION, _K.SIR_EXAM, _K.PERIODIC, _K.INTERMEDIATE}
)
_APTITUDE_EXAMS: Final = frozenset({_K.SIR_EXAM, _K.PERIODIC})

RENEWAL_YEARS: Final = {FollowUp.SI: (5, "R4624-16"), FollowUp.SIA: (3, "R4624-17")}
SIR_RENEWAL_YEARS: Final = 4
INTERMEDIATE_YEARS: Final = 2
RETURN_VISIT_DAYS: Final = 8
WORK_ACCIDENT_MIN_DAYS: Final = 30
MID_CAREER_ANTICIPATION_YEARS: Final = 2
END_OF_CAREER_ARTICLES: Final = "L4624-2-1, R4624-28-1, R4624-28-2"


def _years_after(day: date, years: int) -> date:
    return add_months(day, 12 * years)


@dataclass(frozen=True, slots=True)
class PossibleVisit:
    """A visit the worker may have, which nobody owes (so never late)."""

    kind: VisitKind
    article: str
    reason: str


def due_visits(
    file: FollowUpFile, on: date, rules: VisitRules = CURRENT_VISIT_RULES
) -> tuple[DueVisit, ...]:
    """The visits owed on `on` and not yet held, the earliest due first."""
    visits = visits_counted(file, on)
    at_end = end_of_career(file, visits, rules)
    if file.has_left_by(on):
        return at_end
    first = FirstVisits(visits, posts_of(file))
    first.take_up(bisect_right(file.periods, on, key=attrgetter("started_on")))
    owed = [
        *first.in_force,
        *(first.to_come() or ()),
        *renewals_in_force(file, first, visits),
        *(
            due
            for absence in file.absences
            if absence.first_day <= on and (due := return_to_work(absence, visits, rules))
        ),
        *mid_career(file, on, visits, rules),
        *at_end,
    ]
    return tuple(sorted(owed, key=lambda due: due.due_by))


def renewals_in_force(
    file: FollowUpFile, first: FirstVisits, visits: tuple[HeldVisit, ...]
) -> tuple[DueVisit, ...]:
    """The renewals of the period in force, once its post had its first visit."""
    if not first.in_force_held:
        return ()
    return renewals(file.periods[first.taken_up - 1], visits)


def next_due(
    file: FollowUpFile, on: date, rules: VisitRules = CURRENT_VISIT_RULES
) -> DueVisit | None:
    """The visit owed first on `on`, if any."""
    return next(iter(due_visits(file, on, rules)), None)


def is_overdue(due: DueVisit, on: date) -> bool:
    return on > due.due_by


def possible_visits(
    file: FollowUpFile, on: date, rules: VisitRules = CURRENT_VISIT_RULES
) -> tuple[PossibleVisit, ...]:
    """What the worker may have on `on` without it being owed: the pre-return visit during an
    absence beyond the threshold (R4624-29), until one is held during that absence."""
    if file.has_left_by(on):
        return ()
    visits = visits_counted(file, on)
    for absence in file.absences:
        if not absence.covers(on):
            continue
        thresholds = rules.absence_thresholds(absence)
        last_day_away = on if absence.returned_on is None else absence.returned_on - timedelta(1)
        if last_day_away < thresholds.pre_return_possible_from(absence.first_day) or _held(
            visits, {_K.PRE_RETURN}, DOCTOR, since=absence.first_day
        ):
            continue
        reason = (
            f"Absence depuis le {shown(absence.first_day)}, de plus de"
            f" {thresholds.pre_return_beyond} : une visite de pré-reprise peut être organisée"
        )
        return (PossibleVisit(_K.PRE_RETURN, "R4624-29", reason),)
    return ()


def visits_counted(file: FollowUpFile, on: date) -> tuple[HeldVisit, ...]:
    """The visits held by `on`, and an exam held before the hire that spares the hiring exam."""
    held = tuple(visit for visit in file.visits if visit.held_on <= on)
    previous = file.previous_sir_exam
    if file.periods[0].category is not FollowUp.SIR or previous is None:
        return held
    if not previous.spares_hiring_exam(file.hire_date):
        return held
    return (*held, HeldVisit(_K.SIR_EXAM, previous.held_on, ProfessionalRole.OCCUPATIONAL_DOCTOR))


def _held(
    visits: Iterable[HeldVisit],
    kinds: Iterable[VisitKind],
    by: frozenset[ProfessionalRole],
    since: date | None = None,
) -> list[date]:
    """The days, in order, of the visits of these kinds held by these professionals since."""
    wanted = frozenset(kinds)
    return sorted(
        visit.held_on
        for visit in visits
        if visit.kind in wanted
        and visit.professional in by
        and (since is None or visit.held_on >= since)
    )


def renewals(period: CategoryPeriod, visits: tuple[HeldVisit, ...]) -> tuple[DueVisit, ...]:
    if period.category is not FollowUp.SIR:
        years, article = RENEWAL_YEARS[period.category]
        last = _held(visits, _FOLLOW_UP_VISITS, HEALTH_PROFESSIONALS)
        if not last:
            return ()
        reason = (
            f"Dernière visite le {shown(last[-1])} : renouvellement de la visite d'information"
            f" et de prévention au plus tard {years} ans après ({period.category.value})"
        )
        return (DueVisit(_K.PERIODIC, _years_after(last[-1], years), article, reason),)
    exams = _held(visits, _APTITUDE_EXAMS, DOCTOR)
    if not exams:
        return ()
    exam = exams[-1]
    last_exam = f"Dernier examen d'aptitude le {shown(exam)}"
    if period.ionising_radiation_cat_a:
        reason = f"{last_exam} : renouvellement annuel (rayonnements ionisants, catégorie A)"
        return (DueVisit(_K.PERIODIC, _years_after(exam, 1), "R4451-82", reason),)
    reason = f"{last_exam} : renouvellement au plus tard {SIR_RENEWAL_YEARS} ans après"
    renewal = DueVisit(_K.PERIODIC, _years_after(exam, SIR_RENEWAL_YEARS), "R4624-28", reason)
    if _held(visits, {_K.INTERMEDIATE}, HEALTH_PROFESSIONALS, since=exam):
        return (renewal,)
    reason = f"{last_exam} : visite intermédiaire au plus tard {INTERMEDIATE_YEARS} ans après"
    intermediate = _years_after(exam, INTERMEDIATE_YEARS)
    return (DueVisit(_K.INTERMEDIATE, intermediate, "R4624-28", reason), renewal)


def _calls_for_return_visit(absence: Absence, days: int, rules: VisitRules) -> bool:
    if absence.kind is AbsenceKind.WORK_ACCIDENT:
        return days >= WORK_ACCIDENT_MIN_DAYS
    if absence.kind is AbsenceKind.OTHER:
        return days >= rules.absence_thresholds(absence).other_absence_min_days
    return True  # maternity, occupational disease: whatever the length


def return_to_work(
    absence: Absence, visits: tuple[HeldVisit, ...], rules: VisitRules
) -> DueVisit | None:
    """The return-to-work visit the absence calls for once it began, unless held."""
    returned_on, days = absence.returned_on, absence.days
    if returned_on is None or days is None:
        return None
    if not _calls_for_return_visit(absence, days, rules) or _held(
        visits, {_K.RETURN_TO_WORK}, DOCTOR, since=returned_on
    ):
        return None
    reason = (
        f"Reprise le {shown(returned_on)} après {days} jours d'absence"
        " : visite de reprise le jour de la reprise,"
        f" au plus tard {RETURN_VISIT_DAYS} jours après"
    )
    due_by = returned_on + timedelta(RETURN_VISIT_DAYS)
    return DueVisit(_K.RETURN_TO_WORK, due_by, "R4624-31", reason)


def mid_career(
    file: FollowUpFile, on: date, visits: tuple[HeldVisit, ...], rules: VisitRules
) -> tuple[DueVisit, ...]:
    """In the calendar year of the 45th birthday; a mid-career visit held in the 2 years before
    meets it (L4624-2-2 I). An erased birth date tells no year: nothing is computed."""
    if file.birth_date is None:
        return ()
    age = rules.mid_career_age
    year = file.birth_date.year + age
    last_day = date(year, 12, 31)
    if on < date(year, 1, 1) or last_day < max(file.hire_date, rules.mid_career_from):
        return ()
    anticipated_from = date(year - MID_CAREER_ANTICIPATION_YEARS, 1, 1)
    if _held(visits, {_K.MID_CAREER}, HEALTH_PROFESSIONALS, since=anticipated_from):
        return ()
    reason = f"Anniversaire des {age} ans en {year} : visite de mi-carrière dans l'année civile"
    return (DueVisit(_K.MID_CAREER, last_day, "L4624-2-2", reason),)


def end_of_career(
    file: FollowUpFile, visits: tuple[HeldVisit, ...], rules: VisitRules
) -> tuple[DueVisit, ...]:
    """One visit after the last SIR exposure: due when it ends (from `post_exposure_from`),
    else when the worker leaves; the law says "as soon as possible", so the due day is the day
    the exposure ends or the worker leaves. Any end-of-career visit held by the doctor since the
    last SIR period began meets it."""
    sir = [index for index, period in enumerate(file.periods) if period.category is FollowUp.SIR]
    if not sir:
        return ()
    after = file.periods[sir[-1] + 1 :]
    exposure_ended_on = after[0].started_on if after else None
    if exposure_ended_on is not None and exposure_ended_on >= rules.post_exposure_from:
        due_by = exposure_ended_on
        reason = f"Fin du suivi individuel renforcé le {shown(due_by)} : visite post-exposition"
    elif file.left_on is not None:
        due_by = file.left_on
        reason = (
            f"Sortie le {shown(due_by)} d'un salarié en suivi renforcé ou l'ayant été :"
            " visite de fin de carrière ou post-exposition"
        )
    else:
        return ()
    if _held(visits, {_K.END_OF_CAREER}, DOCTOR, since=file.periods[sir[-1]].started_on):
        return ()
    return (DueVisit(_K.END_OF_CAREER, due_by, END_OF_CAREER_ARTICLES, reason),)

"""What an employee's file says that the visit rules read (`domain.visits.due`).

One file is one employment: from the day the post is taken up (`hire_date`) to the day the worker
leaves the member, if known; a rehire opens a new file. The file holds what is known at one
instant (the workforce's time model): the caller builds it as known when it asks, and may include
what is planned (a hire, a change of post, a return, a departure). Categories come in as periods
already decided upstream (`domain.workforce.follow_up.assess_follow_up`), dated rules included.
The dated parts of the visit rules themselves are `VisitRules`, at the end.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from operator import attrgetter
from typing import Final

from domain.errors import InvalidValue
from domain.labelled import LabelledEnum
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.workforce.follow_up import FollowUp

SIR_EXEMPTION_YEARS: Final = 2


class AbsenceKind(LabelledEnum):
    """Cause of an absence, as the return-to-work rule tells them apart (R4624-31)."""

    MATERNITY = "maternity", "Congé de maternité"
    OCCUPATIONAL_DISEASE = "occupational_disease", "Maladie professionnelle"
    WORK_ACCIDENT = "work_accident", "Accident du travail"
    OTHER = "other", "Autre absence (maladie ou accident non professionnel…)"


@dataclass(frozen=True, slots=True)
class CategoryPeriod:
    """Follow-up category in force from `started_on` until the next period starts.

    `visit_before_assignment` is the flag of RULES.md §1 (every SIR post has it, SI never);
    `ionising_radiation_cat_a`: a worker classified in category A (R4451-82), hence SIR.
    """

    started_on: date
    category: FollowUp
    visit_before_assignment: bool
    ionising_radiation_cat_a: bool = False

    def __post_init__(self) -> None:
        if self.ionising_radiation_cat_a and self.category is not FollowUp.SIR:
            raise _invalid(
                "Un travailleur classé en catégorie A (rayonnements ionisants) relève du suivi"
                " individuel renforcé (R4624-23 I 5°).",
                "ionising_radiation_cat_a",
            )
        if self.category is FollowUp.SIR and not self.visit_before_assignment:
            raise _invalid(
                "Tout poste en suivi individuel renforcé impose l'examen d'aptitude avant"
                " l'affectation (R4624-24).",
                "visit_before_assignment",
            )
        if self.category is FollowUp.SI and self.visit_before_assignment:
            raise _invalid(
                "Une visite avant l'affectation relève d'un suivi adapté ou renforcé, pas du"
                " suivi simple.",
                "visit_before_assignment",
            )

    def opens_assignment_after(self, previous: CategoryPeriod) -> bool:
        """Whether this period puts the worker on a post that calls for a new first visit: a
        higher category, a visit before assignment where none was, or category A exposure."""
        return (
            self.category.rank > previous.category.rank
            or (self.visit_before_assignment and not previous.visit_before_assignment)
            or (self.ionising_radiation_cat_a and not previous.ionising_radiation_cat_a)
        )


@dataclass(frozen=True, slots=True)
class Absence:
    """An absence the employer declared: its cause, first day, and day of return if known."""

    kind: AbsenceKind
    first_day: date
    returned_on: date | None = None

    def __post_init__(self) -> None:
        if self.returned_on is not None and self.returned_on <= self.first_day:
            raise _invalid(
                "Le jour de la reprise doit suivre le premier jour d'absence.", "returned_on"
            )

    @property
    def days(self) -> int | None:
        """Length in days, from the first day to the day before the return; None while running."""
        return None if self.returned_on is None else (self.returned_on - self.first_day).days

    def covers(self, day: date) -> bool:
        """Whether the worker is away on `day`."""
        return self.first_day <= day and (self.returned_on is None or day < self.returned_on)


@dataclass(frozen=True, slots=True)
class HeldVisit:
    """A visit that took place (visite réalisée): its kind, day, and who held it."""

    kind: VisitKind
    held_on: date
    professional: ProfessionalRole


@dataclass(frozen=True, slots=True)
class PreviousSirExam:
    """An aptitude exam declared at hiring, held before it (elsewhere), for the R4624-27
    exemption: whether the new post is the same job with equivalent risks, and whether no
    restriction nor unfitness was recorded since."""

    held_on: date
    same_job_and_risks: bool
    no_restriction_since: bool

    def spares_hiring_exam(self, hire_date: date) -> bool:
        """R4624-27: held in the 2 years before the hire, same job and risks, no restriction."""
        recent = self.held_on >= add_months(hire_date, -12 * SIR_EXEMPTION_YEARS)
        return recent and self.same_job_and_risks and self.no_restriction_since


@dataclass(frozen=True, slots=True)
class FollowUpFile:
    """What one employee's file says, for one employment.

    `periods` are in order, the first starting on `hire_date`; `birth_date` is None once erased;
    `left_on` is the day the worker left the member, if known.
    """

    hire_date: date
    apprentice: bool
    birth_date: date | None
    periods: tuple[CategoryPeriod, ...]
    absences: tuple[Absence, ...] = ()
    visits: tuple[HeldVisit, ...] = ()
    left_on: date | None = None
    previous_sir_exam: PreviousSirExam | None = None

    def __post_init__(self) -> None:
        if self.birth_date is not None and self.birth_date >= self.hire_date:
            raise _invalid("La date de naissance doit précéder l'embauche.", "birth_date")
        if self.left_on is not None and self.left_on < self.hire_date:
            raise _invalid("La date de sortie ne peut précéder l'embauche.", "left_on")
        previous = self.previous_sir_exam
        if previous is not None and previous.held_on > self.hire_date:
            raise _invalid(
                "L'examen d'aptitude déclaré à l'embauche doit lui être antérieur.",
                "previous_sir_exam",
            )
        self._check_periods()
        self._check_absences()

    def _check_periods(self) -> None:
        starts = [period.started_on for period in self.periods]
        if not starts or starts[0] != self.hire_date:
            raise _invalid(
                "La première période de suivi doit commencer à la prise de poste.", "periods"
            )
        if any(later <= earlier for earlier, later in pairwise(starts)):
            raise _invalid(
                "Les périodes de suivi doivent se suivre, chacune commençant après la précédente.",
                "periods",
            )
        if self.left_on is not None and starts[-1] > self.left_on:
            raise _invalid(
                "Une période de suivi ne peut commencer après la sortie du salarié.", "periods"
            )

    def _check_absences(self) -> None:
        absences = sorted(self.absences, key=lambda absence: absence.first_day)
        for absence in absences:
            if absence.first_day < self.hire_date:
                raise _invalid("Une absence ne peut commencer avant l'embauche.", "absences")
            if self.left_on is not None and (
                absence.first_day > self.left_on
                or (absence.returned_on is not None and absence.returned_on > self.left_on)
            ):
                raise _invalid(
                    "Une absence ou une reprise ne peut suivre la sortie du salarié.", "absences"
                )
        for earlier, later in pairwise(absences):
            if earlier.returned_on is None or earlier.returned_on > later.first_day:
                raise _invalid("Deux absences ne peuvent se chevaucher.", "absences")

    def period_on(self, day: date) -> CategoryPeriod | None:
        """The period in force on `day`; None before the hire."""
        index = bisect_right(self.periods, day, key=attrgetter("started_on"))
        return self.periods[index - 1] if index else None

    def has_left_by(self, day: date) -> bool:
        """Whether the worker had left the member before `day`."""
        return self.left_on is not None and self.left_on < day


def _invalid(message: str, field: str) -> InvalidValue:
    return InvalidValue(message, code="INVALID_FOLLOW_UP_FILE", field=field)


def add_months(day: date, months: int) -> date:
    """The day of the same number `months` later, or the last day of that month when it has none
    (a delay in months: 30 November + 3 months is the end of February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class AbsenceThresholds:
    """The absence lengths of one version of R4624-29 (pre-return) and R4624-31 (return)."""

    other_absence_min_days: int
    pre_return_beyond: str
    pre_return_beyond_days: int = 0
    pre_return_beyond_months: int = 0

    def pre_return_possible_from(self, first_day: date) -> date:
        """The first day of absence beyond the threshold."""
        beyond = add_months(first_day, self.pre_return_beyond_months)
        return beyond + timedelta(days=self.pre_return_beyond_days)


_BEFORE_2022_REFORM: Final = AbsenceThresholds(30, "3 mois", pre_return_beyond_months=3)
_SINCE_2022_REFORM: Final = AbsenceThresholds(60, "30 jours", pre_return_beyond_days=30)


@dataclass(frozen=True, slots=True)
class VisitRules:
    """The dated parts of the visit rules, and what a branch agreement may set.

    - `absence_reform_on` (décret n° 2022-372): for absences starting from that day, an absence
      other than maternity, occupational disease or work accident calls for a return-to-work
      visit from 60 days (30 before), and the pre-return visit is possible beyond 30 days
      (3 months before);
    - `post_exposure_from` (L4624-2-1 as amended by loi n° 2021-1018): an SIR exposure ending from
      that day calls for the post-exposure visit; before, only the departure did;
    - `mid_career_from` (L4624-2-2, same law): the mid-career visit is owed for calendar years
      ending from that day;
    - `mid_career_age`: 45, unless a branch agreement sets another (L4624-2-2).
    """

    absence_reform_on: date = date(2022, 4, 1)
    post_exposure_from: date = date(2022, 3, 31)
    mid_career_from: date = date(2022, 3, 31)
    mid_career_age: int = 45

    def absence_thresholds(self, absence: Absence) -> AbsenceThresholds:
        reformed = absence.first_day >= self.absence_reform_on
        return _SINCE_2022_REFORM if reformed else _BEFORE_2022_REFORM


CURRENT_VISIT_RULES: Final = VisitRules()

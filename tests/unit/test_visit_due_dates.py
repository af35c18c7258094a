"""Visits due (RULES.md §2): one case per row of the table, then the edges (month ends, leap
day, apprentices, erased birth date, running absence, exemption refused), the dated rules, the
checks of the file, and a property: every due visit cites its article."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.visits.due import (
    END_OF_CAREER_ARTICLES,
    DueVisit,
    due_visits,
    is_overdue,
    next_due,
    possible_visits,
)
from domain.visits.follow_up_file import (
    CURRENT_VISIT_RULES,
    Absence,
    AbsenceKind,
    CategoryPeriod,
    FollowUpFile,
    HeldVisit,
    PreviousSirExam,
    VisitRules,
    add_months,
)
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.workforce.follow_up import FollowUp

K = VisitKind
A = AbsenceKind
DOCTOR = ProfessionalRole.OCCUPATIONAL_DOCTOR
NURSE = ProfessionalRole.NURSE
SECRETARY = ProfessionalRole.MEDICAL_SECRETARY
HIRE = date(2026, 1, 15)
BORN = date(1990, 6, 1)  # 45 in 2035
VIP_HELD = date(2026, 2, 1)
SI_RENEWAL = (K.PERIODIC, date(2031, 2, 1), "R4624-16")


def si(start: date = HIRE) -> CategoryPeriod:
    return CategoryPeriod(start, FollowUp.SI, visit_before_assignment=False)


def sia(start: date = HIRE, *, before: bool = False) -> CategoryPeriod:
    return CategoryPeriod(start, FollowUp.SIA, visit_before_assignment=before)


def sir(start: date = HIRE, *, cat_a: bool = False) -> CategoryPeriod:
    return CategoryPeriod(start, FollowUp.SIR, True, ionising_radiation_cat_a=cat_a)


def held(kind: VisitKind, day: date, by: ProfessionalRole = DOCTOR) -> HeldVisit:
    return HeldVisit(kind, day, by)


def away(kind: AbsenceKind, first_day: date, days: int | None) -> Absence:
    return Absence(kind, first_day, None if days is None else first_day + timedelta(days))


def a_file(
    *periods: CategoryPeriod,
    visits: tuple[HeldVisit, ...] = (),
    absences: tuple[Absence, ...] = (),
    apprentice: bool = False,
    born: date | None = BORN,
    left_on: date | None = None,
    previous: PreviousSirExam | None = None,
    hire: date = HIRE,
) -> FollowUpFile:
    return FollowUpFile(
        hire_date=hire,
        apprentice=apprentice,
        birth_date=born,
        periods=periods or (si(hire),),
        absences=absences,
        visits=visits,
        left_on=left_on,
        previous_sir_exam=previous,
    )


def si_with_vip(**changes: object) -> FollowUpFile:
    """An SI worker whose hiring visit took place: only the 5-year renewal is owed."""
    return a_file(visits=(held(K.INFORMATION_AND_PREVENTION, VIP_HELD, NURSE),), **changes)


def owed(file: FollowUpFile, on: date, rules: VisitRules = CURRENT_VISIT_RULES) -> set[tuple]:
    return {(due.kind, due.due_by, due.article) for due in due_visits(file, on, rules)}


def exempt_exam(held_on: date, *, same: bool = True, clear: bool = True) -> PreviousSirExam:
    return PreviousSirExam(held_on, same_job_and_risks=same, no_restriction_since=clear)


SIR_EXAM_HELD = date(2026, 1, 10)

# One case at least per row of RULES.md §2: (file, on, what is owed: kind, due by, article).
SECTION_2 = [
    pytest.param(
        a_file(),
        date(2026, 2, 1),
        {(K.INFORMATION_AND_PREVENTION, date(2026, 4, 15), "R4624-10")},
        id="VIP-within-3-months",
    ),
    pytest.param(
        a_file(apprentice=True),
        date(2026, 2, 1),
        {(K.INFORMATION_AND_PREVENTION, date(2026, 3, 15), "R4624-10")},
        id="VIP-apprentice-within-2-months",
    ),
    pytest.param(
        a_file(sia(before=True)),
        date(2026, 1, 2),
        {(K.INFORMATION_AND_PREVENTION, HIRE, "R4624-18")},
        id="VIP-before-assignment",
    ),
    pytest.param(
        si_with_vip(),
        date(2027, 1, 1),
        {SI_RENEWAL},
        id="VIP-renewal-SI-5-years",
    ),
    pytest.param(
        a_file(sia(), visits=(held(K.INFORMATION_AND_PREVENTION, VIP_HELD, NURSE),)),
        date(2027, 1, 1),
        {(K.PERIODIC, date(2029, 2, 1), "R4624-17")},
        id="VIP-renewal-SIA-3-years",
    ),
    pytest.param(
        a_file(sir()),
        date(2026, 1, 2),
        {(K.SIR_EXAM, HIRE, "R4624-24")},
        id="SIR-hiring-exam-before-assignment",
    ),
    pytest.param(
        a_file(sir(), visits=(held(K.SIR_EXAM, SIR_EXAM_HELD),)),
        date(2026, 6, 1),
        {
            (K.INTERMEDIATE, date(2028, 1, 10), "R4624-28"),
            (K.PERIODIC, date(2030, 1, 10), "R4624-28"),
        },
        id="SIR-renewal-4-years-intermediate-2-years",
    ),
    pytest.param(
        a_file(
            sir(),
            visits=(
                held(K.SIR_EXAM, SIR_EXAM_HELD),
                held(K.INTERMEDIATE, date(2027, 12, 1), NURSE),
            ),
        ),
        date(2028, 6, 1),
        {(K.PERIODIC, date(2030, 1, 10), "R4624-28")},
        id="SIR-renewal-after-intermediate-visit",
    ),
    pytest.param(
        a_file(sir(cat_a=True), visits=(held(K.SIR_EXAM, SIR_EXAM_HELD),)),
        date(2026, 6, 1),
        {(K.PERIODIC, date(2027, 1, 10), "R4451-82")},
        id="SIR-ionising-cat-A-yearly-no-intermediate",
    ),
    pytest.param(
        a_file(sir(), previous=exempt_exam(date(2025, 3, 1))),
        date(2026, 2, 1),
        {
            (K.INTERMEDIATE, date(2027, 3, 1), "R4624-28"),
            (K.PERIODIC, date(2029, 3, 1), "R4624-28"),
        },
        id="SIR-exemption-exam-within-2-years",
    ),
    pytest.param(
        si_with_vip(absences=(away(A.MATERNITY, date(2026, 3, 1), 112),)),
        date(2026, 6, 21),
        {SI_RENEWAL, (K.RETURN_TO_WORK, date(2026, 6, 29), "R4624-31")},
        id="return-to-work-after-maternity",
    ),
    pytest.param(
        si_with_vip(absences=(away(A.OCCUPATIONAL_DISEASE, date(2026, 3, 1), 3),)),
        date(2026, 3, 4),
        {SI_RENEWAL, (K.RETURN_TO_WORK, date(2026, 3, 12), "R4624-31")},
        id="return-to-work-after-occupational-disease-any-length",
    ),
    pytest.param(
        si_with_vip(absences=(away(A.WORK_ACCIDENT, date(2026, 3, 1), 30),)),
        date(2026, 3, 31),
        {SI_RENEWAL, (K.RETURN_TO_WORK, date(2026, 4, 8), "R4624-31")},
        id="return-to-work-after-work-accident-30-days",
    ),
    pytest.param(
        si_with_vip(absences=(away(A.OTHER, date(2026, 3, 1), 60),)),
        date(2026, 4, 30),
        {SI_RENEWAL, (K.RETURN_TO_WORK, date(2026, 5, 8), "R4624-31")},
        id="return-to-work-after-other-absence-60-days",
    ),
    pytest.param(
        si_with_vip(born=date(1981, 5, 10)),
        date(2026, 6, 1),
        {SI_RENEWAL, (K.MID_CAREER, date(2026, 12, 31), "L4624-2-2")},
        id="mid-career-in-the-year-of-the-45th-birthday",
    ),
    pytest.param(
        a_file(sir(), visits=(held(K.SIR_EXAM, SIR_EXAM_HELD),), left_on=date(2026, 6, 30)),
        date(2026, 7, 15),
        {(K.END_OF_CAREER, date(2026, 6, 30), END_OF_CAREER_ARTICLES)},
        id="end-of-career-SIR-worker-leaves",
    ),
    pytest.param(
        a_file(sir(), si(date(2026, 9, 1)), visits=(held(K.SIR_EXAM, SIR_EXAM_HELD),)),
        date(2026, 10, 1),
        {
            (K.END_OF_CAREER, date(2026, 9, 1), END_OF_CAREER_ARTICLES),
            (K.PERIODIC, date(2031, 1, 10), "R4624-16"),
        },
        id="post-exposure-worker-leaves-SIR",
    ),
]


@pytest.mark.parametrize(("file", "on", "expected"), SECTION_2)
def test_each_row_of_section_2(file: FollowUpFile, on: date, expected: set[tuple]) -> None:
    assert owed(file, on) == expected


def test_pre_return_is_possible_during_an_absence_over_30_days_never_due() -> None:
    file = si_with_vip(absences=(away(A.OTHER, date(2026, 3, 1), None),))
    on_day_31 = date(2026, 3, 31)
    (possible,) = possible_visits(file, on_day_31)
    assert (possible.kind, possible.article) == (K.PRE_RETURN, "R4624-29")
    assert "pré-reprise" in possible.reason
    assert owed(file, on_day_31) == {SI_RENEWAL}
    assert possible_visits(file, on_day_31 - timedelta(1)) == ()


# Edges: (file, on, what is owed) ------------------------------------------------------------------

EDGES = [
    pytest.param(
        a_file(hire=date(2027, 11, 30)),
        date(2027, 12, 1),
        {(K.INFORMATION_AND_PREVENTION, date(2028, 2, 29), "R4624-10")},
        id="30-November-plus-3-months-leap-year",
    ),
    pytest.param(
        a_file(hire=date(2026, 11, 30)),
        date(2026, 12, 1),
        {(K.INFORMATION_AND_PREVENTION, date(2027, 2, 28), "R4624-10")},
        id="30-November-plus-3-months",
    ),
    pytest.param(
        a_file(hire=date(2026, 12, 31), apprentice=True),
        date(2027, 1, 5),
        {(K.INFORMATION_AND_PREVENTION, date(2027, 2, 28), "R4624-10")},
        id="apprentice-31-December-plus-2-months",
    ),
    pytest.param(
        a_file(
            hire=date(2028, 2, 1), visits=(held(K.INFORMATION_AND_PREVENTION, date(2028, 2, 29)),)
        ),
        date(2028, 3, 1),
        {(K.PERIODIC, date(2033, 2, 28), "R4624-16")},
        id="renewal-from-a-leap-day",
    ),
    pytest.param(
        a_file(sir(), visits=(held(K.SIR_EXAM, SIR_EXAM_HELD, NURSE),)),
        date(2026, 2, 1),
        {(K.SIR_EXAM, HIRE, "R4624-24")},
        id="SIR-exam-by-a-nurse-does-not-count",
    ),
    pytest.param(
        a_file(visits=(held(K.INFORMATION_AND_PREVENTION, VIP_HELD, SECRETARY),)),
        date(2026, 3, 1),
        {(K.INFORMATION_AND_PREVENTION, date(2026, 4, 15), "R4624-10")},
        id="VIP-held-by-a-secretary-does-not-count",
    ),
    pytest.param(
        a_file(visits=(held(K.INFORMATION_AND_PREVENTION, date(2026, 3, 1)),)),
        date(2026, 2, 1),
        {(K.INFORMATION_AND_PREVENTION, date(2026, 4, 15), "R4624-10")},
        id="a-visit-after-the-date-asked-about-does-not-count-yet",
    ),
    pytest.param(
        a_file(sir(), previous=exempt_exam(date(2025, 3, 1), clear=False)),
        date(2026, 2, 1),
        {(K.SIR_EXAM, HIRE, "R4624-24")},
        id="no-exemption-when-a-restriction-was-recorded",
    ),
    pytest.param(
        a_file(sir(), previous=exempt_exam(date(2025, 3, 1), same=False)),
        date(2026, 2, 1),
        {(K.SIR_EXAM, HIRE, "R4624-24")},
        id="no-exemption-for-another-job",
    ),
    pytest.param(
        a_file(sir(), previous=exempt_exam(date(2024, 1, 14))),
        date(2026, 2, 1),
        {(K.SIR_EXAM, HIRE, "R4624-24")},
        id="no-exemption-for-an-exam-over-2-years-old",
    ),
    pytest.param(
        a_file(sir(), previous=exempt_exam(date(2024, 1, 15))),
        date(2026, 2, 1),
        {
            (K.INTERMEDIATE, date(2026, 1, 15), "R4624-28"),
            (K.PERIODIC, date(2028, 1, 15), "R4624-28"),
        },
        id="exemption-for-an-exam-exactly-2-years-old",
    ),
    pytest.param(
        a_file(si(), previous=exempt_exam(date(2025, 3, 1))),
        date(2026, 2, 1),
        {(K.INFORMATION_AND_PREVENTION, date(2026, 4, 15), "R4624-10")},
        id="no-exemption-outside-SIR",
    ),
    pytest.param(
        si_with_vip(absences=(away(A.WORK_ACCIDENT, date(2026, 3, 1), 29),)),
        date(2026, 3, 30),
        {SI_RENEWAL},
        id="no-return-visit-after-a-work-accident-of-29-days",
    ),
    pytest.param(
        si_with_vip(absences=(away(A.OTHER, date(2026, 3, 1), 59),)),
        date(2026, 4, 29),
        {SI_RENEWAL},
        id="no-return-visit-after-another-absence-of-59-days",
    ),
    pytest.param(
        si_with_vip(absences=(away(A.OTHER, date(2026, 3, 1), None),)),
        date(2026, 6, 1),
        {SI_RENEWAL},
        id="absence-still-running-no-return-visit-yet",
    ),
    pytest.param(
        si_with_vip(absences=(away(A.MATERNITY, date(2026, 3, 1), 112),)),
        date(2026, 4, 1),
        {SI_RENEWAL, (K.RETURN_TO_WORK, date(2026, 6, 29), "R4624-31")},
        id="return-day-known-ahead-the-visit-is-already-owed",
    ),
    pytest.param(
        a_file(
            visits=(
                held(K.INFORMATION_AND_PREVENTION, VIP_HELD, NURSE),
                held(K.RETURN_TO_WORK, date(2026, 6, 25)),
            ),
            absences=(away(A.MATERNITY, date(2026, 3, 1), 112),),
        ),
        date(2026, 7, 1),
        {SI_RENEWAL},
        id="return-visit-held",
    ),
    pytest.param(
        si_with_vip(born=None),
        date(2035, 6, 1),
        {SI_RENEWAL},
        id="erased-birth-date-no-mid-career",
    ),
    pytest.param(
        a_file(
            born=date(1981, 5, 10),
            hire=date(2020, 1, 15),
            visits=(held(K.INFORMATION_AND_PREVENTION, date(2020, 2, 1), NURSE),),
        ),
        date(2025, 12, 31),
        {(K.PERIODIC, date(2025, 2, 1), "R4624-16")},
        id="mid-career-not-owed-before-its-year",
    ),
    pytest.param(
        a_file(
            born=date(1981, 5, 10),
            visits=(
                held(K.INFORMATION_AND_PREVENTION, VIP_HELD, NURSE),
                held(K.MID_CAREER, date(2024, 5, 1), NURSE),
            ),
            hire=date(2020, 1, 15),
        ),
        date(2026, 6, 1),
        {SI_RENEWAL},
        id="mid-career-anticipated-within-2-years",
    ),
    pytest.param(
        a_file(
            born=date(1981, 5, 10),
            hire=date(2027, 1, 4),
            visits=(held(K.INFORMATION_AND_PREVENTION, date(2027, 1, 20), NURSE),),
        ),
        date(2027, 2, 1),
        {(K.PERIODIC, date(2032, 1, 20), "R4624-16")},
        id="mid-career-year-over-before-the-hire",
    ),
    pytest.param(
        a_file(
            si(),
            sir(date(2026, 6, 1)),
            visits=(held(K.INFORMATION_AND_PREVENTION, VIP_HELD, NURSE),),
        ),
        date(2026, 5, 1),
        {SI_RENEWAL, (K.SIR_EXAM, date(2026, 6, 1), "R4624-24")},
        id="planned-change-SI-to-SIR-exam-before-the-new-post",
    ),
    pytest.param(
        a_file(
            si(),
            sir(date(2026, 6, 1)),
            visits=(held(K.INFORMATION_AND_PREVENTION, VIP_HELD, NURSE),),
        ),
        date(2026, 7, 1),
        {(K.SIR_EXAM, date(2026, 6, 1), "R4624-24")},
        id="change-SI-to-SIR-exam-owed-renewals-wait",
    ),
    pytest.param(
        a_file(
            si(),
            sir(date(2026, 6, 1)),
            visits=(
                held(K.INFORMATION_AND_PREVENTION, VIP_HELD, NURSE),
                held(K.SIR_EXAM, date(2026, 5, 20)),
            ),
        ),
        date(2026, 7, 1),
        {
            (K.INTERMEDIATE, date(2028, 5, 20), "R4624-28"),
            (K.PERIODIC, date(2030, 5, 20), "R4624-28"),
        },
        id="change-SI-to-SIR-exam-held-before-the-new-post",
    ),
    pytest.param(
        a_file(
            sia(),
            sia(date(2026, 9, 1), before=True),
            visits=(held(K.INFORMATION_AND_PREVENTION, VIP_HELD),),
        ),
        date(2026, 9, 2),
        {(K.INFORMATION_AND_PREVENTION, date(2026, 9, 1), "R4624-18")},
        id="night-work-later-the-hiring-visit-does-not-count-twice",
    ),
    pytest.param(
        a_file(si(), sia(date(2026, 3, 1)), visits=()),
        date(2026, 3, 2),
        {(K.INFORMATION_AND_PREVENTION, date(2026, 6, 1), "R4624-10")},
        id="a-new-post-replaces-the-hiring-visit-still-owed",
    ),
    pytest.param(
        a_file(sir(), si(date(2026, 3, 1))),
        date(2026, 4, 1),
        {
            (K.INFORMATION_AND_PREVENTION, date(2026, 4, 15), "R4624-10"),
            (K.END_OF_CAREER, date(2026, 3, 1), END_OF_CAREER_ARTICLES),
        },
        id="lower-category-the-hiring-visit-owed-becomes-its-VIP",
    ),
    pytest.param(
        a_file(sir(), sir(date(2026, 9, 1), cat_a=True), visits=(held(K.SIR_EXAM, SIR_EXAM_HELD),)),
        date(2026, 9, 1),
        {(K.SIR_EXAM, date(2026, 9, 1), "R4624-24")},
        id="classified-cat-A-later-new-exam-before-assignment",
    ),
    pytest.param(
        a_file(sir(), visits=(held(K.SIR_EXAM, SIR_EXAM_HELD),), left_on=date(2026, 6, 30)),
        date(2026, 6, 1),
        {
            (K.INTERMEDIATE, date(2028, 1, 10), "R4624-28"),
            (K.PERIODIC, date(2030, 1, 10), "R4624-28"),
            (K.END_OF_CAREER, date(2026, 6, 30), END_OF_CAREER_ARTICLES),
        },
        id="departure-known-ahead-end-of-career-owed-before",
    ),
    pytest.param(
        a_file(
            sir(),
            visits=(held(K.SIR_EXAM, SIR_EXAM_HELD), held(K.END_OF_CAREER, date(2026, 6, 20))),
            left_on=date(2026, 6, 30),
        ),
        date(2026, 7, 15),
        set(),
        id="end-of-career-visit-held",
    ),
    pytest.param(
        a_file(absences=(away(A.MATERNITY, date(2026, 2, 1), 100),), left_on=date(2026, 6, 30)),
        date(2026, 7, 1),
        set(),
        id="left-never-SIR-nothing-owed",
    ),
]


@pytest.mark.parametrize(("file", "on", "expected"), EDGES)
def test_edges(file: FollowUpFile, on: date, expected: set[tuple]) -> None:
    assert owed(file, on) == expected


# Dated rules ------------------------------------------------------------------------------------

OLD_HIRE = date(2015, 1, 5)


def old_file(*periods: CategoryPeriod, **changes: object) -> FollowUpFile:
    visits = (held(K.INFORMATION_AND_PREVENTION, date(2015, 2, 1)),)
    return a_file(*periods, hire=OLD_HIRE, visits=visits, **changes)


OLD_RENEWAL = (K.PERIODIC, date(2020, 2, 1), "R4624-16")


@pytest.mark.parametrize(
    ("file", "on", "expected"),
    [
        pytest.param(
            old_file(absences=(away(A.OTHER, date(2022, 3, 31), 30),)),
            date(2022, 5, 1),
            {OLD_RENEWAL, (K.RETURN_TO_WORK, date(2022, 5, 8), "R4624-31")},
            id="absence-from-before-April-2022-30-days-enough",
        ),
        pytest.param(
            old_file(absences=(away(A.OTHER, date(2022, 4, 1), 30),)),
            date(2022, 5, 2),
            {OLD_RENEWAL},
            id="absence-from-April-2022-30-days-not-enough",
        ),
        pytest.param(
            old_file(born=date(1970, 3, 1)),
            date(2022, 6, 1),
            {OLD_RENEWAL},
            id="mid-career-45-before-2022-not-owed",
        ),
        pytest.param(
            old_file(born=date(1977, 3, 1)),
            date(2022, 6, 1),
            {OLD_RENEWAL, (K.MID_CAREER, date(2022, 12, 31), "L4624-2-2")},
            id="mid-career-45-in-2022-owed",
        ),
        pytest.param(
            old_file(sir(OLD_HIRE), si(date(2020, 1, 1)), left_on=date(2026, 5, 31)),
            date(2026, 6, 2),
            {(K.END_OF_CAREER, date(2026, 5, 31), END_OF_CAREER_ARTICLES)},
            id="left-SIR-before-2022-the-departure-calls-for-the-visit",
        ),
        pytest.param(
            old_file(sir(OLD_HIRE), si(date(2020, 1, 1)), born=None),
            date(2020, 6, 1),
            {(K.PERIODIC, date(2020, 2, 1), "R4624-16")},
            id="left-SIR-before-2022-no-post-exposure-visit",
        ),
    ],
)
def test_dated_rules(file: FollowUpFile, on: date, expected: set[tuple]) -> None:
    assert owed(file, on) == expected


def test_pre_return_before_the_2022_reform_beyond_3_months() -> None:
    file = old_file(absences=(away(A.OTHER, date(2022, 1, 10), None),))
    assert possible_visits(file, date(2022, 4, 9)) == ()
    (possible,) = possible_visits(file, date(2022, 4, 10))
    assert "3 mois" in possible.reason


def test_pre_return_known_return_counts_the_whole_absence() -> None:
    file = si_with_vip(absences=(away(A.WORK_ACCIDENT, date(2026, 3, 1), 31),))
    assert len(possible_visits(file, date(2026, 3, 2))) == 1
    file = si_with_vip(absences=(away(A.WORK_ACCIDENT, date(2026, 3, 1), 30),))
    assert possible_visits(file, date(2026, 3, 2)) == ()


def test_pre_return_not_proposed_once_held() -> None:
    file = a_file(
        visits=(held(K.PRE_RETURN, date(2026, 4, 10)),),
        absences=(away(A.OTHER, date(2026, 3, 1), None),),
    )
    assert possible_visits(file, date(2026, 4, 20)) == ()


def test_a_branch_agreement_may_set_another_mid_career_age() -> None:
    file = si_with_vip(born=date(1976, 5, 10))
    assert owed(file, date(2026, 6, 1), VisitRules(mid_career_age=50)) == {
        SI_RENEWAL,
        (K.MID_CAREER, date(2026, 12, 31), "L4624-2-2"),
    }


# next_due, is_overdue, reasons -------------------------------------------------------------------


def test_next_due_is_the_earliest_and_overdue_after_its_last_day() -> None:
    file = si_with_vip(absences=(away(A.OCCUPATIONAL_DISEASE, date(2026, 3, 1), 3),))
    due = next_due(file, date(2026, 3, 4))
    assert due is not None
    assert (due.kind, due.due_by) == (K.RETURN_TO_WORK, date(2026, 3, 12))
    assert not is_overdue(due, date(2026, 3, 12))
    assert is_overdue(due, date(2026, 3, 13))


def test_nothing_owed_gives_no_next_due() -> None:
    assert next_due(a_file(left_on=date(2026, 6, 30)), date(2026, 7, 1)) is None


def test_a_visit_before_assignment_is_due_on_the_day_the_post_is_taken_up() -> None:
    due = next_due(a_file(sir()), HIRE)
    assert due is not None
    assert not is_overdue(due, HIRE)
    assert is_overdue(due, HIRE + timedelta(1))


@pytest.mark.parametrize(
    ("file", "on", "reason"),
    [
        (
            a_file(),
            HIRE,
            "Embauche le 15/01/2026 : visite d'information et de prévention dans les 3 mois",
        ),
        (
            a_file(apprentice=True),
            HIRE,
            "Embauche le 15/01/2026 : visite d'information et de prévention dans les 2 mois"
            " (apprenti)",
        ),
        (
            si_with_vip(absences=(away(A.WORK_ACCIDENT, date(2026, 3, 1), 30),)),
            date(2026, 3, 1),
            "Reprise le 31/03/2026 après 30 jours d'absence : visite de"
            " reprise le jour de la reprise, au plus tard 8 jours après",
        ),
    ],
)
def test_reasons_are_french_sentences(file: FollowUpFile, on: date, reason: str) -> None:
    assert due_visits(file, on)[0].reason == reason


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2028, 2, 29), 60, date(2033, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 1, 15), -24, date(2024, 1, 15)),
    ],
)
def test_add_months_ends_on_the_same_day_or_the_month_end(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


# What the file refuses --------------------------------------------------------------------------

REFUSED = [
    pytest.param(
        lambda: Absence(A.OTHER, date(2026, 3, 1), date(2026, 3, 1)), id="return-on-first-day"
    ),
    pytest.param(
        lambda: Absence(A.OTHER, date(2026, 3, 1), date(2026, 2, 1)), id="return-before-first-day"
    ),
    pytest.param(
        lambda: CategoryPeriod(HIRE, FollowUp.SI, True), id="SI-with-visit-before-assignment"
    ),
    pytest.param(
        lambda: CategoryPeriod(HIRE, FollowUp.SIR, False), id="SIR-without-visit-before-assignment"
    ),
    pytest.param(lambda: CategoryPeriod(HIRE, FollowUp.SIA, True, True), id="cat-A-outside-SIR"),
    pytest.param(lambda: a_file(si(date(2026, 1, 16))), id="first-period-after-the-hire"),
    pytest.param(
        lambda: a_file(si(), sia(date(2026, 5, 1)), si(date(2026, 5, 1))), id="periods-out-of-order"
    ),
    pytest.param(lambda: a_file(born=HIRE), id="born-on-the-hire-day"),
    pytest.param(lambda: a_file(left_on=HIRE - timedelta(1)), id="left-before-the-hire"),
    pytest.param(
        lambda: a_file(si(), sia(date(2026, 8, 1)), left_on=date(2026, 7, 31)),
        id="period-after-leaving",
    ),
    pytest.param(
        lambda: a_file(absences=(away(A.OTHER, HIRE - timedelta(1), 5),)),
        id="absence-before-the-hire",
    ),
    pytest.param(
        lambda: a_file(
            absences=(away(A.OTHER, date(2026, 3, 1), 10), away(A.OTHER, date(2026, 3, 5), 3))
        ),
        id="overlapping-absences",
    ),
    pytest.param(
        lambda: a_file(
            absences=(away(A.OTHER, date(2026, 3, 1), None), away(A.OTHER, date(2026, 5, 1), 3))
        ),
        id="absence-after-a-running-one",
    ),
    pytest.param(
        lambda: a_file(absences=(away(A.OTHER, date(2026, 3, 1), 30),), left_on=date(2026, 3, 20)),
        id="return-after-leaving",
    ),
    pytest.param(
        lambda: a_file(sir(), previous=exempt_exam(HIRE + timedelta(1))),
        id="previous-exam-after-the-hire",
    ),
]


@pytest.mark.parametrize("make", REFUSED)
def test_impossible_files_are_refused_in_french(make) -> None:
    with pytest.raises(InvalidValue) as refused:
        make()
    assert refused.value.code == "INVALID_FOLLOW_UP_FILE"
    assert refused.value.field is not None
    assert refused.value.message.endswith(".")


# Property: whatever the file, every due visit cites an article ----------------------------------

ARTICLE = re.compile(r"^[LR]\d{4}(-\d+)*(, [LR]\d{4}(-\d+)*)*$")
DAYS = st.integers(min_value=1, max_value=400)


@st.composite
def files(draw: st.DrawFn) -> FollowUpFile:
    hire = draw(st.dates(date(2016, 1, 1), date(2030, 12, 31)))
    periods: list[CategoryPeriod] = []
    start = hire
    for _ in range(draw(st.integers(1, 4))):
        category = draw(st.sampled_from(FollowUp))
        before = category is FollowUp.SIR or (category is FollowUp.SIA and draw(st.booleans()))
        cat_a = category is FollowUp.SIR and draw(st.booleans())
        periods.append(CategoryPeriod(start, category, before, cat_a))
        start += timedelta(draw(DAYS))
    absences: list[Absence] = []
    first_day = hire + timedelta(draw(DAYS))
    for _ in range(draw(st.integers(0, 3))):
        length = draw(st.none() | DAYS)
        absences.append(away(draw(st.sampled_from(AbsenceKind)), first_day, length))
        if length is None:
            break
        first_day += timedelta(length + draw(DAYS))
    visits = draw(
        st.lists(
            st.builds(
                HeldVisit,
                st.sampled_from(VisitKind),
                st.dates(hire - timedelta(60), hire + timedelta(3000)),
                st.sampled_from(ProfessionalRole),
            ),
            max_size=6,
        )
    )
    last_fact = max([start, *(a.returned_on or a.first_day for a in absences)])
    left_on = draw(st.none() | st.just(last_fact + timedelta(draw(DAYS))))
    previous = draw(
        st.none()
        | st.builds(
            PreviousSirExam, st.dates(hire - timedelta(1000), hire), st.booleans(), st.booleans()
        )
    )
    born = draw(
        st.none() | st.dates(hire - timedelta(days=65 * 366), hire - timedelta(days=15 * 366))
    )
    return FollowUpFile(
        hire,
        draw(st.booleans()),
        born,
        tuple(periods),
        tuple(absences),
        tuple(visits),
        left_on,
        previous,
    )


@settings(max_examples=300, deadline=None)
@given(file=files(), offset=st.integers(min_value=-30, max_value=4000))
def test_every_due_visit_cites_an_article_and_a_reason(file: FollowUpFile, offset: int) -> None:
    on = file.hire_date + timedelta(offset)
    owed_on = due_visits(file, on)
    for due in owed_on:
        assert isinstance(due, DueVisit)
        assert ARTICLE.match(due.article), due.article
        assert due.reason.strip()
    assert [due.due_by for due in owed_on] == sorted(due.due_by for due in owed_on)
    assert next_due(file, on) == (owed_on[0] if owed_on else None)
    for possible in possible_visits(file, on):
        assert ARTICLE.match(possible.article)

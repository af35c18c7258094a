"""An employee's timeline drawn again only from the first day a change may touch (`retimed`)
is the timeline drawn whole (`timeline`), and so are their categories over the latest
employment (`category_periods`), after every event of random histories: hires, rehires,
amendments, corrections and closings of contracts, determinants declared, withdrawn and
retracted, CMR exposures recorded, ended and withdrawn, identities corrected and erased."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.visits.employee_file import category_periods
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractType, ExitReason
from domain.workforce.follow_up import CURRENT_RULES, FollowUpDeterminant
from domain.workforce.timeline_inputs import TimelineInputs, follow_up_days
from projections.workforce.segments import retimed, timeline
from tests.unit.test_employee import ACTOR, an_employee, an_identity, benzene, cdd, cdi, wood_dust

START = date(2023, 1, 1)
DAYS = st.integers(0, 4 * 365).map(lambda n: START + timedelta(days=n))
NUMBERS = st.integers(1, 6)


def steps() -> st.SearchStrategy[tuple[Any, ...]]:
    return st.one_of(
        st.tuples(st.just("declare"), st.sampled_from(list(FollowUpDeterminant)), DAYS),
        st.tuples(st.just("withdraw"), NUMBERS, DAYS),
        st.tuples(st.just("retract"), NUMBERS),
        st.tuples(st.just("expose"), st.booleans(), DAYS, st.none() | DAYS),
        st.tuples(st.just("end_exposure"), NUMBERS, DAYS),
        st.tuples(st.just("withdraw_exposure"), NUMBERS),
        st.tuples(st.just("amend"), DAYS, st.sampled_from(["Soudeuse", "Cariste"])),
        st.tuples(st.just("correct_hire"), DAYS),
        st.tuples(st.just("close"), DAYS),
        st.tuples(st.just("rehire"), DAYS, st.none() | DAYS),
        st.tuples(st.just("born"), st.dates(date(1950, 1, 1), date(2010, 12, 31))),
        st.tuples(st.just("erase")),
    )


def take(employee: Employee, step: tuple[Any, ...]) -> None:
    match step:
        case ("declare", determinant, started_on):
            employee.declare_determinant(determinant, started_on, ACTOR)
        case ("withdraw", number, last_day):
            employee.withdraw_determinant(number, last_day, ACTOR)
        case ("retract", number):
            employee.retract_determinant(number, "Erreur de saisie", ACTOR)
        case ("expose", wood, started_on, ended_on):
            agent = wood_dust() if wood else benzene()
            employee.record_exposure(agent, started_on, ACTOR, ended_on=ended_on)
        case ("end_exposure", number, last_day):
            employee.end_exposure(number, last_day, ACTOR)
        case ("withdraw_exposure", number):
            employee.withdraw_exposure(number, "Erreur de saisie", ACTOR)
        case ("amend", effective_on, job_title):
            employee.amend_contract(cdi(job_title), effective_on, ACTOR)
        case ("correct_hire", hire_date):
            employee.correct_contract(hire_date, employee.contract.terms, ACTOR)
        case ("close", last_day):
            employee.close_contract(last_day, ExitReason.RESIGNATION, ACTOR)
        case ("rehire", hire_date, planned_end):
            terms = cdi() if planned_end is None else cdd(planned_end)
            employee.rehire(hire_date, terms, ACTOR)
        case ("born", birth_date) if employee.identity is not None:
            employee.correct_identity(replace(employee.identity, birth_date=birth_date), ACTOR)
        case ("erase",):
            employee.record_identity_erasure(ACTOR)


@settings(max_examples=400, deadline=None)
@given(st.dates(date(1990, 1, 1), date(2008, 12, 31)), st.lists(steps(), max_size=25))
def test_what_is_drawn_again_from_the_change_is_what_is_drawn_whole(
    born: date, history: list[tuple[Any, ...]]
) -> None:
    employee = an_employee(identity=an_identity(birth_date=born, nir=None), hire_date=START)
    segments, periods = timeline(employee), category_periods(employee)
    for step in history:
        inputs = TimelineInputs.of(employee)
        try:
            take(employee, step)
        except DomainError:
            continue
        changed_from = inputs.changed_from(TimelineInputs.of(employee))
        kept, after = retimed(employee, segments, changed_from)
        periods = category_periods(employee, periods, changed_from)

        assert after == timeline(employee), step
        assert after[:kept] == segments[:kept]
        assert periods == category_periods(employee), step
        segments = after


def test_a_change_late_in_a_long_history_keeps_the_segments_before_it() -> None:
    employee = an_employee(hire_date=START)
    for number in range(40):
        employee.declare_determinant(
            FollowUpDeterminant.NIGHT_WORK, START + timedelta(days=10 * number), ACTOR
        )
        employee.withdraw_determinant(number + 1, START + timedelta(days=10 * number + 4), ACTOR)
    segments = timeline(employee)
    inputs = TimelineInputs.of(employee)

    employee.declare_determinant(FollowUpDeterminant.NIGHT_WORK, START + timedelta(500), ACTOR)
    kept, after = retimed(employee, segments, inputs.changed_from(TimelineInputs.of(employee)))

    assert after == timeline(employee)
    assert kept == len(segments) - 2  # all but the last, and the one before it to merge with


def test_a_contract_type_change_is_seen_from_the_contract_hire() -> None:
    employee = an_employee(hire_date=START)
    inputs = TimelineInputs.of(employee)

    employee.amend_contract(cdd(START + timedelta(400)), START + timedelta(100), ACTOR)

    assert inputs.changed_from(TimelineInputs.of(employee)) == START
    assert ContractType.CDD.value in {s.contract_type for s in timeline(employee)}


def test_the_follow_up_may_change_on_every_dated_switch_of_the_rules() -> None:
    """The workforce timeline and the due visits' categories are drawn on the same days: a
    rule dated in the future (the lead threshold's abolition once set) is one of them."""
    employee = an_employee(hire_date=START)
    abolished_on = START + timedelta(days=400)
    rules = replace(CURRENT_RULES, lead_threshold_abolished_on=abolished_on)

    assert abolished_on in follow_up_days(employee, rules)
    assert abolished_on not in follow_up_days(employee)
    assert CURRENT_RULES.driving_and_electrical_leave_sir_on in follow_up_days(employee)


def test_a_retracted_determinant_changes_nothing_on_its_days() -> None:
    employee = an_employee(hire_date=START)
    started_on = START + timedelta(days=30)
    declared = employee.declare_determinant(FollowUpDeterminant.NIGHT_WORK, started_on, ACTOR)
    assert started_on in follow_up_days(employee)

    employee.retract_determinant(declared, "Erreur de saisie", ACTOR)

    assert started_on not in follow_up_days(employee)

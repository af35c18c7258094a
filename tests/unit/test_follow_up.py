"""Follow-up category (SI / SIA / SIR) and "visit before assignment", as functions of a date."""

from datetime import date

import pytest

from domain.errors import InvalidValue
from domain.workforce.follow_up import (
    CURRENT_RULES,
    FollowUp,
    FollowUpAssessment,
    FollowUpDeterminant,
    FollowUpRules,
    Reason,
    age_on,
    assess_follow_up,
)

D = FollowUpDeterminant
ADULT = date(1980, 5, 15)
ON = date(2026, 1, 15)
BORN_2008_03_10 = date(2008, 3, 10)  # 18 from 2026-03-10 included
BORN_LEAP_DAY = date(2008, 2, 29)  # 18 from 2026-03-01 included
LEAD_ABOLISHED = FollowUpRules(lead_threshold_abolished_on=date(2026, 4, 8))

SIR_ALWAYS = [
    D.ASBESTOS,
    D.LEAD_ABOVE_THRESHOLD,
    D.CMR_AGENTS,
    D.BIOLOGICAL_AGENTS_GROUP_3_4,
    D.IONISING_RADIATION_CAT_A,
    D.IONISING_RADIATION_CAT_B,
    D.HYPERBARIC,
    D.SCAFFOLDING_ASSEMBLY,
    D.MANUAL_HANDLING_OVER_55KG,
    D.EMPLOYER_DECLARED_RISK,
]
SIA_WITH_VISIT_FLAG = [
    (D.DISABLED_WORKER, False),
    (D.INVALIDITY_PENSION, False),
    (D.NIGHT_WORK, True),
    (D.PREGNANCY, False),
    (D.BIOLOGICAL_AGENTS_GROUP_2, True),
    (D.ELECTROMAGNETIC_FIELDS_ABOVE_VLE, True),
]


def assess(*determinants, born=ADULT, on=ON, rules=CURRENT_RULES) -> FollowUpAssessment:
    return assess_follow_up(determinants, born, on, rules)


def reason_of(determinant: FollowUpDeterminant) -> Reason:
    category = FollowUp.SIA if determinant in dict(SIA_WITH_VISIT_FLAG) else FollowUp.SIR
    return Reason(category, determinant, determinant.label, determinant.article)


MINOR_REASON = Reason(FollowUp.SIA, None, "Travailleur de moins de 18 ans", "R4624-18")


def test_no_determinant_is_si():
    assert assess() == FollowUpAssessment(
        category=FollowUp.SI,
        visit_before_assignment=False,
        reasons=(),
        needs_fitness_attestation=False,
        yearly_aptitude=False,
    )


@pytest.mark.parametrize("determinant", SIR_ALWAYS)
def test_each_sir_determinant_is_sir_with_visit_before_assignment(determinant):
    result = assess(determinant)
    assert result.category is FollowUp.SIR
    assert result.visit_before_assignment
    assert result.reasons == (reason_of(determinant),)
    assert not result.needs_fitness_attestation


@pytest.mark.parametrize(("determinant", "visit_before_assignment"), SIA_WITH_VISIT_FLAG)
def test_each_sia_determinant(determinant, visit_before_assignment):
    result = assess(determinant)
    assert result.category is FollowUp.SIA
    assert result.visit_before_assignment is visit_before_assignment
    assert result.reasons == (reason_of(determinant),)
    assert not result.yearly_aptitude


@pytest.mark.parametrize(
    ("determinants", "category", "visit_before_assignment"),
    [
        ((D.PREGNANCY, D.ASBESTOS), FollowUp.SIR, True),
        ((D.DISABLED_WORKER, D.EMPLOYER_DECLARED_RISK), FollowUp.SIR, True),
        ((D.NIGHT_WORK, D.CMR_AGENTS, D.PREGNANCY), FollowUp.SIR, True),
        ((D.DISABLED_WORKER, D.PREGNANCY), FollowUp.SIA, False),
        ((D.DISABLED_WORKER, D.NIGHT_WORK), FollowUp.SIA, True),
        ((D.PREGNANCY, D.DRIVING_AUTHORISATION), FollowUp.SIA, False),
    ],
)
def test_precedence_sir_over_sia_over_si(determinants, category, visit_before_assignment):
    result = assess(*determinants)
    assert result.category is category
    assert result.visit_before_assignment is visit_before_assignment


@pytest.mark.parametrize("determinant", [D.DRIVING_AUTHORISATION, D.LIVE_ELECTRICAL_WORK])
@pytest.mark.parametrize(
    ("on", "category", "visit_before_assignment", "needs_fitness_attestation"),
    [
        (date(2025, 9, 30), FollowUp.SIR, True, False),
        (date(2025, 10, 1), FollowUp.SI, False, True),
        (date(2027, 6, 1), FollowUp.SI, False, True),
    ],
)
def test_driving_and_live_electrical_work_leave_sir_on_2025_10_01(
    determinant, on, category, visit_before_assignment, needs_fitness_attestation
):
    result = assess(determinant, on=on)
    assert result.category is category
    assert result.visit_before_assignment is visit_before_assignment
    assert result.needs_fitness_attestation is needs_fitness_attestation
    assert result.reasons == (() if needs_fitness_attestation else (reason_of(determinant),))


def test_switch_date_of_driving_rule_is_a_parameter():
    rules = FollowUpRules(driving_and_electrical_leave_sir_on=date(2030, 1, 1))
    assert assess(D.DRIVING_AUTHORISATION, on=date(2029, 12, 31), rules=rules).category is (
        FollowUp.SIR
    )
    assert assess(D.DRIVING_AUTHORISATION, on=date(2030, 1, 1), rules=rules).category is (
        FollowUp.SI
    )


@pytest.mark.parametrize(
    ("determinant", "rules", "on", "category"),
    [
        (D.LEAD_BELOW_THRESHOLD, CURRENT_RULES, date(2026, 4, 8), FollowUp.SI),
        (D.LEAD_BELOW_THRESHOLD, CURRENT_RULES, date(2030, 1, 1), FollowUp.SI),
        (D.LEAD_BELOW_THRESHOLD, LEAD_ABOLISHED, date(2026, 4, 7), FollowUp.SI),
        (D.LEAD_BELOW_THRESHOLD, LEAD_ABOLISHED, date(2026, 4, 8), FollowUp.SIR),
        (D.LEAD_BELOW_THRESHOLD, LEAD_ABOLISHED, date(2030, 1, 1), FollowUp.SIR),
        (D.LEAD_ABOVE_THRESHOLD, CURRENT_RULES, date(2020, 1, 1), FollowUp.SIR),
        (D.LEAD_ABOVE_THRESHOLD, CURRENT_RULES, date(2026, 4, 8), FollowUp.SIR),
        (D.LEAD_ABOVE_THRESHOLD, LEAD_ABOLISHED, date(2026, 4, 7), FollowUp.SIR),
        (D.LEAD_ABOVE_THRESHOLD, LEAD_ABOLISHED, date(2026, 4, 8), FollowUp.SIR),
    ],
)
def test_lead_threshold_is_a_dated_switch(determinant, rules, on, category):
    result = assess(determinant, on=on, rules=rules)
    assert result.category is category
    assert result.visit_before_assignment is (category is FollowUp.SIR)
    assert result.reasons == (() if category is FollowUp.SI else (reason_of(determinant),))


def test_lead_threshold_is_kept_by_default():
    assert CURRENT_RULES.lead_threshold_abolished_on is None
    assert CURRENT_RULES.driving_and_electrical_leave_sir_on == date(2025, 10, 1)


def expected(category, *reasons, visit=False, yearly=False) -> FollowUpAssessment:
    return FollowUpAssessment(category, visit, reasons, False, yearly)


SI = expected(FollowUp.SI)
MINOR_SIA = expected(FollowUp.SIA, MINOR_REASON, visit=True)
MINOR_REGULATED = expected(
    FollowUp.SIR, reason_of(D.UNDER_18_REGULATED_WORK), visit=True, yearly=True
)
REGULATED = (D.UNDER_18_REGULATED_WORK,)


@pytest.mark.parametrize(
    ("born", "on", "determinants", "result"),
    [
        # under 18, no determinant: SIA with a visit before assignment (R4624-18)
        (BORN_2008_03_10, date(2026, 3, 9), (), MINOR_SIA),
        (BORN_2008_03_10, date(2026, 3, 10), (), SI),
        # under-18 regulated work: SIR, aptitude renewed yearly (R4153-40); no effect from 18
        (BORN_2008_03_10, date(2026, 3, 9), REGULATED, MINOR_REGULATED),
        (BORN_2008_03_10, date(2026, 3, 10), REGULATED, SI),
        (
            BORN_2008_03_10,
            date(2026, 3, 10),
            (*REGULATED, D.NIGHT_WORK),
            expected(FollowUp.SIA, reason_of(D.NIGHT_WORK), visit=True),
        ),
        (
            BORN_2008_03_10,
            date(2026, 3, 10),
            (*REGULATED, D.DISABLED_WORKER),
            expected(FollowUp.SIA, reason_of(D.DISABLED_WORKER)),
        ),
        # under 18 with an SIA determinant: both reasons are listed
        (
            BORN_2008_03_10,
            date(2026, 3, 9),
            (D.PREGNANCY,),
            expected(FollowUp.SIA, reason_of(D.PREGNANCY), MINOR_REASON, visit=True),
        ),
        # under 18 with an SIR determinant: SIR first, then the age
        (
            BORN_2008_03_10,
            date(2026, 3, 9),
            (D.ASBESTOS,),
            expected(FollowUp.SIR, reason_of(D.ASBESTOS), MINOR_REASON, visit=True),
        ),
        # born on 29 February: 18 on 1 March in non-leap years
        (BORN_LEAP_DAY, date(2026, 2, 28), (), MINOR_SIA),
        (BORN_LEAP_DAY, date(2026, 3, 1), (), SI),
        (BORN_LEAP_DAY, date(2026, 2, 28), REGULATED, MINOR_REGULATED),
        (BORN_LEAP_DAY, date(2026, 3, 1), REGULATED, SI),
    ],
)
def test_under_18(born, on, determinants, result):
    assert assess(*determinants, born=born, on=on) == result


@pytest.mark.parametrize(
    ("determinants", "yearly"),
    [
        ((D.IONISING_RADIATION_CAT_A,), True),
        ((D.IONISING_RADIATION_CAT_B,), False),
        ((D.IONISING_RADIATION_CAT_A, D.NIGHT_WORK), True),
        ((D.ASBESTOS,), False),
        ((D.UNDER_18_REGULATED_WORK,), False),  # an adult: no effect
    ],
)
def test_yearly_aptitude(determinants, yearly):
    assert assess(*determinants).yearly_aptitude is yearly


def test_reasons_are_sorted_by_precedence_then_declaration_order_and_deduplicated():
    result = assess(
        D.PREGNANCY,
        D.HYPERBARIC,
        D.DRIVING_AUTHORISATION,
        D.NIGHT_WORK,
        D.ASBESTOS,
        D.LEAD_BELOW_THRESHOLD,
        D.ASBESTOS,
        on=date(2026, 1, 15),
    )
    assert result.category is FollowUp.SIR
    assert result.needs_fitness_attestation
    assert result.reasons == (
        reason_of(D.ASBESTOS),
        reason_of(D.HYPERBARIC),
        reason_of(D.NIGHT_WORK),
        reason_of(D.PREGNANCY),
    )


def test_reason_content():
    (reason,) = assess(D.ASBESTOS).reasons
    assert reason == Reason(
        category=FollowUp.SIR,
        determinant=D.ASBESTOS,
        label_fr="Exposition à l'amiante",
        article="R4624-23 I 1°",
    )
    (reason,) = assess(D.EMPLOYER_DECLARED_RISK).reasons
    assert reason.article == "R4624-23 III"
    (reason,) = assess(born=BORN_2008_03_10, on=date(2026, 1, 1)).reasons
    assert reason.determinant is None
    assert reason.category is FollowUp.SIA


def test_determinants_accept_any_iterable():
    assert assess_follow_up(iter([D.NIGHT_WORK]), ADULT, ON).category is FollowUp.SIA
    assert assess_follow_up({D.ASBESTOS}, ADULT, ON).category is FollowUp.SIR


@pytest.mark.parametrize(
    ("follow_up", "label"),
    [
        (FollowUp.SI, "Suivi individuel simple"),
        (FollowUp.SIA, "Suivi individuel adapté"),
        (FollowUp.SIR, "Suivi individuel renforcé"),
    ],
)
def test_follow_up_labels(follow_up, label):
    assert follow_up.label == label
    assert follow_up.value == follow_up.name


@pytest.mark.parametrize("determinant", list(FollowUpDeterminant))
def test_every_determinant_has_a_label_and_an_article(determinant):
    assert determinant.value == determinant.name
    assert determinant.label
    assert determinant.article.startswith("R")
    assert determinant.needs_reason is (determinant is D.EMPLOYER_DECLARED_RISK)


def test_every_determinant_is_classified_by_the_tests():
    dated = {
        D.LEAD_BELOW_THRESHOLD,
        D.DRIVING_AUTHORISATION,
        D.LIVE_ELECTRICAL_WORK,
        D.UNDER_18_REGULATED_WORK,
    }
    informs_only = {D.REPORTED_SITUATION}
    classified = set(SIR_ALWAYS) | dict(SIA_WITH_VISIT_FLAG).keys() | dated | informs_only
    assert classified == set(FollowUpDeterminant)


def test_a_reported_situation_changes_no_follow_up() -> None:
    assessment = assess_follow_up([D.REPORTED_SITUATION], date(1980, 1, 1), date(2026, 1, 1))

    assert (assessment.category, assessment.reasons) == (FollowUp.SI, ())


@pytest.mark.parametrize(
    ("birth_date", "on", "age"),
    [
        (date(2008, 3, 10), date(2026, 3, 9), 17),
        (date(2008, 3, 10), date(2026, 3, 10), 18),
        (date(2008, 3, 10), date(2008, 3, 10), 0),
        (date(1980, 12, 31), date(2026, 1, 1), 45),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2012, 2, 28), 3),
        (date(2008, 2, 29), date(2012, 2, 29), 4),
    ],
)
def test_age_on(birth_date, on, age):
    assert age_on(birth_date, on) == age


def test_age_on_before_birth_is_refused():
    with pytest.raises(InvalidValue):
        age_on(date(2008, 3, 10), date(2008, 3, 9))

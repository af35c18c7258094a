"""Unit tests of the RiskAssessment aggregate (DUERP, seed 000 steps 6–8), without storage."""

import hashlib
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
import pytest

from domain.actor import Actor
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from domain.risk_assessment.action_plan import ActionScope, ActionStatus
from domain.risk_assessment.assessment import RiskAssessment, risk_assessment_id
from domain.risk_assessment.publication import content_hash
from domain.risk_assessment.rating import Priority, priority

ACTOR = Actor("user-1")
MEMBER_ID = UUID("0b7c1d3e-8a49-4f0e-9d8c-7a6b5c4d3e2f")
ANNE = UUID("11111111-1111-4111-8111-111111111111")
BRUNO = UUID("22222222-2222-4222-8222-222222222222")
CAROLE = UUID("33333333-3333-4333-8333-333333333333")
HANDLING = "MANUTENTION_CHARGES"
NIGHT_WORK = "TRAVAIL_DE_NUIT"
SCREEN = "TRAVAIL_SUR_ECRAN"
DUE_ON = date(2025, 3, 31)
SHA = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"


def an_assessment() -> RiskAssessment:
    return RiskAssessment.start(member_id=MEMBER_ID, actor=ACTOR)


def event_names(assessment: RiskAssessment) -> list[str]:
    return [type(e).__name__ for e in assessment.collect_events()]


def with_units(assessment: RiskAssessment | None = None) -> RiskAssessment:
    """Two units: the workshop (handling, night work) and the office (screen work)."""
    assessment = assessment or an_assessment()
    assessment.create_work_unit(
        "Atelier", ACTOR, employee_ids=(BRUNO, ANNE), risk_codes=(HANDLING, NIGHT_WORK)
    )
    assessment.create_work_unit(
        "Accueil - Administratif", ACTOR, employee_ids=(CAROLE,), risk_codes=(SCREEN,)
    )
    return assessment


def evaluated(assessment: RiskAssessment | None = None) -> RiskAssessment:
    """Every risk evaluated: handling I (4 × 3), night work III (2 × 2), screen IV (1 × 2)."""
    assessment = with_units(assessment)
    assessment.evaluate_risk(1, HANDLING, 4, 3, "Port de sacs de 25 kg", ACTOR, "Diable")
    assessment.evaluate_risk(1, NIGHT_WORK, 2, 2, "Cuisson de nuit", ACTOR)
    assessment.evaluate_risk(2, SCREEN, 1, 2, "Saisie des commandes", ACTOR)
    return assessment


def plan(assessment: RiskAssessment, **changes: Any) -> int:
    arguments: dict[str, Any] = {
        "scope": ActionScope.MAJOR_RISKS,
        "title": "Former les salariés à la manutention",
        "due_on": DUE_ON,
        "owner": "Employeur",
        "actor": ACTOR,
        "risk_code": HANDLING,
        "unit_ids": (1,),
    }
    return assessment.plan_action(**(arguments | changes))


def rebuilt(assessment: RiskAssessment) -> RiskAssessment:
    """The aggregate replayed from its events, as storage would rebuild it."""
    replayed: Any = None
    for domain_event in assessment.collect_events():
        replayed = domain_event.mutate(replayed)
    assert isinstance(replayed, RiskAssessment)
    return replayed


def refused(error: type[DomainError], code: str) -> Any:
    """`pytest.raises` for a refusal of that class and that code."""
    return pytest.raises(error, check=lambda e: e.code == code)


# Start -----------------------------------------------------------------------------------------


def test_a_member_has_one_assessment_whose_id_follows_from_the_member() -> None:
    assessment = an_assessment()

    assert event_names(assessment) == ["RiskAssessmentStarted"]
    assert assessment.id == risk_assessment_id(MEMBER_ID) == RiskAssessment.create_id(MEMBER_ID)
    assert assessment.owning_member == MEMBER_ID
    assert an_assessment().id == assessment.id
    assert RiskAssessment.create_id(ANNE) != assessment.id


# The priority matrix ---------------------------------------------------------------------------

I, II, III, IV = Priority.I, Priority.II, Priority.III, Priority.IV  # noqa: E741
MATRIX = {  # severity: priorities for probability 1, 2, 3, 4
    4: (III, II, I, I),
    3: (IV, III, II, I),
    2: (IV, III, III, II),
    1: (IV, IV, IV, III),
}


@pytest.mark.parametrize(
    ("severity", "probability", "expected"),
    [
        (severity, probability, row[probability - 1])
        for severity, row in MATRIX.items()
        for probability in range(1, 5)
    ],
)
def test_the_priority_matrix(severity: int, probability: int, expected: Priority) -> None:
    assert priority(severity, probability) is expected


def test_the_priority_follows_the_score_thresholds() -> None:
    for severity in range(1, 5):
        for probability in range(1, 5):
            score = severity * probability
            expected = I if score >= 12 else II if score >= 8 else III if score >= 4 else IV
            assert priority(severity, probability) is expected


@pytest.mark.parametrize(
    ("severity", "probability", "field"),
    [(0, 2, "severity"), (5, 2, "severity"), (2, 0, "probability"), (2, 5, "probability")],
)
def test_a_rating_outside_1_to_4_is_refused(severity: int, probability: int, field: str) -> None:
    with refused(InvalidValue, "INVALID_RATING") as error:
        priority(severity, probability)

    assert error.value.field == field


def test_a_boolean_is_not_a_rating() -> None:
    with refused(InvalidValue, "INVALID_RATING"):
        priority(True, 2)


def test_priorities_i_and_ii_are_the_major_risks() -> None:
    assert [p for p in Priority if p.is_major] == [I, II]


# Step 6: work units ----------------------------------------------------------------------------


def test_a_work_unit_is_created_with_its_employees_and_risks() -> None:
    assessment = an_assessment()

    unit_id = assessment.create_work_unit(
        "  Salles   de soins ",
        ACTOR,
        employee_ids=(BRUNO, ANNE, BRUNO),
        risk_codes=(f" {HANDLING} ", NIGHT_WORK, HANDLING),
    )

    assert unit_id == 1
    unit = assessment.work_unit(unit_id)
    assert unit.name == "Salles de soins"
    assert unit.employee_ids == (ANNE, BRUNO)
    assert unit.risk_codes == (HANDLING, NIGHT_WORK)
    assert event_names(assessment) == ["RiskAssessmentStarted", "WorkUnitCreated"]


@pytest.mark.parametrize("risk_code", ["", "x", "9ABC", "BRUIT AMBIANT", "é-risque", "A" * 65])
def test_a_malformed_risk_code_is_refused(risk_code: str) -> None:
    assessment = an_assessment()

    with refused(InvalidValue, "INVALID_RISK_CODE") as error:
        assessment.create_work_unit("Atelier", ACTOR, risk_codes=(risk_code,))

    assert error.value.field == "risk_code"
    assert assessment.units == ()


def test_a_work_unit_needs_a_name() -> None:
    with refused(InvalidValue, "INVALID_TEXT"):
        an_assessment().create_work_unit("   ", ACTOR)


def test_two_work_units_cannot_share_a_name() -> None:
    assessment = with_units()

    with refused(RuleViolation, "WORK_UNIT_NAME_TAKEN"):
        assessment.create_work_unit(" atelier ", ACTOR)
    with refused(RuleViolation, "WORK_UNIT_NAME_TAKEN"):
        assessment.rename_work_unit(2, "ATELIER", ACTOR)


def test_unit_ids_are_not_reused_after_a_removal() -> None:
    assessment = with_units()
    assessment.remove_work_unit(2, ACTOR)

    assert assessment.create_work_unit("Livraison", ACTOR) == 3


def test_renaming_records_one_event_and_none_for_the_same_name() -> None:
    assessment = with_units()
    assessment.collect_events()

    assessment.rename_work_unit(1, "Fournil", ACTOR)
    assessment.rename_work_unit(1, " Fournil ", ACTOR)

    assert assessment.work_unit(1).name == "Fournil"
    assert event_names(assessment) == ["WorkUnitRenamed"]


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.rename_work_unit(9, "Fournil", ACTOR),
        lambda a: a.remove_work_unit(9, ACTOR),
        lambda a: a.assign_employees(9, (ANNE,), ACTOR),
        lambda a: a.add_risk(9, HANDLING, ACTOR),
        lambda a: a.remove_risk(9, HANDLING, ACTOR),
        lambda a: a.evaluate_risk(9, HANDLING, 2, 2, "Port de charges", ACTOR),
        lambda a: plan(a, unit_ids=(1, 9)),
        lambda a: plan(a, scope=ActionScope.GLOBAL, risk_code=None, unit_ids=(9,)),
    ],
)
def test_an_unknown_work_unit_is_not_found(change: Any) -> None:
    assessment = evaluated()
    assessment.collect_events()

    with refused(NotFound, "WORK_UNIT_NOT_FOUND"):
        change(assessment)

    assert event_names(assessment) == []


def test_employees_are_assigned_to_a_work_unit() -> None:
    assessment = with_units()
    assessment.collect_events()

    assessment.assign_employees(1, (CAROLE, ANNE), ACTOR)
    assessment.assign_employees(1, (ANNE, CAROLE, ANNE), ACTOR)

    assert assessment.work_unit(1).employee_ids == (ANNE, CAROLE)
    assert event_names(assessment) == ["EmployeesAssignedToWorkUnit"]


def test_an_employee_may_belong_to_several_units() -> None:
    assessment = with_units()

    assessment.assign_employees(2, (CAROLE, ANNE), ACTOR)

    assert ANNE in assessment.work_unit(1).employee_ids
    assert ANNE in assessment.work_unit(2).employee_ids


def test_a_risk_is_added_to_and_removed_from_a_work_unit() -> None:
    assessment = with_units()
    assessment.collect_events()

    assessment.add_risk(2, HANDLING, ACTOR)
    assert assessment.work_unit(2).risk_codes == (SCREEN, HANDLING)
    assessment.remove_risk(2, SCREEN, ACTOR)

    assert assessment.work_unit(2).risk_codes == (HANDLING,)
    assert event_names(assessment) == ["RiskAddedToWorkUnit", "RiskRemovedFromWorkUnit"]


def test_a_risk_is_added_once_to_a_unit() -> None:
    with refused(RuleViolation, "RISK_ALREADY_IN_WORK_UNIT"):
        with_units().add_risk(1, f" {HANDLING}", ACTOR)


def test_a_risk_absent_from_the_unit_is_not_found() -> None:
    with refused(NotFound, "RISK_NOT_IN_WORK_UNIT"):
        with_units().remove_risk(2, HANDLING, ACTOR)


def test_removing_a_risk_removes_its_evaluation_in_that_unit_only() -> None:
    assessment = evaluated()
    assessment.add_risk(2, HANDLING, ACTOR)
    assessment.evaluate_risk(2, HANDLING, 1, 1, "Cartons de papier", ACTOR)

    assessment.remove_risk(2, HANDLING, ACTOR)

    with refused(NotFound, "EVALUATION_NOT_FOUND"):
        assessment.evaluation(2, HANDLING)
    assert assessment.evaluation(1, HANDLING).priority is I


def test_a_risk_targeted_by_a_planned_action_cannot_be_removed() -> None:
    assessment = evaluated()
    action_id = plan(assessment)

    with refused(RuleViolation, "RISK_HAS_ACTIONS"):
        assessment.remove_risk(1, HANDLING, ACTOR)
    assessment.mark_action_done(action_id, date(2025, 2, 1), ACTOR)
    assessment.remove_risk(1, HANDLING, ACTOR)

    assert HANDLING not in assessment.work_unit(1).risk_codes


def test_a_unit_targeted_by_a_planned_action_cannot_be_removed() -> None:
    assessment = evaluated()
    global_action = plan(assessment, scope=ActionScope.GLOBAL, risk_code=None, unit_ids=(2,))

    with refused(RuleViolation, "WORK_UNIT_HAS_ACTIONS"):
        assessment.remove_work_unit(2, ACTOR)
    assessment.cancel_action(global_action, "Remplacée par une autre action", ACTOR)
    assessment.remove_work_unit(2, ACTOR)

    assert [u.unit_id for u in assessment.units] == [1]


def test_removing_a_unit_removes_its_evaluations() -> None:
    assessment = evaluated()

    assessment.remove_work_unit(1, ACTOR)

    assert [(e.unit_id, e.risk_code) for e in assessment.evaluations] == [(2, SCREEN)]


def test_a_done_action_keeps_naming_a_removed_unit() -> None:
    assessment = evaluated()
    action_id = plan(assessment, scope=ActionScope.GLOBAL, risk_code=None, unit_ids=(2,))
    assessment.mark_action_done(action_id, date(2025, 1, 10), ACTOR)

    assessment.remove_work_unit(2, ACTOR)

    assert assessment.action(action_id).unit_ids == (2,)


# Step 7: evaluations ---------------------------------------------------------------------------


def test_a_risk_is_evaluated_with_the_priority_of_the_matrix() -> None:
    assessment = with_units()
    assessment.collect_events()

    assessment.evaluate_risk(
        1, HANDLING, 3, 3, "  Port de sacs  de farine ", ACTOR, existing_measures="  "
    )

    evaluation = assessment.evaluation(1, HANDLING)
    assert (evaluation.severity, evaluation.probability, evaluation.priority) == (3, 3, II)
    assert evaluation.description == "Port de sacs de farine"
    assert evaluation.existing_measures is None
    assert event_names(assessment) == ["RiskEvaluated"]


def test_a_risk_evaluated_again_replaces_its_evaluation() -> None:
    assessment = evaluated()
    assessment.collect_events()

    assessment.evaluate_risk(1, HANDLING, 2, 1, "Sacs de 10 kg", ACTOR, "Diable")
    assessment.evaluate_risk(1, HANDLING, 2, 1, "Sacs de 10 kg", ACTOR, "Diable")

    assert assessment.evaluation(1, HANDLING).priority is IV
    assert len(assessment.evaluations) == 3
    assert event_names(assessment) == ["RiskEvaluated"]


@pytest.mark.parametrize(("severity", "probability"), [(0, 1), (5, 1), (1, 0), (1, 5), (-1, 2)])
def test_an_evaluation_out_of_1_to_4_is_refused(severity: int, probability: int) -> None:
    assessment = with_units()

    with refused(InvalidValue, "INVALID_RATING"):
        assessment.evaluate_risk(1, HANDLING, severity, probability, "Port de charges", ACTOR)

    assert assessment.evaluations == ()


def test_an_evaluation_needs_a_description() -> None:
    with refused(InvalidValue, "INVALID_TEXT") as error:
        with_units().evaluate_risk(1, HANDLING, 2, 2, " ", ACTOR)

    assert error.value.field == "description"


def test_a_risk_must_be_in_the_unit_to_be_evaluated() -> None:
    with refused(NotFound, "RISK_NOT_IN_WORK_UNIT"):
        with_units().evaluate_risk(2, HANDLING, 2, 2, "Port de charges", ACTOR)


def test_an_unknown_evaluation_is_not_found() -> None:
    with refused(NotFound, "EVALUATION_NOT_FOUND"):
        with_units().evaluation(1, HANDLING)


def test_evaluations_to_carry_out_are_counted() -> None:
    assessment = with_units()
    assert assessment.pending_evaluations == ((1, HANDLING), (1, NIGHT_WORK), (2, SCREEN))

    assessment.evaluate_risk(1, NIGHT_WORK, 2, 2, "Cuisson de nuit", ACTOR)

    assert assessment.pending_evaluations == ((1, HANDLING), (2, SCREEN))
    assert evaluated().pending_evaluations == ()


# Step 8: the action plan -----------------------------------------------------------------------


def test_an_action_on_a_major_risk_is_planned() -> None:
    assessment = evaluated()
    assessment.collect_events()

    action_id = plan(assessment, suggestion_code="FORMATION_MANUTENTION")

    action = assessment.action(action_id)
    assert (action.action_id, action.scope, action.risk_code) == (
        1,
        ActionScope.MAJOR_RISKS,
        HANDLING,
    )
    assert (action.unit_ids, action.due_on, action.owner) == ((1,), DUE_ON, "Employeur")
    assert action.status is ActionStatus.PLANNED
    assert action.suggestion_code == "FORMATION_MANUTENTION"
    assert event_names(assessment) == ["ActionPlanned"]


def test_a_global_action_needs_no_risk_nor_unit() -> None:
    assessment = evaluated()

    action_id = plan(
        assessment,
        scope=ActionScope.GLOBAL,
        title="Mettre à jour le registre de sécurité",
        risk_code=None,
        unit_ids=(),
    )

    assert assessment.action(action_id).unit_ids == ()


def test_a_global_action_may_name_a_risk_of_some_unit_only() -> None:
    assessment = evaluated()
    plan(assessment, scope=ActionScope.GLOBAL, risk_code=SCREEN, unit_ids=())

    with refused(NotFound, "RISK_NOT_FOUND"):
        plan(assessment, scope=ActionScope.GLOBAL, risk_code="BRUIT", unit_ids=())


def test_an_action_on_other_risks_names_a_risk_of_priority_iii_or_iv() -> None:
    assessment = evaluated()

    action_id = plan(assessment, scope=ActionScope.OTHER_RISKS, risk_code=NIGHT_WORK)

    assert assessment.action(action_id).scope is ActionScope.OTHER_RISKS


@pytest.mark.parametrize(
    ("scope", "risk_code", "unit_id"),
    [
        (ActionScope.MAJOR_RISKS, NIGHT_WORK, 1),  # III
        (ActionScope.MAJOR_RISKS, SCREEN, 2),  # IV
        (ActionScope.OTHER_RISKS, HANDLING, 1),  # I
    ],
)
def test_an_action_must_match_the_priority_of_its_risk(
    scope: ActionScope, risk_code: str, unit_id: int
) -> None:
    assessment = evaluated()

    with refused(RuleViolation, "ACTION_SCOPE_MISMATCH"):
        plan(assessment, scope=scope, risk_code=risk_code, unit_ids=(unit_id,))

    assert assessment.actions == ()


def test_a_risk_major_in_one_of_its_units_takes_a_major_action() -> None:
    """Handling is I in the workshop and IV in the office: both parts of the plan may hold it."""
    assessment = evaluated()
    assessment.add_risk(2, HANDLING, ACTOR)
    assessment.evaluate_risk(2, HANDLING, 1, 1, "Cartons de papier", ACTOR)

    major = plan(assessment, unit_ids=(1, 2))
    other = plan(assessment, scope=ActionScope.OTHER_RISKS, unit_ids=(2,))

    assert assessment.action(major).unit_ids == (1, 2)
    assert assessment.action(other).scope is ActionScope.OTHER_RISKS


def test_a_targeted_action_needs_its_risk_and_its_units() -> None:
    assessment = evaluated()

    with refused(InvalidValue, "RISK_REQUIRED"):
        plan(assessment, risk_code=None)
    with refused(InvalidValue, "WORK_UNITS_REQUIRED"):
        plan(assessment, unit_ids=())


def test_a_targeted_action_needs_its_risk_evaluated_in_each_unit() -> None:
    assessment = evaluated()
    assessment.add_risk(2, HANDLING, ACTOR)

    with refused(NotFound, "EVALUATION_NOT_FOUND"):
        plan(assessment, unit_ids=(1, 2))
    with refused(NotFound, "RISK_NOT_IN_WORK_UNIT"):
        plan(assessment, risk_code=SCREEN, unit_ids=(1,))


@pytest.mark.parametrize(("field", "value"), [("title", " "), ("owner", "")])
def test_an_action_needs_a_title_and_an_owner(field: str, value: str) -> None:
    with refused(InvalidValue, "INVALID_TEXT") as error:
        plan(evaluated(), **{field: value})

    assert error.value.field == field


def test_an_action_is_rescheduled_done_or_cancelled() -> None:
    assessment = evaluated()
    first, second, third = (plan(assessment) for _ in range(3))
    assessment.collect_events()

    assessment.reschedule_action(first, date(2025, 6, 30), ACTOR)
    assessment.reschedule_action(first, date(2025, 6, 30), ACTOR)
    assessment.mark_action_done(second, date(2025, 3, 1), ACTOR)
    assessment.cancel_action(third, "Doublon", ACTOR)

    assert assessment.action(first).due_on == date(2025, 6, 30)
    assert assessment.action(second).status is ActionStatus.DONE
    assert assessment.action(second).done_on == date(2025, 3, 1)
    assert assessment.action(third).status is ActionStatus.CANCELLED
    assert event_names(assessment) == ["ActionRescheduled", "ActionDone", "ActionCancelled"]


@pytest.mark.parametrize(
    "change",
    [
        lambda a, i: a.reschedule_action(i, date(2026, 1, 1), ACTOR),
        lambda a, i: a.mark_action_done(i, date(2025, 4, 1), ACTOR),
        lambda a, i: a.cancel_action(i, "Inutile", ACTOR),
    ],
)
def test_a_done_or_cancelled_action_is_closed(change: Any) -> None:
    assessment = evaluated()
    done, cancelled = plan(assessment), plan(assessment)
    assessment.mark_action_done(done, date(2025, 3, 1), ACTOR)
    assessment.cancel_action(cancelled, "Doublon", ACTOR)

    for action_id in (done, cancelled):
        with refused(RuleViolation, "ACTION_NOT_PLANNED"):
            change(assessment, action_id)
    with refused(NotFound, "ACTION_NOT_FOUND"):
        change(assessment, 99)


def test_a_cancellation_needs_a_reason() -> None:
    assessment = evaluated()
    action_id = plan(assessment)

    with refused(InvalidValue, "INVALID_TEXT"):
        assessment.cancel_action(action_id, "  ", ACTOR)


@pytest.mark.parametrize(
    ("day", "late"),
    [(date(2025, 3, 30), False), (DUE_ON, False), (date(2025, 4, 1), True)],
)
def test_a_planned_action_is_late_the_day_after_its_due_date(day: date, late: bool) -> None:
    assessment = evaluated()
    action_id = plan(assessment)

    assert assessment.action(action_id).is_late_on(day) is late
    assert [a.action_id for a in assessment.late_actions(day)] == ([action_id] if late else [])


def test_a_done_or_cancelled_action_is_never_late() -> None:
    assessment = evaluated()
    done, cancelled, late = plan(assessment), plan(assessment), plan(assessment)
    assessment.mark_action_done(done, date(2025, 6, 1), ACTOR)
    assessment.cancel_action(cancelled, "Doublon", ACTOR)

    assert [a.action_id for a in assessment.late_actions(date(2026, 1, 1))] == [late]


def test_a_rescheduled_action_is_no_longer_late() -> None:
    assessment = evaluated()
    action_id = plan(assessment)
    day = date(2025, 5, 1)
    assert assessment.action(action_id).is_late_on(day)

    assessment.reschedule_action(action_id, date(2025, 9, 30), ACTOR)

    assert assessment.late_actions(day) == ()


# Published versions ----------------------------------------------------------------------------


def test_publishing_needs_a_work_unit() -> None:
    with refused(RuleViolation, "NO_WORK_UNIT"):
        an_assessment().publish(date(2025, 1, 15), ACTOR)


def test_publishing_needs_every_risk_of_every_unit_evaluated() -> None:
    assessment = with_units()
    assessment.evaluate_risk(1, HANDLING, 4, 3, "Port de sacs de 25 kg", ACTOR)

    with refused(RuleViolation, "EVALUATIONS_PENDING") as error:
        assessment.publish(date(2025, 1, 15), ACTOR)

    assert "Évaluations à réaliser : 2" in error.value.message
    assert assessment.published_versions == ()


def test_a_published_version_holds_the_content_and_its_hash() -> None:
    assessment = evaluated()
    plan(assessment)
    assessment.collect_events()

    number = assessment.publish(date(2025, 1, 15), ACTOR)

    version = assessment.published_version(number)
    assert (version.number, version.published_on) == (1, date(2025, 1, 15))
    assert version.content == assessment.content
    encoded = msgspec.json.encode(assessment.content, order="sorted")
    assert (
        version.content_hash == hashlib.sha256(encoded).hexdigest() == content_hash(version.content)
    )
    assert encoded.startswith(b'{"actions":[{"action_id":1,')
    assert version.is_intact
    assert event_names(assessment) == ["AssessmentPublished"]


def test_the_same_content_has_the_same_hash() -> None:
    assessment = evaluated()
    first = assessment.publish(date(2025, 1, 15), ACTOR)
    assessment.rename_work_unit(1, "Fournil", ACTOR)
    assessment.rename_work_unit(1, "Atelier", ACTOR)

    second = assessment.publish(date(2026, 1, 10), ACTOR)

    hashes = {assessment.published_version(n).content_hash for n in (first, second)}
    assert len(hashes) == 1
    assert second == 2


def test_the_hash_does_not_depend_on_the_order_things_were_entered() -> None:
    one = evaluated()
    other = an_assessment()
    other.create_work_unit("Atelier", ACTOR, employee_ids=(ANNE, BRUNO), risk_codes=(NIGHT_WORK,))
    other.create_work_unit("Accueil - Administratif", ACTOR, risk_codes=(SCREEN,))
    other.assign_employees(2, (CAROLE,), ACTOR)
    other.add_risk(1, HANDLING, ACTOR)
    other.evaluate_risk(2, SCREEN, 1, 2, "Saisie des commandes", ACTOR)
    other.evaluate_risk(1, NIGHT_WORK, 2, 2, "Cuisson de nuit", ACTOR)
    other.evaluate_risk(1, HANDLING, 4, 3, "Port de sacs de 25 kg", ACTOR, "Diable")

    assert content_hash(other.content) == content_hash(one.content)


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.rename_work_unit(2, "Accueil", ACTOR),
        lambda a: a.assign_employees(2, (CAROLE, ANNE), ACTOR),
        lambda a: a.evaluate_risk(2, SCREEN, 2, 2, "Saisie des commandes", ACTOR),
        lambda a: a.evaluate_risk(2, SCREEN, 1, 2, "Saisie et relances", ACTOR),
        plan,
        lambda a: a.mark_action_done(1, date(2025, 2, 1), ACTOR),
        lambda a: a.reschedule_action(1, date(2025, 4, 30), ACTOR),
        lambda a: a.cancel_action(1, "Doublon", ACTOR),
    ],
)
def test_a_change_gives_a_new_hash(change: Any) -> None:
    assessment = evaluated()
    plan(assessment)
    before = content_hash(assessment.content)

    change(assessment)

    assert content_hash(assessment.content) != before


def test_older_versions_are_unchanged_by_later_edits() -> None:
    assessment = evaluated()
    action_id = plan(assessment)
    assessment.publish(date(2025, 1, 15), ACTOR)
    first = assessment.published_version(1)

    assessment.mark_action_done(action_id, date(2025, 3, 1), ACTOR)
    assessment.evaluate_risk(1, HANDLING, 4, 1, "Sacs de 10 kg", ACTOR, "Diable, formation")
    assessment.add_risk(2, "AMBIANCE_SONORE", ACTOR)
    assessment.evaluate_risk(2, "AMBIANCE_SONORE", 2, 1, "Open space", ACTOR)
    assessment.create_work_unit("Livraison", ACTOR)
    assessment.publish(date(2026, 1, 12), ACTOR)

    assert assessment.published_version(1) == first
    assert first.is_intact
    assert first.content.actions[0].status is ActionStatus.PLANNED
    assert [u.name for u in first.content.units] == ["Atelier", "Accueil - Administratif"]
    second = assessment.published_version(2)
    assert second.content_hash != first.content_hash
    assert second.content.actions[0].status is ActionStatus.DONE
    assert assessment.latest_version == second


def test_versions_are_rebuilt_from_the_history() -> None:
    assessment = evaluated()
    action_id = plan(assessment)
    assessment.publish(date(2025, 1, 15), ACTOR)
    assessment.cancel_action(action_id, "Remplacée", ACTOR)
    assessment.remove_work_unit(2, ACTOR)
    assessment.publish(date(2025, 6, 1), ACTOR)
    originals = assessment.published_versions

    replayed = rebuilt(assessment)

    assert replayed.published_versions == originals
    assert all(v.is_intact for v in replayed.published_versions)
    assert replayed.published_version(2).content.actions == ()
    assert len(replayed.published_version(1).content.units) == 2


def test_cancelled_actions_are_left_out_of_the_content() -> None:
    assessment = evaluated()
    kept, cancelled = plan(assessment), plan(assessment)
    assessment.cancel_action(cancelled, "Doublon", ACTOR)

    assert [a.action_id for a in assessment.content.actions] == [kept]


def test_a_version_cannot_be_published_before_the_previous_one() -> None:
    assessment = evaluated()
    assessment.publish(date(2025, 1, 15), ACTOR)

    with refused(RuleViolation, "PUBLISHED_BEFORE_LATEST_VERSION"):
        assessment.publish(date(2025, 1, 14), ACTOR)
    assert assessment.publish(date(2025, 1, 15), ACTOR) == 2


def test_an_unknown_version_is_not_found() -> None:
    assessment = evaluated()
    assessment.publish(date(2025, 1, 15), ACTOR)

    for number in (0, 2):
        with refused(NotFound, "VERSION_NOT_FOUND"):
            assessment.published_version(number)
    assert an_assessment().latest_version is None


# A document made without the tool --------------------------------------------------------------


def record(assessment: RiskAssessment, **changes: Any) -> int:
    arguments: dict[str, Any] = {
        "file_name": " DUERP 2025.pdf ",
        "media_type": "Application/PDF",
        "size": 482_113,
        "sha256": SHA,
        "recorded_on": date(2025, 2, 3),
        "actor": ACTOR,
    }
    return assessment.record_existing_document(**(arguments | changes))


def test_an_existing_document_is_recorded_by_its_metadata_and_hash() -> None:
    assessment = an_assessment()
    assessment.collect_events()

    document_id = record(assessment)

    (document,) = assessment.documents
    assert document.document_id == document_id == 1
    assert (document.file_name, document.media_type) == ("DUERP 2025.pdf", "application/pdf")
    assert (document.size, document.sha256) == (482_113, SHA.lower())
    assert event_names(assessment) == ["ExistingDocumentRecorded"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("file_name", "  ", "INVALID_TEXT"),
        ("file_name", "../duerp.pdf", "INVALID_FILE_NAME"),
        ("file_name", "C:\\duerp.pdf", "INVALID_FILE_NAME"),
        ("media_type", "image/png", "UNSUPPORTED_MEDIA_TYPE"),
        ("size", 0, "INVALID_FILE_SIZE"),
        ("size", 50 * 1024 * 1024 + 1, "INVALID_FILE_SIZE"),
        ("sha256", "abc", "INVALID_SHA256"),
        ("sha256", "g" * 64, "INVALID_SHA256"),
    ],
)
def test_a_malformed_document_is_refused(field: str, value: Any, code: str) -> None:
    assessment = an_assessment()

    with refused(InvalidValue, code) as error:
        record(assessment, **{field: value})

    assert error.value.field == field
    assert assessment.documents == ()


def test_the_same_file_is_recorded_once() -> None:
    assessment = an_assessment()
    record(assessment)

    with refused(RuleViolation, "DOCUMENT_ALREADY_RECORDED"):
        record(assessment, file_name="copie.pdf", sha256=SHA.lower())
    assert record(assessment, sha256="0" * 64) == 2


# The yearly update (R4121-2) -------------------------------------------------------------------


def test_the_update_is_due_yearly_from_11_employees() -> None:
    assessment = evaluated()
    assert assessment.is_update_overdue_on(date(2025, 1, 1), headcount=11)
    assert not assessment.is_update_overdue_on(date(2025, 1, 1), headcount=10)

    assessment.publish(date(2025, 1, 15), ACTOR)

    assert not assessment.is_update_overdue_on(date(2026, 1, 15), headcount=11)
    assert assessment.is_update_overdue_on(date(2026, 1, 16), headcount=11)
    assert not assessment.is_update_overdue_on(date(2030, 1, 1), headcount=10)


def test_a_deposited_document_counts_as_an_update() -> None:
    assessment = an_assessment()
    record(assessment, recorded_on=date(2024, 2, 29))

    assert assessment.last_updated_on == date(2024, 2, 29)
    assert not assessment.is_update_overdue_on(date(2025, 2, 28), headcount=50)
    assert assessment.is_update_overdue_on(date(2025, 3, 1), headcount=50)

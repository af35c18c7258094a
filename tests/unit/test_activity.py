"""A member's activity summary of a year: actions recorded by the service, numbered, kept in the
order of their days, corrected and withdrawn; every refusal of what the staff types; and the
durations as the printed summary writes them."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest

from application.visits.activity_summary import duration
from domain.actor import Actor
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from domain.visits.activity import (
    ActivitySummary,
    WorkplaceActionDetails,
    WorkplaceActionKind,
)

MEMBER = uuid4()
STAFF = Actor("staff-1")
TODAY = date(2026, 5, 12)
STUDY = WorkplaceActionDetails(
    kind=WorkplaceActionKind.STUDY,
    held_on=date(2026, 3, 4),
    subject="  Poste de   soudure ",
    duration_minutes=90,
)
SESSION = WorkplaceActionDetails(
    kind=WorkplaceActionKind.AWARENESS_SESSION,
    held_on=date(2026, 2, 10),
    subject="Bruit au travail",
    participants=14,
)


def summary() -> ActivitySummary:
    return ActivitySummary.open(MEMBER, 2026, STAFF)


def event_names(aggregate: ActivitySummary) -> list[str]:
    return [type(e).__name__ for e in aggregate.collect_events()]


def test_one_summary_per_member_and_year() -> None:
    other = uuid4()

    assert summary().id == ActivitySummary.create_id(MEMBER, 2026)
    assert (
        len(
            {
                ActivitySummary.create_id(MEMBER, 2026),
                ActivitySummary.create_id(MEMBER, 2025),
                ActivitySummary.create_id(other, 2026),
            }
        )
        == 3
    )
    assert summary().owning_member == MEMBER


def test_actions_are_numbered_cleaned_and_kept_in_the_order_of_their_days() -> None:
    record = summary()

    first = record.record_action(STUDY, TODAY, STAFF)
    second = record.record_action(SESSION, TODAY, STAFF)

    assert (first, second) == (1, 2)
    assert [(a.action_id, a.details.subject) for a in record.actions] == [
        (2, "Bruit au travail"),
        (1, "Poste de soudure"),
    ]
    assert event_names(record) == [
        "ActivitySummaryOpened",
        "WorkplaceActionRecorded",
        "WorkplaceActionRecorded",
    ]


def test_a_correction_replaces_the_action_and_a_withdrawal_takes_it_out() -> None:
    record = summary()
    study = record.record_action(STUDY, TODAY, STAFF)
    session = record.record_action(SESSION, TODAY, STAFF)

    record.correct_action(study, replace(STUDY, held_on=date(2026, 1, 20)), TODAY, STAFF)
    record.withdraw_action(session, "Saisie sur le mauvais adhérent", STAFF)
    third = record.record_action(SESSION, TODAY, STAFF)

    assert [(a.action_id, a.details.held_on) for a in record.actions] == [
        (study, date(2026, 1, 20)),
        (third, SESSION.held_on),
    ]
    assert third == 3, "a number is never given twice, even after a withdrawal"
    assert event_names(record)[-3:] == [
        "WorkplaceActionCorrected",
        "WorkplaceActionWithdrawn",
        "WorkplaceActionRecorded",
    ]


def test_the_day_itself_and_fifty_years_back_are_accepted() -> None:
    record = ActivitySummary.open(MEMBER, TODAY.year, STAFF)

    record.record_action(replace(STUDY, held_on=TODAY), TODAY, STAFF)

    old_year = (TODAY - timedelta(days=366 * 50)).year
    old = ActivitySummary.open(MEMBER, old_year, STAFF)
    old.record_action(replace(STUDY, held_on=TODAY - timedelta(days=366 * 50)), TODAY, STAFF)
    assert len(record.actions) == len(old.actions) == 1


@pytest.mark.parametrize(
    ("changes", "error", "code", "field"),
    [
        ({"subject": ""}, InvalidValue, "INVALID_TEXT", "subject"),
        ({"subject": "   "}, InvalidValue, "INVALID_TEXT", "subject"),
        ({"subject": "x" * 201}, InvalidValue, "INVALID_TEXT", "subject"),
        ({"subject": "Bruit\x00"}, InvalidValue, "INVALID_TEXT", "subject"),
        ({"subject": "Bruit\u202e"}, InvalidValue, "INVALID_TEXT", "subject"),
        ({"held_on": TODAY + timedelta(days=1)}, InvalidValue, "DATE_OUT_OF_RANGE", "held_on"),
        (
            {"held_on": TODAY - timedelta(days=366 * 50 + 1)},
            InvalidValue,
            "DATE_OUT_OF_RANGE",
            "held_on",
        ),
        ({"held_on": date(2025, 12, 31)}, RuleViolation, "ACTION_IN_ANOTHER_YEAR", "held_on"),
        ({"duration_minutes": 0}, InvalidValue, "OUT_OF_RANGE", "duration_minutes"),
        ({"duration_minutes": 6001}, InvalidValue, "OUT_OF_RANGE", "duration_minutes"),
        ({"participants": 0}, InvalidValue, "OUT_OF_RANGE", "participants"),
        ({"participants": 10_001}, InvalidValue, "OUT_OF_RANGE", "participants"),
    ],
)
def test_what_the_staff_types_is_refused_when_it_cannot_be_right(
    changes: dict[str, Any], error: type[DomainError], code: str, field: str
) -> None:
    record = summary()

    with pytest.raises(error) as refused:
        record.record_action(replace(STUDY, **changes), TODAY, STAFF)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert record.actions == ()
    assert "Bruit" not in refused.value.message, "a message never repeats the value typed"


def test_the_same_action_twice_is_refused_whatever_the_case_and_spaces() -> None:
    record = summary()
    record.record_action(STUDY, TODAY, STAFF)

    with pytest.raises(RuleViolation) as refused:
        record.record_action(replace(STUDY, subject="poste de SOUDURE"), TODAY, STAFF)

    assert refused.value.code == "ACTION_ALREADY_RECORDED"
    record.record_action(replace(STUDY, held_on=date(2026, 3, 5)), TODAY, STAFF)
    assert len(record.actions) == 2


@pytest.mark.parametrize(
    ("change", "error", "code"),
    [
        (lambda r: r.correct_action(9, STUDY, TODAY, STAFF), NotFound, "ACTION_NOT_FOUND"),
        (lambda r: r.withdraw_action(9, "Erreur", STAFF), NotFound, "ACTION_NOT_FOUND"),
        (lambda r: r.withdraw_action(1, " ", STAFF), InvalidValue, "INVALID_TEXT"),
        (lambda r: r.correct_action(1, STUDY, TODAY, STAFF), RuleViolation, "NOTHING_CORRECTED"),
        (
            lambda r: r.correct_action(
                1, replace(SESSION, subject="bruit au travail"), TODAY, STAFF
            ),
            RuleViolation,
            "ACTION_ALREADY_RECORDED",
        ),
        (
            lambda r: r.correct_action(1, replace(STUDY, held_on=date(2025, 6, 1)), TODAY, STAFF),
            RuleViolation,
            "ACTION_IN_ANOTHER_YEAR",
        ),
    ],
)
def test_corrections_and_withdrawals_that_cannot_be_are_refused(
    change: Any, error: type[DomainError], code: str
) -> None:
    record = summary()
    record.record_action(STUDY, TODAY, STAFF)
    record.record_action(SESSION, TODAY, STAFF)
    before = record.actions

    with pytest.raises(error) as refused:
        change(record)

    assert refused.value.code == code
    assert record.actions == before


def test_a_withdrawn_action_can_be_neither_corrected_nor_withdrawn_again() -> None:
    record = summary()
    study = record.record_action(STUDY, TODAY, STAFF)
    record.withdraw_action(study, "Doublon", STAFF)

    with pytest.raises(NotFound):
        record.correct_action(study, SESSION, TODAY, STAFF)
    with pytest.raises(NotFound):
        record.withdraw_action(study, "Doublon", STAFF)


@pytest.mark.parametrize(
    ("minutes", "written"),
    [
        (1, "1\u00a0min"),
        (45, "45\u00a0min"),
        (60, "1\u00a0h"),
        (90, "1\u00a0h\u00a030"),
        (125, "2\u00a0h\u00a005"),
        (6000, "100\u00a0h"),
    ],
)
def test_durations_as_the_printed_summary_writes_them(minutes: int, written: str) -> None:
    assert duration(minutes) == written

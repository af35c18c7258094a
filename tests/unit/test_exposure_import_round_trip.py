"""The CMR workbook sent back as downloaded applies with no change, planned ends included; a
future end that is not the one recorded is still refused."""

from dataclasses import replace
from datetime import date

from application.workforce.exposure_import import Action, Column, read, template
from tests.unit.test_exposure_import import MARIE, PAUL, RECORDED, a_row, planned

PLANNED_END = replace(RECORDED, ended_on=date(2025, 6, 30))
"""Recorded as ending after today (the template lists it: the exposure is running)."""


def test_a_template_with_a_planned_end_sent_back_unchanged_applies_with_no_change() -> None:
    rows = read(template([MARIE, PAUL], [PLANNED_END]))
    dry_run = planned(*rows, exposures=(PLANNED_END,))
    assert dry_run.can_apply
    assert [(r.row, r.action, r.errors) for r in dry_run.rows] == [(3, Action.UNCHANGED, ())]


def test_a_new_exposure_ending_in_the_future_is_refused() -> None:
    (result,) = planned(a_row(9, ended_on=date(2025, 6, 30))).rows
    assert [(e.code, e.column) for e in result.errors] == [("DATE_IN_FUTURE", Column.ENDED_ON)]
    assert result.errors[0].message.startswith("Ligne 9, colonne « Fin d'exposition » : le 30/06")


def test_a_future_end_given_to_a_running_exposure_or_moved_is_refused() -> None:
    (row,) = [r for r in read(template([MARIE], [RECORDED])) if r.has_exposure_data]
    moved = replace(row, ended_on=date(2025, 7, 1))
    for recorded, code in ((RECORDED, "DATE_IN_FUTURE"), (PLANNED_END, "EXPOSURE_ALREADY_ENDED")):
        (result,) = planned(moved, exposures=(recorded,)).rows
        assert [e.code for e in result.errors] == [code]
        assert result.action is None

"""Knowledge instants of the read models' "known at" dates."""

from datetime import date

from projections.timeline import NEVER, knowledge, known_by_end_of


def test_no_date_and_the_last_days_of_the_calendar_mean_everything_known_so_far() -> None:
    assert knowledge(None) == NEVER - 1
    assert knowledge(date(9999, 12, 31)) == NEVER - 1
    assert knowledge(date(9999, 12, 30)) == NEVER - 1


def test_a_date_means_the_end_of_that_day_in_paris() -> None:
    assert knowledge(date(2025, 3, 1)) == known_by_end_of(date(2025, 3, 1))
    assert knowledge(date(2025, 3, 1)) < knowledge(date(2025, 3, 2)) < NEVER - 1

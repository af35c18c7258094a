"""Dates as the portal shows them: an instant is shown as the day it was in Paris.

Regression: a declaration reopened between 23:00 and 24:00 UTC was shown as reopened on the UTC
day, one day before the day the user lived it in Paris; CI went red one hour a day."""

from features.steps.annual_declaration import french_date


def test_an_instant_late_in_the_utc_evening_is_shown_as_the_next_day_in_paris() -> None:
    assert french_date("2026-12-06T23:30:00+00:00") == "07/12/2026"
    assert french_date("2026-07-14T22:30:00+00:00") == "15/07/2026"


def test_an_instant_is_shown_as_its_paris_day_on_both_sides_of_a_daylight_saving_change() -> None:
    assert french_date("2026-03-28T23:30:00+00:00") == "29/03/2026"
    assert french_date("2026-10-24T21:59:00+00:00") == "24/10/2026"
    assert french_date("2026-10-24T22:00:00+00:00") == "25/10/2026"


def test_a_calendar_date_is_shown_as_it_is() -> None:
    assert french_date("2026-12-31") == "31/12/2026"
    assert french_date(None) == ""

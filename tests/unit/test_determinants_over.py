"""The determinants in effect over many days, swept once, are those asked day by day; and so
are the follow-ups an employee's timeline and follow-up file read from them."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.identifiers import CasNumber
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, DeterminantPeriod, Exposure
from domain.workforce.health_records import determinants_on, determinants_over

START = date(2023, 1, 1)
BENZENE = CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))
days_in = st.integers(min_value=0, max_value=60).map(lambda n: START + timedelta(days=n))


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date | None, bool]:
    started_on = draw(days_in)
    length = draw(st.none() | st.integers(min_value=0, max_value=30))
    ended_on = None if length is None else started_on + timedelta(days=length)
    if draw(st.booleans()) and ended_on is None:
        ended_on = date.max  # "until further notice", typed as the calendar's last day
    return started_on, ended_on, draw(st.booleans())


@given(
    determinant_periods=st.lists(
        st.tuples(st.sampled_from(list(FollowUpDeterminant)), periods()), max_size=8
    ),
    exposure_periods=st.lists(periods(), max_size=4),
    days=st.lists(days_in, max_size=40).map(sorted),
)
def test_a_sweep_finds_what_each_day_finds(
    determinant_periods: list[tuple[FollowUpDeterminant, tuple[date, date | None, bool]]],
    exposure_periods: list[tuple[date, date | None, bool]],
    days: list[date],
) -> None:
    determinants = tuple(
        DeterminantPeriod(n, kind, started_on, ended_on, retracted=dropped)
        for n, (kind, (started_on, ended_on, dropped)) in enumerate(determinant_periods)
    )
    exposures = tuple(
        Exposure(n, BENZENE, started_on, ended_on, withdrawn=dropped)
        for n, (started_on, ended_on, dropped) in enumerate(exposure_periods)
    )

    swept = determinants_over(determinants, exposures, days)

    assert swept == [determinants_on(determinants, exposures, day) for day in days]


def test_days_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="increasing order"):
        determinants_over((), (), [date(2024, 2, 1), date(2024, 1, 1)])

"""A process that runs read models collects cycles less often (`projections.collector`)."""

import gc
from collections.abc import Iterator

import pytest

from projections.collector import YOUNG_THRESHOLD, collect_cycles_less_often


@pytest.fixture
def thresholds() -> Iterator[None]:
    kept = gc.get_threshold()
    yield
    gc.set_threshold(*kept)


@pytest.mark.usefixtures("thresholds")
def test_the_young_generation_is_collected_less_often_and_the_others_as_before() -> None:
    gc.set_threshold(700, 10, 10)
    collect_cycles_less_often()
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)


@pytest.mark.usefixtures("thresholds")
def test_a_process_that_collects_even_less_often_keeps_its_threshold() -> None:
    gc.set_threshold(YOUNG_THRESHOLD * 2, 20, 5)
    collect_cycles_less_often()
    assert gc.get_threshold() == (YOUNG_THRESHOLD * 2, 20, 5)

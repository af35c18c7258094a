"""The follow-up determinants and CMR exposures of an employee: the rules, over the records it has.

The `Employee` aggregate records the changes (`FollowUpDeterminantDeclared`, `CmrExposureEnded`…);
what may change is decided here. Either tuple is None once the person's health key is erased:
the changes are still counted, their content is gone.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, TypeVar

from domain.errors import NotFound, RuleViolation
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import DeterminantPeriod, Exposure, check_period

Determinants = tuple[DeterminantPeriod, ...]
Exposures = tuple[Exposure, ...]
_Item = TypeVar("_Item", DeterminantPeriod, Exposure)
_T = TypeVar("_T")
_CMR = FollowUpDeterminant.CMR_AGENTS


def check_new_determinant(determinants: Determinants | None, period: DeterminantPeriod) -> None:
    """A determinant is declared once over a period (a retracted one never applied)."""
    same = (
        d
        for d in determinants or ()
        if d.determinant is period.determinant and d.situation == period.situation
    )
    if any(not other.retracted and _overlap(other, period) for other in same):
        raise RuleViolation(
            f"Le déterminant « {period.situation or period.determinant.label} » est déjà déclaré"
            " sur cette période.",
            code="DETERMINANT_ALREADY_DECLARED",
            field="determinant",
        )


def determinant_of(determinants: Determinants | None, determinant_id: int) -> DeterminantPeriod:
    for period in determinants or ():
        if period.determinant_id == determinant_id and not period.retracted:
            return period
    raise NotFound("Ce déterminant de suivi n'existe pas.", code="DETERMINANT_NOT_FOUND")


def check_withdrawable(
    determinants: Determinants | None, determinant_id: int, last_day: date
) -> None:
    period = determinant_of(determinants, determinant_id)
    if period.ended_on is not None:
        raise RuleViolation(
            "Ce déterminant a déjà une date de fin.", code="DETERMINANT_ALREADY_ENDED"
        )
    check_period(period.started_on, last_day, "du déterminant", "last_day")


def exposure_of(exposures: Exposures | None, exposure_id: int) -> Exposure:
    for exposure in exposures or ():
        if exposure.exposure_id == exposure_id and not exposure.withdrawn:
            return exposure
    raise NotFound("Cette exposition n'existe pas.", code="EXPOSURE_NOT_FOUND")


def exposures_on(exposures: Exposures | None, day: date) -> Exposures:
    return tuple(e for e in exposures or () if e.in_effect_on(day))


def determinants_over(
    determinants: Determinants | None, exposures: Exposures | None, days: Sequence[date]
) -> list[frozenset[FollowUpDeterminant]]:
    """`determinants_on` each of `days` (in increasing order), in one sweep of the periods
    rather than a look at every period for every day."""
    if any(later < earlier for earlier, later in pairwise(days)):
        raise ValueError("days in increasing order")
    changes: list[tuple[date, int, FollowUpDeterminant]] = []
    periods: list[tuple[FollowUpDeterminant, DeterminantPeriod | Exposure]] = [
        (d.determinant, d) for d in determinants or () if not d.retracted
    ]
    periods += [(_CMR, e) for e in exposures or () if not e.withdrawn]
    first_day = days[0] if days else date.max
    for determinant, period in periods:
        if period.ended_on is not None and period.ended_on < first_day:
            continue  # begun and ended before the first day: counted nowhere
        changes.append((period.started_on, 1, determinant))
        if period.ended_on is not None and period.ended_on < date.max:
            changes.append((period.ended_on + timedelta(days=1), -1, determinant))
    changes.sort(key=lambda change: change[0])
    counts: Counter[FollowUpDeterminant] = Counter()
    found, current, next_change = [], frozenset[FollowUpDeterminant](), 0
    for day in days:
        if next_change < len(changes) and changes[next_change][0] <= day:
            while next_change < len(changes) and changes[next_change][0] <= day:
                _, step, determinant = changes[next_change]
                counts[determinant] += step
                next_change += 1
            current = frozenset(d for d, count in counts.items() if count > 0)
        found.append(current)
    return found


def determinants_on(
    determinants: Determinants | None, exposures: Exposures | None, day: date
) -> frozenset[FollowUpDeterminant]:
    """Declared determinants in effect, plus CMR_AGENTS while a CMR exposure is recorded
    (R4624-23 I 3°): a worker on the décret 2024-307 list is in SIR without a second entry."""
    declared = {d.determinant for d in determinants or () if d.in_effect_on(day)}
    if exposures_on(exposures, day):
        declared.add(FollowUpDeterminant.CMR_AGENTS)
    return frozenset(declared)


def appended(items: tuple[_T, ...] | None, item: _T | None) -> tuple[_T, ...] | None:
    """`item` added last; nothing to add to, or nothing to add, once the health key is erased."""
    return items if items is None or item is None else (*items, item)


def with_determinant(
    determinants: Determinants | None, determinant_id: int, **changes: Any
) -> Determinants | None:
    return _replaced(determinants, "determinant_id", determinant_id, changes)


def with_exposure(
    exposures: Exposures | None, exposure_id: int, **changes: Any
) -> Exposures | None:
    return _replaced(exposures, "exposure_id", exposure_id, changes)


def _replaced(
    items: tuple[_Item, ...] | None, key: str, value: int, changes: dict[str, Any]
) -> tuple[_Item, ...] | None:
    if items is None:
        return None
    return tuple(replace(i, **changes) if getattr(i, key) == value else i for i in items)


def _overlap(a: DeterminantPeriod, b: DeterminantPeriod) -> bool:
    a_end = a.ended_on or date.max
    b_end = b.ended_on or date.max
    return a.started_on <= b_end and b.started_on <= a_end

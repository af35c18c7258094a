"""Follow-up category of an employee (suivi individuel : SI, SIA, SIR), as a function of a date.

Code du travail, as summarised in RULES.md §1:

- SIR, suivi individuel renforcé (R4624-22, R4624-23): I exposures (1° asbestos to 7° scaffolding),
  II posts needing a specific aptitude exam, III posts the employer declares at particular risk;
- SIA, suivi individuel adapté (R4624-17 to R4624-19, R4426-7, R4453-25);
- SI, suivi individuel simple: the default (R4624-10).

Precedence is SIR > SIA > SI: the SIR aptitude exam replaces the information visit (R4624-24).
Rules are functions of a date: the dated switches are held by `FollowUpRules` (décret n° 2025-355
for driving authorisations and live electrical work, décret n° 2026-253 for the lead threshold).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final, NamedTuple

from domain.errors import InvalidValue
from domain.labelled import LabelledEnum

ADULT_AGE: Final = 18
"""Age from which the under-18 rules (R4624-18, R4153-40) stop applying."""

FITNESS_ATTESTATION_VALIDITY_YEARS: Final = 5
"""Validity of the "attestation d'absence de contre-indication médicale" (décret n° 2025-355)."""


class FollowUp(LabelledEnum):
    """Suivi individuel de l'état de santé : simple (SI), adapté (SIA) or renforcé (SIR)."""

    SI = "SI", "Suivi individuel simple"
    SIA = "SIA", "Suivi individuel adapté"
    SIR = "SIR", "Suivi individuel renforcé"

    @property
    def rank(self) -> int:
        """Precedence: SIR (2) > SIA (1) > SI (0)."""
        return _FOLLOW_UP_RANKS[self]


_FOLLOW_UP_RANKS: Final[Mapping[FollowUp, int]] = {FollowUp.SI: 0, FollowUp.SIA: 1, FollowUp.SIR: 2}


class FollowUpDeterminant(enum.Enum):
    """Déterminant de suivi: a situation that puts a worker in SIA or SIR (RULES.md §1).

    Whether a determinant takes effect may depend on the date and on the worker's age; see
    `assess_follow_up`.
    """

    ASBESTOS = "ASBESTOS"
    LEAD_ABOVE_THRESHOLD = "LEAD_ABOVE_THRESHOLD"
    LEAD_BELOW_THRESHOLD = "LEAD_BELOW_THRESHOLD"
    CMR_AGENTS = "CMR_AGENTS"
    BIOLOGICAL_AGENTS_GROUP_3_4 = "BIOLOGICAL_AGENTS_GROUP_3_4"
    IONISING_RADIATION_CAT_A = "IONISING_RADIATION_CAT_A"
    IONISING_RADIATION_CAT_B = "IONISING_RADIATION_CAT_B"
    HYPERBARIC = "HYPERBARIC"
    SCAFFOLDING_ASSEMBLY = "SCAFFOLDING_ASSEMBLY"
    UNDER_18_REGULATED_WORK = "UNDER_18_REGULATED_WORK"
    MANUAL_HANDLING_OVER_55KG = "MANUAL_HANDLING_OVER_55KG"
    DRIVING_AUTHORISATION = "DRIVING_AUTHORISATION"
    LIVE_ELECTRICAL_WORK = "LIVE_ELECTRICAL_WORK"
    EMPLOYER_DECLARED_RISK = "EMPLOYER_DECLARED_RISK"
    DISABLED_WORKER = "DISABLED_WORKER"
    INVALIDITY_PENSION = "INVALIDITY_PENSION"
    NIGHT_WORK = "NIGHT_WORK"
    PREGNANCY = "PREGNANCY"
    BIOLOGICAL_AGENTS_GROUP_2 = "BIOLOGICAL_AGENTS_GROUP_2"
    ELECTROMAGNETIC_FIELDS_ABOVE_VLE = "ELECTROMAGNETIC_FIELDS_ABOVE_VLE"
    REPORTED_SITUATION = "REPORTED_SITUATION"
    """A situation reported to the service that calls for no follow-up of its own (psychosocial
    risks…, seed 000 step 9): the period names it (`DeterminantPeriod.situation`)."""

    @property
    def label(self) -> str:
        """French label, as shown to portal users."""
        return _SPECS[self].label

    @property
    def article(self) -> str:
        """Article of the Code du travail that attaches a follow-up to this situation."""
        return _SPECS[self].article

    @property
    def needs_reason(self) -> bool:
        """Whether declaring it needs a written reason (R4624-23 III: employer-declared posts)."""
        return self is FollowUpDeterminant.EMPLOYER_DECLARED_RISK


class _Spec(NamedTuple):
    label: str
    article: str
    category: FollowUp
    visit_before_assignment: bool


def _sir(label: str, article: str) -> _Spec:
    """Every SIR post has its aptitude exam before assignment (R4624-24)."""
    return _Spec(label, article, FollowUp.SIR, visit_before_assignment=True)


def _sia(label: str, article: str, *, visit_before_assignment: bool) -> _Spec:
    return _Spec(label, article, FollowUp.SIA, visit_before_assignment)


_D = FollowUpDeterminant
_ORDER: Final = {determinant: rank for rank, determinant in enumerate(FollowUpDeterminant)}
"""Each determinant's rank in the enum's declared order."""
_LEAD = "l'article R4412-160"
_SPECS: Final[Mapping[FollowUpDeterminant, _Spec]] = {
    _D.ASBESTOS: _sir("Exposition à l'amiante", "R4624-23 I 1°"),
    _D.LEAD_ABOVE_THRESHOLD: _sir(
        f"Exposition au plomb dans les conditions de {_LEAD}", "R4624-23 I 2°"
    ),
    _D.LEAD_BELOW_THRESHOLD: _sir(
        f"Exposition au plomb en deçà des seuils de {_LEAD}", "R4624-23 I 2°"
    ),
    _D.CMR_AGENTS: _sir(
        "Exposition à des agents cancérogènes, mutagènes ou toxiques pour la reproduction",
        "R4624-23 I 3°",
    ),
    _D.BIOLOGICAL_AGENTS_GROUP_3_4: _sir(
        "Exposition à des agents biologiques des groupes 3 et 4", "R4624-23 I 4°"
    ),
    _D.IONISING_RADIATION_CAT_A: _sir(
        "Exposition aux rayonnements ionisants, travailleur classé en catégorie A", "R4624-23 I 5°"
    ),
    _D.IONISING_RADIATION_CAT_B: _sir(
        "Exposition aux rayonnements ionisants, travailleur classé en catégorie B", "R4624-23 I 5°"
    ),
    _D.HYPERBARIC: _sir("Exposition au risque hyperbare", "R4624-23 I 6°"),
    _D.SCAFFOLDING_ASSEMBLY: _sir(
        "Risque de chute de hauteur lors du montage et du démontage d'échafaudages", "R4624-23 I 7°"
    ),
    _D.UNDER_18_REGULATED_WORK: _sir(
        "Jeune de moins de 18 ans affecté à des travaux réglementés (dérogation)",
        "R4624-23 II (R4153-40)",
    ),
    _D.MANUAL_HANDLING_OVER_55KG: _sir(
        "Manutention manuelle habituelle de charges de plus de 55 kg", "R4624-23 II (R4541-9)"
    ),
    _D.DRIVING_AUTHORISATION: _sir(
        "Autorisation de conduite d'équipements de travail (CACES)", "R4624-23 II (R4323-56)"
    ),
    _D.LIVE_ELECTRICAL_WORK: _sir(
        "Habilitation électrique pour les travaux sous tension", "R4624-23 II (R4544-10)"
    ),
    _D.EMPLOYER_DECLARED_RISK: _sir(
        "Poste à risque particulier déclaré par l'employeur (motivation écrite)", "R4624-23 III"
    ),
    _D.DISABLED_WORKER: _sia("Travailleur handicapé", "R4624-17", visit_before_assignment=False),
    _D.INVALIDITY_PENSION: _sia(
        "Titulaire d'une pension d'invalidité", "R4624-17", visit_before_assignment=False
    ),
    _D.NIGHT_WORK: _sia("Travailleur de nuit", "R4624-17, R4624-18", visit_before_assignment=True),
    _D.PREGNANCY: _sia(
        "Femme enceinte, venant d'accoucher ou allaitante",
        "R4624-19",
        visit_before_assignment=False,
    ),
    _D.BIOLOGICAL_AGENTS_GROUP_2: _sia(
        "Exposition à des agents biologiques du groupe 2", "R4426-7", visit_before_assignment=True
    ),
    _D.ELECTROMAGNETIC_FIELDS_ABOVE_VLE: _sia(
        "Exposition à des champs électromagnétiques au-delà des valeurs limites d'exposition",
        "R4453-25",
        visit_before_assignment=True,
    ),
    _D.REPORTED_SITUATION: _Spec(
        "Situation signalée au service (sans suivi particulier)",
        "R4121-1",
        FollowUp.SI,
        visit_before_assignment=False,
    ),
}

_LEAVE_SIR_ON_SWITCH: Final = frozenset({_D.DRIVING_AUTHORISATION, _D.LIVE_ELECTRICAL_WORK})
_YEARLY_APTITUDE: Final = frozenset({_D.UNDER_18_REGULATED_WORK, _D.IONISING_RADIATION_CAT_A})


@dataclass(frozen=True, slots=True)
class FollowUpRules:
    """The dated switches of the follow-up rules.

    - `driving_and_electrical_leave_sir_on` (décret n° 2025-355): before that date, driving
      authorisations (R4323-56) and electrical habilitation for live work (R4544-10) are SIR
      (R4624-23 II); from it they are not, and need an "attestation d'absence de contre-indication
      médicale" valid 5 years.
    - `lead_threshold_abolished_on` (décret n° 2026-253, reported, unconfirmed): when set, exposure
      to lead below the R4412-160 threshold is SIR from that date on (R4624-23 I 2°). `None` keeps
      the threshold.
    """

    driving_and_electrical_leave_sir_on: date = date(2025, 10, 1)
    lead_threshold_abolished_on: date | None = None

    def driving_and_electrical_are_sir(self, on: date) -> bool:
        """Whether driving authorisations and live electrical work are SIR on `on`."""
        return on < self.driving_and_electrical_leave_sir_on

    def lead_threshold_applies(self, on: date) -> bool:
        """Whether lead exposure is SIR only above the R4412-160 threshold on `on`."""
        abolished_on = self.lead_threshold_abolished_on
        return abolished_on is None or on < abolished_on


CURRENT_RULES: Final = FollowUpRules()


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a worker is in a category: a determinant in effect, or their age (`determinant=None`)."""

    category: FollowUp
    determinant: FollowUpDeterminant | None
    label_fr: str
    article: str


@dataclass(frozen=True, slots=True)
class FollowUpAssessment:
    """The follow-up of a worker on a date.

    - `visit_before_assignment`: the visit must happen before the worker takes up the post (night
      work R4624-18, under 18 R4624-18, biological group 2 R4426-7, EMF above VLE R4453-25, and
      every SIR post R4624-24);
    - `needs_fitness_attestation`: driving authorisation or live electrical work from the date of
      décret n° 2025-355: an "attestation d'absence de contre-indication médicale" is needed;
    - `yearly_aptitude`: the aptitude is renewed yearly (under-18 regulated work R4153-40,
      ionising radiation cat. A R4451-82);
    - `reasons`: the determinants in effect on the date, SIR ones first, then SIA ones.
    """

    category: FollowUp
    visit_before_assignment: bool
    reasons: tuple[Reason, ...]
    needs_fitness_attestation: bool
    yearly_aptitude: bool


_MINOR_REASON: Final = Reason(FollowUp.SIA, None, "Travailleur de moins de 18 ans", "R4624-18")


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on `on`; a person born on 29 February gets older on 1 March in
    non-leap years. Raises `InvalidValue` when `on` is before `birth_date`."""
    if on < birth_date:
        raise InvalidValue(
            "La date de naissance est postérieure à la date demandée.", field="birth_date"
        )
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def _takes_effect(determinant: FollowUpDeterminant, day: _DayRules) -> bool:
    """The dated and age-bound exceptions to the table `_SPECS`; a reported situation never
    takes effect (it informs only)."""
    if determinant is _D.REPORTED_SITUATION:
        return False
    if determinant in _LEAVE_SIR_ON_SWITCH:
        return day.driving_and_electrical_are_sir
    if determinant is _D.LEAD_BELOW_THRESHOLD:
        return not day.lead_threshold_applies
    if determinant is _D.UNDER_18_REGULATED_WORK:
        return day.minor
    return True


def _reason(determinant: FollowUpDeterminant) -> Reason:
    spec = _SPECS[determinant]
    return Reason(spec.category, determinant, spec.label, spec.article)


def assess_follow_up(
    determinants: Iterable[FollowUpDeterminant],
    birth_date: date,
    on: date,
    rules: FollowUpRules = CURRENT_RULES,
) -> FollowUpAssessment:
    """Follow-up of a worker on `on`, from the determinants in effect on that date (the caller
    filters them by their effective periods) and the birth date.

    Precedence SIR > SIA > SI (R4624-24); SI is the default. Under 18: SIR on regulated work
    (R4624-23 II, R4153-40), SIA otherwise (R4624-18); from 18, regulated work has no effect.
    """
    day = _DayRules(
        minor=age_on(birth_date, on) < ADULT_AGE,
        driving_and_electrical_are_sir=rules.driving_and_electrical_are_sir(on),
        lead_threshold_applies=rules.lead_threshold_applies(on),
    )
    return _assessment(frozenset(determinants), day)


class _DayRules(NamedTuple):
    """All that the date and the birth date change in an assessment."""

    minor: bool
    driving_and_electrical_are_sir: bool
    lead_threshold_applies: bool


@lru_cache(maxsize=4096)
def _assessment(declared: frozenset[FollowUpDeterminant], day: _DayRules) -> FollowUpAssessment:
    """The assessment (immutable) of the determinants declared under the rules of a day: the
    same few combinations come back for every worker and day, so they are remembered."""
    effective = sorted(
        (d for d in declared if _takes_effect(d, day)),
        key=_ORDER.__getitem__,
    )
    reasons = [_reason(d) for d in effective]
    if day.minor and _D.UNDER_18_REGULATED_WORK not in effective:
        reasons.append(_MINOR_REASON)
    reasons.sort(key=lambda reason: -reason.category.rank)
    return FollowUpAssessment(
        category=reasons[0].category if reasons else FollowUp.SI,
        visit_before_assignment=day.minor
        or any(_SPECS[d].visit_before_assignment for d in effective),
        reasons=tuple(reasons),
        needs_fitness_attestation=bool(declared & _LEAVE_SIR_ON_SWITCH)
        and not day.driving_and_electrical_are_sir,
        yearly_aptitude=any(d in _YEARLY_APTITUDE for d in effective),
    )

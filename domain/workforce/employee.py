"""The Employee aggregate (salarié): one person working for a member, across contracts."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.personal_data import DataCategory, PersonalData
from domain.plausible_dates import check_end, check_start
from domain.retention import CMR_RETENTION_REASON
from domain.workforce import contracts, health_records
from domain.workforce.employment import (
    Contract,
    ContractTerms,
    ExitReason,
    Identity,
    TermsAmendment,
)
from domain.workforce.follow_up import (
    CURRENT_RULES,
    FollowUpAssessment,
    FollowUpDeterminant,
    FollowUpRules,
    assess_follow_up,
)
from domain.workforce.health import (
    CmrAgent,
    DeterminantPeriod,
    Exposure,
    ExposureDegree,
    ExposureRoute,
    clean_note,
)
from domain.workforce.plausible_dates import check_birth_date
from domain.workforce.retention import retention_ends_on

UNKNOWN_BIRTH_DATE = date(1, 1, 1)
MAX_HIRES_AT_ONCE = 1000
"""A bulk hire is one transaction: an import larger than this is sent in several parts."""


class Employee(RegistreAggregate):
    """Salarié d'un adhérent. A rehire opens a new contract on the same aggregate."""

    personal_data: ClassVar[PersonalData] = {
        "identity": DataCategory.IDENTITY,
        "determinant": DataCategory.HEALTH,
        "determinants": DataCategory.HEALTH,
        "exposure": DataCategory.HEALTH,
        "exposures": DataCategory.HEALTH,
        "error_note": DataCategory.HEALTH,
    }

    member_id: UUID
    identity: Identity | None
    identity_erased: bool
    contracts: tuple[Contract, ...]
    determinants: tuple[DeterminantPeriod, ...] | None
    exposures: tuple[Exposure, ...] | None
    determinants_declared: int
    exposures_recorded: int
    retention_ended: bool = False  # the snapshots made before retention ended existed lack it

    @classmethod
    def hire(
        cls,
        *,
        member_id: UUID,
        identity: Identity,
        hire_date: date,
        terms: ContractTerms,
        actor: Actor,
    ) -> "Employee":
        identity = identity.validated()
        check_start(hire_date, "hire_date")
        check_birth_date(identity.birth_date, (hire_date,))
        contract = contracts.new_contract(1, hire_date, terms)
        return cls(member_id=member_id, identity=identity, contract=contract, actor=actor)

    @event("Hired")
    def __init__(
        self, member_id: UUID, identity: Identity | None, contract: Contract, actor: Actor
    ) -> None:
        self.member_id = member_id
        self.identity = identity
        self.identity_erased = False
        self.contracts = (contract,)
        self.determinants = ()
        self.exposures = ()
        self.determinants_declared = 0
        self.exposures_recorded = 0

    @property
    def owning_member(self) -> UUID:
        return self.member_id

    # Identity -------------------------------------------------------------------------------

    def correct_identity(self, identity: Identity, actor: Actor) -> None:
        self._check_identity_kept()
        identity = identity.validated()
        check_birth_date(identity.birth_date, tuple(c.hire_date for c in self.contracts))
        if identity == self.identity:
            return
        self._identity_corrected(identity=identity, actor=actor)

    @event("IdentityCorrected")
    def _identity_corrected(self, identity: Identity | None, actor: Actor) -> None:
        self.identity = identity

    def record_identity_erasure(self, actor: Actor) -> None:
        if self.identity_erased:
            raise RuleViolation(
                "L'identité de ce salarié est déjà effacée.", code="IDENTITY_ALREADY_ERASED"
            )
        self._identity_erased(actor=actor)

    def _check_identity_kept(self) -> None:
        if self.identity is None:
            raise RuleViolation(
                "L'identité de ce salarié a été effacée : elle ne peut plus être modifiée.",
                code="IDENTITY_ERASED",
            )

    @event("IdentityErased")
    def _identity_erased(self, actor: Actor) -> None:
        self.identity = None
        self.identity_erased = True

    def end_retention(self, today: date, actor: Actor) -> None:
        """The 40 years are over (`retention_ends_on`): identity and health go, keys and all."""
        ends_on = retention_ends_on(self)
        if self.retention_ended or ends_on is None or today < ends_on:
            raise RuleViolation(
                "La durée de conservation des données de ce salarié n'est pas écoulée.",
                code="RETENTION_NOT_ENDED",
            )
        self._retention_ended(reason=CMR_RETENTION_REASON, actor=actor)

    @event("RetentionEnded")
    def _retention_ended(self, reason: str, actor: Actor) -> None:
        self.identity = self.determinants = self.exposures = None  # as they read once keyless
        self.identity_erased = self.retention_ended = True

    # Contracts ------------------------------------------------------------------------------

    @property
    def contract(self) -> Contract:
        """The latest contract."""
        return self.contracts[-1]

    def contract_on(self, day: date) -> Contract | None:
        active = [c for c in self.contracts if c.is_active_on(day)]
        return active[-1] if active else None

    def is_active_on(self, day: date) -> bool:
        return self.contract_on(day) is not None

    def amend_contract(
        self, terms: ContractTerms | TermsAmendment, effective_on: date, actor: Actor
    ) -> None:
        """New terms from `effective_on`: all of them, or those an amendment gives (the others
        stay as they were in force on that day)."""
        contract = contracts.open_contract(self.contracts)
        terms = contracts.amended_terms(contract, terms, effective_on)
        self._contract_amended(
            contract_number=contract.number, terms=terms, effective_on=effective_on, actor=actor
        )

    @event("ContractAmended")
    def _contract_amended(
        self, contract_number: int, terms: ContractTerms, effective_on: date, actor: Actor
    ) -> None:
        self._replace_contract(contract_number, lambda c: c.amended(effective_on, terms))

    def correct_contract(self, hire_date: date, terms: ContractTerms, actor: Actor) -> None:
        contracts.check_corrected_hire(self.contracts, hire_date)
        if self.identity is not None:
            hire_dates = tuple(c.hire_date for c in self.contracts[:-1])
            check_birth_date(self.identity.birth_date, (*hire_dates, hire_date))
        terms = terms.validated(hire_date)
        self._contract_corrected(
            contract_number=self.contract.number, hire_date=hire_date, terms=terms, actor=actor
        )

    @event("ContractCorrected")
    def _contract_corrected(
        self, contract_number: int, hire_date: date, terms: ContractTerms, actor: Actor
    ) -> None:
        self._replace_contract(contract_number, lambda c: c.corrected(hire_date, terms))

    def close_contract(self, last_day: date, reason: ExitReason, actor: Actor) -> None:
        contract = contracts.open_contract(self.contracts)
        contracts.check_exit(contract, last_day)
        self._contract_closed(
            contract_number=contract.number, last_day=last_day, reason=reason, actor=actor
        )

    @event("ContractClosed")
    def _contract_closed(
        self, contract_number: int, last_day: date, reason: ExitReason, actor: Actor
    ) -> None:
        self._replace_contract(contract_number, lambda c: c.closed(last_day, reason))

    def rehire(self, hire_date: date, terms: ContractTerms, actor: Actor) -> None:
        contracts.check_rehire(self.contracts, hire_date)
        if self.identity is not None:
            check_birth_date(self.identity.birth_date, (hire_date,))
        contract = contracts.new_contract(self.contract.number + 1, hire_date, terms)
        self._rehired(contract=contract, actor=actor)

    @event("Rehired")
    def _rehired(self, contract: Contract, actor: Actor) -> None:
        self.contracts = (*self.contracts, contract)

    def _replace_contract(self, number: int, change: Callable[[Contract], Contract]) -> None:
        self.contracts = contracts.with_contract(
            self.contracts, change(contracts.contract_of(self.contracts, number))
        )

    # Follow-up determinants -----------------------------------------------------------------

    def declare_determinant(
        self,
        determinant: FollowUpDeterminant,
        started_on: date,
        actor: Actor,
        note: str | None = None,
        situation: str | None = None,
    ) -> int:
        """`situation`: the label of a situation reported to the service (`REPORTED_SITUATION`)."""
        contracts.check_not_before_hire(self.contracts, started_on)
        period = DeterminantPeriod(
            self.determinants_declared + 1, determinant, started_on, note=note, situation=situation
        ).validated()
        health_records.check_new_determinant(self.determinants, period)
        self._determinant_declared(determinant=period, actor=actor)
        return period.determinant_id

    @event("FollowUpDeterminantDeclared")
    def _determinant_declared(self, determinant: DeterminantPeriod | None, actor: Actor) -> None:
        self.determinants_declared += 1
        self.determinants = health_records.appended(self.determinants, determinant)

    def withdraw_determinant(self, determinant_id: int, last_day: date, actor: Actor) -> None:
        """The situation ended: `last_day` is its last day (a change, not a correction)."""
        check_end(last_day, "last_day")
        health_records.check_withdrawable(self.determinants, determinant_id, last_day)
        self._determinant_withdrawn(determinant_id=determinant_id, last_day=last_day, actor=actor)

    @event("FollowUpDeterminantWithdrawn")
    def _determinant_withdrawn(self, determinant_id: int, last_day: date, actor: Actor) -> None:
        self.determinants = health_records.with_determinant(
            self.determinants, determinant_id, ended_on=last_day
        )

    def retract_determinant(self, determinant_id: int, error_note: str, actor: Actor) -> None:
        """The determinant was declared in error: it never applied (it stays in the history)."""
        health_records.determinant_of(self.determinants, determinant_id)
        self._determinant_retracted(
            determinant_id=determinant_id,
            error_note=clean_note(error_note, "error_note", "La note d'erreur"),
            actor=actor,
        )

    @event("FollowUpDeterminantRetracted")
    def _determinant_retracted(
        self, determinant_id: int, error_note: str | None, actor: Actor
    ) -> None:
        self.determinants = health_records.with_determinant(
            self.determinants, determinant_id, retracted=True
        )

    def determinants_on(self, day: date) -> frozenset[FollowUpDeterminant]:
        return health_records.determinants_on(self.determinants, self.exposures, day)

    def follow_up_on(self, day: date, rules: FollowUpRules = CURRENT_RULES) -> FollowUpAssessment:
        birth_date = self.identity.birth_date if self.identity else UNKNOWN_BIRTH_DATE
        return assess_follow_up(self.determinants_on(day), birth_date, day, rules)

    def follow_ups_on(
        self, days: Sequence[date], rules: FollowUpRules = CURRENT_RULES
    ) -> list[tuple[frozenset[FollowUpDeterminant], FollowUpAssessment]]:
        """For each of `days` (in increasing order): `determinants_on` and `follow_up_on` that
        day, the determinants' periods swept once for all the days (a long history)."""
        birth_date = self.identity.birth_date if self.identity else UNKNOWN_BIRTH_DATE
        over = health_records.determinants_over(self.determinants, self.exposures, days)
        return [
            (determinants, assess_follow_up(determinants, birth_date, day, rules))
            for day, determinants in zip(days, over, strict=True)
        ]

    # CMR exposures --------------------------------------------------------------------------

    def record_exposure(
        self,
        agent: CmrAgent,
        started_on: date,
        actor: Actor,
        *,
        ended_on: date | None = None,
        routes: Iterable[ExposureRoute] = (),
        hours_per_week: Decimal | None = None,
        degree: ExposureDegree | None = None,
        comment: str | None = None,
    ) -> int:
        contracts.check_not_before_hire(self.contracts, started_on)
        exposure = Exposure(
            exposure_id=self.exposures_recorded + 1,
            agent=agent,
            started_on=started_on,
            ended_on=ended_on,
            routes=tuple(routes),
            hours_per_week=hours_per_week,
            degree=degree,
            comment=comment,
        ).validated()
        check_end(ended_on, "ended_on")
        self._exposure_recorded(exposure=exposure, actor=actor)
        return exposure.exposure_id

    @event("CmrExposureRecorded")
    def _exposure_recorded(self, exposure: Exposure | None, actor: Actor) -> None:
        self.exposures_recorded += 1
        self.exposures = health_records.appended(self.exposures, exposure)

    def end_exposure(self, exposure_id: int, last_day: date, actor: Actor) -> None:
        """The exposure ended: `last_day` is its last day (a change, not a correction)."""
        check_end(last_day, "last_day")
        health_records.exposure_of(self.exposures, exposure_id).ended(last_day)
        self._exposure_ended(exposure_id=exposure_id, last_day=last_day, actor=actor)

    @event("CmrExposureEnded")
    def _exposure_ended(self, exposure_id: int, last_day: date, actor: Actor) -> None:
        self.exposures = health_records.with_exposure(
            self.exposures, exposure_id, ended_on=last_day
        )

    def withdraw_exposure(self, exposure_id: int, error_note: str, actor: Actor) -> None:
        """The exposure was recorded in error (the décret's wording: « retirée »): it leaves
        later knowledge but stays in the history."""
        health_records.exposure_of(self.exposures, exposure_id)
        self._exposure_withdrawn(
            exposure_id=exposure_id,
            error_note=clean_note(error_note, "error_note", "La note d'erreur"),
            actor=actor,
        )

    @event("CmrExposureWithdrawn")
    def _exposure_withdrawn(self, exposure_id: int, error_note: str | None, actor: Actor) -> None:
        self.exposures = health_records.with_exposure(self.exposures, exposure_id, withdrawn=True)

    def exposures_on(self, day: date) -> tuple[Exposure, ...]:
        return health_records.exposures_on(self.exposures, day)


def check_bulk_hire_size(count: int) -> None:
    """A bulk hire holds at least one employee, and at most `MAX_HIRES_AT_ONCE`."""
    if not 1 <= count <= MAX_HIRES_AT_ONCE:
        raise InvalidValue(
            f"Une embauche groupée compte de 1 à {MAX_HIRES_AT_ONCE} salariés ({count} reçus) :"
            " envoyez un fichier plus grand en plusieurs fois.",
            code="INVALID_HIRE_COUNT",
            field="hires",
        )

"""Unit tests of the Employee aggregate (salarié), without storage."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from stdnum.fr import nir

from domain.actor import Actor
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.identifiers import CasNumber, Nir, PcsCode
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, ExposureDegree, ExposureRoute

HIRED_ON = date(2024, 1, 15)
ACTOR = Actor("user-1")
MEMBER_ID = UUID("0b7c1d3e-8a49-4f0e-9d8c-7a6b5c4d3e2f")
NIR_BODY = "2900575056123"  # F, born May 1990


def a_nir(body: str = NIR_BODY) -> Nir:
    return Nir(body + nir.calc_check_digits(body))


def an_identity(**changes: object) -> Identity:
    identity = Identity(
        birth_name="Dupont",
        first_name="Marie",
        birth_date=date(1990, 5, 12),
        sex=Sex.F,
        nir=a_nir(),
    )
    return replace(identity, **changes)


def cdi(job_title: str = "Soudeuse", **changes: object) -> ContractTerms:
    terms = ContractTerms(job_title, ContractType.CDI, pcs_code=PcsCode("624d"))
    return replace(terms, **changes)


def cdd(planned_end: date, job_title: str = "Soudeuse") -> ContractTerms:
    return ContractTerms(job_title, ContractType.CDD, planned_end=planned_end)


def an_employee(
    *,
    identity: Identity | None = None,
    hire_date: date = HIRED_ON,
    terms: ContractTerms | None = None,
    actor: Actor = ACTOR,
) -> Employee:
    return Employee.hire(
        member_id=MEMBER_ID,
        identity=identity or an_identity(),
        hire_date=hire_date,
        terms=terms or cdi(),
        actor=actor,
    )


def benzene() -> CmrAgent:
    return CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))


def wood_dust() -> CmrAgent:
    return CmrAgent(AgentKind.PROCESS, "Poussières de bois inhalables")


def event_names(employee: Employee) -> list[str]:
    return [type(e).__name__ for e in employee.collect_events()]


# Hiring -------------------------------------------------------------------------------------


def test_hire_records_one_hired_event_with_the_first_contract() -> None:
    employee = an_employee()

    assert event_names(employee) == ["Hired"]
    assert employee.member_id == MEMBER_ID
    assert employee.version == 1
    assert len(employee.contracts) == 1
    assert employee.contract.number == 1
    assert employee.contract.hire_date == HIRED_ON
    assert employee.contract.terms == cdi()


def test_hire_normalises_the_names() -> None:
    employee = an_employee(
        identity=an_identity(birth_name="  du   pont ", first_name=" Marie  Anne ", usage_name=" ")
    )

    assert employee.identity is not None
    assert employee.identity.birth_name == "DU PONT"
    assert employee.identity.first_name == "Marie Anne"
    assert employee.identity.usage_name is None


@pytest.mark.parametrize(
    ("identity", "code", "field"),
    [
        pytest.param(an_identity(sex=Sex.M), "NIR_MISMATCH", "nir", id="sex"),
        pytest.param(an_identity(birth_date=date(1991, 5, 12)), "NIR_MISMATCH", "nir", id="year"),
        pytest.param(an_identity(birth_date=date(1990, 6, 12)), "NIR_MISMATCH", "nir", id="month"),
        pytest.param(an_identity(birth_name="   "), "INVALID_NAME", "birth_name", id="blank"),
        pytest.param(an_identity(first_name=""), "INVALID_NAME", "first_name", id="no-first"),
        pytest.param(an_identity(birth_name="X" * 81), "INVALID_NAME", "birth_name", id="long"),
        pytest.param(an_identity(usage_name="Y" * 81), "INVALID_NAME", "usage_name", id="usage"),
    ],
)
def test_hire_refuses_an_invalid_identity(identity: Identity, code: str, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        an_employee(identity=identity)

    assert refused.value.code == code
    assert refused.value.field == field


def test_hire_accepts_a_nir_with_an_unknown_birth_month() -> None:
    identity = an_identity(nir=a_nir("2902075056123"), birth_date=date(1990, 11, 3))

    assert an_employee(identity=identity).identity == identity.validated()


def test_hire_accepts_no_nir() -> None:
    employee = an_employee(identity=an_identity(nir=None, sex=Sex.M))

    assert employee.identity is not None
    assert employee.identity.nir is None


@pytest.mark.parametrize(
    "birth_date",
    [HIRED_ON - timedelta(days=365 * 13), HIRED_ON, HIRED_ON + timedelta(days=1)],
    ids=["13-years-old", "born-on-hire-date", "born-after-hire"],
)
def test_hire_refuses_an_implausible_birth_date(birth_date: date) -> None:
    identity = an_identity(nir=None, birth_date=birth_date)

    with pytest.raises(RuleViolation) as refused:
        an_employee(identity=identity)

    assert refused.value.code == "IMPLAUSIBLE_BIRTH_DATE"
    assert refused.value.field == "birth_date"


@pytest.mark.parametrize(
    ("terms", "code", "field"),
    [
        pytest.param(
            ContractTerms("Vendeur", ContractType.CDD), "MISSING_CONTRACT_END", "planned_end"
        ),
        pytest.param(cdi(job_title="  "), "INVALID_NAME", "job_title", id="blank-job"),
        pytest.param(
            cdi(planned_end=HIRED_ON - timedelta(days=1)),
            "INVALID_CONTRACT_END",
            "planned_end",
            id="end-before-hire",
        ),
        pytest.param(
            cdi(trial_end=HIRED_ON - timedelta(days=1)),
            "INVALID_TRIAL_END",
            "trial_end",
            id="trial-before-hire",
        ),
    ],
)
def test_hire_refuses_invalid_contract_terms(terms: ContractTerms, code: str, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        an_employee(terms=terms)

    assert refused.value.code == code
    assert refused.value.field == field


# Status on a date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (HIRED_ON - timedelta(days=1), False),
        (HIRED_ON, True),
        (date(2030, 1, 1), True),
    ],
)
def test_an_open_ended_contract_is_active_from_the_hire_date(day: date, active: bool) -> None:
    assert an_employee().is_active_on(day) is active


@pytest.mark.parametrize(
    ("day", "active"),
    [(date(2024, 6, 30), True), (date(2024, 7, 1), False), (date(2025, 1, 1), False)],
)
def test_a_fixed_term_contract_ends_on_its_planned_end_without_any_event(
    day: date, active: bool
) -> None:
    employee = an_employee(terms=cdd(planned_end=date(2024, 6, 30)))

    assert employee.is_active_on(day) is active
    assert event_names(employee) == ["Hired"]


def test_a_closed_contract_is_inactive_from_the_day_after_its_last_day() -> None:
    employee = an_employee()

    employee.close_contract(date(2024, 3, 31), ExitReason.RESIGNATION, ACTOR)

    assert employee.is_active_on(date(2024, 3, 31))
    assert not employee.is_active_on(date(2024, 4, 1))
    assert employee.contract.closed_on == date(2024, 3, 31)
    assert employee.contract.exit_reason is ExitReason.RESIGNATION
    assert event_names(employee) == ["Hired", "ContractClosed"]


def test_a_contract_closed_before_its_planned_end_stops_on_the_closing_date() -> None:
    employee = an_employee(terms=cdd(planned_end=date(2024, 12, 31)))

    employee.close_contract(date(2024, 5, 31), ExitReason.END_OF_TRIAL_PERIOD, ACTOR)

    assert employee.is_active_on(date(2024, 5, 31))
    assert not employee.is_active_on(date(2024, 6, 1))


# Amending and correcting a contract -------------------------------------------------------------


def test_an_amendment_keeps_the_earlier_terms_for_earlier_dates() -> None:
    employee = an_employee()
    promoted = cdi(job_title="Chef d'équipe soudure")

    employee.amend_contract(promoted, date(2024, 6, 1), ACTOR)

    assert event_names(employee) == ["Hired", "ContractAmended"]
    contract = employee.contract
    assert contract.terms_on(date(2024, 5, 31)).job_title == "Soudeuse"
    assert contract.terms_on(date(2024, 6, 1)).job_title == "Chef d'équipe soudure"
    assert contract.terms == promoted
    assert contract.hire_date == HIRED_ON


def test_an_amendment_replaces_the_terms_it_overrides_from_its_date() -> None:
    employee = an_employee()
    employee.amend_contract(cdi(job_title="Chef d'équipe"), date(2024, 9, 1), ACTOR)

    employee.amend_contract(cdi(job_title="Contremaître"), date(2024, 6, 1), ACTOR)

    contract = employee.contract
    assert [p.effective_on for p in contract.terms_history] == [HIRED_ON, date(2024, 6, 1)]
    assert contract.terms_on(date(2024, 10, 1)).job_title == "Contremaître"


def test_an_amendment_extending_a_fixed_term_contract_keeps_the_employee_active() -> None:
    employee = an_employee(terms=cdd(planned_end=date(2024, 6, 30)))

    employee.amend_contract(cdd(planned_end=date(2024, 12, 31)), date(2024, 6, 1), ACTOR)

    assert employee.is_active_on(date(2024, 7, 1))
    assert not employee.is_active_on(date(2025, 1, 1))


def test_an_amendment_cannot_take_effect_before_the_hire_date() -> None:
    employee = an_employee()

    with pytest.raises(RuleViolation) as refused:
        employee.amend_contract(cdi(), HIRED_ON - timedelta(days=1), ACTOR)

    assert refused.value.code == "EFFECTIVE_BEFORE_HIRE"


def test_a_correction_rewrites_the_contract_from_its_start() -> None:
    employee = an_employee()
    fixed = cdi(job_title="Soudeuse TIG")

    employee.correct_contract(date(2024, 1, 8), fixed, ACTOR)

    assert event_names(employee) == ["Hired", "ContractCorrected"]
    contract = employee.contract
    assert contract.hire_date == date(2024, 1, 8)
    assert [p.effective_on for p in contract.terms_history] == [date(2024, 1, 8)]
    assert contract.terms_on(date(2024, 1, 8)) == fixed
    assert employee.is_active_on(date(2024, 1, 8))


def test_a_correction_keeps_later_amendments() -> None:
    employee = an_employee()
    promoted = cdi(job_title="Chef d'équipe")
    employee.amend_contract(promoted, date(2024, 6, 1), ACTOR)

    employee.correct_contract(HIRED_ON, cdi(job_title="Soudeuse TIG"), ACTOR)

    contract = employee.contract
    assert contract.terms_on(HIRED_ON).job_title == "Soudeuse TIG"
    assert contract.terms_on(date(2024, 6, 1)) == promoted


def test_a_correction_cannot_move_the_hire_date_after_the_exit() -> None:
    employee = an_employee()
    employee.close_contract(date(2024, 3, 31), ExitReason.DISMISSAL, ACTOR)

    with pytest.raises(RuleViolation) as refused:
        employee.correct_contract(date(2024, 4, 1), cdi(), ACTOR)

    assert refused.value.code == "HIRE_AFTER_EXIT"


# Closing and rehiring --------------------------------------------------------------------------


def test_a_contract_cannot_be_closed_twice() -> None:
    employee = an_employee()
    employee.close_contract(date(2024, 3, 31), ExitReason.RESIGNATION, ACTOR)

    with pytest.raises(RuleViolation) as refused:
        employee.close_contract(date(2024, 4, 30), ExitReason.DISMISSAL, ACTOR)

    assert refused.value.code == "CONTRACT_ALREADY_CLOSED"
    assert employee.contract.closed_on == date(2024, 3, 31)


def test_a_closed_contract_cannot_be_amended() -> None:
    employee = an_employee()
    employee.close_contract(date(2024, 3, 31), ExitReason.RESIGNATION, ACTOR)

    with pytest.raises(RuleViolation) as refused:
        employee.amend_contract(cdi(), date(2024, 3, 1), ACTOR)

    assert refused.value.code == "CONTRACT_ALREADY_CLOSED"


def test_a_contract_cannot_close_before_the_hire_date() -> None:
    with pytest.raises(RuleViolation) as refused:
        an_employee().close_contract(HIRED_ON - timedelta(days=1), ExitReason.OTHER, ACTOR)

    assert refused.value.code == "EXIT_BEFORE_HIRE"


@pytest.mark.parametrize(
    ("terms", "closed_on", "rehired_on"),
    [
        pytest.param(cdi(), None, date(2024, 9, 1), id="open-ended"),
        pytest.param(cdi(), date(2024, 8, 31), date(2024, 8, 31), id="on-last-day"),
        pytest.param(cdd(date(2024, 6, 30)), None, date(2024, 6, 30), id="before-planned-end"),
    ],
)
def test_rehire_is_refused_while_the_previous_contract_runs(
    terms: ContractTerms, closed_on: date | None, rehired_on: date
) -> None:
    employee = an_employee(terms=terms)
    if closed_on is not None:
        employee.close_contract(closed_on, ExitReason.RESIGNATION, ACTOR)

    with pytest.raises(RuleViolation) as refused:
        employee.rehire(rehired_on, cdi(), ACTOR)

    assert refused.value.code == "CONTRACT_STILL_OPEN"
    assert len(employee.contracts) == 1


def test_rehire_after_a_closed_contract_opens_contract_number_2() -> None:
    employee = an_employee()
    employee.close_contract(date(2024, 3, 31), ExitReason.RESIGNATION, ACTOR)

    employee.rehire(date(2024, 9, 1), cdi(job_title="Magasinière"), ACTOR)

    assert event_names(employee) == ["Hired", "ContractClosed", "Rehired"]
    assert [c.number for c in employee.contracts] == [1, 2]
    assert employee.contract.hire_date == date(2024, 9, 1)
    assert employee.contract_on(date(2024, 3, 1)) == employee.contracts[0]
    assert employee.contract_on(date(2024, 6, 1)) is None
    assert employee.contract_on(date(2024, 9, 1)) == employee.contracts[1]


def test_rehire_the_day_after_a_fixed_term_contract_ended_needs_no_closing() -> None:
    employee = an_employee(terms=cdd(date(2024, 6, 30)))

    employee.rehire(date(2024, 7, 1), cdi(), ACTOR)

    assert employee.contract.number == 2
    assert employee.contracts[0].closed_on is None
    assert employee.is_active_on(date(2024, 7, 1))


def test_a_correction_of_the_second_contract_cannot_overlap_the_first() -> None:
    employee = an_employee()
    employee.close_contract(date(2024, 3, 31), ExitReason.RESIGNATION, ACTOR)
    employee.rehire(date(2024, 9, 1), cdi(), ACTOR)

    with pytest.raises(RuleViolation) as refused:
        employee.correct_contract(date(2024, 3, 31), cdi(), ACTOR)

    assert refused.value.code == "CONTRACTS_OVERLAP"


# Follow-up determinants ----------------------------------------------------------------------


def test_the_follow_up_is_si_without_determinants() -> None:
    assert an_employee().follow_up_on(date(2024, 6, 1)).category is FollowUp.SI


def test_a_declared_determinant_sets_the_follow_up_from_its_start() -> None:
    employee = an_employee()

    determinant_id = employee.declare_determinant(
        FollowUpDeterminant.NIGHT_WORK, date(2024, 2, 1), ACTOR
    )

    assert determinant_id == 1
    assert event_names(employee) == ["Hired", "FollowUpDeterminantDeclared"]
    assert employee.follow_up_on(date(2024, 1, 31)).category is FollowUp.SI
    assert employee.follow_up_on(date(2024, 2, 1)).category is FollowUp.SIA


def test_sir_prevails_over_sia() -> None:
    employee = an_employee()
    employee.declare_determinant(FollowUpDeterminant.NIGHT_WORK, date(2024, 2, 1), ACTOR)
    employee.declare_determinant(FollowUpDeterminant.ASBESTOS, date(2024, 3, 1), ACTOR)

    assert employee.follow_up_on(date(2024, 2, 15)).category is FollowUp.SIA
    assert employee.follow_up_on(date(2024, 3, 1)).category is FollowUp.SIR


def test_an_overlapping_duplicate_determinant_is_refused() -> None:
    employee = an_employee()
    employee.declare_determinant(FollowUpDeterminant.NIGHT_WORK, date(2024, 2, 1), ACTOR)

    with pytest.raises(RuleViolation) as refused:
        employee.declare_determinant(FollowUpDeterminant.NIGHT_WORK, date(2024, 5, 1), ACTOR)

    assert refused.value.code == "DETERMINANT_ALREADY_DECLARED"
    assert len(employee.determinants or ()) == 1


def test_a_withdrawn_determinant_applies_up_to_its_last_day() -> None:
    employee = an_employee()
    determinant_id = employee.declare_determinant(
        FollowUpDeterminant.NIGHT_WORK, date(2024, 2, 1), ACTOR
    )

    employee.withdraw_determinant(determinant_id, date(2024, 4, 30), ACTOR)

    assert event_names(employee)[-1] == "FollowUpDeterminantWithdrawn"
    assert employee.follow_up_on(date(2024, 4, 30)).category is FollowUp.SIA
    assert employee.follow_up_on(date(2024, 5, 1)).category is FollowUp.SI


def test_the_same_determinant_may_be_declared_again_after_its_end() -> None:
    employee = an_employee()
    first = employee.declare_determinant(FollowUpDeterminant.NIGHT_WORK, date(2024, 2, 1), ACTOR)
    employee.withdraw_determinant(first, date(2024, 4, 30), ACTOR)

    second = employee.declare_determinant(FollowUpDeterminant.NIGHT_WORK, date(2024, 9, 1), ACTOR)

    assert second == 2
    assert employee.follow_up_on(date(2024, 6, 1)).category is FollowUp.SI
    assert employee.follow_up_on(date(2024, 9, 1)).category is FollowUp.SIA


def test_a_determinant_cannot_be_withdrawn_twice_nor_before_its_start() -> None:
    employee = an_employee()
    determinant_id = employee.declare_determinant(
        FollowUpDeterminant.NIGHT_WORK, date(2024, 2, 1), ACTOR
    )

    with pytest.raises(InvalidValue) as before_start:
        employee.withdraw_determinant(determinant_id, date(2024, 1, 31), ACTOR)
    employee.withdraw_determinant(determinant_id, date(2024, 4, 30), ACTOR)
    with pytest.raises(RuleViolation) as twice:
        employee.withdraw_determinant(determinant_id, date(2024, 5, 31), ACTOR)

    assert before_start.value.code == "INVALID_PERIOD"
    assert twice.value.code == "DETERMINANT_ALREADY_ENDED"


def test_a_determinant_retracted_in_error_never_applied() -> None:
    employee = an_employee()
    determinant_id = employee.declare_determinant(
        FollowUpDeterminant.ASBESTOS, date(2024, 2, 1), ACTOR
    )

    employee.retract_determinant(determinant_id, "Saisi sur le mauvais salarié", ACTOR)

    assert event_names(employee)[-1] == "FollowUpDeterminantRetracted"
    assert employee.follow_up_on(date(2024, 3, 1)).category is FollowUp.SI
    assert employee.determinants_on(date(2024, 3, 1)) == frozenset()
    assert employee.determinants is not None
    assert employee.determinants[0].retracted is True


def test_a_retracted_determinant_can_no_longer_be_withdrawn_nor_retracted() -> None:
    employee = an_employee()
    determinant_id = employee.declare_determinant(
        FollowUpDeterminant.ASBESTOS, date(2024, 2, 1), ACTOR
    )
    employee.retract_determinant(determinant_id, "Erreur de saisie", ACTOR)

    with pytest.raises(NotFound) as withdrawn:
        employee.withdraw_determinant(determinant_id, date(2024, 3, 1), ACTOR)
    with pytest.raises(NotFound) as retracted:
        employee.retract_determinant(determinant_id, "Encore", ACTOR)

    assert withdrawn.value.code == retracted.value.code == "DETERMINANT_NOT_FOUND"


def test_a_retracted_determinant_does_not_block_a_new_declaration() -> None:
    employee = an_employee()
    wrong = employee.declare_determinant(FollowUpDeterminant.ASBESTOS, date(2024, 2, 1), ACTOR)
    employee.retract_determinant(wrong, "Mauvaise date de début", ACTOR)

    right = employee.declare_determinant(FollowUpDeterminant.ASBESTOS, date(2024, 3, 1), ACTOR)

    assert right == 2
    assert employee.follow_up_on(date(2024, 2, 15)).category is FollowUp.SI
    assert employee.follow_up_on(date(2024, 3, 1)).category is FollowUp.SIR


@pytest.mark.parametrize("note", [None, "", "   "])
def test_an_employer_declared_risk_needs_a_written_reason(note: str | None) -> None:
    employee = an_employee()

    with pytest.raises(InvalidValue) as refused:
        employee.declare_determinant(
            FollowUpDeterminant.EMPLOYER_DECLARED_RISK, date(2024, 2, 1), ACTOR, note
        )

    assert refused.value.code == "REASON_REQUIRED"
    assert refused.value.field == "note"


def test_an_employer_declared_risk_with_a_reason_is_sir() -> None:
    employee = an_employee()

    employee.declare_determinant(
        FollowUpDeterminant.EMPLOYER_DECLARED_RISK,
        date(2024, 2, 1),
        ACTOR,
        "  Travail isolé en chambre froide  ",
    )

    assert employee.follow_up_on(date(2024, 2, 1)).category is FollowUp.SIR
    assert employee.determinants is not None
    assert employee.determinants[0].note == "Travail isolé en chambre froide"


def test_an_unknown_determinant_cannot_be_withdrawn() -> None:
    with pytest.raises(NotFound) as refused:
        an_employee().withdraw_determinant(7, date(2024, 3, 1), ACTOR)

    assert refused.value.code == "DETERMINANT_NOT_FOUND"


# CMR exposures --------------------------------------------------------------------------------


def test_an_exposure_to_a_substance_is_recorded_with_its_details() -> None:
    employee = an_employee()

    exposure_id = employee.record_exposure(
        benzene(),
        date(2024, 2, 1),
        ACTOR,
        routes=[ExposureRoute.INHALATION, ExposureRoute.SKIN, ExposureRoute.INHALATION],
        hours_per_week=Decimal("4.5"),
        degree=ExposureDegree.MODERATE,
        comment="  Nettoyage des cuves  ",
    )

    assert exposure_id == 1
    assert event_names(employee) == ["Hired", "CmrExposureRecorded"]
    (exposure,) = employee.exposures_on(date(2024, 2, 1))
    assert exposure.agent.cas_number == "71-43-2"
    assert exposure.routes == (ExposureRoute.INHALATION, ExposureRoute.SKIN)
    assert exposure.hours_per_week == Decimal("4.5")
    assert exposure.comment == "Nettoyage des cuves"
    assert employee.exposures_on(date(2024, 1, 31)) == ()


@pytest.mark.parametrize(
    ("agent", "code"),
    [
        pytest.param(CmrAgent(AgentKind.SUBSTANCE, "Benzène"), "CAS_NUMBER_REQUIRED", id="no-cas"),
        pytest.param(
            CmrAgent(AgentKind.PROCESS, "Poussières de bois", CasNumber("71-43-2")),
            "INVALID_AGENT",
            id="process-with-cas",
        ),
        pytest.param(
            CmrAgent(AgentKind.PROCESS, "   "), "INVALID_AGENT", id="process-without-name"
        ),
    ],
)
def test_an_exposure_to_an_invalid_agent_is_refused(agent: CmrAgent, code: str) -> None:
    employee = an_employee()

    with pytest.raises(InvalidValue) as refused:
        employee.record_exposure(agent, date(2024, 2, 1), ACTOR)

    assert refused.value.code == code
    assert employee.exposures == ()


@pytest.mark.parametrize(
    ("details", "code"),
    [
        ({"ended_on": date(2024, 1, 31)}, "INVALID_PERIOD"),
        ({"hours_per_week": Decimal(0)}, "INVALID_DURATION"),
        ({"hours_per_week": Decimal("168.5")}, "INVALID_DURATION"),
    ],
)
def test_an_exposure_with_invalid_details_is_refused(details: dict[str, object], code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        an_employee().record_exposure(wood_dust(), date(2024, 2, 1), ACTOR, **details)  # type: ignore[arg-type]

    assert refused.value.code == code


def test_an_ended_exposure_applies_up_to_its_last_day() -> None:
    employee = an_employee()
    exposure_id = employee.record_exposure(wood_dust(), date(2024, 2, 1), ACTOR)

    employee.end_exposure(exposure_id, date(2024, 5, 31), ACTOR)

    assert event_names(employee)[-1] == "CmrExposureEnded"
    assert [e.exposure_id for e in employee.exposures_on(date(2024, 5, 31))] == [exposure_id]
    assert employee.exposures_on(date(2024, 6, 1)) == ()


def test_an_exposure_cannot_be_ended_twice() -> None:
    employee = an_employee()
    exposure_id = employee.record_exposure(wood_dust(), date(2024, 2, 1), ACTOR)
    employee.end_exposure(exposure_id, date(2024, 5, 31), ACTOR)

    with pytest.raises(RuleViolation) as refused:
        employee.end_exposure(exposure_id, date(2024, 6, 30), ACTOR)

    assert refused.value.code == "EXPOSURE_ALREADY_ENDED"


def test_an_exposure_withdrawn_in_error_is_kept_but_no_longer_applies() -> None:
    employee = an_employee()
    kept = employee.record_exposure(wood_dust(), date(2024, 2, 1), ACTOR)
    wrong = employee.record_exposure(benzene(), date(2024, 2, 1), ACTOR)

    employee.withdraw_exposure(wrong, "Pas de benzène dans cet atelier", ACTOR)

    assert event_names(employee)[-1] == "CmrExposureWithdrawn"
    assert [e.exposure_id for e in employee.exposures_on(date(2024, 3, 1))] == [kept]
    assert employee.exposures is not None
    assert [(e.exposure_id, e.withdrawn) for e in employee.exposures] == [
        (kept, False),
        (wrong, True),
    ]


def test_a_withdrawn_exposure_can_no_longer_be_ended() -> None:
    employee = an_employee()
    exposure_id = employee.record_exposure(wood_dust(), date(2024, 2, 1), ACTOR)
    employee.withdraw_exposure(exposure_id, "Erreur", ACTOR)

    with pytest.raises(NotFound) as refused:
        employee.end_exposure(exposure_id, date(2024, 3, 1), ACTOR)

    assert refused.value.code == "EXPOSURE_NOT_FOUND"


# Identity ------------------------------------------------------------------------------------


def test_a_corrected_identity_is_recorded_and_an_unchanged_one_is_not() -> None:
    employee = an_employee()

    employee.correct_identity(an_identity(usage_name="Martin"), ACTOR)
    employee.correct_identity(an_identity(usage_name="  martin "), ACTOR)

    assert event_names(employee) == ["Hired", "IdentityCorrected"]
    assert employee.identity is not None
    assert employee.identity.display_name == "MARTIN Marie"


def test_an_identity_correction_is_validated_like_a_hire() -> None:
    employee = an_employee()

    with pytest.raises(InvalidValue) as refused:
        employee.correct_identity(an_identity(sex=Sex.M), ACTOR)

    assert refused.value.code == "NIR_MISMATCH"


def test_an_identity_erasure_keeps_the_health_records() -> None:
    employee = an_employee()
    employee.declare_determinant(FollowUpDeterminant.ASBESTOS, date(2024, 2, 1), ACTOR)
    employee.record_exposure(wood_dust(), date(2024, 2, 1), ACTOR)

    employee.record_identity_erasure(ACTOR)

    assert employee.identity is None
    assert employee.follow_up_on(date(2024, 3, 1)).category is FollowUp.SIR
    assert len(employee.exposures_on(date(2024, 3, 1))) == 1


# Actors ---------------------------------------------------------------------------------------


def test_every_event_records_its_actor() -> None:
    actors = [Actor(f"user-{i}") for i in range(13)]
    actors[3] = Actor("accountant-1", on_behalf_of=uuid4())
    employee = an_employee(terms=cdd(date(2024, 6, 30)), actor=actors[0])
    employee.correct_identity(an_identity(usage_name="Martin"), actors[1])
    employee.amend_contract(cdd(date(2024, 9, 30)), date(2024, 5, 1), actors[2])
    employee.correct_contract(HIRED_ON, cdd(date(2024, 9, 30), "Soudeuse TIG"), actors[3])
    employee.close_contract(date(2024, 8, 31), ExitReason.END_OF_FIXED_TERM, actors[4])
    employee.rehire(date(2024, 10, 1), cdi(), actors[5])
    determinant = employee.declare_determinant(
        FollowUpDeterminant.NIGHT_WORK, date(2024, 10, 1), actors[6]
    )
    employee.withdraw_determinant(determinant, date(2024, 11, 30), actors[7])
    employee.retract_determinant(determinant, "Erreur", actors[8])
    exposure = employee.record_exposure(wood_dust(), date(2024, 10, 1), actors[9])
    employee.end_exposure(exposure, date(2024, 12, 31), actors[10])
    employee.withdraw_exposure(exposure, "Erreur", actors[11])
    employee.record_identity_erasure(actors[12])

    events = employee.collect_events()

    assert [e.actor for e in events] == actors  # type: ignore[attr-defined]
    assert len({type(e) for e in events}) == len(events)

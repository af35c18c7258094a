"""Plausible dates of a working life, catalogued substances and amendments (issue 15): the
domain's bounds, held against the day of the command (`stamping_at`, as the application sets)."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from application.catalogues.loader import default_catalogues
from domain.actor import Actor
from domain.calendar import stamping_at
from domain.catalogues.substances import catalogued
from domain.errors import DomainError, InvalidValue
from domain.identifiers import CasNumber
from domain.plausible_dates import check_end, check_start, years_after
from domain.workforce.employee import Employee
from domain.workforce.employment import (
    ContractTerms,
    ContractType,
    ExitReason,
    Identity,
    Sex,
    TermsAmendment,
)
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, DeterminantPeriod
from domain.workforce.plausible_dates import check_birth_date

TODAY = date(2026, 6, 15)
ACTOR = Actor("user-1")
MEMBER_ID = UUID("0b7c1d3e-8a49-4f0e-9d8c-7a6b5c4d3e2f")
CDI = ContractTerms("Soudeuse", ContractType.CDI)


def person(birth_date: date = date(1990, 5, 12)) -> Identity:
    return Identity("Martin", "Léa", birth_date, Sex.F)


def hired(
    hire_date: date, identity: Identity | None = None, terms: ContractTerms = CDI
) -> Employee:
    with stamping_at(datetime(2026, 6, 15, 10, tzinfo=UTC)):
        return Employee.hire(
            member_id=MEMBER_ID,
            identity=identity or person(),
            hire_date=hire_date,
            terms=terms,
            actor=ACTOR,
        )


def refusal(action: Callable[[], object]) -> DomainError:
    with pytest.raises(DomainError) as refused:
        action()
    return refused.value


@pytest.mark.parametrize(
    ("day", "accepted"),
    [(date(2027, 6, 15), True), (date(2027, 6, 16), False), (date(9999, 1, 1), False)],
)
def test_a_start_is_at_most_a_year_after_today(day: date, accepted: bool) -> None:
    if accepted:
        check_start(day, "hire_date", TODAY)
    else:
        error = refusal(lambda: check_start(day, "hire_date", TODAY))
        assert (error.code, error.field) == ("DATE_TOO_FAR_AHEAD", "hire_date")
        assert "15/06/2027" in error.message


def test_an_end_is_at_most_five_years_after_today() -> None:
    check_end(date(2031, 6, 15), "planned_end", TODAY)
    check_end(None, "planned_end", TODAY)
    error = refusal(lambda: check_end(date(2031, 6, 16), "planned_end", TODAY))
    assert (error.code, error.field) == ("DATE_TOO_FAR_AHEAD", "planned_end")


@pytest.mark.parametrize(
    ("birth_date", "hire_date", "code"),
    [
        (date(1790, 5, 17), date(1810, 1, 6), "IMPLAUSIBLE_BIRTH_DATE"),
        (date(2012, 5, 17), date(2025, 1, 6), "IMPLAUSIBLE_BIRTH_DATE"),
        (date(1940, 5, 17), date(2025, 1, 6), "IMPLAUSIBLE_BIRTH_DATE"),
        (date(2025, 5, 17), date(2025, 1, 6), "IMPLAUSIBLE_BIRTH_DATE"),
    ],
    ids=["born-1790", "12-at-hire", "84-at-hire", "born-after-hire"],
)
def test_an_implausible_birth_date_is_refused(birth_date: date, hire_date: date, code: str) -> None:
    error = refusal(lambda: check_birth_date(birth_date, (hire_date,), TODAY))

    assert (error.code, error.field) == (code, "birth_date")
    assert str(birth_date.year) not in error.message, "no personal data in a message"


def test_the_youngest_and_the_oldest_at_hire_are_accepted() -> None:
    check_birth_date(date(2010, 1, 6), (date(2024, 1, 6),), TODAY)
    check_birth_date(date(1944, 1, 7), (date(2025, 1, 6),), TODAY)


def test_a_29_february_moves_to_the_28th() -> None:
    assert years_after(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert years_after(date(9990, 1, 1), 120) == date(9999, 1, 1)


def test_the_aggregate_holds_its_dates_to_the_day_of_the_command() -> None:
    assert refusal(lambda: hired(date(9999, 1, 6))).code == "DATE_TOO_FAR_AHEAD"
    endless = ContractTerms("Soudeuse", ContractType.CDD, planned_end=date(9999, 12, 31))
    assert refusal(lambda: hired(date(2025, 1, 6), terms=endless)).field == "planned_end"
    employee = hired(date(2025, 1, 6))
    with stamping_at(datetime(2026, 6, 15, 10, tzinfo=UTC)):
        late = refusal(
            lambda: employee.declare_determinant(
                FollowUpDeterminant.NIGHT_WORK, date(9999, 1, 1), ACTOR
            )
        )
        exit_ = refusal(
            lambda: employee.close_contract(date(9999, 1, 1), ExitReason.RESIGNATION, ACTOR)
        )
    assert (late.field, exit_.field) == ("started_on", "last_day")


def test_an_amendment_keeps_the_terms_it_does_not_give() -> None:
    on_trial = ContractTerms("Soudeuse", ContractType.CDI, trial_end=date(2025, 3, 5))
    employee = hired(date(2025, 1, 6), terms=on_trial)

    with stamping_at(datetime(2026, 6, 15, 10, tzinfo=UTC)):
        employee.amend_contract(TermsAmendment(job_title="Cheffe"), date(2025, 2, 1), ACTOR)

    terms = employee.contract.terms_on(date(2025, 2, 1))
    assert (terms.job_title, terms.trial_end) == ("Cheffe", date(2025, 3, 5))


def test_an_amendment_clears_an_optional_term_but_not_a_required_one() -> None:
    on_trial = ContractTerms("Soudeuse", ContractType.CDI, trial_end=date(2025, 3, 5))

    cleared = TermsAmendment(cleared=("trial_end",)).applied_to(on_trial)
    error = refusal(lambda: TermsAmendment(cleared=("job_title",)).applied_to(on_trial))

    assert cleared.trial_end is None
    assert (error.code, error.field) == ("REQUIRED_TERM", "job_title")


# Substances --------------------------------------------------------------------------------------

AGENTS = default_catalogues().cmr_agents


def substance(name: str, cas: str) -> CmrAgent:
    return CmrAgent(AgentKind.SUBSTANCE, name, CasNumber(cas))


@pytest.mark.parametrize(
    ("name", "cas", "code"),
    [
        ("Eau", "7732-18-5", "AGENT_NOT_IN_CATALOGUE"),
        ("Benzène", "50-00-0", "AGENT_NAME_CAS_MISMATCH"),
    ],
)
def test_a_substance_is_the_catalogue_s_under_its_name(name: str, cas: str, code: str) -> None:
    error = refusal(lambda: catalogued(substance(name, cas), AGENTS))

    assert error.code == code
    assert isinstance(error, InvalidValue)


@pytest.mark.parametrize(
    ("name", "cas"),
    [("Benzène", "71-43-2"), ("benzene", "71-43-2"), ("Trichloréthylène", "79-01-6")],
)
def test_a_substance_named_as_the_catalogue_names_it_is_accepted(name: str, cas: str) -> None:
    agent = substance(name, cas)

    assert catalogued(agent, AGENTS) == agent


def test_a_process_is_not_held_to_the_catalogue() -> None:
    process = CmrAgent(AgentKind.PROCESS, "Travaux exposant aux poussières de bois")

    assert catalogued(process, AGENTS) == process


def test_a_reported_situation_names_what_it_reports_and_only_it_does() -> None:
    reported = FollowUpDeterminant.REPORTED_SITUATION
    named = DeterminantPeriod(1, reported, date(2025, 1, 6), situation="Risques psychosociaux")

    assert named.validated().situation == "Risques psychosociaux"
    for bad in (
        DeterminantPeriod(1, reported, date(2025, 1, 6)),
        DeterminantPeriod(1, FollowUpDeterminant.NIGHT_WORK, date(2025, 1, 6), situation="RPS"),
    ):
        assert refusal(bad.validated).code == "INVALID_REPORTED_SITUATION"

"""The annual declaration's own rules: campaign terms, steps in order, per-step revisions,
confirmation and reopening, and the contribution of the recap."""

import hashlib
from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.declaration.campaign import Campaign, default_reference_date
from domain.declaration.composed import Composed
from domain.declaration.contribution import Contribution, is_billed
from domain.declaration.declaration import Declaration
from domain.declaration.steps import OPTIONAL_STEPS, STEPS, DeclarationStatus, Step, StepConflict
from domain.errors import InvalidValue, RuleViolation
from domain.money import Money
from domain.workforce.employment import ContractType

ACTOR = Actor("someone")
TOOL = Money.euros("150")
NO_CONTRIBUTION = Contribution(0, Money.euros(79), None)
REFERENCE_DATE = date(2024, 12, 31)


def a_campaign(**changes: object) -> Campaign:
    terms: dict[str, object] = {
        "year": 2025,
        "opens_on": date(2025, 1, 6),
        "deadline": date(2025, 3, 31),
        "rate_per_capita": Money.euros("79"),
        "tool_price": TOOL,
        "reference_date": None,
        "actor": ACTOR,
    }
    return Campaign.open(**{**terms, **changes})  # type: ignore[arg-type]


def a_declaration() -> Declaration:
    return Declaration.start(uuid4(), 2025, ACTOR)


def completed_up_to(declaration: Declaration, last: Step) -> Declaration:
    for step in (s for s in STEPS if s not in OPTIONAL_STEPS and s is not Step.RECAP):
        if step is Step.RISKS:
            declaration.add_risk("ambiance-sonore", None, ACTOR)
        declaration.complete_step(step, [], None, ACTOR)
        if step is last:
            break
    return declaration


# Campaign ------------------------------------------------------------------------------------


def test_a_campaign_counts_the_billed_headcount_on_31_december_before_by_default() -> None:
    campaign = a_campaign()

    assert campaign.reference_date == date(2024, 12, 31) == default_reference_date(2025)
    assert a_campaign(reference_date=date(2025, 1, 1)).reference_date == date(2025, 1, 1)


def test_a_campaign_is_open_from_its_opening_day_until_it_is_closed() -> None:
    campaign = a_campaign()

    assert not campaign.is_open_on(date(2025, 1, 5))
    assert campaign.is_open_on(date(2025, 1, 6))
    assert campaign.is_open_on(date(2025, 6, 1)), "a late declaration is still accepted"
    campaign.close(date(2025, 7, 1), ACTOR)
    assert not campaign.is_open_on(date(2025, 7, 1))
    with pytest.raises(RuleViolation) as twice:
        campaign.close(date(2025, 7, 2), ACTOR)
    assert twice.value.code == "CAMPAIGN_CLOSED"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"deadline": date(2025, 1, 1)}, "DEADLINE_BEFORE_OPENING"),
        ({"rate_per_capita": Money.zero()}, "INVALID_PRICE"),
        ({"tool_price": Money.euros("-1")}, "INVALID_PRICE"),
        ({"year": 1999}, "INVALID_YEAR"),
    ],
)
def test_bad_campaign_terms_are_refused(changes: dict[str, object], code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        a_campaign(**changes)
    assert refused.value.code == code


# Contribution ----------------------------------------------------------------------------------


def test_the_seed_recap_three_billed_at_79_euros_and_the_tool_make_464_40_ttc() -> None:
    contribution = Contribution(3, Money.euros("79"), TOOL)

    assert contribution.amount_ht == Money.euros("387")
    assert contribution.vat == Money.euros("77.40")
    assert contribution.amount_ttc == Money.euros("464.40")


def test_without_the_tool_only_the_headcount_is_billed() -> None:
    contribution = Contribution(2, Money.euros("79.50"), None)

    assert contribution.amount_ht == Money.euros("159")
    assert contribution.amount_ttc == Money.euros("190.80")


def test_temp_workers_and_interns_are_not_billed() -> None:
    assert {t for t in ContractType if not is_billed(t)} == {
        ContractType.TEMPORARY,
        ContractType.INTERNSHIP,
    }


# Steps -----------------------------------------------------------------------------------------


def test_a_new_declaration_is_to_enter_with_only_the_first_step_open() -> None:
    declaration = a_declaration()

    assert declaration.status is DeclarationStatus.TO_ENTER
    assert [s for s in Step if declaration.is_open(s)] == [Step.COMPANY]


def test_a_step_opens_only_when_the_previous_one_is_complete() -> None:
    declaration = a_declaration()

    with pytest.raises(RuleViolation) as refused:
        declaration.add_risk("ambiance-sonore", None, ACTOR)

    assert refused.value.code == "STEP_NOT_OPEN"
    assert "étape 1 (informations administratives)" in refused.value.message
    declaration.complete_step(Step.COMPANY, [], None, ACTOR)
    assert declaration.status is DeclarationStatus.IN_PROGRESS
    assert declaration.is_open(Step.CONTACTS)
    assert not declaration.is_open(Step.WORKFORCE)


def test_the_risk_tool_never_holds_up_the_situations_nor_the_recap() -> None:
    declaration = completed_up_to(a_declaration(), Step.RISKS)

    assert declaration.is_open(Step.RISK_TOOL)
    assert declaration.is_open(Step.SITUATIONS_AND_CMR)
    declaration.complete_step(Step.SITUATIONS_AND_CMR, [], None, ACTOR)
    assert declaration.is_open(Step.RECAP)


def test_a_step_is_refused_while_something_is_missing_with_everything_listed() -> None:
    declaration = completed_up_to(a_declaration(), Step.PREVENTION)

    with pytest.raises(RuleViolation) as refused:
        declaration.complete_step(Step.RISKS, ["une autre chose"], None, ACTOR)

    assert refused.value.code == "STEP_INCOMPLETE"
    assert "une autre chose" in refused.value.message
    assert "ajoutez au moins un risque" in refused.value.message


def test_changing_a_completed_step_asks_for_it_to_be_validated_again() -> None:
    declaration = completed_up_to(a_declaration(), Step.RISKS)

    declaration.add_risk("travail-de-nuit", None, ACTOR)

    assert not declaration.progress[Step.RISKS].completed
    assert declaration.risks == ("ambiance-sonore", "travail-de-nuit")


def test_declined_and_removed_risks() -> None:
    declaration = completed_up_to(a_declaration(), Step.PREVENTION)
    declaration.add_risk("ambiance-sonore", None, ACTOR)
    declaration.decline_risk("ambiance-lumineuse", None, ACTOR)
    declaration.decline_risk("ambiance-sonore", None, ACTOR)

    assert declaration.risks == ()
    assert declaration.declined_risks == ("ambiance-lumineuse", "ambiance-sonore")
    declaration.add_risk("ambiance-sonore", None, ACTOR)
    assert declaration.declined_risks == ("ambiance-lumineuse",)
    with pytest.raises(RuleViolation) as refused:
        declaration.remove_risk("manutention", None, ACTOR)
    assert refused.value.code == "RISK_NOT_ADDED"


def test_each_step_has_its_own_revision() -> None:
    declaration = completed_up_to(a_declaration(), Step.PREVENTION)
    prevention = declaration.progress[Step.PREVENTION].revision

    declaration.add_risk("ambiance-sonore", 0, ACTOR)
    declaration.add_risk("travail-de-nuit", 1, ACTOR)

    assert declaration.progress[Step.PREVENTION].revision == prevention
    with pytest.raises(StepConflict) as conflict:
        declaration.add_risk("manutention", 1, ACTOR)
    assert conflict.value.current_version == 2
    assert "étape 5" in conflict.value.message


def test_prevention_answers_are_merged_per_theme() -> None:
    declaration = completed_up_to(a_declaration(), Step.WORKFORCE)

    declaration.answer_prevention("activity", {"sector": "boulangerie"}, None, ACTOR)
    declaration.answer_prevention("activity", {"night_work": True}, None, ACTOR)
    revision = declaration.progress[Step.PREVENTION].revision
    declaration.answer_prevention("activity", {"night_work": True}, None, ACTOR)

    assert declaration.prevention == {"activity": {"sector": "boulangerie", "night_work": True}}
    assert declaration.progress[Step.PREVENTION].revision == revision, "nothing new, no event"


def test_the_risk_tool_is_subscribed_at_the_campaign_price_or_declined() -> None:
    declaration = completed_up_to(a_declaration(), Step.RISKS)

    with pytest.raises(RuleViolation) as undecided:
        declaration.complete_step(Step.RISK_TOOL, [], None, ACTOR)
    declaration.choose_tool(True, TOOL, None, ACTOR)

    assert undecided.value.code == "STEP_INCOMPLETE"
    assert (declaration.tool_subscribed, declaration.tool_price) == (True, TOOL)
    declaration.choose_tool(False, TOOL, None, ACTOR)
    assert (declaration.tool_subscribed, declaration.tool_price) == (False, None)


# Transfer, confirmation, reopening -------------------------------------------------------------


def test_the_declaration_is_handed_over_only_once_the_workforce_is_confirmed() -> None:
    declaration = completed_up_to(a_declaration(), Step.CONTACTS)
    someone = uuid4()

    with pytest.raises(RuleViolation) as early:
        declaration.transfer(someone, ACTOR)
    declaration.complete_step(Step.WORKFORCE, [], None, ACTOR)
    declaration.transfer(someone, ACTOR)

    assert early.value.code == "WORKFORCE_NOT_CONFIRMED"
    assert declaration.handled_by == someone


def test_confirmation_needs_every_required_step() -> None:
    declaration = completed_up_to(a_declaration(), Step.RISKS)

    with pytest.raises(RuleViolation) as refused:
        declaration.confirm(Composed("{}", NO_CONTRIBUTION), REFERENCE_DATE, None, ACTOR)

    assert refused.value.code == "STEP_NOT_OPEN"
    assert "étape 9 (situations de travail et agents CMR)" in refused.value.message


def test_the_terms_of_sale_must_be_accepted_when_the_tool_is_subscribed() -> None:
    declaration = completed_up_to(a_declaration(), Step.SITUATIONS_AND_CMR)
    with pytest.raises(RuleViolation) as nothing_to_accept:
        declaration.accept_terms(None, ACTOR)
    declaration.choose_tool(True, TOOL, None, ACTOR)

    with pytest.raises(RuleViolation) as refused:
        declaration.confirm(Composed("{}", NO_CONTRIBUTION), REFERENCE_DATE, None, ACTOR)
    declaration.accept_terms(None, ACTOR)
    declaration.confirm(Composed("{}", NO_CONTRIBUTION), REFERENCE_DATE, None, ACTOR)

    assert nothing_to_accept.value.code == "NO_TERMS_TO_ACCEPT"
    assert refused.value.code == "TERMS_NOT_ACCEPTED"
    assert declaration.status is DeclarationStatus.CONFIRMED


def test_a_confirmed_declaration_keeps_the_hash_of_its_copy_and_takes_no_change() -> None:
    declaration = completed_up_to(a_declaration(), Step.SITUATIONS_AND_CMR)
    declaration.give_purchase_order("  BC-2025-17 ", None, ACTOR)
    frozen = '{"year":2025}'

    content_hash = declaration.confirm(
        Composed(frozen, NO_CONTRIBUTION), REFERENCE_DATE, None, ACTOR
    )

    assert content_hash == hashlib.sha256(frozen.encode()).hexdigest() == declaration.confirmed_hash
    assert declaration.purchase_order == "BC-2025-17"
    with pytest.raises(RuleViolation) as refused:
        declaration.add_risk("manutention", None, ACTOR)
    assert refused.value.code == "DECLARATION_CONFIRMED"


def test_reopening_starts_a_new_edition_from_the_last_answers() -> None:
    declaration = completed_up_to(a_declaration(), Step.SITUATIONS_AND_CMR)
    with pytest.raises(RuleViolation) as not_confirmed:
        declaration.reopen("erreur d'effectif", ACTOR)
    declaration.confirm(Composed("{}", NO_CONTRIBUTION), REFERENCE_DATE, None, ACTOR)

    declaration.reopen("  erreur d'effectif ", ACTOR)

    assert not_confirmed.value.code == "NOT_CONFIRMED"
    assert declaration.edition == 2
    assert declaration.status is DeclarationStatus.IN_PROGRESS
    assert declaration.risks == ("ambiance-sonore",)
    declaration.confirm(Composed("{}", NO_CONTRIBUTION), REFERENCE_DATE, None, ACTOR)
    assert declaration.status is DeclarationStatus.CONFIRMED


def test_a_purchase_order_is_short_and_may_be_cleared() -> None:
    declaration = completed_up_to(a_declaration(), Step.SITUATIONS_AND_CMR)

    with pytest.raises(InvalidValue):
        declaration.give_purchase_order("x" * 36, None, ACTOR)
    declaration.give_purchase_order("BC-1", None, ACTOR)
    declaration.give_purchase_order("  ", None, ACTOR)

    assert declaration.purchase_order is None


def test_amounts_are_decimal_euros() -> None:
    assert Contribution(1, Money.euros("79"), None).amount_ttc.amount == Decimal("94.80")

"""The service's edits of the catalogues: every rule of the `CatalogueEdits` aggregate, and the
catalogue in effect once they are applied (`Catalogues.with_edits`)."""

from datetime import date
from typing import Any

import pytest
from eventsourcing.domain import Snapshot

from application.catalogues.commands import shipped_reference
from application.catalogues.loader import default_catalogues
from domain.actor import Actor
from domain.catalogues.catalogue import Catalogues
from domain.catalogues.edits import CatalogueEdits
from domain.catalogues.entries import (
    ADDED_BY_SERVICE,
    CHANGED_BY_SERVICE,
    QuestionRef,
    ShippedCatalogue,
)
from domain.catalogues.model import EditCounts
from domain.catalogues.question_kinds import QuestionKind
from domain.catalogues.questionnaire import check_answers, missing_answers
from domain.catalogues.suggestions import suggest_risks
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from domain.identifiers import CasNumber, PcsCode
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant, FollowUpRules
from domain.workforce.health import AgentKind, CmrAgent

STAFF = Actor("staff-1")
SHIPPED_CATALOGUE = default_catalogues()
SHIPPED = shipped_reference(SHIPPED_CATALOGUE)
TITANIUM_DIOXIDE = "13463-67-7"
"""A CMR substance (Carc. 1B) the shipped catalogue lacks."""


@pytest.fixture
def edits() -> CatalogueEdits:
    return CatalogueEdits.start(STAFF)


def add_risk(edits: CatalogueEdits, **changes: Any) -> None:
    fields = {
        "family_code": "biomechanical",
        "code": "vibrating_tools",
        "label": "Outils vibrants",
        "description": "Utiliser des outils portatifs vibrants (meuleuses, marteaux-piqueurs…)",
        "source": "INRS ED 6018",
    } | changes
    edits.add_risk(SHIPPED, actor=STAFF, **fields)


def add_agent(edits: CatalogueEdits, **changes: Any) -> None:
    fields = {
        "kind": AgentKind.SUBSTANCE,
        "name": "Dioxyde de titane",
        "name_en": "Titanium dioxide",
        "cas_number": TITANIUM_DIOXIDE,
        "clp_hazard": "Carc. 1B",
        "source": "Règlement CLP, annexe VI",
    } | changes
    edits.add_cmr_agent(SHIPPED, actor=STAFF, **fields)


def add_situation(edits: CatalogueEdits, **changes: Any) -> None:
    fields = {
        "code": "welding_fumes",
        "heading": "Être exposé à des fumées",
        "label": "Exposé(e) aux fumées de soudage",
        "determinant": None,
        "source": "INRS ED 668",
    } | changes
    edits.add_work_situation(SHIPPED, actor=STAFF, **fields)


def add_question(edits: CatalogueEdits, **changes: Any) -> None:
    fields = {
        "theme_code": "activity",
        "question_id": "night_shifts",
        "label": "Combien de salariés travaillent de nuit ?",
        "kind": QuestionKind.NUMBER,
        "required": True,
        "choices": (),
        "integer": True,
        "minimum": 0,
        "maximum": 9999,
        "source": "Demande du médecin du travail",
    } | changes
    edits.add_prevention_question(SHIPPED, actor=STAFF, **fields)


def refused(error: type[DomainError], code: str, action: Any, /, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(error) as raised:
        action(*args, **kwargs)
    assert raised.value.code == code
    return raised.value.message


def event_names(edits: CatalogueEdits) -> list[str]:
    return [type(e).__name__ for e in edits.collect_events()]


def effective(edits: CatalogueEdits) -> Catalogues:
    return SHIPPED_CATALOGUE.with_edits(edits)


# The record ---------------------------------------------------------------------------------


def test_one_record_of_edits_for_the_whole_service(edits: CatalogueEdits) -> None:
    assert edits.id == CatalogueEdits.create_id()
    assert CatalogueEdits.start(Actor("staff-2")).id == edits.id
    assert event_names(edits) == ["CatalogueEditsStarted"]


def test_the_shipped_reference_holds_every_family_risk_action_and_agent() -> None:
    assert isinstance(SHIPPED, ShippedCatalogue)
    assert SHIPPED.families == {family.code for family in SHIPPED_CATALOGUE.families}
    assert list(SHIPPED.risks) == [risk.code for risk in SHIPPED_CATALOGUE.risks]
    assert SHIPPED.actions["manual_handling.assess"].risk_code == "manual_handling"
    assert len(SHIPPED.cmr_agents) == len(SHIPPED_CATALOGUE.cmr_agents)
    assert list(SHIPPED.situations) == [s.code for s in SHIPPED_CATALOGUE.work_situations]
    assert SHIPPED.situations["night_work"].determinant is FollowUpDeterminant.NIGHT_WORK
    assert SHIPPED.situations["psychosocial"].determinant is None
    assert list(SHIPPED.occupations) == [o.code for o in SHIPPED_CATALOGUE.pcs_occupations]
    assert list(SHIPPED.themes) == [t.code for t in SHIPPED_CATALOGUE.prevention_themes]
    assert SHIPPED.themes["activity"].questions["sites"] == "Nombre de sites ou d'établissements"


# Risks ----------------------------------------------------------------------------------------


def test_a_risk_is_added_to_a_shipped_family(edits: CatalogueEdits) -> None:
    add_risk(edits, label="  Outils   vibrants ")

    assert event_names(edits) == ["CatalogueEditsStarted", "CatalogueRiskAdded"]
    (risk,) = edits.added_risks
    assert (risk.code, risk.family_code, risk.label) == (
        "vibrating_tools",
        "biomechanical",
        "Outils vibrants",
    )
    assert risk.source == "INRS ED 6018"


@pytest.mark.parametrize("code", ["Vibrations", "1st", "outils vibrants", "outil-vibrant", ""])
def test_a_risk_code_is_lower_case_letters_digits_underscores_and_dots(
    edits: CatalogueEdits, code: str
) -> None:
    refused(InvalidValue, "INVALID_CATALOGUE_CODE", add_risk, edits, code=code)


def test_a_risk_goes_in_a_shipped_family(edits: CatalogueEdits) -> None:
    message = refused(NotFound, "UNKNOWN_RISK_FAMILY", add_risk, edits, family_code="nautical")

    assert message == "La famille de risques « nautical » n'existe pas dans le catalogue."


@pytest.mark.parametrize("field", ["label", "description", "source"])
def test_label_description_and_source_are_required(edits: CatalogueEdits, field: str) -> None:
    refused(InvalidValue, "INVALID_TEXT", add_risk, edits, **{field: "   "})


def test_a_label_has_at_most_120_characters(edits: CatalogueEdits) -> None:
    refused(InvalidValue, "INVALID_TEXT", add_risk, edits, label="x" * 121)


def test_a_risk_code_is_never_given_twice(edits: CatalogueEdits) -> None:
    refused(RuleViolation, "DUPLICATE_RISK_CODE", add_risk, edits, code="manual_handling")
    add_risk(edits)
    refused(RuleViolation, "DUPLICATE_RISK_CODE", add_risk, edits, label="Autre libellé")


def test_the_code_of_a_retired_risk_is_not_given_again(edits: CatalogueEdits) -> None:
    edits.retire_risk(SHIPPED, "screen_work", "Remplacé", STAFF)

    message = refused(RuleViolation, "DUPLICATE_RISK_CODE", add_risk, edits, code="screen_work")

    assert "retiré" in message


def test_two_risks_in_use_do_not_share_a_label(edits: CatalogueEdits) -> None:
    refused(RuleViolation, "DUPLICATE_RISK_LABEL", add_risk, edits, label="manutention DE charges")


def test_the_label_of_a_retired_risk_may_serve_again(edits: CatalogueEdits) -> None:
    label = SHIPPED.risks["screen_work"].label
    edits.retire_risk(SHIPPED, "screen_work", "Remplacé", STAFF)

    add_risk(edits, code="screen_work_2", label=label)

    assert edits.added_risks[0].label == label


def test_a_risk_is_changed_with_its_source(edits: CatalogueEdits) -> None:
    edits.change_risk(
        SHIPPED, "manual_handling", "Manutention manuelle", None, "INRS ED 6161", STAFF
    )

    (change,) = edits.risk_changes
    assert change.label == "Manutention manuelle"
    assert change.description == SHIPPED.risks["manual_handling"].description
    assert change.source == "INRS ED 6161"


def test_a_second_change_of_a_risk_replaces_the_first(edits: CatalogueEdits) -> None:
    edits.change_risk(SHIPPED, "noise", None, "Première description", "source 1", STAFF)
    edits.change_risk(SHIPPED, "manual_handling", "Manutention manuelle", None, "source", STAFF)
    edits.change_risk(SHIPPED, "noise", None, "Seconde description", "source 2", STAFF)

    assert [(c.code, c.description) for c in edits.risk_changes] == [
        ("noise", "Seconde description"),
        ("manual_handling", SHIPPED.risks["manual_handling"].description),
    ]


def test_an_added_risk_can_be_changed(edits: CatalogueEdits) -> None:
    add_risk(edits)

    edits.change_risk(SHIPPED, "vibrating_tools", "Vibrations main-bras", None, "ED 6018", STAFF)

    assert edits.risk_changes[0].label == "Vibrations main-bras"


def test_a_change_that_changes_nothing_records_nothing(edits: CatalogueEdits) -> None:
    edits.collect_events()
    current = SHIPPED.risks["noise"]

    edits.change_risk(SHIPPED, "noise", f" {current.label} ", current.description, "s", STAFF)
    edits.change_risk(SHIPPED, "noise", None, None, "source", STAFF)

    assert event_names(edits) == []


def test_a_change_is_refused_for_an_unknown_or_retired_risk_or_a_label_in_use(
    edits: CatalogueEdits,
) -> None:
    change = edits.change_risk
    refused(NotFound, "UNKNOWN_RISK", change, SHIPPED, "nope", "Libellé", None, "s", STAFF)
    refused(
        RuleViolation,
        "DUPLICATE_RISK_LABEL",
        change,
        SHIPPED,
        "noise",
        "Gestes répétitifs",
        None,
        "s",
        STAFF,
    )
    refused(InvalidValue, "INVALID_TEXT", change, SHIPPED, "noise", "Bruit", None, " ", STAFF)
    edits.retire_risk(SHIPPED, "noise", "Fusionné", STAFF)
    message = refused(
        RuleViolation, "RISK_RETIRED", change, SHIPPED, "noise", "B", None, "s", STAFF
    )
    assert message == f"Le risque « {SHIPPED.risks['noise'].label} » a été retiré du catalogue."


def test_a_risk_is_retired_once(edits: CatalogueEdits) -> None:
    edits.retire_risk(SHIPPED, "screen_work", "Couvert par « Positions contraignantes »", STAFF)

    assert edits.retired_risks == ("screen_work",)
    message = refused(
        RuleViolation, "RISK_ALREADY_RETIRED", edits.retire_risk, SHIPPED, "screen_work", "s", STAFF
    )
    assert message == "Le risque « screen_work » est déjà retiré du catalogue."


def test_retiring_needs_a_known_risk_and_a_source(edits: CatalogueEdits) -> None:
    refused(NotFound, "UNKNOWN_RISK", edits.retire_risk, SHIPPED, "nope", "s", STAFF)
    refused(InvalidValue, "INVALID_TEXT", edits.retire_risk, SHIPPED, "noise", "", STAFF)


def test_an_added_risk_can_be_retired(edits: CatalogueEdits) -> None:
    add_risk(edits)

    edits.retire_risk(SHIPPED, "vibrating_tools", "Ajouté par erreur", STAFF)

    assert edits.retired_risks == ("vibrating_tools",)


# Suggested actions ----------------------------------------------------------------------------


def test_an_action_is_suggested_for_a_risk_in_use(edits: CatalogueEdits) -> None:
    add_risk(edits)

    edits.add_suggested_action(
        SHIPPED,
        "vibrating_tools",
        "vibrating_tools.low",
        "Outils à faibles vibrations",
        "INRS",
        STAFF,
    )
    edits.add_suggested_action(SHIPPED, "noise", "noise.screens", "Écrans acoustiques", "s", STAFF)

    assert [(a.risk_code, a.code) for a in edits.added_actions] == [
        ("vibrating_tools", "vibrating_tools.low"),
        ("noise", "noise.screens"),
    ]


def test_the_rules_of_a_suggested_action(edits: CatalogueEdits) -> None:
    add = edits.add_suggested_action
    label = SHIPPED.actions["manual_handling.assess"].label
    refused(NotFound, "UNKNOWN_RISK", add, SHIPPED, "nope", "nope.a", "Action", "s", STAFF)
    refused(InvalidValue, "INVALID_CATALOGUE_CODE", add, SHIPPED, "noise", "Bruit", "A", "s", STAFF)
    refused(
        RuleViolation,
        "DUPLICATE_ACTION_CODE",
        add,
        SHIPPED,
        "noise",
        "manual_handling.assess",
        "Action",
        "s",
        STAFF,
    )
    refused(
        RuleViolation,
        "DUPLICATE_ACTION",
        add,
        SHIPPED,
        "manual_handling",
        "manual_handling.other",
        label.upper(),
        "s",
        STAFF,
    )
    refused(InvalidValue, "INVALID_TEXT", add, SHIPPED, "noise", "noise.x", "", "s", STAFF)
    refused(InvalidValue, "INVALID_TEXT", add, SHIPPED, "noise", "noise.x", "Action", " ", STAFF)
    add(SHIPPED, "noise", "noise.x", "Action", "s", STAFF)
    refused(
        RuleViolation, "DUPLICATE_ACTION_CODE", add, SHIPPED, "dusts", "noise.x", "B", "s", STAFF
    )
    refused(
        RuleViolation, "DUPLICATE_ACTION", add, SHIPPED, "noise", "noise.y", "action", "s", STAFF
    )
    edits.retire_risk(SHIPPED, "noise", "Fusionné", STAFF)
    refused(RuleViolation, "RISK_RETIRED", add, SHIPPED, "noise", "noise.z", "C", "s", STAFF)


# CMR agents -----------------------------------------------------------------------------------


def test_a_substance_is_added_with_its_cas_number(edits: CatalogueEdits) -> None:
    add_agent(edits, cas_number="13463 67 7", name_en="  ")

    assert event_names(edits) == ["CatalogueEditsStarted", "CatalogueCmrAgentAdded"]
    (agent,) = edits.added_cmr_agents
    assert agent.cas_number == CasNumber(TITANIUM_DIOXIDE)
    assert agent.name_en is None
    assert agent.agent == CmrAgent(
        AgentKind.SUBSTANCE, "Dioxyde de titane", CasNumber(TITANIUM_DIOXIDE)
    )


def test_a_process_is_added_without_a_cas_number(edits: CatalogueEdits) -> None:
    add_agent(
        edits,
        kind=AgentKind.PROCESS,
        name="Travaux de soudage exposant aux fumées",
        cas_number=None,
        clp_hazard="Carc.",
    )

    assert edits.added_cmr_agents[0].cas_number is None


def test_the_cas_number_is_checked(edits: CatalogueEdits) -> None:
    with pytest.raises(InvalidValue) as raised:
        add_agent(edits, cas_number="107-13-2")

    assert raised.value.code == "INVALID_CAS_NUMBER"
    assert raised.value.field == "cas_number"
    assert "chiffre de contrôle" in raised.value.message


def test_a_substance_needs_a_cas_number_and_a_process_none(edits: CatalogueEdits) -> None:
    refused(InvalidValue, "CAS_NUMBER_REQUIRED", add_agent, edits, cas_number=None)
    refused(InvalidValue, "INVALID_AGENT", add_agent, edits, kind=AgentKind.PROCESS)


@pytest.mark.parametrize("field", ["name", "clp_hazard", "source"])
def test_name_classification_and_source_are_required(edits: CatalogueEdits, field: str) -> None:
    refused(InvalidValue, "INVALID_TEXT", add_agent, edits, **{field: ""})


def test_an_agent_already_in_the_catalogue_is_refused(edits: CatalogueEdits) -> None:
    message = refused(RuleViolation, "DUPLICATE_CAS_NUMBER", add_agent, edits, cas_number="71-43-2")
    assert message == "Le numéro CAS 71-43-2 est déjà celui de « Benzène »."
    refused(RuleViolation, "DUPLICATE_CMR_AGENT", add_agent, edits, name="BENZÈNE")
    add_agent(edits)
    refused(RuleViolation, "DUPLICATE_CAS_NUMBER", add_agent, edits, name="Cyanure de vinyle")
    refused(RuleViolation, "DUPLICATE_CMR_AGENT", add_agent, edits, cas_number="91-20-3")


def test_an_agent_is_retired_by_cas_number_or_by_name(edits: CatalogueEdits) -> None:
    edits.retire_cmr_agent(SHIPPED, "71 43 2", None, "Interdit", STAFF)
    edits.retire_cmr_agent(SHIPPED, None, "fabrication D'AURAMINE", "Plus pratiqué", STAFF)

    assert edits.retired_cmr_agents == (
        CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2")),
        CmrAgent(AgentKind.PROCESS, "Fabrication d'auramine"),
    )


def test_the_rules_of_retiring_an_agent(edits: CatalogueEdits) -> None:
    retire = edits.retire_cmr_agent
    refused(InvalidValue, "AGENT_REQUIRED", retire, SHIPPED, None, None, "s", STAFF)
    refused(InvalidValue, "AGENT_REQUIRED", retire, SHIPPED, "71-43-2", "Benzène", "s", STAFF)
    refused(InvalidValue, "INVALID_CAS_NUMBER", retire, SHIPPED, "71-43-3", None, "s", STAFF)
    refused(NotFound, "UNKNOWN_CMR_AGENT", retire, SHIPPED, TITANIUM_DIOXIDE, None, "s", STAFF)
    refused(NotFound, "UNKNOWN_CMR_AGENT", retire, SHIPPED, None, "Eau", "s", STAFF)
    refused(InvalidValue, "INVALID_TEXT", retire, SHIPPED, "71-43-2", None, "", STAFF)
    retire(SHIPPED, "71-43-2", None, "Interdit", STAFF)
    message = refused(
        RuleViolation, "CMR_AGENT_ALREADY_RETIRED", retire, SHIPPED, None, "benzène", "s", STAFF
    )
    assert message == "L'agent CMR « Benzène » est déjà retiré du catalogue."


def test_an_added_agent_can_be_retired_and_its_cas_number_not_given_again(
    edits: CatalogueEdits,
) -> None:
    add_agent(edits)
    edits.retire_cmr_agent(SHIPPED, TITANIUM_DIOXIDE, None, "Ajouté par erreur", STAFF)

    message = refused(RuleViolation, "DUPLICATE_CAS_NUMBER", add_agent, edits)
    assert "retiré du catalogue" in message


# Work situations ------------------------------------------------------------------------------


def test_a_situation_is_added_under_a_heading_with_its_determinant_or_none(
    edits: CatalogueEdits,
) -> None:
    add_situation(edits, label="  Exposé(e)   aux fumées de soudage ")
    edits.retire_work_situation(SHIPPED, "lead_below_threshold", "Remplacée", STAFF)
    add_situation(
        edits,
        code="lead_in_paint",
        heading="  être EXPOSÉ au plomb ",
        label="Exposé(e) au plomb des peintures anciennes",
        determinant=FollowUpDeterminant.LEAD_BELOW_THRESHOLD,
        source="s",
    )

    fumes, lead = edits.added_situations
    assert (fumes.code, fumes.heading, fumes.label, fumes.determinant, fumes.source) == (
        "welding_fumes",
        "Être exposé à des fumées",
        "Exposé(e) aux fumées de soudage",
        None,
        "INRS ED 668",
    )
    assert lead.heading == "Être exposé au plomb", "the shipped heading, as it is spelt"
    assert lead.determinant is FollowUpDeterminant.LEAD_BELOW_THRESHOLD


@pytest.mark.parametrize("field", ["heading", "label", "source"])
def test_heading_label_and_source_of_a_situation_are_required(
    edits: CatalogueEdits, field: str
) -> None:
    refused(InvalidValue, "INVALID_TEXT", add_situation, edits, **{field: " "})


def test_a_situation_code_is_well_formed_and_never_given_twice(edits: CatalogueEdits) -> None:
    refused(InvalidValue, "INVALID_CATALOGUE_CODE", add_situation, edits, code="Fumées")
    refused(RuleViolation, "DUPLICATE_SITUATION_CODE", add_situation, edits, code="asbestos")
    edits.retire_work_situation(SHIPPED, "psychosocial", "Remplacée", STAFF)

    message = refused(
        RuleViolation, "DUPLICATE_SITUATION_CODE", add_situation, edits, code="psychosocial"
    )

    assert message == (
        "Le code « psychosocial » est déjà celui d'une situation de travail retirée du"
        " catalogue : choisissez-en un autre."
    )


def test_a_situation_already_under_its_heading_is_refused(edits: CatalogueEdits) -> None:
    message = refused(
        RuleViolation,
        "DUPLICATE_WORK_SITUATION",
        add_situation,
        edits,
        heading="Travailler de nuit",
        label="TRAVAILLEUR DE NUIT",
    )

    assert message == (
        "La situation « Travailleur de nuit » est déjà au catalogue sous la rubrique"
        " « Travailler de nuit »."
    )
    add_situation(edits, heading="Horaires atypiques", label="Travailleur de nuit")


def test_a_determinant_is_declared_by_one_situation_in_use_at_most(edits: CatalogueEdits) -> None:
    night = {"code": "night_shifts", "label": "Travail posté de nuit", "source": "s"}
    with pytest.raises(RuleViolation) as raised:
        add_situation(edits, determinant=FollowUpDeterminant.NIGHT_WORK, **night)
    assert (raised.value.code, raised.value.field) == (
        "DUPLICATE_SITUATION_DETERMINANT",
        "determinant",
    )
    assert "« Travailleur de nuit »" in raised.value.message

    edits.retire_work_situation(SHIPPED, "night_work", "Remplacée par le travail posté", STAFF)
    add_situation(edits, determinant=FollowUpDeterminant.NIGHT_WORK, **night)

    assert edits.added_situations[0].determinant is FollowUpDeterminant.NIGHT_WORK


def test_a_situation_is_retired_once(edits: CatalogueEdits) -> None:
    retire = edits.retire_work_situation
    refused(NotFound, "UNKNOWN_WORK_SITUATION", retire, SHIPPED, "nope", "s", STAFF)
    refused(InvalidValue, "INVALID_TEXT", retire, SHIPPED, "psychosocial", "", STAFF)
    retire(SHIPPED, "psychosocial", "Suivi par ailleurs", STAFF)
    add_situation(edits)
    retire(SHIPPED, "welding_fumes", "Ajoutée par erreur", STAFF)

    assert edits.retired_situations == ("psychosocial", "welding_fumes")
    message = refused(
        RuleViolation, "WORK_SITUATION_ALREADY_RETIRED", retire, SHIPPED, "psychosocial", "s", STAFF
    )
    assert message == "La situation « Risques psychosociaux » est déjà retirée du catalogue."


# PCS-ESE occupations ----------------------------------------------------------------------------


def test_an_occupation_is_added_with_a_well_formed_code(edits: CatalogueEdits) -> None:
    edits.add_pcs_occupation(
        SHIPPED, " 431 E ", "  Sages-femmes  (libérales ou salariées)", "INSEE PCS 2017", STAFF
    )

    (occupation,) = edits.added_occupations
    assert (occupation.code, occupation.label, occupation.source) == (
        PcsCode("431e"),
        "Sages-femmes (libérales ou salariées)",
        "INSEE PCS 2017",
    )
    assert type(occupation.code) is PcsCode


def test_the_rules_of_an_occupation(edits: CatalogueEdits) -> None:
    add = edits.add_pcs_occupation
    with pytest.raises(InvalidValue) as malformed:
        add(SHIPPED, "4311", "Infirmiers", "s", STAFF)
    assert (malformed.value.code, malformed.value.field) == ("INVALID_PCS_CODE", "code")
    refused(InvalidValue, "INVALID_TEXT", add, SHIPPED, "431e", " ", "s", STAFF)
    refused(InvalidValue, "INVALID_TEXT", add, SHIPPED, "431e", "x" * 301, "s", STAFF)
    refused(InvalidValue, "INVALID_TEXT", add, SHIPPED, "431e", "Sages-femmes", "", STAFF)
    message = refused(RuleViolation, "DUPLICATE_PCS_CODE", add, SHIPPED, "636C", "B", "s", STAFF)
    assert message == (
        "Le code PCS-ESE 636c est déjà celui de « Boulangers, pâtissiers (sauf activité"
        " industrielle) »."
    )
    add(SHIPPED, "431e", "Sages-femmes", "s", STAFF)
    refused(RuleViolation, "DUPLICATE_PCS_CODE", add, SHIPPED, "431e", "Autre", "s", STAFF)


def test_an_occupation_is_retired_once_and_its_code_not_given_again(
    edits: CatalogueEdits,
) -> None:
    retire = edits.retire_pcs_occupation
    refused(InvalidValue, "INVALID_PCS_CODE", retire, SHIPPED, "boulanger", "s", STAFF)
    message = refused(NotFound, "UNKNOWN_PCS_OCCUPATION", retire, SHIPPED, "431e", "s", STAFF)
    assert message == "Le code PCS-ESE 431e n'est pas au catalogue."
    retire(SHIPPED, "636C", "Code à vérifier", STAFF)

    assert edits.retired_occupations == (PcsCode("636c"),)
    refused(RuleViolation, "PCS_OCCUPATION_ALREADY_RETIRED", retire, SHIPPED, "636c", "s", STAFF)
    message = refused(
        RuleViolation,
        "DUPLICATE_PCS_CODE",
        edits.add_pcs_occupation,
        SHIPPED,
        "636c",
        "Boulangers",
        "s",
        STAFF,
    )
    assert message.endswith("(retiré du catalogue).")


# Prevention questionnaire -----------------------------------------------------------------------


def test_a_question_of_each_kind_is_added_to_a_theme(edits: CatalogueEdits) -> None:
    add_question(edits, label="  Combien de salariés  travaillent de nuit ? ")
    add_question(
        edits,
        theme_code="particular_situations",
        question_id="lone_work_devices",
        label="Quels dispositifs protègent les travailleurs isolés ?",
        kind=QuestionKind.MULTI_CHOICE,
        required=False,
        choices=[" Alarme  portative ", "Appel régulier", "Aucun"],
        integer=False,
        minimum=None,
        maximum=None,
    )
    add_question(
        edits,
        question_id="works_council_minutes",
        label="Le CSE a-t-il examiné les risques cette année ?",
        kind=QuestionKind.YES_NO,
        integer=False,
        minimum=None,
        maximum=None,
    )

    night, devices, council = edits.added_questions
    assert (night.theme_code, night.question_id, night.label) == (
        "activity",
        "night_shifts",
        "Combien de salariés travaillent de nuit ?",
    )
    assert (night.integer, night.minimum, night.maximum) == (True, 0.0, 9999.0)
    assert type(night.minimum) is float
    assert devices.choices == ("Alarme portative", "Appel régulier", "Aucun")
    assert (devices.required, devices.kind) == (False, QuestionKind.MULTI_CHOICE)
    assert (council.kind, council.choices, council.minimum) == (QuestionKind.YES_NO, (), None)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"kind": QuestionKind.CHOICE}, "CHOICES_MISPLACED", "choices"),
        ({"choices": ["Oui", "Non"]}, "CHOICES_MISPLACED", "choices"),
        (
            {"kind": QuestionKind.CHOICE, "choices": ["Oui", "Non"], "integer": False},
            "NUMBER_OPTIONS_MISPLACED",
            "min",
        ),
        (
            {"kind": QuestionKind.CHOICE, "choices": ["Oui", " oui "], "integer": False}
            | {"minimum": None, "maximum": None},
            "INVALID_CHOICES",
            "choices",
        ),
        (
            {"kind": QuestionKind.CHOICE, "choices": ["Oui", " "]}
            | {"integer": False, "minimum": None, "maximum": None},
            "INVALID_CHOICES",
            "choices",
        ),
        (
            {"kind": QuestionKind.MULTI_CHOICE, "choices": ["Oui"]}
            | {"integer": False, "minimum": None, "maximum": None},
            "TOO_FEW_CHOICES",
            "choices",
        ),
        (
            {"kind": QuestionKind.TEXT, "minimum": None, "maximum": None},
            "NUMBER_OPTIONS_MISPLACED",
            "integer",
        ),
        ({"kind": QuestionKind.YES_NO, "integer": False}, "NUMBER_OPTIONS_MISPLACED", "min"),
        ({"minimum": 10, "maximum": 1}, "INVALID_BOUNDS", "max"),
        ({"maximum": float("inf")}, "INVALID_BOUNDS", "max"),
        ({"question_id": "Nuit"}, "INVALID_CATALOGUE_CODE", "question_id"),
        ({"label": " "}, "INVALID_TEXT", "label"),
        ({"label": "x" * 301}, "INVALID_TEXT", "label"),
        ({"source": ""}, "INVALID_TEXT", "source"),
    ],
)
def test_a_question_has_the_form_of_the_shipped_ones(
    edits: CatalogueEdits, changes: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        add_question(edits, **changes)

    assert (raised.value.code, raised.value.field) == (code, field)
    assert edits.added_questions == ()


def test_a_question_goes_in_a_shipped_theme_under_an_id_never_given_twice(
    edits: CatalogueEdits,
) -> None:
    message = refused(NotFound, "UNKNOWN_THEME", add_question, edits, theme_code="weather")
    assert message == "Le thème de prévention « weather » n'existe pas."
    message = refused(
        RuleViolation, "DUPLICATE_QUESTION_ID", add_question, edits, question_id="sites"
    )
    assert message == (
        "L'identifiant « sites » est déjà celui d'une question du thème « Activité de"
        " l'entreprise » : choisissez-en un autre."
    )
    add_question(edits, question_id="sites", theme_code="premises_and_equipment")
    edits.retire_prevention_question(SHIPPED, "activity", "seasonal_activity", "Inutile", STAFF)
    message = refused(
        RuleViolation, "DUPLICATE_QUESTION_ID", add_question, edits, question_id="seasonal_activity"
    )
    assert "d'une question retirée du thème" in message


def test_a_theme_does_not_ask_the_same_question_twice(edits: CatalogueEdits) -> None:
    message = refused(
        RuleViolation,
        "DUPLICATE_QUESTION",
        add_question,
        edits,
        label="nombre de sites  ou d'établissements",
    )

    assert message == (
        "La question « Nombre de sites ou d'établissements » est déjà posée dans le thème"
        " « Activité de l'entreprise »."
    )
    edits.retire_prevention_question(SHIPPED, "activity", "sites", "Reformulée", STAFF)
    add_question(edits, label="Nombre de sites ou d'établissements")


def test_a_question_is_retired_once(edits: CatalogueEdits) -> None:
    retire = edits.retire_prevention_question
    refused(NotFound, "UNKNOWN_THEME", retire, SHIPPED, "weather", "sites", "s", STAFF)
    message = refused(NotFound, "UNKNOWN_QUESTION", retire, SHIPPED, "activity", "nope", "s", STAFF)
    assert (
        message == "La question « nope » n'existe pas dans le thème « Activité de l'entreprise »."
    )
    refused(InvalidValue, "INVALID_TEXT", retire, SHIPPED, "activity", "sites", " ", STAFF)
    retire(SHIPPED, "activity", "sites", "Sans objet", STAFF)
    add_question(edits)
    retire(SHIPPED, "activity", "night_shifts", "Ajoutée par erreur", STAFF)

    assert edits.retired_questions == (
        QuestionRef("activity", "sites"),
        QuestionRef("activity", "night_shifts"),
    )
    message = refused(
        RuleViolation, "QUESTION_ALREADY_RETIRED", retire, SHIPPED, "activity", "sites", "s", STAFF
    )
    assert message == (
        "La question « Nombre de sites ou d'établissements » est déjà retirée du questionnaire."
    )


def test_a_theme_keeps_one_question_at_least(edits: CatalogueEdits) -> None:
    *others, last = SHIPPED.themes["risk_assessment"].questions
    for question_id in others:
        edits.retire_prevention_question(SHIPPED, "risk_assessment", question_id, "s", STAFF)

    with pytest.raises(RuleViolation) as raised:
        edits.retire_prevention_question(SHIPPED, "risk_assessment", last, "s", STAFF)

    assert raised.value.code == "LAST_QUESTION_OF_THEME"
    add_question(edits, theme_code="risk_assessment")
    edits.retire_prevention_question(SHIPPED, "risk_assessment", last, "s", STAFF)


# Every event carries its actor ----------------------------------------------------------------


def test_every_event_names_its_actor(edits: CatalogueEdits) -> None:
    add_risk(edits)
    edits.change_risk(SHIPPED, "noise", "Bruit", None, "s", STAFF)
    edits.retire_risk(SHIPPED, "screen_work", "s", STAFF)
    edits.add_suggested_action(SHIPPED, "noise", "noise.x", "Action", "s", STAFF)
    add_agent(edits)
    edits.retire_cmr_agent(SHIPPED, TITANIUM_DIOXIDE, None, "s", STAFF)
    add_situation(edits)
    edits.retire_work_situation(SHIPPED, "welding_fumes", "s", STAFF)
    edits.add_pcs_occupation(SHIPPED, "431e", "Sages-femmes (libérales ou salariées)", "s", STAFF)
    edits.retire_pcs_occupation(SHIPPED, "431e", "s", STAFF)
    add_question(edits)
    edits.retire_prevention_question(SHIPPED, "activity", "night_shifts", "s", STAFF)

    events = edits.collect_events()

    assert [type(e).__name__ for e in events] == [
        "CatalogueEditsStarted",
        "CatalogueRiskAdded",
        "CatalogueRiskChanged",
        "CatalogueRiskRetired",
        "CatalogueSuggestedActionAdded",
        "CatalogueCmrAgentAdded",
        "CatalogueCmrAgentRetired",
        "CatalogueWorkSituationAdded",
        "CatalogueWorkSituationRetired",
        "CataloguePcsOccupationAdded",
        "CataloguePcsOccupationRetired",
        "CataloguePreventionQuestionAdded",
        "CataloguePreventionQuestionRetired",
    ]
    assert {e.actor for e in events} == {STAFF}  # type: ignore[attr-defined]


# The catalogue in effect ----------------------------------------------------------------------


def test_without_edits_the_catalogue_in_effect_is_the_shipped_one(edits: CatalogueEdits) -> None:
    catalogue = effective(edits)

    assert catalogue.families == SHIPPED_CATALOGUE.families
    assert catalogue.cmr_agents == SHIPPED_CATALOGUE.cmr_agents
    assert catalogue.risk_suggestions == SHIPPED_CATALOGUE.risk_suggestions
    assert catalogue.sources == SHIPPED_CATALOGUE.sources
    for risk in SHIPPED_CATALOGUE.risks:
        assert catalogue.suggested_actions(risk.code) == SHIPPED_CATALOGUE.suggested_actions(
            risk.code
        )


def test_an_added_risk_comes_last_in_its_family_marked_as_added_by_the_service(
    edits: CatalogueEdits,
) -> None:
    add_risk(edits)

    catalogue = effective(edits)

    family = next(f for f in catalogue.families if f.code == "biomechanical")
    assert family.risks[-1].code == "vibrating_tools"
    risk = catalogue.risk("vibrating_tools")
    assert risk.source == ADDED_BY_SERVICE.format(source="INRS ED 6018")
    assert risk.source == "Ajouté par le service : INRS ED 6018"
    assert not risk.provisional
    assert catalogue.suggested_actions("vibrating_tools") == ()
    assert len(catalogue.risks) == len(SHIPPED_CATALOGUE.risks) + 1


def test_an_added_risk_is_provisional_when_its_source_says_so(edits: CatalogueEdits) -> None:
    add_risk(edits, source="provisoire, à relire par le médecin du travail")

    assert effective(edits).risk("vibrating_tools").provisional


def test_a_changed_risk_shows_its_new_label_and_description(edits: CatalogueEdits) -> None:
    edits.change_risk(SHIPPED, "repetitive_work", None, "Nouvelle description", "ED 957", STAFF)

    risk = effective(edits).risk("repetitive_work")

    assert risk.label == SHIPPED.risks["repetitive_work"].label
    assert risk.description == "Nouvelle description"
    assert risk.source == CHANGED_BY_SERVICE.format(source="ED 957")
    assert not risk.provisional  # the shipped row said « provisoire »: the service reviewed it


def test_a_retired_risk_is_no_longer_offered_nor_its_actions_nor_suggested(
    edits: CatalogueEdits,
) -> None:
    suggested = [r.code for r in suggest_risks(SHIPPED_CATALOGUE, [("Boulanger", "636c")])]
    assert "night_work" in suggested
    edits.retire_risk(SHIPPED, "night_work", "Hors du champ de la déclaration", STAFF)

    catalogue = effective(edits)

    assert "night_work" not in [r.code for r in catalogue.risks]
    with pytest.raises(NotFound):
        catalogue.risk("night_work")
    with pytest.raises(NotFound):
        catalogue.suggested_actions("night_work")
    assert all(rule.risk_code != "night_work" for rule in catalogue.risk_suggestions)
    assert [r.code for r in suggest_risks(catalogue, [("Boulanger", "636c")])] == [
        code for code in suggested if code != "night_work"
    ]


def test_a_family_whose_risks_are_all_retired_is_left_out(edits: CatalogueEdits) -> None:
    family = next(f for f in SHIPPED_CATALOGUE.families if f.code == "electrical")
    for risk in family.risks:
        edits.retire_risk(SHIPPED, risk.code, "s", STAFF)

    assert "electrical" not in [f.code for f in effective(edits).families]
    add_risk(edits, family_code="electrical", code="static", label="Électricité statique")
    (back,) = [f for f in effective(edits).families if f.code == "electrical"]
    assert back.label == family.label
    assert [r.code for r in back.risks] == ["static"]


def test_an_added_action_comes_after_the_shipped_ones(edits: CatalogueEdits) -> None:
    edits.add_suggested_action(SHIPPED, "noise", "noise.screens", "Écrans acoustiques", "s", STAFF)

    actions = effective(edits).suggested_actions("noise")

    assert actions[:-1] == SHIPPED_CATALOGUE.suggested_actions("noise")
    assert (actions[-1].code, actions[-1].source) == ("noise.screens", "Ajouté par le service : s")


def test_added_agents_are_found_and_retired_ones_are_not(edits: CatalogueEdits) -> None:
    add_agent(edits, name_en=None)
    edits.retire_cmr_agent(SHIPPED, "71-43-2", None, "Interdit", STAFF)

    catalogue = effective(edits)

    (found,) = catalogue.search_cmr("dioxyde de tit")
    assert (found.name, found.name_en, found.cas_number) == (
        "Dioxyde de titane",
        "",
        TITANIUM_DIOXIDE,
    )
    assert found.source == "Ajouté par le service : Règlement CLP, annexe VI"
    assert catalogue.search_cmr("13463-67") == (found,)
    assert catalogue.search_cmr("71-43-2") == ()
    assert catalogue.search_cmr("71-43-2") == ()
    assert catalogue.cmr_agents[-1] == found
    assert len(catalogue.cmr_agents) == len(SHIPPED_CATALOGUE.cmr_agents)


def test_an_added_situation_comes_after_the_last_of_its_heading_with_its_category(
    edits: CatalogueEdits,
) -> None:
    edits.retire_work_situation(SHIPPED, "lead_below_threshold", "Remplacée", STAFF)
    add_situation(
        edits,
        code="lead_in_paint",
        heading="Être exposé au plomb",
        label="Exposé(e) au plomb des peintures anciennes",
        determinant=FollowUpDeterminant.LEAD_BELOW_THRESHOLD,
    )
    add_situation(edits)

    catalogue = effective(edits)

    codes = [s.code for s in catalogue.work_situations]
    assert codes[codes.index("lead_above_threshold") + 1] == "lead_in_paint"
    assert codes[-1] == "welding_fumes", "a new heading comes last"
    assert "lead_below_threshold" not in codes
    with pytest.raises(NotFound):
        catalogue.work_situation("lead_below_threshold")
    lead = catalogue.work_situation("lead_in_paint")
    lead_gone = FollowUpRules(lead_threshold_abolished_on=date(2026, 1, 1))
    assert (lead.group, lead.category_on(date(2026, 6, 1), lead_gone), lead.source) == (
        "Être exposé au plomb",
        FollowUp.SIR,
        "Ajouté par le service : INRS ED 668",
    )
    fumes = catalogue.work_situation("welding_fumes")
    assert (fumes.determinant, fumes.category_on(date(2026, 6, 1))) == (None, None)
    assert len(codes) == len(SHIPPED_CATALOGUE.work_situations) + 1


def test_occupations_are_added_and_retired_and_suggestions_by_code_stay(
    edits: CatalogueEdits,
) -> None:
    baker = [r.code for r in suggest_risks(SHIPPED_CATALOGUE, [("Employé", "636c")])]
    nurse = [r.code for r in suggest_risks(SHIPPED_CATALOGUE, [("Employée", "431f")])]
    assert baker
    assert nurse
    edits.add_pcs_occupation(SHIPPED, "431e", "Sages-femmes", "INSEE", STAFF)
    edits.retire_pcs_occupation(SHIPPED, "636c", "Code à vérifier", STAFF)

    catalogue = effective(edits)

    added = catalogue.pcs("431E")
    assert added is not None
    assert (added.label, added.source) == ("Sages-femmes", "Ajouté par le service : INSEE")
    assert catalogue.pcs_occupations[-1] == added
    assert catalogue.pcs("636c") is None
    assert len(catalogue.pcs_occupations) == len(SHIPPED_CATALOGUE.pcs_occupations)
    assert SHIPPED_CATALOGUE.pcs("636c") is not None
    assert catalogue.risk_suggestions == SHIPPED_CATALOGUE.risk_suggestions
    assert [r.code for r in suggest_risks(catalogue, [("Employé", "636c")])] == baker
    assert [r.code for r in suggest_risks(catalogue, [("Employée", "431e")])] == nurse


def test_an_added_question_is_asked_at_the_end_of_its_theme_and_a_retired_one_no_longer(
    edits: CatalogueEdits,
) -> None:
    add_question(edits)
    edits.retire_prevention_question(SHIPPED, "activity", "sites", "Sans objet", STAFF)

    theme = effective(edits).prevention_theme("activity")

    shipped = SHIPPED_CATALOGUE.prevention_theme("activity")
    assert [q.id for q in theme.questions] == [
        *(q.id for q in shipped.questions if q.id != "sites"),
        "night_shifts",
    ]
    night = theme.question("night_shifts")
    assert (night.kind, night.required, night.integer, night.minimum, night.maximum) == (
        QuestionKind.NUMBER,
        True,
        True,
        0,
        9999,
    )
    assert "night_shifts" in missing_answers(theme, {})
    assert "sites" not in missing_answers(theme, {})
    assert check_answers(theme, {"night_shifts": 3.0}) == {"night_shifts": 3}
    with pytest.raises(InvalidValue) as out_of_range:
        check_answers(theme, {"night_shifts": 10000})
    assert out_of_range.value.code == "ANSWER_OUT_OF_RANGE"
    with pytest.raises(InvalidValue) as retired:
        check_answers(theme, {"sites": 2})
    assert retired.value.code == "UNKNOWN_QUESTION"
    others = [t for t in effective(edits).prevention_themes if t.code != "activity"]
    assert others == [t for t in SHIPPED_CATALOGUE.prevention_themes if t.code != "activity"]


def test_each_catalogue_counts_the_entries_the_service_edited(edits: CatalogueEdits) -> None:
    assert all(not SHIPPED_CATALOGUE.edit_counts(name).edited for name in SHIPPED_CATALOGUE.sources)
    add_risk(edits)
    edits.change_risk(SHIPPED, "noise", "Bruit", None, "s", STAFF)
    edits.change_risk(SHIPPED, "noise", "Bruit ambiant", None, "s", STAFF)
    edits.retire_risk(SHIPPED, "vibrating_tools", "s", STAFF)
    edits.add_suggested_action(SHIPPED, "noise", "noise.x", "Action", "s", STAFF)
    add_agent(edits)
    add_situation(edits)
    edits.retire_work_situation(SHIPPED, "psychosocial", "s", STAFF)
    edits.retire_pcs_occupation(SHIPPED, "636c", "s", STAFF)
    add_question(edits)

    catalogue = effective(edits)

    assert {name: catalogue.edit_counts(name) for name in catalogue.sources} == {
        "cmr_agents.csv": EditCounts(added=1),
        "risks.csv": EditCounts(added=1, changed=1, retired=1),
        "prevention_questionnaire.json": EditCounts(added=1),
        "suggested_actions.csv": EditCounts(added=1),
        "work_situations.csv": EditCounts(added=1, retired=1),
        "pcs_ese.csv": EditCounts(retired=1),
        "risk_suggestions.csv": EditCounts(),
    }
    assert catalogue.edit_counts("risks.csv").edited
    assert not catalogue.edit_counts("risk_suggestions.csv").edited


def test_a_snapshot_taken_before_situations_occupations_and_questions_reads_back(
    edits: CatalogueEdits,
) -> None:
    add_risk(edits)
    snapshot = Snapshot.take(edits)
    assert snapshot.state["class_version"] == 2
    for name in (
        "added_situations",
        "retired_situations",
        "added_occupations",
        "retired_occupations",
        "added_questions",
        "retired_questions",
    ):
        del snapshot.state[name]
    del snapshot.state["class_version"]  # as version 1 wrote it

    restored = snapshot.mutate(None)

    assert isinstance(restored, CatalogueEdits)
    assert restored.added_risks == edits.added_risks
    assert (restored.added_situations, restored.retired_questions) == ((), ())
    add_question(restored)
    assert len(restored.added_questions) == 1


def test_applying_edits_leaves_the_shipped_catalogue_as_it_was(edits: CatalogueEdits) -> None:
    before = (SHIPPED_CATALOGUE.families, SHIPPED_CATALOGUE.cmr_agents)
    add_risk(edits)
    edits.retire_risk(SHIPPED, "noise", "s", STAFF)
    add_agent(edits)

    effective(edits)

    assert (SHIPPED_CATALOGUE.families, SHIPPED_CATALOGUE.cmr_agents) == before
    assert default_catalogues().risk("noise").code == "noise"

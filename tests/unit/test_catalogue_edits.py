"""The service's edits of the catalogues: every rule of the `CatalogueEdits` aggregate, and the
catalogue in effect once they are applied (`Catalogues.with_edits`)."""

from typing import Any

import pytest

from application.catalogue_edits import shipped_reference
from catalogues import Catalogues, default_catalogues, suggest_risks
from domain.actor import Actor
from domain.catalogue_edits import (
    ADDED_BY_SERVICE,
    CHANGED_BY_SERVICE,
    CatalogueEdits,
    ShippedCatalogue,
)
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from domain.health import AgentKind, CmrAgent
from domain.identifiers import CasNumber

STAFF = Actor("staff-1")
SHIPPED_CATALOGUE = default_catalogues()
SHIPPED = shipped_reference(SHIPPED_CATALOGUE)
ACRYLONITRILE = "107-13-1"
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
        "name": "Acrylonitrile",
        "name_en": "Acrylonitrile",
        "cas_number": ACRYLONITRILE,
        "clp_hazard": "Carc. 1B",
        "source": "Règlement CLP, annexe VI",
    } | changes
    edits.add_cmr_agent(SHIPPED, actor=STAFF, **fields)


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
    add_agent(edits, cas_number="107 13 1", name_en="  ")

    assert event_names(edits) == ["CatalogueEditsStarted", "CatalogueCmrAgentAdded"]
    (agent,) = edits.added_cmr_agents
    assert agent.cas_number == CasNumber(ACRYLONITRILE)
    assert agent.name_en is None
    assert agent.agent == CmrAgent(AgentKind.SUBSTANCE, "Acrylonitrile", CasNumber(ACRYLONITRILE))


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
    refused(NotFound, "UNKNOWN_CMR_AGENT", retire, SHIPPED, ACRYLONITRILE, None, "s", STAFF)
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
    edits.retire_cmr_agent(SHIPPED, ACRYLONITRILE, None, "Ajouté par erreur", STAFF)

    message = refused(RuleViolation, "DUPLICATE_CAS_NUMBER", add_agent, edits)
    assert "retiré du catalogue" in message


# Every event carries its actor ----------------------------------------------------------------


def test_every_event_names_its_actor(edits: CatalogueEdits) -> None:
    add_risk(edits)
    edits.change_risk(SHIPPED, "noise", "Bruit", None, "s", STAFF)
    edits.retire_risk(SHIPPED, "screen_work", "s", STAFF)
    edits.add_suggested_action(SHIPPED, "noise", "noise.x", "Action", "s", STAFF)
    add_agent(edits)
    edits.retire_cmr_agent(SHIPPED, ACRYLONITRILE, None, "s", STAFF)

    events = edits.collect_events()

    assert [type(e).__name__ for e in events] == [
        "CatalogueEditsStarted",
        "CatalogueRiskAdded",
        "CatalogueRiskChanged",
        "CatalogueRiskRetired",
        "CatalogueSuggestedActionAdded",
        "CatalogueCmrAgentAdded",
        "CatalogueCmrAgentRetired",
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

    (found,) = catalogue.search_cmr("acrylonitri")
    assert (found.name, found.name_en, found.cas_number) == ("Acrylonitrile", "", ACRYLONITRILE)
    assert found.source == "Ajouté par le service : Règlement CLP, annexe VI"
    assert catalogue.search_cmr("107-13") == (found,)
    assert catalogue.search_cmr("benzène") == ()
    assert catalogue.search_cmr("71-43-2") == ()
    assert catalogue.cmr_agents[-1] == found
    assert len(catalogue.cmr_agents) == len(SHIPPED_CATALOGUE.cmr_agents)


def test_applying_edits_leaves_the_shipped_catalogue_as_it_was(edits: CatalogueEdits) -> None:
    before = (SHIPPED_CATALOGUE.families, SHIPPED_CATALOGUE.cmr_agents)
    add_risk(edits)
    edits.retire_risk(SHIPPED, "noise", "s", STAFF)
    add_agent(edits)

    effective(edits)

    assert (SHIPPED_CATALOGUE.families, SHIPPED_CATALOGUE.cmr_agents) == before
    assert default_catalogues().risk("noise").code == "noise"

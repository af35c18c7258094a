"""Catalogues of the annual declaration: loading, checks of the data files, queries, risk
suggestions and the prevention questionnaire."""

import math
import re
import shutil
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path

import msgspec
import pytest

from application.catalogues.loader import (
    CATALOGUE_FILES,
    CatalogueError,
    default_catalogues,
    load_catalogues,
)
from domain.catalogues.catalogue import Catalogues
from domain.catalogues.model import CmrAgentEntry, PreventionTheme, Question, Risk
from domain.catalogues.question_kinds import QuestionKind
from domain.catalogues.questionnaire import check_answers, missing_answers
from domain.catalogues.suggestions import suggest_risks
from domain.declaration.steps import Answer
from domain.errors import InvalidValue, NotFound
from domain.identifiers import CasNumber
from domain.workforce.follow_up import (
    FollowUp,
    FollowUpDeterminant,
    FollowUpRules,
    assess_follow_up,
)
from domain.workforce.health import AgentKind

D = FollowUpDeterminant
SHIPPED = Path(str(resources.files("application.catalogues.data")))


@pytest.fixture(scope="module")
def cat() -> Catalogues:
    return default_catalogues()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the shipped data files, to spoil one at a time."""
    folder = tmp_path / "data"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    text = (folder / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {name}"
    (folder / name).write_text(text.replace(old, new), encoding="utf-8")


def append(folder: Path, name: str, line: str) -> int:
    """Add a row; returns its line number."""
    with (folder / name).open("a", encoding="utf-8") as file:
        file.write(line + "\n")
    return len((folder / name).read_text(encoding="utf-8").splitlines())


def refused(folder: Path, *fragments: str) -> None:
    with pytest.raises(CatalogueError) as error:
        load_catalogues(folder)
    for fragment in fragments:
        assert fragment in str(error.value)


# Loading -------------------------------------------------------------------------------------


def test_the_shipped_catalogues_load_once(cat: Catalogues) -> None:
    assert default_catalogues() is cat
    assert len(cat.risks) >= 30
    assert len(cat.cmr_agents) > 1_000, "CLP Annex VI's carcinogens, mutagens, reprotoxics 1A/1B"
    assert len(cat.prevention_themes) == 6
    assert len(cat.pcs_occupations) >= 60
    assert len(cat.work_situations) >= len(FollowUpDeterminant)
    with_two_actions = [r for r in cat.risks if len(cat.suggested_actions(r.code)) >= 2]
    assert len(with_two_actions) >= 15


def test_a_copied_folder_loads_like_the_shipped_one(data: Path, cat: Catalogues) -> None:
    copy = load_catalogues(data)
    assert copy.risks == cat.risks
    assert copy.cmr_agents == cat.cmr_agents
    assert copy.prevention_themes == cat.prevention_themes


def test_entries_are_immutable(cat: Catalogues) -> None:
    risk = cat.risks[0]
    with pytest.raises(AttributeError):
        risk.label = "autre"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cat.sources["risks.csv"] = cat.sources["pcs_ese.csv"]  # type: ignore[index]
    assert isinstance(cat.risks, tuple)


def test_every_file_names_its_source(cat: Catalogues) -> None:
    assert set(cat.sources) == set(CATALOGUE_FILES)
    provisional = {name for name, source in cat.sources.items() if source.provisional}
    assert provisional == {
        "risks.csv",
        "prevention_questionnaire.json",
        "suggested_actions.csv",
        "pcs_ese.csv",
        "risk_suggestions.csv",
    }
    assert "CLP" in cat.sources["cmr_agents.csv"].text
    assert "26 octobre 2020" in cat.sources["cmr_agents.csv"].text


# Risks ---------------------------------------------------------------------------------------


EXPECTED_RISKS = {
    "noise",
    "lighting",
    "hand_arm_vibration",
    "whole_body_vibration",
    "heat",
    "cold",
    "manual_handling",
    "awkward_postures",
    "repetitive_work",
    "screen_work",
    "chemical_agents",
    "cmr_agents",
    "biological_agents",
    "night_work",
    "atypical_hours",
    "isolated_work",
    "psychosocial",
    "fall_from_height",
    "slip_trip_fall",
    "machines",
    "electrical",
    "road",
    "fire",
    "explosion",
    "ionising_radiation",
    "non_ionising_radiation",
}


def test_risks_cover_the_usual_families_and_risks(cat: Catalogues) -> None:
    assert [family.label for family in cat.families] == [
        "Risques biomécaniques",
        "Ambiance physique",
        "Risques chimiques",
        "Risques biologiques",
        "Rythme et organisation du travail",
        "Risques psychosociaux",
        "Risques mécaniques et chutes",
        "Risques électriques",
        "Déplacements et routier",
        "Incendie et explosion",
    ]
    assert cat.risks == tuple(risk for family in cat.families for risk in family.risks)
    assert not EXPECTED_RISKS - {risk.code for risk in cat.risks}


def test_risks_keep_the_seed_wording(cat: Catalogues) -> None:
    noise = cat.risk("noise")
    assert noise.label == "Ambiance sonore"
    assert noise.description.startswith("Travailler en environnement bruyant (outils bruyants")
    assert not noise.provisional
    assert cat.risk("lighting").label == "Ambiance lumineuse"
    assert cat.risk("manual_handling").family_code == "biomechanical"
    assert cat.risk("night_work").family_code == "work_organisation"
    assert cat.risk("repetitive_work").provisional


def test_an_unknown_risk_is_not_found(cat: Catalogues) -> None:
    with pytest.raises(NotFound) as error:
        cat.risk("teleportation")
    assert error.value.code == "UNKNOWN_RISK"
    with pytest.raises(NotFound):
        cat.suggested_actions("teleportation")


def test_suggested_actions_of_a_risk(cat: Catalogues) -> None:
    labels = [action.label for action in cat.suggested_actions("manual_handling")]
    assert labels[:2] == [
        "Évaluer les risques (réglementation)",
        "Formation et information des salariés - indication du poids de la charge",
    ]
    assert all(a.risk_code == "manual_handling" for a in cat.suggested_actions("manual_handling"))
    assert cat.suggested_actions("hyperbaric") == ()


# Work situations -----------------------------------------------------------------------------

SIA = {
    D.DISABLED_WORKER,
    D.INVALIDITY_PENSION,
    D.NIGHT_WORK,
    D.PREGNANCY,
    D.BIOLOGICAL_AGENTS_GROUP_2,
    D.ELECTROMAGNETIC_FIELDS_ABOVE_VLE,
}


def test_every_determinant_has_exactly_one_situation(cat: Catalogues) -> None:
    declared = [s.determinant for s in cat.work_situations if s.determinant is not None]
    informs_only = FollowUpDeterminant.REPORTED_SITUATION
    expected = [d.name for d in FollowUpDeterminant if d is not informs_only]
    assert sorted(d.name for d in declared) == sorted(expected)


def test_situation_categories_follow_rules_md(cat: Catalogues) -> None:
    """Before décret 2025-355 and with the lead threshold gone, every determinant takes effect."""
    on, rules = date(2025, 6, 1), FollowUpRules(lead_threshold_abolished_on=date(2025, 1, 1))
    for situation in cat.work_situations:
        if situation.determinant is None:
            assert situation.category_on(on, rules) is None
        else:
            expected = FollowUp.SIA if situation.determinant in SIA else FollowUp.SIR
            assert situation.category_on(on, rules) is expected, situation.code


@pytest.mark.parametrize("code", ["driving_authorisation", "live_electrical_work"])
def test_a_situation_s_category_follows_the_dated_rule(cat: Catalogues, code: str) -> None:
    situation = cat.work_situation(code)

    assert situation.category_on(date(2025, 9, 30)) is FollowUp.SIR
    assert situation.category_on(date(2025, 10, 1)) is None


def test_lead_below_the_threshold_has_no_category_while_the_threshold_stands(
    cat: Catalogues,
) -> None:
    assert cat.work_situation("lead_below_threshold").category_on(date(2026, 6, 1)) is None


def test_situation_categories_agree_with_the_follow_up_on_a_date_they_apply(
    cat: Catalogues,
) -> None:
    """Before décret 2025-355 and with the lead threshold gone, every determinant takes effect."""
    on = date(2025, 6, 1)
    rules = FollowUpRules(lead_threshold_abolished_on=date(2025, 1, 1))
    for situation in cat.work_situations:
        if situation.determinant is None:
            continue
        minor = situation.determinant is D.UNDER_18_REGULATED_WORK
        born = date(2009, 1, 1) if minor else date(1980, 1, 1)
        assessment = assess_follow_up([situation.determinant], born, on, rules)
        assert assessment.category is situation.category_on(on, rules), situation.code


def test_situations_of_the_seed(cat: Catalogues) -> None:
    emf = cat.work_situation("electromagnetic_fields_above_vle")
    assert emf.label == "Exposé(e) à des champs électromagnétiques si VLE dépassée"
    assert emf.group == "Être exposé à des rayonnements non-ionisants"
    assert emf.category_on(date(2026, 1, 1)) is FollowUp.SIA
    psychosocial = cat.work_situation("psychosocial")
    assert psychosocial.group == "Risques psychosociaux (RPS)"
    assert psychosocial.determinant is None
    with pytest.raises(NotFound):
        cat.work_situation("nothing")


# CMR agents ----------------------------------------------------------------------------------


def names(agents: Iterable[CmrAgentEntry]) -> list[str]:
    return [agent.name for agent in agents]


def test_the_cmr_catalogue_covers_the_harmonised_classification(cat: Catalogues) -> None:
    by_cas = {agent.cas_number: agent for agent in cat.cmr_agents if agent.cas_number}
    for cas, hazard in [
        ("107-13-1", "Carc. 1B"),  # acrylonitrile
        ("7440-43-9", "Carc. 1B"),  # cadmium
        ("1303-86-2", "Repr. 1B"),  # diboron trioxide
        ("79-06-1", "Muta. 1B"),  # acrylamide
    ]:
        assert hazard in by_cas[CasNumber(cas)].clp_hazard
    cmr_class = re.compile(r"\b(Carc|Muta|Repr)\. 1[AB]\b")
    annex_vi = [a for a in cat.cmr_agents if a.source.startswith("CLP Annex VI (ATP")]
    assert all(cmr_class.search(a.clp_hazard) for a in annex_vi)
    assert "7732-18-5" not in {str(cas) for cas in by_cas}, "water is no CMR agent"


def test_search_cmr_by_name_start(cat: Catalogues) -> None:
    found = names(cat.search_cmr("benz"))
    assert found[:3] == ["Benzène", "Benzidine", "Benzo[a]pyrène"], "the French names first"
    assert "benz[a]anthracene" in found


def test_search_cmr_is_accent_and_case_insensitive(cat: Catalogues) -> None:
    assert names(cat.search_cmr("benzene"))[0] == "Benzène"
    assert names(cat.search_cmr("EPICHLOR")) == ["Épichlorhydrine"]
    assert names(cat.search_cmr("épichlor")) == ["Épichlorhydrine"]
    assert names(cat.search_cmr("amiante  CHRYS")) == ["Amiante chrysotile"]
    assert names(cat.search_cmr("asbestos"))[:6] == names(cat.search_cmr("amiante"))
    assert names(cat.search_cmr("1,3-butadi"))[0] == "1,3-Butadiène"


def test_search_cmr_by_cas_number_prefix(cat: Catalogues) -> None:
    assert names(cat.search_cmr("71-43")) == ["Benzène"]
    assert names(cat.search_cmr("7143")) == ["Benzène"]
    assert names(cat.search_cmr(" 50-00")) == ["Formaldéhyde"]
    assert cat.search_cmr("71-44") == ()


def test_search_cmr_finds_processes_and_nothing_for_blank(cat: Catalogues) -> None:
    found = cat.search_cmr("poussières de bois")
    assert [a.kind for a in found] == [AgentKind.PROCESS]
    assert found[0].agent.validated().cas_number is None
    assert cat.search_cmr("  ") == ()


def test_cmr_entries_give_the_agent_to_record(cat: Catalogues) -> None:
    benzene = cat.search_cmr("71-43-2")[0]
    agent = benzene.agent.validated()
    assert (agent.kind, agent.name, agent.cas_number) == (AgentKind.SUBSTANCE, "Benzène", "71-43-2")
    assert benzene.clp_hazard == "Carc. 1A; Muta. 1B"


# PCS-ESE -------------------------------------------------------------------------------------


def test_pcs_lookup(cat: Catalogues) -> None:
    baker = cat.pcs("636C")
    assert baker is not None
    assert baker.label == "Boulangers, pâtissiers (sauf activité industrielle)"
    assert cat.pcs("311a") is None  # well formed, not in the provisional subset
    with pytest.raises(InvalidValue):
        cat.pcs("36c")


# Suggestions ---------------------------------------------------------------------------------


def codes(risks: Iterable[Risk]) -> list[str]:
    return [risk.code for risk in risks]


def test_suggestions_for_a_baker(cat: Catalogues) -> None:
    suggested = codes(suggest_risks(cat, [("Boulangère", None)]))
    assert {"dusts", "night_work", "manual_handling"} <= set(suggested)
    assert codes(suggest_risks(cat, [("BOULANGER-PÂTISSIER", None)]))[:3] == suggested[:3]


def test_suggestions_for_a_welder(cat: Catalogues) -> None:
    suggested = codes(suggest_risks(cat, [("Soudeur TIG", None)]))
    assert {"welding_fumes", "cmr_agents"} <= set(suggested)


def test_suggestions_for_a_nurse(cat: Catalogues) -> None:
    suggested = codes(suggest_risks(cat, [("Infirmière de bloc opératoire", None)]))
    assert {"biological_agents", "night_work", "psychosocial"} <= set(suggested)


def test_suggestions_from_a_pcs_code_alone(cat: Catalogues) -> None:
    assert codes(suggest_risks(cat, [("Employé", "636c")])) == codes(
        suggest_risks(cat, [("Boulanger", None)])
    )
    assert "blood_exposure" in codes(suggest_risks(cat, [("Employé", "431F")]))


def test_suggestions_are_in_catalogue_order_without_duplicates(cat: Catalogues) -> None:
    jobs = [("Boulanger", "636c"), ("Boulangère", None), ("Soudeuse", "623c")]
    suggested = suggest_risks(cat, jobs)
    assert len(suggested) == len(set(codes(suggested)))
    order = [risk.code for risk in cat.risks]
    assert codes(suggested) == sorted(codes(suggested), key=order.index)


def test_keywords_match_the_start_of_a_word(cat: Catalogues) -> None:
    assert suggest_risks(cat, [("Technicien de débouchage", None)]) == []
    assert "manual_handling" in codes(suggest_risks(cat, [("aide-soignante de nuit", None)]))


def test_nothing_suggested_for_an_unknown_job_or_a_malformed_pcs_code(cat: Catalogues) -> None:
    assert suggest_risks(cat, [("Astronaute", "xyz"), ("Astronaute", "  ")]) == []
    assert suggest_risks(cat, []) == []


# Checks of the data files --------------------------------------------------------------------


def test_a_missing_file_is_refused(data: Path) -> None:
    (data / "risks.csv").unlink()
    refused(data, "risks.csv : fichier absent")


def test_sources_must_name_every_file(data: Path) -> None:
    edit(data, "sources.json", '"pcs_ese.csv"', '"pcs.csv"')
    refused(data, "sources.json", "pcs_ese.csv", "pcs.csv")


def test_sources_must_not_be_blank(data: Path) -> None:
    text = (data / "sources.json").read_text(encoding="utf-8")
    start = text.index('"source"', text.index('"pcs_ese.csv"'))
    end = text.index('",', start)
    (data / "sources.json").write_text(text[:start] + '"source": "  ' + text[end:], "utf-8")
    refused(data, "source vide pour pcs_ese.csv")


CMR_SOURCED = '"provisional": false\n  },\n  "risks.csv"'
SITUATIONS_SOURCED = '"provisional": false\n  },\n  "pcs_ese.csv"'


def test_sources_must_be_well_formed(data: Path) -> None:
    edit(data, "sources.json", CMR_SOURCED, CMR_SOURCED.replace("false", '"non"'))
    refused(data, "sources.json", "Expected `bool`")


def test_a_csv_needs_its_columns(data: Path) -> None:
    edit(data, "pcs_ese.csv", "code,label", "code,libelle")
    refused(data, "pcs_ese.csv, ligne 1", "colonnes attendues : code,label")


def test_a_row_needs_as_many_fields_as_columns(data: Path) -> None:
    line = append(data, "pcs_ese.csv", "999z")
    refused(data, f"pcs_ese.csv, ligne {line}", "nombre de colonnes")
    edit(data, "pcs_ese.csv", "999z\n", "311a,Médecins libéraux,trop\n")
    refused(data, f"pcs_ese.csv, ligne {line}", "nombre de colonnes")


def test_a_malformed_csv_is_refused(data: Path) -> None:
    line = append(data, "pcs_ese.csv", '311a,"Médecins')
    refused(data, f"pcs_ese.csv, ligne {line}", "unexpected end of data")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "noise,physical_environment,Ambiance physique,Bruit,Trop de bruit,provisoire",
            "code en double",
        ),
        (
            "din,physical_environment,Ambiance physique,Ambiance sonore,Bruit,provisoire",
            "libellé en double",
        ),
        ("Bad-Code,physical_environment,Ambiance physique,Autre,Autre,provisoire", "Bad-Code"),
        ("other,physical_environment,Ambiances,Autre,Autre,provisoire", "s'appelle déjà"),
        (
            "other,physical_environment,Ambiance physique,,Autre,provisoire",
            "colonne label est vide",
        ),
        ("other,physical_environment,Ambiance physique,Autre,Autre,", "colonne source est vide"),
    ],
)
def test_bad_risks_are_refused(data: Path, row: str, message: str) -> None:
    line = append(data, "risks.csv", row)
    refused(data, f"risks.csv, ligne {line}", message)


def test_a_provisional_row_needs_a_provisional_file(data: Path) -> None:
    edit(data, "work_situations.csv", "Code du travail R4624-23 III", "provisoire")
    refused(data, "work_situations.csv, ligne", "provisoire")
    edit(data, "sources.json", SITUATIONS_SOURCED, SITUATIONS_SOURCED.replace("false", "true"))
    assert load_catalogues(data).work_situation("employer_declared_risk").provisional


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "x.one,teleportation,Se téléporter prudemment,provisoire",
            "risque « teleportation » inconnu",
        ),
        ("noise.measure,noise,Autre mesure,provisoire", "code en double : noise.measure"),
        (
            "noise.again,noise,Mesurer l'exposition au bruit des salariés,provisoire",
            "action en double",
        ),
    ],
)
def test_bad_suggested_actions_are_refused(data: Path, row: str, message: str) -> None:
    line = append(data, "suggested_actions.csv", row)
    refused(data, f"suggested_actions.csv, ligne {line}", message)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,Autres,Autre,TELEPORTATION,loi", "déterminant « TELEPORTATION » inconnu"),
        ("x,Autres,Nuit,NIGHT_WORK,SIA,loi", "nombre de colonnes incorrect"),
        ("psychosocial,Autres,Autre,,loi", "code en double"),
    ],
)
def test_bad_work_situations_are_refused(data: Path, row: str, message: str) -> None:
    line = append(data, "work_situations.csv", row)
    refused(data, f"work_situations.csv, ligne {line}", message)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("substance,71-43-3,Benzène bis,Benzene,Carc. 1A,CLP", "numéro CAS « 71-43-3 »"),
        ("substance,,Sans numéro,No number,Carc. 1A,CLP", "numéro CAS"),
        (
            "process,71-43-2,Procédé numéroté,Process,Carc.,arrêté",
            "Un procédé n'a pas de numéro CAS",
        ),
        ("mixture,,Mélange,Mixture,Carc.,CLP", "type d'agent « mixture » inconnu"),
        ("substance,71-43-2,Benzène encore,Benzene,Carc. 1A,CLP", "numéro CAS en double"),
        ("process,,Fabrication d'auramine,Auramine,Carc.,arrêté", "nom en double"),
    ],
)
def test_bad_cmr_agents_are_refused(data: Path, row: str, message: str) -> None:
    line = append(data, "cmr_agents.csv", row)
    refused(data, f"cmr_agents.csv, ligne {line}", message)


@pytest.mark.parametrize(
    ("row", "message"),
    [("36c,Trop court", "Le code PCS-ESE « 36c »"), ("344B,Médecins", "code en double : 344b")],
)
def test_bad_pcs_codes_are_refused(data: Path, row: str, message: str) -> None:
    line = append(data, "pcs_ese.csv", row)
    refused(data, f"pcs_ese.csv, ligne {line}", message)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",boulang,teleportation,provisoire", "risque « teleportation » inconnu"),
        ("636c,boulang,noise,provisoire", "l'un ou l'autre"),
        (",  - ,noise,provisoire", "l'un ou l'autre"),
        ("699z,,noise,provisoire", "« 699z » ne couvre aucun code"),
        ("7,,noise,provisoire", "« 7 » ne couvre aucun code"),
        ("636c,,dusts,provisoire", "suggestion en double"),
        (",Boulang,dusts,provisoire", "suggestion en double"),
    ],
)
def test_bad_risk_suggestions_are_refused(data: Path, row: str, message: str) -> None:
    line = append(data, "risk_suggestions.csv", row)
    refused(data, f"risk_suggestions.csv, ligne {line}", message)


SITES = '"kind": "number", "integer": true, "min": 1, "max": 999'
CHOICES = '"choices": ["Jamais", "Occasionnellement", "Souvent", "En permanence"]'


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"kind": "yes_no"', '"kind": "slider"', "Invalid enum value 'slider'"),
        ('"required": true}', '"required": true, "hint": "?"}', "unknown field `hint`"),
        (CHOICES, '"choices": []', "vont aux questions à choix"),
        (CHOICES, '"choices": ["Jamais", "Jamais"]', "distincts et non vides"),
        (CHOICES, '"choices": ["Jamais"]', "au moins deux choix"),
        ('"kind": "yes_no"', '"kind": "yes_no", "choices": ["Oui", "Non"]', "questions à choix"),
        (SITES, '"kind": "number", "min": 10, "max": 1', "minimum dépasse le maximum"),
        ('"kind": "text"', '"kind": "text", "max": 10', "aux nombres seulement"),
        ('"id": "sites"', '"id": "main_activity"', "en double"),
        ('"code": "risk_assessment"', '"code": "activity"', "thème « activity » : code en double"),
        ('"label": "Locaux et équipements"', '"label": " "', "obligatoires"),
    ],
)
def test_bad_questionnaires_are_refused(data: Path, old: str, new: str, message: str) -> None:
    text = (data / "prevention_questionnaire.json").read_text(encoding="utf-8")
    (data / "prevention_questionnaire.json").write_text(text.replace(old, new, 1), "utf-8")
    refused(data, "prevention_questionnaire.json", message)


# Prevention questionnaire --------------------------------------------------------------------


def test_the_six_themes_of_the_seed(cat: Catalogues) -> None:
    assert [theme.label for theme in cat.prevention_themes] == [
        "Activité de l'entreprise",
        "Accidents du travail et maladies professionnelles",
        "Situations particulières",
        "Locaux et équipements",
        "Sécurité et prévention",
        "Évaluation des risques",
    ]
    assert all(3 <= len(theme.questions) <= 8 for theme in cat.prevention_themes)
    kinds = {q.kind for theme in cat.prevention_themes for q in theme.questions}
    assert kinds == set(QuestionKind)
    with pytest.raises(NotFound):
        cat.prevention_theme("weather")


@pytest.fixture
def activity(cat: Catalogues) -> PreventionTheme:
    return cat.prevention_theme("activity")


COMPLETE_ACTIVITY: dict[str, Answer] = {
    "main_activity": "  Boulangerie-pâtisserie ",
    "sites": 2.0,
    "works_at_client_sites": False,
    "seasonal_activity": False,
    "temporary_workers": True,
    "working_hours": ["Week-end", "Travail de nuit", "Week-end"],
}


def test_answers_are_checked_and_cleaned(activity: PreventionTheme) -> None:
    checked = check_answers(activity, COMPLETE_ACTIVITY)
    assert checked == {
        "main_activity": "Boulangerie-pâtisserie",
        "sites": 2,
        "works_at_client_sites": False,
        "seasonal_activity": False,
        "temporary_workers": True,
        "working_hours": ["Travail de nuit", "Week-end"],
    }
    assert isinstance(checked["sites"], int)
    assert list(checked) == [q.id for q in activity.questions]
    assert missing_answers(activity, checked) == []


def test_missing_answers_name_the_required_questions(activity: PreventionTheme) -> None:
    assert missing_answers(activity, {}) == [q.id for q in activity.questions if q.required]
    partial = {"main_activity": "   ", "sites": 1, "works_at_client_sites": False}
    assert missing_answers(activity, {**partial, "working_hours": []}) == [
        "main_activity",
        "seasonal_activity",
        "temporary_workers",
        "working_hours",
    ]


def test_optional_questions_are_never_missing(cat: Catalogues) -> None:
    theme = cat.prevention_theme("accidents_and_diseases")
    answers = {"accidents_last_year": 0, "occupational_diseases": 0}
    assert missing_answers(theme, {**answers, "job_retention_difficulties": False}) == []


def test_blank_answers_are_left_out(activity: PreventionTheme) -> None:
    assert check_answers(activity, {"main_activity": " ", "working_hours": []}) == {}


@pytest.mark.parametrize(
    ("question_id", "value", "code", "message"),
    [
        ("temporary_workers", 1, "INVALID_ANSWER", "attend la réponse oui ou non"),
        ("temporary_workers", "oui", "INVALID_ANSWER", "attend la réponse oui ou non"),
        ("sites", True, "INVALID_ANSWER", "attend un nombre"),
        ("sites", "2", "INVALID_ANSWER", "attend un nombre"),
        ("sites", math.nan, "INVALID_ANSWER", "attend un nombre"),
        ("sites", 2.5, "INVALID_ANSWER", "attend un nombre entier"),
        ("sites", 0, "ANSWER_OUT_OF_RANGE", "doit être comprise entre 1 et 999"),
        ("sites", 1000, "ANSWER_OUT_OF_RANGE", "doit être comprise entre 1 et 999"),
        ("working_hours", "Journée", "INVALID_ANSWER", "attend une liste de choix"),
        ("working_hours", ["Journée", 3], "INVALID_ANSWER", "attend une liste de choix"),
        ("working_hours", ["Journée", "Sieste"], "NOT_A_CHOICE", "« Sieste » n'est pas un choix"),
        ("main_activity", ["Pain"], "INVALID_ANSWER", "attend un texte"),
        ("main_activity", "x" * 2001, "TEXT_TOO_LONG", "ne peut dépasser 2000 caractères"),
        ("main_activity", "Pain\u202e", "INVALID_TEXT", "caractère invisible"),
        ("main_activity", "Pa\x00in", "INVALID_TEXT", "caractère de contrôle, U+0000"),
        ("main_activity", "Pain\u200b", "INVALID_TEXT", "caractère invisible"),
        ("working_hours", ["\u202eSieste"], "NOT_A_CHOICE", "« ?Sieste » n'est pas un choix"),
    ],
)
def test_wrong_answers_are_refused_naming_the_question(
    activity: PreventionTheme, question_id: str, value: object, code: str, message: str
) -> None:
    with pytest.raises(InvalidValue) as error:
        check_answers(activity, {question_id: value})  # type: ignore[dict-item]
    assert error.value.code == code
    assert error.value.field == question_id
    assert f"« {activity.question(question_id).label} »" in error.value.message
    assert message in error.value.message


def test_a_single_choice_must_be_one_of_the_choices(cat: Catalogues) -> None:
    theme = cat.prevention_theme("particular_situations")
    assert check_answers(theme, {"public_contact": "Souvent"}) == {"public_contact": "Souvent"}
    with pytest.raises(InvalidValue) as error:
        check_answers(theme, {"public_contact": "Parfois"})
    assert "choix possibles : Jamais, Occasionnellement, Souvent, En permanence" in str(error.value)
    with pytest.raises(InvalidValue, match="attend un des choix proposés"):
        check_answers(theme, {"public_contact": ["Souvent"]})


def test_an_unknown_question_is_refused(activity: PreventionTheme) -> None:
    with pytest.raises(InvalidValue) as error:
        check_answers(activity, {"favourite_colour": "bleu"})
    assert error.value.code == "UNKNOWN_QUESTION"
    assert "« Activité de l'entreprise »" in error.value.message


def number_theme(**bounds: float) -> PreventionTheme:
    question = Question(id="area", label="Surface", kind=QuestionKind.NUMBER, required=False)
    return PreventionTheme(
        code="t", label="T", questions=(msgspec.structs.replace(question, **bounds),)
    )


@pytest.mark.parametrize(
    ("bounds", "value", "message"),
    [
        ({"minimum": 0.5}, 0.25, "doit être au moins 0,5."),
        ({"maximum": 1_000_000}, 1_000_001, "doit être au plus 1\xa0000\xa0000."),
        ({"minimum": 1, "maximum": 2.5}, 3, "comprise entre 1 et 2,5."),
    ],
)
def test_range_messages_write_numbers_the_french_way(
    bounds: dict[str, float], value: float, message: str
) -> None:
    with pytest.raises(InvalidValue) as error:
        check_answers(number_theme(**bounds), {"area": value})
    assert error.value.message.endswith(message)


def test_numbers_without_bounds_take_decimals(cat: Catalogues) -> None:
    assert check_answers(number_theme(), {"area": 12.5}) == {"area": 12.5}
    theme = cat.prevention_theme("premises_and_equipment")
    assert check_answers(theme, {"floor_area": 80.5}) == {"floor_area": 80.5}

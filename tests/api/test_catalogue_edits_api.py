"""The service's staff edit the catalogues over GraphQL, on both stores, and the catalogue
queries show the effect at once: `riskCatalogue` lists an added risk and not a retired one,
`suggestedActions` the added action, `cmrAgents` finds an added agent and no longer a retired
one, `workSituations` an added situation (which `assignWorkSituation` assigns) and no longer a
retired one (which it refuses), `preventionQuestionnaire` an added question and no longer a
retired one, `catalogueSources` what the service edited in each catalogue; step 4 of a
declaration waits for the answer to an added required question, step 5 accepts the added risk
and refuses the retired one, the risks suggested by PCS-ESE code stay whatever the occupations
listed. Refusals are typed failures in French; a member's administrator may edit nothing."""

from datetime import date
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from api.services import Services
from application.catalogues.loader import default_catalogues
from domain.catalogues.edits import CatalogueEdits
from domain.catalogues.suggestions import suggest_risks
from messaging.mailer import OutboxMailer
from tests.api.graphql_client import (
    FAILURES,
    a_contract,
    data,
    graphql,
    hire,
    mutate,
    register_member,
    request_id,
)
from tests.api.sessions import create_first_account, sign_in
from tests.integration.test_catalogue_edits import (
    answer_every_required_question,
    up_to_the_prevention_step,
    up_to_the_risks_step,
)

RISK_CATALOGUE = "{ riskCatalogue { code risks { code label description source provisional } } }"
CMR_AGENTS = """
query($search: String!) { cmrAgents(search: $search) { kind casNumber name nameEn source } }
"""
ACTIONS = """
query($riskCode: String!) { suggestedActions(riskCode: $riskCode) { code label source } }
"""
EDITED = "... on CatalogueEdited { aggregateId version }"
VIBRATING_TOOLS = {
    "familyCode": "biomechanical",
    "code": "vibrating_tools",
    "label": "Outils vibrants",
    "description": "Utiliser des outils portatifs vibrants (meuleuses, marteaux-piqueurs…)",
    "source": "INRS ED 6018",
}
STYRENE = {
    "kind": "SUBSTANCE",
    "name": "Styrène",
    "casNumber": "100-42-5",
    "clpHazard": "Repr. 2",
    "source": "Fiche de données de sécurité du fournisseur",
}
SITUATIONS = """
query($search: String) {
  workSituations(search: $search) { code heading label determinant category source provisional }
}"""
ASSIGN = f"""
mutation($input: AssignWorkSituationInput!) {{
  assignWorkSituation(input: $input) {{
    __typename
    ... on AssignWorkSituationSuccess {{ situation {{ code category }} assignedIds }}
    {FAILURES}
  }}
}}"""
ASSIGNMENTS = """
query($memberId: UUID!) {
  workSituationAssignments(memberId: $memberId) { situation { code } employees { id } }
}"""
NIGHT_SHIFTS = {
    "code": "night_shifts",
    "heading": "travailler DE NUIT",
    "label": "Travail posté de nuit",
    "determinant": "NIGHT_WORK",
    "source": "Code du travail R4624-17",
}
QUESTIONNAIRE = """
{ preventionQuestionnaire { code questions { id label kind required choices integer min max } } }
"""
NIGHT_WORKERS = {
    "themeCode": "activity",
    "questionId": "night_workers",
    "label": "Combien de salariés travaillent de nuit ?",
    "kind": "NUMBER",
    "required": True,
    "integer": True,
    "min": 0,
    "max": 9999,
    "source": "Demande du médecin du travail",
}
SOURCES = "{ catalogueSources { catalogue editedByService added changed retired } }"
SUGGESTIONS = """
query($memberId: UUID!, $year: Int!) { riskSuggestions(memberId: $memberId, year: $year) { code } }
"""


def edit(client: TestClient, name: str, fields: dict[str, Any]) -> Any:
    input_type = name[0].upper() + name[1:] + "Input"
    query = f"""
    mutation Edit($input: {input_type}!) {{
      {name}(input: $input) {{ __typename {EDITED} {FAILURES} ... on ForbiddenError {{ code }} }}
    }}"""
    body = graphql(client, query, {"input": {"requestId": request_id(), **fields}})
    assert "errors" not in body, body["errors"]
    return body["data"][name]


def edited(client: TestClient, name: str, fields: dict[str, Any]) -> Any:
    result = edit(client, name, fields)
    assert result["__typename"] == "CatalogueEdited", result
    return result


def risks(client: TestClient) -> dict[str, dict[str, Any]]:
    families = data(client, RISK_CATALOGUE)["riskCatalogue"]
    return {risk["code"]: risk for family in families for risk in family["risks"]}


def cmr_names(client: TestClient, search: str) -> list[str]:
    return [agent["name"] for agent in data(client, CMR_AGENTS, {"search": search})["cmrAgents"]]


def test_risks_are_added_changed_and_retired(client: TestClient) -> None:
    assert "vibrating_tools" not in risks(client)

    added = edited(client, "addCatalogueRisk", VIBRATING_TOOLS)
    edited(client, "changeCatalogueRisk", {"code": "noise", "label": "Bruit", "source": "ED 6035"})
    last = edited(client, "retireCatalogueRisk", {"code": "screen_work", "source": "Doublon"})

    assert added["aggregateId"] == str(CatalogueEdits.create_id())
    assert (added["version"], last["version"]) == (2, 4)
    listed = risks(client)
    assert listed["vibrating_tools"] == {
        "code": "vibrating_tools",
        "label": "Outils vibrants",
        "description": VIBRATING_TOOLS["description"],
        "source": "Ajouté par le service : INRS ED 6018",
        "provisional": False,
    }
    assert list(listed).index("vibrating_tools") < list(listed).index("noise"), "its family's"
    assert listed["noise"]["label"] == "Bruit"
    assert listed["noise"]["source"] == "Modifié par le service : ED 6035"
    assert "screen_work" not in listed


def test_an_action_is_suggested_for_an_added_risk(client: TestClient) -> None:
    edited(client, "addCatalogueRisk", VIBRATING_TOOLS)
    action = {
        "riskCode": "vibrating_tools",
        "code": "vibrating_tools.low_vibration",
        "label": "Choisir des outils à faibles vibrations",
        "source": "INRS ED 6018",
    }
    edited(client, "addSuggestedAction", action)

    actions = data(client, ACTIONS, {"riskCode": "vibrating_tools"})["suggestedActions"]

    assert actions == [
        {
            "code": "vibrating_tools.low_vibration",
            "label": "Choisir des outils à faibles vibrations",
            "source": "Ajouté par le service : INRS ED 6018",
        }
    ]
    edited(client, "retireCatalogueRisk", {"code": "vibrating_tools", "source": "Erreur"})
    assert data(client, ACTIONS, {"riskCode": "vibrating_tools"})["suggestedActions"] == []


def test_cmr_agents_are_added_and_retired(client: TestClient) -> None:
    assert cmr_names(client, "100-42-5") == []

    edited(client, "addCmrAgent", STYRENE)
    edited(
        client,
        "addCmrAgent",
        {
            "kind": "PROCESS",
            "name": "Travaux exposant aux fumées de soudage",
            "nameEn": "Welding fumes",
            "clpHazard": "Carc.",
            "source": "CIRC, groupe 1",
        },
    )
    edited(client, "retireCmrAgent", {"casNumber": "71-43-2", "source": "Plus utilisé"})
    edited(client, "retireCmrAgent", {"name": "fabrication d'auramine", "source": "Plus utilisé"})

    found = data(client, CMR_AGENTS, {"search": "100-42"})["cmrAgents"]
    assert found == [
        {
            "kind": "SUBSTANCE",
            "casNumber": "100-42-5",
            "name": "Styrène",
            "nameEn": "",
            "source": "Ajouté par le service : Fiche de données de sécurité du fournisseur",
        }
    ]
    assert "Styrène" in cmr_names(client, "styrène")
    assert cmr_names(client, "welding") == ["Travaux exposant aux fumées de soudage"]
    assert "Benzène" not in cmr_names(client, "benzène")
    assert cmr_names(client, "auramine") == []


def questions(client: TestClient, theme: str) -> list[dict[str, Any]]:
    themes = data(client, QUESTIONNAIRE)["preventionQuestionnaire"]
    found: list[dict[str, Any]] = next(t["questions"] for t in themes if t["code"] == theme)
    return found


def test_work_situations_are_added_assigned_and_retired(client: TestClient) -> None:
    member_id = register_member(client)
    employee_id = hire(client, member_id)["aggregateId"]
    taken = edit(client, "addWorkSituation", NIGHT_SHIFTS)
    edited(client, "retireWorkSituation", {"code": "night_work", "source": "Reformulée"})
    edited(client, "addWorkSituation", NIGHT_SHIFTS)
    edited(
        client,
        "addWorkSituation",
        {
            "code": "welding_fumes",
            "heading": "Être exposé à des fumées",
            "label": "Exposé(e) aux fumées de soudage",
            "source": "provisoire",
        },
    )

    listed = data(client, SITUATIONS, {"search": "posté nuit"})["workSituations"]
    assert listed == [
        {
            "code": "night_shifts",
            "heading": "Travailler de nuit",
            "label": "Travail posté de nuit",
            "determinant": "NIGHT_WORK",
            "category": "SIA",
            "source": "Ajouté par le service : Code du travail R4624-17",
            "provisional": False,
        }
    ]
    every = [s["code"] for s in data(client, SITUATIONS)["workSituations"]]
    assert "night_work" not in every
    assert every[-1] == "welding_fumes"
    assert (taken["__typename"], taken["code"], taken["field"]) == (
        "RuleViolationError",
        "DUPLICATE_SITUATION_DETERMINANT",
        "determinant",
    )

    def assign(code: str) -> Any:
        fields = {
            "requestId": request_id(),
            "memberId": member_id,
            "situationCode": code,
            "employeeIds": [employee_id],
            "startedOn": "2024-03-01",
        }
        return data(client, ASSIGN, {"input": fields})["assignWorkSituation"]

    assigned = assign("night_shifts")
    retired = assign("night_work")
    informative = assign("welding_fumes")

    assert assigned == {
        "__typename": "AssignWorkSituationSuccess",
        "situation": {"code": "night_shifts", "category": "SIA"},
        "assignedIds": [employee_id],
    }
    assert (retired["__typename"], retired["code"]) == ("NotFoundError", "UNKNOWN_WORK_SITUATION")
    assert (informative["__typename"], informative["assignedIds"]) == (
        "AssignWorkSituationSuccess",
        [employee_id],
    ), "a situation that informs only is assigned too (issue 15)"
    listed = data(client, ASSIGNMENTS, {"memberId": member_id})["workSituationAssignments"]
    assert listed == [
        {"situation": {"code": "night_shifts"}, "employees": [{"id": employee_id}]},
        {"situation": {"code": "welding_fumes"}, "employees": [{"id": employee_id}]},
    ]


def test_pcs_occupations_are_added_and_retired_and_suggestions_by_code_stay(
    client: TestClient,
) -> None:
    member_id = register_member(client)
    hire(client, member_id, "Paul", terms=a_contract(jobTitle="Employé", pcsCode="636c"))
    hire(client, member_id, "Léa", terms=a_contract(jobTitle="Employée", pcsCode="431e"))
    year = client.app.state.services.clock.today().year
    expected = [
        r.code
        for r in suggest_risks(default_catalogues(), [("Employé", "636c"), ("Employée", "431e")])
    ]
    before = data(client, SUGGESTIONS, {"memberId": member_id, "year": year})["riskSuggestions"]

    edited(client, "addPcsOccupation", {"code": "431E", "label": "Sages-femmes", "source": "INSEE"})
    edited(client, "retirePcsOccupation", {"code": "636c", "source": "Code à vérifier"})
    twice = edit(client, "retirePcsOccupation", {"code": "636c", "source": "Code à vérifier"})
    malformed = edit(client, "addPcsOccupation", {"code": "4311", "label": "X", "source": "s"})
    taken = edit(client, "addPcsOccupation", {"code": "431e", "label": "X", "source": "s"})

    after = data(client, SUGGESTIONS, {"memberId": member_id, "year": year})["riskSuggestions"]
    assert [r["code"] for r in before] == [r["code"] for r in after] == expected
    assert {"dusts", "biological_agents"} <= set(expected)
    assert (twice["__typename"], twice["code"]) == (
        "RuleViolationError",
        "PCS_OCCUPATION_ALREADY_RETIRED",
    )
    assert (malformed["__typename"], malformed["code"], malformed["field"]) == (
        "ValidationError",
        "INVALID_PCS_CODE",
        "code",
    )
    assert taken["message"] == "Le code PCS-ESE 431e est déjà celui de « Sages-femmes »."
    sources = {s["catalogue"]: s for s in data(client, SOURCES)["catalogueSources"]}
    assert sources["pcs_ese.csv"] == {
        "catalogue": "pcs_ese.csv",
        "editedByService": True,
        "added": 1,
        "changed": 0,
        "retired": 1,
    }


def test_prevention_questions_are_added_and_retired(client: TestClient) -> None:
    shipped = questions(client, "activity")

    edited(client, "addPreventionQuestion", NIGHT_WORKERS)
    edited(
        client,
        "addPreventionQuestion",
        {
            "themeCode": "activity",
            "questionId": "shift_patterns",
            "label": "Organisation des équipes",
            "kind": "CHOICE",
            "required": False,
            "choices": ["2 x 8", " 3 x 8 "],
            "source": "s",
        },
    )
    edited(
        client,
        "retirePreventionQuestion",
        {"themeCode": "activity", "questionId": "sites", "source": "Sans objet"},
    )

    asked = questions(client, "activity")
    assert [q["id"] for q in asked] == [
        *(q["id"] for q in shipped if q["id"] != "sites"),
        "night_workers",
        "shift_patterns",
    ]
    assert asked[-2:] == [
        {
            "id": "night_workers",
            "label": "Combien de salariés travaillent de nuit ?",
            "kind": "NUMBER",
            "required": True,
            "choices": [],
            "integer": True,
            "min": 0.0,
            "max": 9999.0,
        },
        {
            "id": "shift_patterns",
            "label": "Organisation des équipes",
            "kind": "CHOICE",
            "required": False,
            "choices": ["2 x 8", "3 x 8"],
            "integer": False,
            "min": None,
            "max": None,
        },
    ]


def test_a_question_is_refused_a_form_the_shipped_ones_could_not_have(client: TestClient) -> None:
    one_choice = edit(
        client,
        "addPreventionQuestion",
        NIGHT_WORKERS | {"kind": "CHOICE", "choices": ["Oui"], "integer": False, "min": None},
    )
    bounds = edit(client, "addPreventionQuestion", NIGHT_WORKERS | {"min": 10, "max": 1})
    taken = edit(client, "addPreventionQuestion", NIGHT_WORKERS | {"questionId": "sites"})
    weather = edit(client, "addPreventionQuestion", NIGHT_WORKERS | {"themeCode": "weather"})
    unknown = edit(
        client,
        "retirePreventionQuestion",
        {"themeCode": "activity", "questionId": "nope", "source": "s"},
    )

    assert (one_choice["__typename"], one_choice["code"], one_choice["field"]) == (
        "ValidationError",
        "TOO_FEW_CHOICES",
        "choices",
    )
    assert (bounds["code"], bounds["field"], bounds["message"]) == (
        "INVALID_BOUNDS",
        "max",
        "Le minimum dépasse le maximum.",
    )
    assert (taken["__typename"], taken["code"], taken["field"]) == (
        "RuleViolationError",
        "DUPLICATE_QUESTION_ID",
        "questionId",
    )
    assert (weather["__typename"], weather["code"]) == ("NotFoundError", "UNKNOWN_THEME")
    assert unknown["message"] == (
        "La question « nope » n'existe pas dans le thème « Activité de l'entreprise »."
    )
    assert "night_workers" not in [q["id"] for q in questions(client, "activity")]


def open_this_years_campaign(client: TestClient) -> int:
    year = client.app.state.services.clock.today().year
    opened = mutate(
        client,
        "openCampaign",
        "OpenCampaignInput",
        {
            "year": year,
            "opensOn": date(year, 1, 1).isoformat(),
            "deadline": date(year, 12, 31).isoformat(),
            "ratePerCapita": "79.5",
            "toolPrice": "150",
        },
    )
    assert opened["__typename"] == "CampaignChanged", opened
    return year


def test_step_4_waits_for_the_answer_to_an_added_required_question(
    client: TestClient, services: Services
) -> None:
    year = open_this_years_campaign(client)
    member_id = register_member(client)
    up_to_the_prevention_step(services.app, UUID(member_id), year)
    answer_every_required_question(services.app, UUID(member_id), year)
    edited(client, "addPreventionQuestion", NIGHT_WORKERS)
    step = {"memberId": member_id, "year": year, "step": "PREVENTION"}

    held_up = mutate(client, "completeDeclarationStep", "CompleteStepInput", step)
    answered = mutate(
        client,
        "answerPrevention",
        "PreventionAnswersInput",
        {"memberId": member_id, "year": year, "theme": "activity", "answers": {"night_workers": 2}},
    )
    completed = mutate(client, "completeDeclarationStep", "CompleteStepInput", step)

    assert (held_up["__typename"], held_up["code"]) == ("RuleViolationError", "STEP_INCOMPLETE")
    assert "« Activité de l'entreprise » : 1 question(s) sans réponse" in held_up["message"]
    assert answered["__typename"] == "DeclarationChanged", answered
    assert completed["__typename"] == "DeclarationChanged", completed


def test_catalogue_sources_say_what_the_service_edited(client: TestClient) -> None:
    untouched = data(client, SOURCES)["catalogueSources"]
    assert {(s["editedByService"], s["added"], s["changed"], s["retired"]) for s in untouched} == {
        (False, 0, 0, 0)
    }

    edited(client, "addCatalogueRisk", VIBRATING_TOOLS)
    edited(client, "changeCatalogueRisk", {"code": "noise", "label": "Bruit", "source": "s"})
    edited(
        client, "changeCatalogueRisk", {"code": "noise", "label": "Bruit ambiant", "source": "s"}
    )
    edited(client, "retireCatalogueRisk", {"code": "vibrating_tools", "source": "Erreur"})
    edited(client, "addCmrAgent", STYRENE)
    edited(client, "addWorkSituation", NIGHT_SHIFTS | {"determinant": None, "code": "shifts"})
    edited(client, "addPreventionQuestion", NIGHT_WORKERS)
    edited(
        client,
        "retirePreventionQuestion",
        {"themeCode": "activity", "questionId": "sites", "source": "Sans objet"},
    )

    sources = {s.pop("catalogue"): s for s in data(client, SOURCES)["catalogueSources"]}
    counts = {name: (s["added"], s["changed"], s["retired"]) for name, s in sources.items()}
    assert counts == {
        "cmr_agents.csv": (1, 0, 0),
        "risks.csv": (1, 1, 1),
        "prevention_questionnaire.json": (1, 0, 1),
        "suggested_actions.csv": (0, 0, 0),
        "work_situations.csv": (1, 0, 0),
        "pcs_ese.csv": (0, 0, 0),
        "risk_suggestions.csv": (0, 0, 0),
    }
    assert [name for name, s in sources.items() if s["editedByService"]] == [
        "cmr_agents.csv",
        "risks.csv",
        "prevention_questionnaire.json",
        "work_situations.csv",
    ]


def test_refusals_are_typed_failures_in_french(client: TestClient) -> None:
    invalid_cas = edit(client, "addCmrAgent", STYRENE | {"casNumber": "107-13-2"})
    duplicate_cas = edit(client, "addCmrAgent", STYRENE | {"casNumber": "71-43-2"})
    unknown_family = edit(client, "addCatalogueRisk", VIBRATING_TOOLS | {"familyCode": "nautical"})
    bad_code = edit(client, "addCatalogueRisk", VIBRATING_TOOLS | {"code": "Outils vibrants"})
    duplicate_code = edit(client, "addCatalogueRisk", VIBRATING_TOOLS | {"code": "noise"})
    no_agent = edit(client, "retireCmrAgent", {"source": "s"})
    edited(client, "retireCatalogueRisk", {"code": "noise", "source": "Fusionné"})
    twice = edit(client, "retireCatalogueRisk", {"code": "noise", "source": "Fusionné"})
    retired = edit(
        client,
        "addSuggestedAction",
        {"riskCode": "noise", "code": "noise.x", "label": "Action", "source": "s"},
    )

    assert invalid_cas["__typename"] == "ValidationError"
    assert (invalid_cas["code"], invalid_cas["field"]) == ("INVALID_CAS_NUMBER", "casNumber")
    assert invalid_cas["message"].startswith("Le numéro CAS « 107-13-2 » n'est pas valide")
    assert (duplicate_cas["__typename"], duplicate_cas["code"]) == (
        "RuleViolationError",
        "DUPLICATE_CAS_NUMBER",
    )
    assert duplicate_cas["message"] == "Le numéro CAS 71-43-2 est déjà celui de « Benzène »."
    assert (unknown_family["__typename"], unknown_family["code"]) == (
        "NotFoundError",
        "UNKNOWN_RISK_FAMILY",
    )
    assert (bad_code["code"], bad_code["field"]) == ("INVALID_CATALOGUE_CODE", "code")
    assert (duplicate_code["code"], duplicate_code["field"]) == ("DUPLICATE_RISK_CODE", "code")
    assert (no_agent["code"], no_agent["field"]) == ("AGENT_REQUIRED", "casNumber")
    assert twice["code"] == "RISK_ALREADY_RETIRED"
    assert (retired["code"], retired["field"]) == ("RISK_RETIRED", "riskCode")


def test_step_5_accepts_an_added_risk_and_refuses_a_retired_one(
    client: TestClient, services: Services
) -> None:
    year = client.app.state.services.clock.today().year
    opened = mutate(
        client,
        "openCampaign",
        "OpenCampaignInput",
        {
            "year": year,
            "opensOn": date(year, 1, 1).isoformat(),
            "deadline": date(year, 12, 31).isoformat(),
            "ratePerCapita": "79.5",
            "toolPrice": "150",
        },
    )
    assert opened["__typename"] == "CampaignChanged", opened
    member_id = register_member(client)
    up_to_the_risks_step(services.app, UUID(member_id), year)
    edited(client, "addCatalogueRisk", VIBRATING_TOOLS)
    edited(client, "retireCatalogueRisk", {"code": "noise", "source": "Fusionné"})

    def add_risk(code: str) -> Any:
        return mutate(
            client, "addRisk", "RiskInput", {"memberId": member_id, "year": year, "riskCode": code}
        )

    accepted = add_risk("vibrating_tools")
    refused = add_risk("noise")

    assert accepted["__typename"] == "DeclarationChanged", accepted
    assert (refused["__typename"], refused["code"]) == ("NotFoundError", "UNKNOWN_RISK")
    assert refused["message"] == "Le risque « noise » n'existe pas dans le catalogue."


def test_a_members_administrator_edits_nothing(
    client: TestClient, outbox: OutboxMailer, services: Services
) -> None:
    register_member(client, "00010")
    created = create_first_account(client, "00010", "direction@martin.fr")
    assert created["__typename"] == "FirstAccountCreated", created
    sign_in(client, outbox, "direction@martin.fr")

    refused = [
        edit(client, "addCatalogueRisk", VIBRATING_TOOLS),
        edit(client, "retireCatalogueRisk", {"code": "noise", "source": "s"}),
        edit(client, "addCmrAgent", STYRENE),
        edit(client, "retireCmrAgent", {"casNumber": "71-43-2", "source": "s"}),
        edit(client, "addWorkSituation", NIGHT_SHIFTS),
        edit(client, "retireWorkSituation", {"code": "night_work", "source": "s"}),
        edit(client, "addPcsOccupation", {"code": "431e", "label": "Sages-femmes", "source": "s"}),
        edit(client, "retirePcsOccupation", {"code": "636c", "source": "s"}),
        edit(client, "addPreventionQuestion", NIGHT_WORKERS),
        edit(
            client,
            "retirePreventionQuestion",
            {"themeCode": "activity", "questionId": "sites", "source": "s"},
        ),
    ]

    assert {(r["__typename"], r["code"]) for r in refused} == {("ForbiddenError", "FORBIDDEN")}
    assert "vibrating_tools" not in risks(client)
    assert cmr_names(client, "71-43-2") == ["Benzène"]
    assert list(services.app.events.get(CatalogueEdits.create_id())) == []

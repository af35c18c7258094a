"""The catalogues over GraphQL, on both stores: risks by family, the prevention questionnaire,
work situations searched by keyword (seed 000, step 9: « psy »), CMR agents by name or CAS
number, suggested actions, the sources; the risks suggested to a member from its employees'
jobs, less those its declaration already added or declined; and step 9, the situations assigned
to several employees at once and who is assigned to what."""

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from litestar.testing import TestClient

from api.services import Services
from application.catalogues.loader import default_catalogues
from application.declaration.commands import AnswerPrevention, CompleteDeclarationStep
from application.members.commands import (
    AddContact,
    AssignInterlocutor,
    ChangeAddress,
    ChangeAdministrativeInformation,
)
from application.requests import Request
from domain.address import Address, Coordinates
from domain.catalogues.model import Question
from domain.catalogues.question_kinds import QuestionKind
from domain.catalogues.suggestions import suggest_risks
from domain.contact_details import Email
from domain.declaration.steps import Answer, Step
from domain.members.organisation import AddressKind, Contact, Interlocutor
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
from tests.api.sessions import STAFF_EMAIL, create_first_account, sign_in

RISK_CATALOGUE = """
{ riskCatalogue { code label risks { code familyCode label description source provisional } } }
"""
QUESTIONNAIRE = """
{
  preventionQuestionnaire {
    code label questions { id label kind required choices integer min max }
  }
}"""
SITUATIONS = """
query($search: String) {
  workSituations(search: $search) { code heading label determinant category provisional }
}"""
CMR_AGENTS = """
query($search: String!, $first: Int! = 20) {
  cmrAgents(search: $search, first: $first) { kind casNumber name nameEn clpHazard source }
}"""
ACTIONS = """
query($riskCode: String!) { suggestedActions(riskCode: $riskCode) { code riskCode label } }
"""
SOURCES = "{ catalogueSources { catalogue source provisional } }"
SUGGESTIONS = """
query($memberId: UUID!, $year: Int!) { riskSuggestions(memberId: $memberId, year: $year) { code } }
"""
ASSIGNMENTS = """
query($memberId: UUID!) {
  workSituationAssignments(memberId: $memberId) {
    situation { code category }
    employees { id firstName birthName category since }
  }
}"""
ASSIGN = f"""
mutation($input: AssignWorkSituationInput!) {{
  assignWorkSituation(input: $input) {{
    __typename
    ... on AssignWorkSituationSuccess {{
      situation {{ code determinant category }}
      startedOn assignedIds alreadyAssignedIds
      categoryChanges {{ id firstName category determinants }}
    }}
    {FAILURES}
  }}
}}"""
HEALTH_READS = """
{ accessLog(event: HEALTH_DATA_READ, first: 100) { edges { node { operation subjects } } } }
"""
STARTED_ON = "2024-03-01"


def situation_codes(client: TestClient, search: str | None) -> list[str]:
    found = data(client, SITUATIONS, {"search": search})["workSituations"]
    return [situation["code"] for situation in found]


def suggested(client: TestClient, member_id: str, year: int) -> list[str]:
    found = data(client, SUGGESTIONS, {"memberId": member_id, "year": year})["riskSuggestions"]
    return [risk["code"] for risk in found]


def risks_for(*jobs: tuple[str, str | None]) -> list[str]:
    return [risk.code for risk in suggest_risks(default_catalogues(), jobs)]


# Reference data -------------------------------------------------------------------------------


def test_the_risk_catalogue_lists_the_families_with_their_risks(client: TestClient) -> None:
    families = data(client, RISK_CATALOGUE)["riskCatalogue"]

    catalogue = default_catalogues()
    assert [f["code"] for f in families] == [f.code for f in catalogue.families]
    risks = {risk["code"]: risk for family in families for risk in family["risks"]}
    assert list(risks) == [risk.code for risk in catalogue.risks]
    assert risks["noise"] == {
        "code": "noise",
        "familyCode": "physical_environment",
        "label": "Ambiance sonore",
        "description": catalogue.risk("noise").description,
        "source": "seed 000",
        "provisional": False,
    }
    assert risks["repetitive_work"]["provisional"], "written for this catalogue, to review"


def test_the_prevention_questionnaire_gives_each_question_its_type(client: TestClient) -> None:
    themes = data(client, QUESTIONNAIRE)["preventionQuestionnaire"]

    assert [t["code"] for t in themes] == [t.code for t in default_catalogues().prevention_themes]
    questions = {q["id"]: q for theme in themes for q in theme["questions"]}
    assert questions["sites"] | {"label": ""} == {
        "id": "sites",
        "label": "",
        "kind": "NUMBER",
        "required": True,
        "choices": [],
        "integer": True,
        "min": 1.0,
        "max": 999.0,
    }
    hours = questions["working_hours"]
    assert (hours["kind"], hours["min"], hours["max"]) == ("MULTI_CHOICE", None, None)
    assert len(hours["choices"]) >= 2
    assert {q["kind"] for q in questions.values()} == {kind.name for kind in QuestionKind}


def test_work_situations_are_searched_by_keyword_whatever_the_accents(
    client: TestClient,
) -> None:
    every = data(client, SITUATIONS)["workSituations"]

    assert [s["code"] for s in every] == [s.code for s in default_catalogues().work_situations]
    assert situation_codes(client, "psy") == ["psychosocial"], "seed 000, step 9"
    assert situation_codes(client, "  ") == situation_codes(client, None)
    assert situation_codes(client, "EXPOSÉ amiante") == ["asbestos"]
    assert situation_codes(client, "expose plomb") == [
        "lead_above_threshold",
        "lead_below_threshold",
    ]
    assert situation_codes(client, "non-ionisants") == [
        "electromagnetic_fields_above_vle",
        "other_non_ionising_radiation",
    ]
    assert situation_codes(client, "psy amiante") == []
    by_code = {s["code"]: s for s in every}
    assert by_code["psychosocial"] | {"heading": "", "label": ""} == {
        "code": "psychosocial",
        "heading": "",
        "label": "",
        "determinant": None,
        "category": None,
        "provisional": False,
    }
    assert (by_code["cmr_agents"]["determinant"], by_code["cmr_agents"]["category"]) == (
        "CMR_AGENTS",
        "SIR",
    )
    assert (by_code["night_work"]["determinant"], by_code["night_work"]["category"]) == (
        "NIGHT_WORK",
        "SIA",
    )


def test_cmr_agents_are_found_by_name_or_by_the_start_of_their_cas_number(
    client: TestClient,
) -> None:
    def names(search: str, first: int = 20) -> list[str]:
        found = data(client, CMR_AGENTS, {"search": search, "first": first})["cmrAgents"]
        return [agent["name"] for agent in found]

    benzene = data(client, CMR_AGENTS, {"search": "benzene"})["cmrAgents"]

    assert benzene[0] == {
        "kind": "SUBSTANCE",
        "casNumber": "71-43-2",
        "name": "Benzène",
        "nameEn": "Benzene",
        "clpHazard": "Carc. 1A; Muta. 1B",
        "source": "CLP Annex VI",
    }
    assert names("71-43") == names("7143") == ["Benzène"]
    assert "Formaldéhyde" in names("FORMALDÉHYDE")
    assert names("Saisie inconnue") == []
    assert len(names("e", first=3)) == 3
    too_few = graphql(client, CMR_AGENTS, {"search": "e", "first": 0})
    assert too_few["errors"][0]["extensions"]["code"] == "INVALID_PAGE_SIZE"


def test_suggested_actions_are_those_of_the_risk(client: TestClient) -> None:
    actions = data(client, ACTIONS, {"riskCode": "noise"})["suggestedActions"]

    assert [a["code"] for a in actions] == [
        a.code for a in default_catalogues().suggested_actions("noise")
    ]
    assert actions
    assert {a["riskCode"] for a in actions} == {"noise"}
    assert data(client, ACTIONS, {"riskCode": "inconnu"})["suggestedActions"] == []


def test_each_catalogue_names_its_source(client: TestClient) -> None:
    sources = {s["catalogue"]: s for s in data(client, SOURCES)["catalogueSources"]}

    assert set(sources) == set(default_catalogues().sources)
    assert not sources["work_situations.csv"]["provisional"]
    assert sources["risks.csv"]["provisional"]
    assert "R4624" in sources["work_situations.csv"]["source"]


def test_the_catalogues_are_for_people_signed_in(client: TestClient) -> None:
    client.headers.pop("Authorization", None)

    refused = graphql(client, SOURCES)

    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# Suggestions for a member -----------------------------------------------------------------------


def test_risks_are_suggested_from_the_jobs_of_the_employees_present(client: TestClient) -> None:
    member_id = register_member(client)
    hire(client, member_id, "Paul", terms=a_contract(jobTitle="Boulangère"))
    hire(client, member_id, "Zoé", terms=a_contract(jobTitle="Soudeur"))
    cook = hire(client, member_id, "Léa", terms=a_contract(jobTitle="Commis", pcsCode="636d"))
    roofer = hire(client, member_id, "Jean", terms=a_contract(jobTitle="Couvreur"))
    closed = mutate(
        client,
        "closeContract",
        "CloseContractInput",
        {"employeeId": roofer["aggregateId"], "lastDay": "2024-06-30", "reason": "RESIGNATION"},
    )
    assert closed["__typename"] == "CloseContractSuccess"
    assert cook["employee"]["status"] == "ACTIVE"

    found = suggested(client, member_id, 2025)

    assert found == risks_for(("Boulangère", None), ("Soudeur", None), ("Commis", "636d"))
    assert {"welding_fumes", "dusts", "cmr_agents", "machines"} <= set(found)
    assert set(risks_for(("Couvreur", None))) - set(found), "the roofer has left"
    assert suggested(client, str(uuid4()), 2025) == []


def a_request() -> Request:
    return Request.by(str(uuid4()), "staff")


def an_answer(question: Question) -> Answer:
    match question.kind:
        case QuestionKind.YES_NO:
            return False
        case QuestionKind.NUMBER:
            return int(question.minimum or 0)
        case QuestionKind.CHOICE:
            return question.choices[0]
        case QuestionKind.MULTI_CHOICE:
            return [question.choices[0]]
        case QuestionKind.TEXT:
            return "Boulangerie artisanale"


def up_to_the_risks_step(services: Services, member: str, year: int) -> None:
    """Steps 1 to 4 of the declaration done, as in `tests/integration/
    test_declarations_read_model.py`: the company's records, its legal representative, the
    workforce reviewed, every prevention theme answered."""
    app, member_id = services.app, UUID(member)
    address = Address(lines=("12 rue des Lilas",), postal_code="21000", city="Dijon")
    worksite = address.confirmed_at(Coordinates(47.32, 5.04))
    app.handle(
        a_request(), ChangeAddress(member_id=member_id, kind=AddressKind.WORKSITE, address=worksite)
    )
    app.handle(
        a_request(), ChangeAddress(member_id=member_id, kind=AddressKind.BILLING, address=address)
    )
    app.handle(
        a_request(),
        ChangeAddress(member_id=member_id, kind=AddressKind.CONVOCATION, address=address),
    )
    record = app.member(member_id)
    app.handle(
        a_request(),
        ChangeAdministrativeInformation(
            member_id=member_id,
            legal_name=record.legal_name,
            siret=record.siret,
            vat_number=None,
            has_cse=False,
        ),
    )
    contact = Contact(0, "Martin", "Claire", "Gérante", email=Email("claire@martin.fr"))
    app.handle(a_request(), AddContact(member_id=member_id, contact=contact))
    app.handle(
        a_request(),
        AssignInterlocutor(
            member_id=member_id, role=Interlocutor.LEGAL_REPRESENTATIVE, contact_id=1
        ),
    )
    for step in (Step.COMPANY, Step.CONTACTS, Step.WORKFORCE):
        app.handle(
            a_request(),
            CompleteDeclarationStep(member_id=member_id, year=year, step=step),
        )
    for theme in default_catalogues().prevention_themes:
        answers = {q.id: an_answer(q) for q in theme.questions if q.required}
        app.handle(
            a_request(),
            AnswerPrevention(
                member_id=member_id,
                year=year,
                theme=theme.code,
                answers=answers,
            ),
        )
    app.handle(
        a_request(),
        CompleteDeclarationStep(member_id=member_id, year=year, step=Step.PREVENTION),
    )
    services.settle()


def test_risks_the_declaration_added_or_declined_are_no_longer_suggested(
    client: TestClient, services: Services
) -> None:
    year = services.clock.today().year
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
    hire(client, member_id, "Paul", terms=a_contract(jobTitle="Boulanger"))
    hire(client, member_id, "Zoé", terms=a_contract(jobTitle="Soudeuse"))
    every = suggested(client, member_id, year)
    assert {"noise", "burns", "heat"} <= set(every)
    up_to_the_risks_step(services, member_id, year)

    for name, risk in (
        ("addRisk", "noise"),
        ("declineRisk", "burns"),
        ("addRisk", "slip_trip_fall"),
    ):
        changed = mutate(
            client, name, "RiskInput", {"memberId": member_id, "year": year, "riskCode": risk}
        )
        assert changed["__typename"] == "DeclarationChanged", changed

    assert suggested(client, member_id, year) == [r for r in every if r not in {"noise", "burns"}]
    assert suggested(client, member_id, year - 1) == every, "another year's declaration"


# Step 9: work situations --------------------------------------------------------------------------


def assign(client: TestClient, member_id: str, code: str, *employee_ids: str, **more: Any) -> Any:
    fields = {
        "requestId": more.pop("request_id", None) or request_id(),
        "memberId": member_id,
        "situationCode": code,
        "employeeIds": list(employee_ids),
        "startedOn": STARTED_ON,
    }
    return data(client, ASSIGN, {"input": fields | more})["assignWorkSituation"]


def test_a_situation_is_assigned_to_the_selected_employees_and_listed_with_them(
    client: TestClient,
) -> None:
    member_id = register_member(client)
    ids = [hire(client, member_id, name)["aggregateId"] for name in ("Élodie", "Chloé", "Inès")]
    assert data(client, ASSIGNMENTS, {"memberId": member_id})["workSituationAssignments"] == []
    retry = request_id()

    done = assign(client, member_id, "cmr_agents", ids[0], ids[1], request_id=retry)

    assert done["__typename"] == "AssignWorkSituationSuccess", done
    assert done["situation"] == {
        "code": "cmr_agents",
        "determinant": "CMR_AGENTS",
        "category": "SIR",
    }
    assert (done["startedOn"], done["assignedIds"], done["alreadyAssignedIds"]) == (
        STARTED_ON,
        ids[:2],
        [],
    )
    assert done["categoryChanges"] == [
        {"id": ids[0], "firstName": "Élodie", "category": "SIR", "determinants": ["CMR_AGENTS"]},
        {"id": ids[1], "firstName": "Chloé", "category": "SIR", "determinants": ["CMR_AGENTS"]},
    ]
    again = assign(client, member_id, "cmr_agents", ids[0], ids[1], request_id=retry)
    assert again == done, "a retry gets the first answer"

    night = assign(client, member_id, "night_work", ids[1], ids[2])
    assert [e["id"] for e in night["categoryChanges"]] == [ids[2]], "SIR stays SIR"
    assert night["categoryChanges"][0]["category"] == "SIA"

    listed = data(client, ASSIGNMENTS, {"memberId": member_id})["workSituationAssignments"]
    assert [(a["situation"]["code"], [e["id"] for e in a["employees"]]) for a in listed] == [
        ("cmr_agents", [ids[1], ids[0]]),
        ("night_work", [ids[1], ids[2]]),
    ], "situations in catalogue order, employees by name: Chloé, Élodie, Inès"
    chloe = listed[0]["employees"][0]
    assert chloe == {
        "id": ids[1],
        "firstName": "Chloé",
        "birthName": "MARTIN",
        "category": "SIR",
        "since": STARTED_ON,
    }
    reads = data(client, HEALTH_READS)["accessLog"]["edges"]
    operations = [edge["node"]["operation"] for edge in reads]
    assert "workSituationAssignments" in operations
    assert "assignWorkSituation" in operations


def test_an_informative_situation_is_assigned_and_an_unknown_one_refused(
    client: TestClient,
) -> None:
    """Seed 000 shows psychosocial risks (RPS) assigned to employees (issue 15)."""
    member_id = register_member(client)
    employee_id = hire(client, member_id)["aggregateId"]

    informative = assign(client, member_id, "psychosocial", employee_id)
    unknown = assign(client, member_id, "inconnue", employee_id)

    assert informative | {"startedOn": None} == {
        "__typename": "AssignWorkSituationSuccess",
        "situation": {"code": "psychosocial", "determinant": None, "category": None},
        "startedOn": None,
        "assignedIds": [employee_id],
        "alreadyAssignedIds": [],
        "categoryChanges": [],
    }
    assert (unknown["__typename"], unknown["code"]) == ("NotFoundError", "UNKNOWN_WORK_SITUATION")
    listed = data(client, ASSIGNMENTS, {"memberId": member_id})["workSituationAssignments"]
    assert [(a["situation"]["code"], [e["id"] for e in a["employees"]]) for a in listed] == [
        ("psychosocial", [employee_id])
    ]


def test_one_bad_id_refuses_the_whole_selection(client: TestClient) -> None:
    member_id = register_member(client)
    employee_id = hire(client, member_id)["aggregateId"]

    refused = assign(client, member_id, "asbestos", employee_id, str(uuid4()))

    assert (refused["__typename"], refused["code"]) == ("RuleViolationError", "BATCH_REFUSED")
    assert "Salarié n° 2, champ employeeIds : Ce salarié n'existe pas" in refused["message"]
    assert data(client, ASSIGNMENTS, {"memberId": member_id})["workSituationAssignments"] == []


def test_a_member_s_user_sees_and_assigns_only_its_own_employees(
    client: TestClient, outbox: OutboxMailer
) -> None:
    a_member = register_member(client, "00010")
    b_member = register_member(client, "00020")
    a_employee = hire(client, a_member, "Élodie")["aggregateId"]
    b_employee = hire(client, b_member, "Basile")["aggregateId"]
    assert assign(client, b_member, "asbestos", b_employee)["__typename"] == (
        "AssignWorkSituationSuccess"
    )
    created = create_first_account(client, "00010", "direction@martin.fr")
    assert created["__typename"] == "FirstAccountCreated", created
    sign_in(client, outbox, "direction@martin.fr")

    theirs = assign(client, a_member, "asbestos", a_employee, b_employee)
    unknown = assign(client, a_member, "asbestos", a_employee, str(uuid4()))
    listed = data(client, ASSIGNMENTS, {"memberId": b_member})["workSituationAssignments"]

    assert theirs == unknown
    assert listed == []
    sign_in(client, outbox, STAFF_EMAIL)
    b_listed = data(client, ASSIGNMENTS, {"memberId": b_member})["workSituationAssignments"]
    assert [e["id"] for e in b_listed[0]["employees"]] == [b_employee]

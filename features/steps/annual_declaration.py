"""The annual declaration (seed 000) as the portal's users fill it in, end to end through the
GraphQL API and the Excel endpoints: the service's campaign, each step of a member's
declaration, the recap of step 10, the confirmed copies and the CMR list transmitted with them.

The specs of the declaration (`test_declaration_annuelle.py`, `test_etapes_de_la_declaration.py`,
`test_transfert_de_la_declaration.py`, `test_import_des_expositions.py`, `test_reouverture.py`)
take the fixtures and steps of `features.steps.accounts` and of this module with
`from … import *` (`__all__` lists the fixture and the step definitions); their own steps stay in
their module.

A scenario has one member (« Boulangerie des Ducs ») and one campaign: « la déclaration » is the
declaration of that member for the campaign's year. Each person works from their own screen: the
revision of each step when they last loaded the declaration. What they save carries the revision
of that step, as the portal sends it, and their screen is reloaded after their own save (not
after somebody else's): two people on different steps never conflict, two on the same step do.

The service's dates are real ones (the campaign must be open today): the campaign of a past year
stays open until the service closes it, so the scenarios use dates of 2025 and 2026 that are
always in the past.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import parse
import pytest
from pytest_bdd import given, parsers, then, when

from domain.calendar import paris_date
from domain.workforce.employment import ContractType
from features.steps.accounts import (
    FAILURES,
    ROLES,
    Company,
    Portal,
    Reply,
    User,
    accepted,
    sign_in_with_code,
)
from features.steps.vocabulary import TYPES, to_date
from tests.api.graphql_client import a_nir, request_id

STEP_NUMBERS = {
    "1": "COMPANY",
    "2": "CONTACTS",
    "3": "WORKFORCE",
    "4": "PREVENTION",
    "5": "RISKS",
    "6 à 8": "RISK_TOOL",
    "9": "SITUATIONS_AND_CMR",
    "10": "RECAP",
}
"""The steps as the portal numbers them (seed 000), and the API's names."""
STEP_WORDS = {name: number for number, name in STEP_NUMBERS.items()}
STATUS_LABELS = {
    "TO_ENTER": "à saisir",
    "IN_PROGRESS": "en cours",
    "CONFIRMED": "confirmée",
    "NOT_ENTERABLE": "non saisissable",
}
"""The colours of seed 004 §2.5 « Vos déclarations »."""
CONTRACT_LABELS = {t.value: t.label for t in ContractType}
CONTRACT_TYPES = {t.label: t.value for t in ContractType}
YES_NO = {"oui": True, "non": False}

# The company of the scenarios (seed 000's tutorial, moved to a bakery) -----------------------

SIRET = "73282932000074"
WORKSITE = {
    "lines": ["53 Avenue Françoise Giroud"],
    "postalCode": "21000",
    "city": "DIJON",
    "country": "FR",
}
MAP_POINT = (47.3165, 5.0670)
LEGAL_REPRESENTATIVE = {
    "lastName": "DURAND",
    "firstName": "Claire",
    "function": "Gérante",
    "phone": "03 80 77 85 30",
}
BAKERY_ANSWERS: dict[str, dict[str, Any]] = {
    "activity": {
        "main_activity": "Boulangerie-pâtisserie artisanale, vente en boutique",
        "sites": 1,
        "works_at_client_sites": False,
        "seasonal_activity": False,
        "temporary_workers": True,
        "working_hours": ["Journée", "Travail de nuit", "Week-end"],
    },
    "accidents_and_diseases": {
        "accidents_last_year": 1,
        "days_lost_last_year": 12,
        "occupational_diseases": 0,
        "main_causes": ["Manutention"],
        "job_retention_difficulties": False,
    },
    "particular_situations": {
        "isolated_workers": True,
        "public_contact": "En permanence",
        "under_18": False,
        "external_companies": True,
        "telework": "Non",
    },
    "premises_and_equipment": {
        "premises_kinds": ["Magasin", "Cuisine ou laboratoire alimentaire"],
        "changing_rooms": True,
        "break_room": True,
        "handling_equipment": False,
        "company_vehicles": 1,
    },
    "safety_and_prevention": {
        "first_aiders": 1,
        "competent_employee": True,
        "defibrillator": False,
        "evacuation_drill": False,
    },
    "risk_assessment": {
        "has_duerp": True,
        "duerp_updated_in": 2025,
        "action_plan": False,
        "wants_support": True,
    },
}
"""Every required question of the six themes of step 4, answered as a baker would."""
BAKERY_RISKS = ("manual_handling", "night_work")
NIGHT_WORKER = ("Lisa LERGY", "night_work", "2022-09-27")
PURCHASE_ORDER = "BC-2026-017"

# The API's words ----------------------------------------------------------------------------

CHANGED = f"__typename ... on DeclarationChanged {{ version }} {FAILURES}"
DECLARATION_FIELDS = """
  memberId year edition status handledBy prevention risks declinedRisks toolSubscribed toolPrice
  purchaseOrder termsAccepted updatedAt
  steps { step number label completed open revision }
"""
OPEN_CAMPAIGN = f"""
mutation($input: OpenCampaignInput!) {{
  openCampaign(input: $input) {{ __typename ... on CampaignChanged {{ version }} {FAILURES} }}
}}"""
REOPEN = f"""
mutation($input: ReopenDeclarationInput!) {{ reopenDeclaration(input: $input) {{ {CHANGED} }} }}"""
COMPLETE_STEP = f"""
mutation($input: CompleteStepInput!) {{ completeDeclarationStep(input: $input) {{ {CHANGED} }} }}"""
ANSWER_PREVENTION = f"""
mutation($input: PreventionAnswersInput!) {{ answerPrevention(input: $input) {{ {CHANGED} }} }}"""
ADD_RISK = f"mutation($input: RiskInput!) {{ addRisk(input: $input) {{ {CHANGED} }} }}"
DECLINE_RISK = f"mutation($input: RiskInput!) {{ declineRisk(input: $input) {{ {CHANGED} }} }}"
REMOVE_RISK = f"mutation($input: RiskInput!) {{ removeRisk(input: $input) {{ {CHANGED} }} }}"
CHOOSE_TOOL = f"""
mutation($input: ChooseRiskToolInput!) {{ chooseRiskTool(input: $input) {{ {CHANGED} }} }}"""
TRANSFER = f"""
mutation($input: TransferDeclarationInput!) {{
  transferDeclaration(input: $input) {{ {CHANGED} }}
}}"""
PURCHASE_ORDER_FORM = f"""
mutation($input: PurchaseOrderInput!) {{ givePurchaseOrder(input: $input) {{ {CHANGED} }} }}"""
ACCEPT_TERMS = f"""
mutation($input: StepInput!) {{ acceptTermsOfSale(input: $input) {{ {CHANGED} }} }}"""
CONFIRM = f"mutation($input: StepInput!) {{ confirmDeclaration(input: $input) {{ {CHANGED} }} }}"
CAMPAIGNS = """
{ campaigns { year opensOn deadline ratePerCapita toolPrice referenceDate closedOn } }"""
DECLARATION = f"""
query($memberId: UUID!, $year: Int!) {{
  declaration(memberId: $memberId, year: $year) {{ {DECLARATION_FIELDS} }}
}}"""
DECLARATIONS = """
query($memberId: UUID!) { declarations(memberId: $memberId) { year edition status handledBy } }"""
RECAP = """
query($memberId: UUID!, $year: Int!) {
  declarationRecap(memberId: $memberId, year: $year) {
    declaredOn declaredHeadcount byCategory { key count } byContractType { key count }
    referenceDate billedHeadcount ratePerCapita toolPrice amountHt vat amountTtc
  }
}"""
CONFIRMATIONS = """
query($memberId: UUID!, $year: Int!) {
  declarationConfirmations(memberId: $memberId, year: $year) {
    year edition confirmedAt confirmedBy contentHash intact content reopenedAt reopenReason
  }
}"""
TRANSMITTED_CMR = """
query($memberId: UUID!, $year: Int!, $edition: Int!) {
  transmittedCmrList(memberId: $memberId, year: $year, edition: $edition) {
    year edition confirmedOn contentHash intact content
  }
}"""
QUESTIONNAIRE = """
{ preventionQuestionnaire { code label questions { id label kind required choices } } }"""
RISK_CATALOGUE = "{ riskCatalogue { code label risks { code label } } }"
WORK_SITUATIONS = """
query($search: String) { workSituations(search: $search) { code label determinant category } }"""
RISK_SUGGESTIONS = """
query($memberId: UUID!, $year: Int!) {
  riskSuggestions(memberId: $memberId, year: $year) { code label }
}"""
CMR_AGENTS = """
query($search: String!) { cmrAgents(search: $search) { kind casNumber name } }"""
CMR_EXPOSURES = """
query($memberId: UUID!) {
  cmrExposures(memberId: $memberId) {
    employeeId exposureId firstName birthName agentKind agentName casNumber validFrom validTo
  }
}"""
CHANGE_ADMINISTRATIVE = f"""
mutation($input: ChangeAdministrativeInformationInput!) {{
  changeAdministrativeInformation(input: $input) {{
    __typename ... on ChangeAdministrativeInformationSuccess {{ version }} {FAILURES}
  }}
}}"""
CHANGE_ADDRESS = f"""
mutation($input: ChangeAddressInput!) {{
  changeAddress(input: $input) {{ __typename ... on ChangeAddressSuccess {{ version }} {FAILURES} }}
}}"""
ADD_CONTACT = f"""
mutation($input: AddContactInput!) {{
  addContact(input: $input) {{
    __typename ... on AddContactSuccess {{ createdId }} {FAILURES}
  }}
}}"""
ASSIGN_INTERLOCUTOR = f"""
mutation($input: AssignInterlocutorInput!) {{
  assignInterlocutor(input: $input) {{
    __typename ... on AssignInterlocutorSuccess {{ version }} {FAILURES}
  }}
}}"""
HIRE = f"""
mutation($input: HireEmployeeInput!) {{
  hireEmployee(input: $input) {{
    __typename ... on HireEmployeeSuccess {{ aggregateId }} {FAILURES}
  }}
}}"""
ASSIGN_SITUATION = f"""
mutation($input: AssignWorkSituationInput!) {{
  assignWorkSituation(input: $input) {{
    __typename ... on AssignWorkSituationSuccess {{ assignedIds }} {FAILURES}
  }}
}}"""
RECORD_EXPOSURE = f"""
mutation($input: RecordExposureInput!) {{
  recordExposure(input: $input) {{
    __typename ... on RecordExposureSuccess {{ createdId }} {FAILURES}
  }}
}}"""
END_EXPOSURE = f"""
mutation($input: EndExposureInput!) {{
  endExposure(input: $input) {{ __typename ... on EndExposureSuccess {{ version }} {FAILURES} }}
}}"""
ADD_USER = f"""
mutation($input: AddMemberUserInput!) {{
  addMemberUser(input: $input) {{ __typename ... on MemberUsersChanged {{ version }} {FAILURES} }}
}}"""


# What a scenario remembers ------------------------------------------------------------------


@dataclass
class Journey:
    """The declaration of the scenario, and what each person's screen shows of it."""

    year: int | None = None
    screens: dict[str, dict[str, int]] = field(default_factory=dict)
    """By first name: the revision of each step when that person last loaded the declaration."""
    exposures: dict[tuple[str, str], int] = field(default_factory=dict)
    """(employee, agent) → the exposure's number."""
    sent: dict[int, Any] = field(default_factory=dict)
    """Each confirmed edition as the service's list showed it just after its confirmation."""
    kept: dict[str, Any] = field(default_factory=dict)
    """What a step noted to compare with later."""

    @property
    def campaign_year(self) -> int:
        assert self.year is not None, "aucune campagne n'a été ouverte dans ce scénario"
        return self.year


@pytest.fixture
def journey() -> Journey:
    return Journey()


# Reading the portal ---------------------------------------------------------------------------


def the_company(portal: Portal) -> Company:
    """The one member of the scenario."""
    assert len(portal.companies) == 1, "ces scénarios n'ont qu'un adhérent"
    return next(iter(portal.companies.values()))


def read(portal: Portal, who: User | None, query: str, variables: dict[str, Any], name: str) -> Any:
    """A page `who` opens (None: the service's staff); it must be shown."""
    if who is None:
        return portal.staff(query, variables)[name]
    reply = portal.query(who, query, variables, name)
    accepted(reply, f"la page {name} de {who.first_name}")
    return reply.content


def declaration_of(portal: Portal, journey: Journey, who: User | None = None) -> Any:
    variables = {"memberId": the_company(portal).member_id, "year": journey.campaign_year}
    found = read(portal, who, DECLARATION, variables, "declaration")
    assert found is not None, "la déclaration n'existe pas"
    return found


def steps_of(declaration: Any) -> dict[str, Any]:
    """The steps of a declaration, by their number (« 1 » … « 10 »)."""
    return {STEP_WORDS[s["step"]]: s for s in declaration["steps"]}


def open_screen(portal: Portal, journey: Journey, who: User) -> Any:
    """`who` loads the declaration: their screen now shows each step's revision."""
    declaration = declaration_of(portal, journey, who)
    journey.screens[who.first_name] = {s["step"]: s["revision"] for s in declaration["steps"]}
    return declaration


def recap_of(portal: Portal, journey: Journey, who: User | None = None) -> Any:
    variables = {"memberId": the_company(portal).member_id, "year": journey.campaign_year}
    found = read(portal, who, RECAP, variables, "declarationRecap")
    assert found is not None, "le récapitulatif n'existe pas"
    return found


def confirmations_of(portal: Portal, journey: Journey, who: User | None = None) -> list[Any]:
    variables = {"memberId": the_company(portal).member_id, "year": journey.campaign_year}
    found: list[Any] = read(portal, who, CONFIRMATIONS, variables, "declarationConfirmations")
    return found


def confirmation(portal: Portal, journey: Journey, edition: int) -> Any:
    found = [c for c in confirmations_of(portal, journey) if c["edition"] == edition]
    assert found, f"la version {edition} n'a pas été confirmée"
    return found[0]


def transmitted_cmr(portal: Portal, journey: Journey, edition: int) -> Any:
    variables = {
        "memberId": the_company(portal).member_id,
        "year": journey.campaign_year,
        "edition": edition,
    }
    found = portal.staff(TRANSMITTED_CMR, variables)["transmittedCmrList"]
    assert found is not None, f"aucune liste CMR n'a été transmise avec la version {edition}"
    return found


def questionnaire(portal: Portal) -> list[Any]:
    themes: list[Any] = portal.staff(QUESTIONNAIRE)["preventionQuestionnaire"]
    return themes


def theme_named(portal: Portal, label: str) -> Any:
    themes = {t["label"]: t for t in questionnaire(portal)}
    assert label in themes, f"le questionnaire n'a pas de thème « {label} » : {list(themes)}"
    return themes[label]


def risk_code(portal: Portal, label: str) -> str:
    risks = {
        r["label"]: r["code"]
        for family in portal.staff(RISK_CATALOGUE)["riskCatalogue"]
        for r in family["risks"]
    }
    assert label in risks, f"le catalogue n'a pas de risque « {label} »"
    return str(risks[label])


def risk_label(portal: Portal, code: str) -> str:
    labels = {
        r["code"]: r["label"]
        for family in portal.staff(RISK_CATALOGUE)["riskCatalogue"]
        for r in family["risks"]
    }
    return str(labels.get(code, code))


def employee_id(portal: Portal, name: str) -> str:
    assert name in portal.employees, f"{name} n'a pas été embauché(e) dans ce scénario"
    return portal.employees[name]


def cmr_list(portal: Portal) -> list[Any]:
    variables = {"memberId": the_company(portal).member_id}
    exposures: list[Any] = portal.staff(CMR_EXPOSURES, variables)["cmrExposures"]
    return exposures


# Words of the specs ----------------------------------------------------------------------------


def french_date(text: str | None) -> str:
    """« 06/12/2026 » for a calendar date, or for an instant the day it was in Paris."""
    if not text:
        return ""
    if "T" not in text:
        return f"{date.fromisoformat(text):%d/%m/%Y}"
    return f"{paris_date(datetime.fromisoformat(text)):%d/%m/%Y}"


def euros(amount: str | Decimal | None) -> str:
    """« 464,40 € », as the recap shows an amount."""
    if amount is None:
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    whole, cents = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', ' ')},{cents} €"


def counts(rows: list[Any], labels: dict[str, str] | None = None) -> dict[str, int]:
    """{"SI": 4, …} from the API's counts (keys shown with `labels`)."""
    return {(labels or {}).get(r["key"], r["key"]): r["count"] for r in rows}


def parse_counts(text: str) -> dict[str, int]:
    """« SI 4, SIA 1, SIR 1 » → {"SI": 4, "SIA": 1, "SIR": 1}."""
    found = {}
    for part in text.split(","):
        label, number = part.strip().rsplit(" ", 1)
        found[label] = int(number)
    return found


def shown_answer(value: Any) -> str:
    """An answer of step 4 as the spec writes it."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def typed_answer(question: Any, text: str) -> Any:
    """What a person types for a question of step 4, as the form sends it."""
    kind = question["kind"]
    if kind == "YES_NO":
        assert text in YES_NO, f"répondez oui ou non à « {question['label']} »"
        return YES_NO[text]
    if kind == "NUMBER":
        return int(text) if text.lstrip("-").isdigit() else float(text.replace(",", "."))
    if kind == "MULTI_CHOICE":
        return [choice.strip() for choice in text.split(",") if choice.strip()]
    return text


@parse.with_pattern(r"[A-Z][a-zéèëï]+")
def _first_name(text: str) -> str:
    return text


@parse.with_pattern(r"6 à 8|10|[1-9]")
def _step(text: str) -> str:
    return text


@parse.with_pattern(r"\d{4}")
def _year(text: str) -> int:
    return int(text)


@parse.with_pattern(r"1 à \d+(?: et \d+)?")
def _steps(text: str) -> list[str]:
    """« 1 à 3 », « 1 à 5 et 9 »: the steps' numbers, in order."""
    first, _, rest = text.partition(" à ")
    last, _, extra = rest.partition(" et ")
    numbers = [str(n) for n in range(int(first), int(last) + 1)]
    numbers = ["6 à 8" if n == "6" else n for n in numbers if n not in {"7", "8"}]
    return numbers + ([extra] if extra else [])


@parse.with_pattern(r"\d+(?:,\d{2})?")
def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


@parse.with_pattern("|".join(ROLES))
def _role(text: str) -> str:
    return ROLES[text]


def phrase(text: str) -> parsers.parse:
    """The parser of a step, with the types of the vocabulary and those of the declaration."""
    extra = {
        **TYPES,
        "Name": _first_name,
        "Step": _step,
        "Steps": _steps,
        "Year": _year,
        "Amount": _amount,
        "Role": _role,
    }
    return parsers.parse(text, extra_types=extra, case_sensitive=True)


# What people do ---------------------------------------------------------------------------------

Action = TypeVar("Action", bound=Callable[..., None])


def action(text: str) -> Callable[[Action], Action]:
    """Registers what a person does under one wording, for a « Quand » (the portal's answer is
    shown, refused or not) and for a « Soit » (the situation: it must have been accepted).
    The step function takes the `portal` fixture."""

    def register(func: Action) -> Action:
        when(phrase(text), stacklevel=2)(func)

        @functools.wraps(func)
        def situation(*args: Any, **kwargs: Any) -> None:
            portal: Portal = kwargs["portal"]
            portal.reply = None
            func(*args, **kwargs)
            if portal.reply is not None:
                accepted(portal.reply, text)

        given(phrase(text), stacklevel=2)(situation)
        return func

    return register


def declaration_input(portal: Portal, journey: Journey, **fields: Any) -> dict[str, Any]:
    return {
        "input": {
            "requestId": request_id(),
            "memberId": the_company(portal).member_id,
            "year": journey.campaign_year,
            **fields,
        }
    }


def save_step(  # noqa: PLR0917 (a form of a step, its fields, its author)
    portal: Portal,
    journey: Journey,
    who: User,
    on_step: str,
    mutation: str,
    name: str,
    **fields: Any,
) -> Reply:
    """`who` saves a form of `on_step` (its API name), with the revision their screen shows;
    their screen is reloaded after the save, as the portal does."""
    if who.first_name not in journey.screens:
        open_screen(portal, journey, who)
    revision = journey.screens[who.first_name][on_step]
    variables = declaration_input(portal, journey, expectedRevision=revision, **fields)
    reply = portal.mutation(who, mutation, variables, name)
    if not reply.refused:
        open_screen(portal, journey, who)
        portal.reply = reply
    return reply


def complete_step(portal: Portal, journey: Journey, who: User, number: str) -> Reply:
    step = STEP_NUMBERS[number]
    return save_step(
        portal, journey, who, step, COMPLETE_STEP, "completeDeclarationStep", step=step
    )


def answer_theme(
    portal: Portal, journey: Journey, who: User, theme: str, answers: dict[str, Any]
) -> Reply:
    return save_step(
        portal,
        journey,
        who,
        "PREVENTION",
        ANSWER_PREVENTION,
        "answerPrevention",
        theme=theme,
        answers=answers,
    )


def change_risk(portal: Portal, journey: Journey, who: User, mutation: str, code: str) -> Reply:
    name = mutation.split("{", 2)[1].split("(", maxsplit=1)[0].strip()
    return save_step(portal, journey, who, "RISKS", mutation, name, riskCode=code)


def choose_tool(portal: Portal, journey: Journey, who: User, *, subscribed: bool) -> Reply:
    return save_step(
        portal, journey, who, "RISK_TOOL", CHOOSE_TOOL, "chooseRiskTool", subscribed=subscribed
    )


def give_purchase_order(portal: Portal, journey: Journey, who: User, number: str | None) -> Reply:
    return save_step(
        portal,
        journey,
        who,
        "RECAP",
        PURCHASE_ORDER_FORM,
        "givePurchaseOrder",
        purchaseOrder=number,
    )


def accept_terms(portal: Portal, journey: Journey, who: User) -> Reply:
    return save_step(portal, journey, who, "RECAP", ACCEPT_TERMS, "acceptTermsOfSale")


def confirm(portal: Portal, journey: Journey, who: User) -> Reply:
    """The final validation; the copy confirmed is kept as it read then (`Journey.sent`)."""
    reply = save_step(portal, journey, who, "RECAP", CONFIRM, "confirmDeclaration")
    if not reply.refused:
        for sent in confirmations_of(portal, journey):
            journey.sent.setdefault(sent["edition"], sent)
        portal.reply = reply
    return reply


def member_form(portal: Portal, who: User, mutation: str, name: str, **fields: Any) -> Reply:
    variables = {
        "input": {"requestId": request_id(), "memberId": the_company(portal).member_id, **fields}
    }
    return portal.mutation(who, mutation, variables, name)


def confirm_company(portal: Portal, who: User, *, siret: str, has_cse: bool) -> Reply:
    return member_form(
        portal,
        who,
        CHANGE_ADMINISTRATIVE,
        "changeAdministrativeInformation",
        legalName=the_company(portal).legal_name,
        siret=siret,
        hasCse=has_cse,
    )


def confirm_address(
    portal: Portal, who: User, kind: str, address: dict[str, Any], point: tuple[float, float] | None
) -> Reply:
    located = dict(address)
    if point is not None:
        located["latitude"], located["longitude"] = point
    return member_form(portal, who, CHANGE_ADDRESS, "changeAddress", kind=kind, address=located)


def name_legal_representative(portal: Portal, who: User, contact: dict[str, Any]) -> Reply:
    added = member_form(portal, who, ADD_CONTACT, "addContact", contact=contact)
    if added.refused:
        return added
    return member_form(
        portal,
        who,
        ASSIGN_INTERLOCUTOR,
        "assignInterlocutor",
        role="LEGAL_REPRESENTATIVE",
        contactId=added.content["createdId"],
    )


def hire(  # noqa: PLR0917 (the « Nouveau salarié » form)
    portal: Portal,
    who: User,
    name: str,
    sex: str,
    born: date,
    contract: str,
    hired: date,
    job_title: str,
) -> Reply:
    first_name, birth_name = name.split(" ", 1)
    identity = {
        "birthName": birth_name,
        "firstName": first_name,
        "birthDate": born.isoformat(),
        "sex": sex,
        "nir": a_nir(sex, born, name),
    }
    assert contract in CONTRACT_TYPES, f"type de contrat inconnu : « {contract} »"
    hire_input = {
        "requestId": request_id(),
        "memberId": the_company(portal).member_id,
        "identity": identity,
        "hireDate": hired.isoformat(),
        "terms": {"jobTitle": job_title, "contractType": CONTRACT_TYPES[contract]},
    }
    reply = portal.mutation(who, HIRE, {"input": hire_input}, "hireEmployee")
    if not reply.refused:
        portal.employees[name] = reply.content["aggregateId"]
    return reply


def situation_code(portal: Portal, label: str) -> str:
    found = portal.staff(WORK_SITUATIONS, {"search": label})["workSituations"]
    codes = [s["code"] for s in found if s["label"] == label]
    assert codes, f"aucune situation de travail « {label} » : {found}"
    return str(codes[0])


def assign_situation(portal: Portal, who: User, code: str, names: list[str], since: str) -> Reply:
    return member_form(
        portal,
        who,
        ASSIGN_SITUATION,
        "assignWorkSituation",
        situationCode=code,
        employeeIds=[employee_id(portal, name) for name in names],
        startedOn=since,
    )


def record_exposure(  # noqa: PLR0917 (the « Ajouter une substance » form)
    portal: Portal,
    journey: Journey,
    who: User,
    name: str,
    agent: str,
    cas_number: str | None,
    since: str,
) -> Reply:
    agent_input = {
        "kind": "SUBSTANCE" if cas_number else "PROCESS",
        "name": agent,
        "casNumber": cas_number,
    }
    exposure_input = {
        "requestId": request_id(),
        "employeeId": employee_id(portal, name),
        "agent": agent_input,
        "startedOn": since,
        "routes": ["INHALATION"],
    }
    reply = portal.mutation(who, RECORD_EXPOSURE, {"input": exposure_input}, "recordExposure")
    if not reply.refused:
        journey.exposures[(name, agent)] = reply.content["createdId"]
    return reply


def add_user(portal: Portal, admin: User, who: User, role: str) -> Reply:
    person = {
        "email": who.email,
        "lastName": who.last_name,
        "firstName": who.first_name,
        "function": who.function,
    }
    variables = {
        "input": {
            "requestId": request_id(),
            "memberId": the_company(portal).member_id,
            "person": person,
            "roles": [role],
        }
    }
    return portal.mutation(admin, ADD_USER, variables, "addMemberUser")


def do_step(portal: Portal, journey: Journey, who: User, number: str) -> None:
    """What the administrator of the bakery does at a step, then validates it (the recap, step
    10, is validated by the confirmation)."""
    what = f"l'étape {number}"
    if number == "1":
        accepted(confirm_company(portal, who, siret=SIRET, has_cse=False), what)
        for kind in ("WORKSITE", "BILLING", "CONVOCATION"):
            point = MAP_POINT if kind == "WORKSITE" else None
            accepted(confirm_address(portal, who, kind, WORKSITE, point), what)
    elif number == "2":
        accepted(name_legal_representative(portal, who, LEGAL_REPRESENTATIVE), what)
    elif number == "4":
        for theme, answers in BAKERY_ANSWERS.items():
            accepted(answer_theme(portal, journey, who, theme, answers), what)
    elif number == "5":
        for code in BAKERY_RISKS:
            accepted(change_risk(portal, journey, who, ADD_RISK, code), what)
    elif number == "6 à 8":
        accepted(choose_tool(portal, journey, who, subscribed=True), what)
    elif number == "9":
        worker, situation, since = NIGHT_WORKER
        accepted(assign_situation(portal, who, situation, [worker], since), what)
    elif number == "10":
        accepted(give_purchase_order(portal, journey, who, PURCHASE_ORDER), what)
        if declaration_of(portal, journey, who)["toolSubscribed"]:
            accepted(accept_terms(portal, journey, who), what)
        accepted(confirm(portal, journey, who), "la confirmation de la déclaration")
        return
    accepted(complete_step(portal, journey, who, number), f"la validation de {what}")


def open_campaign(  # noqa: PLR0917 (the service's form)
    portal: Portal,
    journey: Journey,
    year: int,
    opens_on: date,
    deadline: date,
    rate: Decimal,
    tool_price: Decimal,
) -> Reply:
    variables = {
        "input": {
            "requestId": request_id(),
            "year": year,
            "opensOn": opens_on.isoformat(),
            "deadline": deadline.isoformat(),
            "ratePerCapita": str(rate),
            "toolPrice": str(tool_price),
        }
    }
    reply = Reply.of_result(portal.staff(OPEN_CAMPAIGN, variables)["openCampaign"])
    portal.reply = reply
    if not reply.refused:
        journey.year = year
    return reply


# Situation ------------------------------------------------------------------------------------


@given(phrase("{first_name:Name} a enregistré les salariés de « {legal_name} » :"))
def employees_hired(
    portal: Portal, first_name: str, legal_name: str, datatable: list[list[str]]
) -> None:
    """The workforce of the scenario: | salarié | sexe | né(e) le | contrat | embauche | poste |."""
    who = portal.person(first_name)
    portal.company(legal_name)
    header, *rows = datatable
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        reply = hire(
            portal,
            who,
            cells["salarié"],
            cells["sexe"],
            to_date(cells["né(e) le"]),
            cells["contrat"],
            to_date(cells["embauché(e) le"]),
            cells["poste"],
        )
        accepted(reply, f"l'embauche de {cells['salarié']}")


@given(
    phrase(
        "le service a ouvert la campagne {year:Year} : {rate:Amount} € HT par salarié,"
        " outil d'évaluation des risques à {tool_price:Amount} € HT par an"
    )
)
def campaign_opened(
    portal: Portal, journey: Journey, year: int, rate: Decimal, tool_price: Decimal
) -> None:
    """Opened on the first Monday of January, to be sent by the end of February."""
    reply = open_campaign(
        portal, journey, year, date(year, 1, 5), date(year, 2, 27), rate, tool_price
    )
    accepted(reply, f"l'ouverture de la campagne {year}")


@given(
    phrase("{admin:Name} a donné accès au portail à {first_name:Name}, avec le rôle {role:Role}")
)
def user_added(portal: Portal, admin: str, first_name: str, role: str) -> None:
    reply = add_user(portal, portal.person(admin), portal.person(first_name), role)
    accepted(reply, f"l'accès de {first_name} au portail")


@action("{first_name:Name} se connecte au portail avec un code reçu par e-mail")
def signs_in(portal: Portal, first_name: str) -> None:
    sign_in_with_code(portal, portal.person(first_name))


@given(
    phrase("{first_name:Name} a validé les étapes {numbers:Steps} de la déclaration {year:Year}")
)
def steps_done(
    portal: Portal, journey: Journey, first_name: str, numbers: list[str], year: int
) -> None:
    """The steps done as a baker would (`do_step`), in order."""
    assert year == journey.campaign_year, f"la campagne ouverte est {journey.campaign_year}"
    who = portal.person(first_name)
    for number in numbers:
        do_step(portal, journey, who, number)


@given(
    phrase("{first_name:Name} a confirmé la déclaration {year:Year}, outil d'évaluation compris")
)
def declaration_confirmed(portal: Portal, journey: Journey, first_name: str, year: int) -> None:
    """Seed 000 from step 1 to step 10, the tool subscribed: 464,40 € TTC."""
    assert year == journey.campaign_year, f"la campagne ouverte est {journey.campaign_year}"
    who = portal.person(first_name)
    for number in STEP_NUMBERS:
        do_step(portal, journey, who, number)


# Actions --------------------------------------------------------------------------------------


@action("{first_name:Name} ouvre la déclaration {year:Year}")
def opens_declaration(portal: Portal, journey: Journey, first_name: str, year: int) -> None:
    assert year == journey.campaign_year, f"la campagne ouverte est {journey.campaign_year}"
    open_screen(portal, journey, portal.person(first_name))


@action("{first_name:Name} valide l'étape {number:Step}")
def validates(portal: Portal, journey: Journey, first_name: str, number: str) -> None:
    complete_step(portal, journey, portal.person(first_name), number)


@action("{first_name:Name} répond au thème « {label} » :")
def answers_theme(
    portal: Portal, journey: Journey, first_name: str, label: str, datatable: list[list[str]]
) -> None:
    """| question | réponse |: the questions by their label, as the form shows them."""
    theme = theme_named(portal, label)
    questions = {q["label"]: q for q in theme["questions"]}
    answers = {}
    for question_label, text in datatable[1:]:
        assert question_label in questions, f"le thème n'a pas de question « {question_label} »"
        question = questions[question_label]
        answers[question["id"]] = typed_answer(question, text)
    answer_theme(portal, journey, portal.person(first_name), theme["code"], answers)


@action("{first_name:Name} répond à toutes les questions des six thèmes de prévention")
def answers_everything(portal: Portal, journey: Journey, first_name: str) -> None:
    who = portal.person(first_name)
    for theme, answers in BAKERY_ANSWERS.items():
        accepted(answer_theme(portal, journey, who, theme, answers), f"le thème {theme}")


@action("{first_name:Name} ajoute le risque « {label} »")
def adds_risk(portal: Portal, journey: Journey, first_name: str, label: str) -> None:
    change_risk(portal, journey, portal.person(first_name), ADD_RISK, risk_code(portal, label))


@action("{first_name:Name} décline le risque suggéré « {label} »")
def declines_risk(portal: Portal, journey: Journey, first_name: str, label: str) -> None:
    who = portal.person(first_name)
    change_risk(portal, journey, who, DECLINE_RISK, risk_code(portal, label))


@action("{first_name:Name} active l'outil d'évaluation des risques")
def subscribes_tool(portal: Portal, journey: Journey, first_name: str) -> None:
    choose_tool(portal, journey, portal.person(first_name), subscribed=True)


@action("{first_name:Name} n'active pas l'outil d'évaluation des risques")
def declines_tool(portal: Portal, journey: Journey, first_name: str) -> None:
    choose_tool(portal, journey, portal.person(first_name), subscribed=False)


@action("{first_name:Name} relie le n° de bon de commande « {number} »")
def purchase_order(portal: Portal, journey: Journey, first_name: str, number: str) -> None:
    give_purchase_order(portal, journey, portal.person(first_name), number)


@action("{first_name:Name} accepte les conditions de vente de l'outil d'évaluation des risques")
def accepts_terms(portal: Portal, journey: Journey, first_name: str) -> None:
    accept_terms(portal, journey, portal.person(first_name))


@action("{first_name:Name} valide définitivement la déclaration {year:Year}")
def confirms(portal: Portal, journey: Journey, first_name: str, year: int) -> None:
    assert year == journey.campaign_year, f"la campagne ouverte est {journey.campaign_year}"
    confirm(portal, journey, portal.person(first_name))


@action(
    "{first_name:Name} déclare l'exposition de {name} à la substance « {agent} »,"
    " n° CAS « {cas_number} », depuis le {since:Date}"
)
def exposure_recorded(  # noqa: PLR0917 (the form's fields)
    portal: Portal,
    journey: Journey,
    first_name: str,
    name: str,
    agent: str,
    cas_number: str,
    since: date,
) -> None:
    who = portal.person(first_name)
    record_exposure(portal, journey, who, name, agent, cas_number, since.isoformat())


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("les étapes de la déclaration {year:Year}, vues par {first_name:Name}, sont :"))
def steps_are(
    portal: Portal, journey: Journey, year: int, first_name: str, datatable: list[list[str]]
) -> None:
    """| étape | intitulé | ouverte | validée |, « oui » or « non »."""
    assert year == journey.campaign_year, f"la campagne ouverte est {journey.campaign_year}"
    declaration = declaration_of(portal, journey, portal.person(first_name))
    shown = [
        [
            STEP_WORDS[s["step"]],
            s["label"],
            "oui" if s["open"] else "non",
            "oui" if s["completed"] else "non",
        ]
        for s in declaration["steps"]
    ]
    assert shown == datatable[1:], shown


@then(phrase("l'étape {done:Step} est validée et l'étape {next_step:Step} est ouverte"))
def step_done(portal: Portal, journey: Journey, done: str, next_step: str) -> None:
    steps = steps_of(declaration_of(portal, journey))
    assert steps[done]["completed"], f"l'étape {done} n'est pas validée : {steps[done]}"
    assert steps[next_step]["open"], f"l'étape {next_step} n'est pas ouverte : {steps[next_step]}"


@then(phrase("la modification de l'étape est enregistrée"))
def step_saved(portal: Portal) -> None:
    reply = portal.reply
    assert reply is not None, "le portail n'a rien répondu"
    assert not reply.refused, reply.describe()
    assert reply.typename == "DeclarationChanged", reply.describe()


@then(phrase("la liste des déclarations de « {legal_name} », vue par {first_name:Name}, est :"))
def declarations_list(
    portal: Portal, legal_name: str, first_name: str, datatable: list[list[str]]
) -> None:
    """Seed 004 §2.5 « Vos déclarations »: | année | version | statut |."""
    variables = {"memberId": portal.company(legal_name).member_id}
    found = read(portal, portal.person(first_name), DECLARATIONS, variables, "declarations")
    shown = [[str(d["year"]), str(d["edition"]), STATUS_LABELS[d["status"]]] for d in found]
    assert shown == datatable[1:], shown


@then(phrase("le récapitulatif de la déclaration {year:Year} montre :"))
def recap_shows(portal: Portal, journey: Journey, year: int, datatable: list[list[str]]) -> None:
    """Step 10: | rubrique | valeur |, only the rubrics the spec gives."""
    assert year == journey.campaign_year, f"la campagne ouverte est {journey.campaign_year}"
    recap = recap_of(portal, journey, portal.current)
    shown = {
        "Effectif déclaré": str(recap["declaredHeadcount"]),
        "Effectif déclaré en date du": french_date(recap["declaredOn"]),
        "Suivi": counts(recap["byCategory"]),
        "Contrats": counts(recap["byContractType"], CONTRACT_LABELS),
        "Effectif facturé": str(recap["billedHeadcount"]),
        "Effectif facturé en date du": french_date(recap["referenceDate"]),
        "Cotisation par salarié": euros(recap["ratePerCapita"]) + " HT",
        "Outil d'évaluation des risques": (
            euros(recap["toolPrice"]) + " HT" if recap["toolPrice"] is not None else "non activé"
        ),
        "Montant HT": euros(recap["amountHt"]),
        "TVA 20 %": euros(recap["vat"]),
        "Montant TTC": euros(recap["amountTtc"]),
    }
    for rubric, expected in datatable:
        assert rubric in shown, f"le récapitulatif n'a pas de rubrique « {rubric} »"
        if rubric in {"Suivi", "Contrats"}:
            assert shown[rubric] == parse_counts(expected), f"{rubric} : {shown[rubric]}"
        elif expected == "aujourd'hui":
            assert shown[rubric] == f"{portal.clock.today():%d/%m/%Y}", (
                f"{rubric} : {shown[rubric]}"
            )
        else:
            assert shown[rubric] == expected, f"{rubric} : {shown[rubric]}"


@then(phrase("la version {edition:d} confirmée a son empreinte SHA-256 et est intacte"))
def confirmation_intact(portal: Portal, journey: Journey, edition: int) -> None:
    found = confirmation(portal, journey, edition)
    assert len(found["contentHash"]) == 64, found["contentHash"]
    assert all(c in "0123456789abcdef" for c in found["contentHash"]), found["contentHash"]
    assert found["intact"] is True, found
    assert found["content"]["edition"] == edition, found["content"]


@then(
    phrase(
        "la version {edition:d} transmise au service n'a pas changé : même copie, même"
        " empreinte, toujours intacte"
    )
)
def copy_unchanged(portal: Portal, journey: Journey, edition: int) -> None:
    assert edition in journey.sent, f"la version {edition} n'a pas été confirmée ici"
    now = confirmation(portal, journey, edition)
    sent = journey.sent[edition]
    assert now["content"] == sent["content"]
    assert now["contentHash"] == sent["contentHash"]
    assert now["intact"] is True


@then(phrase("la liste CMR transmise avec la version {edition:d} est :"))
def transmitted_list(
    portal: Portal, journey: Journey, edition: int, datatable: list[list[str]]
) -> None:
    """| salarié | agent | n° CAS | depuis | jusqu'au |, as sent with the confirmation."""
    found = transmitted_cmr(portal, journey, edition)
    assert found["intact"] is True, found
    assert found["contentHash"] == confirmation(portal, journey, edition)["contentHash"]
    shown = [
        [
            f"{row['firstName']} {row['birthName']}",
            row["agentName"],
            row["casNumber"] or "",
            french_date(row["validFrom"]),
            french_date(row["validTo"]),
        ]
        for row in found["content"]["cmrExposures"]
    ]
    assert sorted(shown) == sorted(datatable[1:]), shown


@then(phrase("la liste CMR de « {legal_name} », aujourd'hui, est :"))
def current_cmr_list(portal: Portal, legal_name: str, datatable: list[list[str]]) -> None:
    """| salarié | agent | n° CAS | depuis | jusqu'au |: the exposures running today."""
    portal.company(legal_name)
    shown = [
        [
            f"{row['firstName']} {row['birthName']}",
            row["agentName"],
            row["casNumber"] or "",
            french_date(row["validFrom"]),
            french_date(row["validTo"]),
        ]
        for row in cmr_list(portal)
    ]
    assert sorted(shown) == sorted(datatable[1:]), shown


@then(phrase("{first_name:Name} reçoit l'e-mail « {subject} » :"))
def mail_with_text(portal: Portal, first_name: str, subject: str, docstring: str) -> None:
    """The latest mail of that subject: mails that reactions send after the same event go out
    in no set order (the rejected debit's, and the mail of the invoice it causes)."""
    mails = portal.mails_to(portal.person(first_name).email)
    named = [mail for mail in mails if mail["Subject"] == subject]
    assert named, [mail["Subject"] for mail in mails]
    content = named[-1].get_content()
    for line in docstring.splitlines():
        assert " ".join(line.split()) in " ".join(content.split()), content


__all__ = ["journey"]
__all__ += [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]
"""The fixture, and the step definitions, whose names pytest-bdd makes."""

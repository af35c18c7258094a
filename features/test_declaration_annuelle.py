"""Seed 000: the annual declaration of a bakery from the campaign's opening to the confirmation,
end to end through the GraphQL API; the recap's headcounts and amounts, the confirmed copy and
the CMR list transmitted with it, which nothing changes afterwards."""

from datetime import date
from decimal import Decimal
from typing import Any

from pytest_bdd import scenarios, then, when

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal, accepted
from features.steps.annual_declaration import *  # noqa: F403 (the declaration's steps)
from features.steps.annual_declaration import (
    CAMPAIGNS,
    CMR_AGENTS,
    END_EXPOSURE,
    RISK_SUGGESTIONS,
    Journey,
    assign_situation,
    confirm_address,
    confirm_company,
    confirmation,
    employee_id,
    euros,
    french_date,
    hire,
    name_legal_representative,
    open_campaign,
    phrase,
    read,
    record_exposure,
    risk_label,
    situation_code,
    the_company,
    transmitted_list,
)
from tests.api.graphql_client import request_id

FEATURE = "declaration_annuelle.feature"
scenarios(FEATURE)

ADDRESS_KINDS = {
    "du lieu de travail de vos salariés": "WORKSITE",
    "de facturation": "BILLING",
    "de convocation": "CONVOCATION",
}
CSE = {"pas de CSE": False, "avec un CSE": True}


def copy_of(portal: Portal, journey: Journey, edition: int) -> dict[str, Any]:
    content: dict[str, Any] = confirmation(portal, journey, edition)["content"]
    return content


def names_in_category(content: dict[str, Any], category: str) -> str:
    names = [
        f"{e['firstName']} {e['birthName']}"
        for e in content["workforce"]
        if e["category"] == category
    ]
    return ", ".join(sorted(names))


def tool_choice(declared: dict[str, Any]) -> str:
    if declared["toolSubscribed"] is None:
        return "non choisi"
    if not declared["toolSubscribed"]:
        return "non activé"
    terms = "acceptées" if declared["termsAccepted"] else "non acceptées"
    return f"activé, conditions de vente {terms}"


def worksite(content: dict[str, Any]) -> str:
    address = content["member"]["addresses"]["worksite"]
    if address is None:
        return ""
    shown = f"{', '.join(address['lines'])}, {address['postalCode']} {address['city']}"
    return shown + (", confirmée sur la carte" if address["confirmed"] else "")


# Actions --------------------------------------------------------------------------------------


@when(
    phrase(
        "le service ouvre la campagne {year:Year} le {opens_on:Date}, à rendre au plus tard le"
        " {deadline:Date}, à {rate:Amount} € HT par salarié et {tool_price:Amount} € HT par an"
        " pour l'outil d'évaluation des risques"
    )
)
def opens_campaign(  # noqa: PLR0917 (the service's form)
    portal: Portal,
    journey: Journey,
    year: int,
    opens_on: date,
    deadline: date,
    rate: Decimal,
    tool_price: Decimal,
) -> None:
    open_campaign(portal, journey, year, opens_on, deadline, rate, tool_price)


@when(phrase("{first_name:Name} confirme les informations générales : SIRET « {siret} », {cse}"))
def confirms_company(portal: Portal, first_name: str, siret: str, cse: str) -> None:
    assert cse in CSE, f"« {cse} » : pas de CSE, ou avec un CSE"
    reply = confirm_company(portal, portal.person(first_name), siret=siret, has_cse=CSE[cse])
    accepted(reply, "les informations générales")


@when(phrase("{first_name:Name} confirme les adresses de l'entreprise :"))
def confirms_addresses(portal: Portal, first_name: str, datatable: list[list[str]]) -> None:
    """| adresse | rue | code postal | ville | marqueur sur la carte |: the marker confirms."""
    header, *rows = datatable
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        address = {
            "lines": [cells["rue"]],
            "postalCode": cells["code postal"],
            "city": cells["ville"],
            "country": "FR",
        }
        marker = cells["marqueur sur la carte"]
        point = None
        if marker:
            latitude, longitude = (float(x) for x in marker.split(","))
            point = (latitude, longitude)
        kind = ADDRESS_KINDS[cells["adresse"]]
        reply = confirm_address(portal, portal.person(first_name), kind, address, point)
        accepted(reply, f"l'adresse {cells['adresse']}")


@when(
    phrase(
        "{first_name:Name} désigne comme représentant légal le contact {contact_first_name}"
        " {contact_last_name}, {function}, joignable au « {phone} »"
    )
)
def names_representative(  # noqa: PLR0917 (the contact's form)
    portal: Portal,
    first_name: str,
    contact_first_name: str,
    contact_last_name: str,
    function: str,
    phone: str,
) -> None:
    contact = {
        "lastName": contact_last_name,
        "firstName": contact_first_name,
        "function": function[:1].upper() + function[1:],
        "phone": phone,
    }
    reply = name_legal_representative(portal, portal.person(first_name), contact)
    accepted(reply, "le représentant légal")


@when(
    phrase(
        "{first_name:Name} affecte la situation de travail « {label} » à {name},"
        " depuis le {since:Date}"
    )
)
def assigns_situation(portal: Portal, first_name: str, label: str, name: str, since: date) -> None:
    code = situation_code(portal, label)
    reply = assign_situation(portal, portal.person(first_name), code, [name], since.isoformat())
    accepted(reply, f"la situation « {label} »")
    assert reply.content["assignedIds"] == [employee_id(portal, name)], reply.content


@when(
    phrase(
        "{first_name:Name} cherche « {search} » parmi les substances CMR et ajoute « {agent} »"
        " à {name}, exposé depuis le {since:Date}"
    )
)
def adds_substance(  # noqa: PLR0917 (the form « Ajouter une substance »)
    portal: Portal,
    journey: Journey,
    first_name: str,
    search: str,
    agent: str,
    name: str,
    since: date,
) -> None:
    found = portal.staff(CMR_AGENTS, {"search": search})["cmrAgents"]
    chosen = [a for a in found if a["name"] == agent and a["kind"] == "SUBSTANCE"]
    assert chosen, f"« {search} » ne trouve pas « {agent} » : {found}"
    who = portal.person(first_name)
    cas_number = chosen[0]["casNumber"]
    reply = record_exposure(portal, journey, who, name, agent, cas_number, since.isoformat())
    accepted(reply, f"l'exposition de {name}")


@when(
    phrase(
        "{first_name:Name} embauche {name} en {contract}, embauché le {hired:Date},"
        " au poste « {job_title} »"
    )
)
def hires(  # noqa: PLR0917 (the « Nouveau salarié » form)
    portal: Portal, first_name: str, name: str, contract: str, hired: date, job_title: str
) -> None:
    who = portal.person(first_name)
    reply = hire(portal, who, name, "M", date(1988, 4, 2), contract, hired, job_title)
    accepted(reply, f"l'embauche de {name}")


@when(
    phrase(
        "{first_name:Name} met fin à l'exposition de {name} à « {agent} »,"
        " dernier jour le {last_day:Date}"
    )
)
def ends_exposure(  # noqa: PLR0917
    portal: Portal, journey: Journey, first_name: str, name: str, agent: str, last_day: date
) -> None:
    assert (name, agent) in journey.exposures, f"{name} n'est pas exposé(e) à {agent}"
    end_input = {
        "requestId": request_id(),
        "employeeId": employee_id(portal, name),
        "exposureId": journey.exposures[(name, agent)],
        "lastDay": last_day.isoformat(),
    }
    reply = portal.mutation(
        portal.person(first_name), END_EXPOSURE, {"input": end_input}, "endExposure"
    )
    accepted(reply, f"la fin de l'exposition de {name}")


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("les campagnes, vues par {first_name:Name}, sont :"))
def campaigns(portal: Portal, first_name: str, datatable: list[list[str]]) -> None:
    found = read(portal, portal.person(first_name), CAMPAIGNS, {}, "campaigns")
    shown = [
        [
            str(c["year"]),
            french_date(c["opensOn"]),
            french_date(c["deadline"]),
            euros(c["ratePerCapita"]) + " HT",
            euros(c["toolPrice"]) + " HT",
            french_date(c["referenceDate"]),
        ]
        for c in found
    ]
    assert shown == datatable[1:], shown


def suggested(portal: Portal, journey: Journey) -> list[str]:
    variables = {"memberId": the_company(portal).member_id, "year": journey.campaign_year}
    found = read(portal, portal.current, RISK_SUGGESTIONS, variables, "riskSuggestions")
    return [risk["label"] for risk in found]


@then(phrase("les risques suggérés d'après les postes des salariés sont :"))
def suggestions(portal: Portal, journey: Journey, datatable: list[list[str]]) -> None:
    assert sorted(suggested(portal, journey)) == sorted(row[0] for row in datatable)


@then(phrase("les risques suggérés d'après les postes des salariés ne proposent plus {labels}"))
def no_longer_suggested(portal: Portal, journey: Journey, labels: str) -> None:
    """« A », « B » ni « C »: risks added or declined are not suggested again this year."""
    named = [part.split("»")[0].strip() for part in labels.split("«")[1:]]
    assert named, labels
    shown = suggested(portal, journey)
    assert not set(named) & set(shown), shown


@then(phrase("la version {edition:d} transmise au service déclare :"))
def copy_declares(
    portal: Portal, journey: Journey, edition: int, datatable: list[list[str]]
) -> None:
    content = copy_of(portal, journey, edition)
    declared, recap = content["declaration"], content["recap"]
    shown = {
        "Effectif déclaré": str(recap["declaredHeadcount"]),
        "Effectif facturé": str(recap["billedHeadcount"]),
        "Montant TTC": euros(recap["amountTtc"]),
        "Outil d'évaluation": tool_choice(declared),
        "Bon de commande": declared["purchaseOrder"] or "",
        "Risques": ", ".join(risk_label(portal, code) for code in declared["risks"]),
        "Risques déclinés": ", ".join(
            risk_label(portal, code) for code in declared["declinedRisks"]
        ),
        "Salariés en SIA": names_in_category(content, "SIA"),
        "Salariés en SIR": names_in_category(content, "SIR"),
        "Lieu de travail": worksite(content),
    }
    for rubric, expected in datatable:
        assert rubric in shown, f"la copie n'a pas de rubrique « {rubric} »"
        assert shown[rubric] == expected, f"{rubric} : {shown[rubric]}"


@then(phrase("{name} ne figure pas dans la version {edition:d} transmise au service"))
def not_in_copy(portal: Portal, journey: Journey, name: str, edition: int) -> None:
    content = copy_of(portal, journey, edition)
    listed = [f"{e['firstName']} {e['birthName']}" for e in content["workforce"]]
    assert name not in listed, listed
    assert employee_id(portal, name) not in [e["employeeId"] for e in content["workforce"]]


@then(phrase("la liste CMR transmise avec la version {edition:d} est toujours :"))
def transmitted_list_still(
    portal: Portal, journey: Journey, edition: int, datatable: list[list[str]]
) -> None:
    transmitted_list(portal, journey, edition, datatable)

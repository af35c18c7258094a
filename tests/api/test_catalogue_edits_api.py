"""The service's staff edit the catalogues over GraphQL, on both stores, and the catalogue
queries show the effect at once: `riskCatalogue` lists an added risk and not a retired one,
`suggestedActions` the added action, `cmrAgents` finds an added agent and no longer a retired
one; step 5 of a declaration accepts the added risk and refuses the retired one. Refusals are
typed failures in French; a member's administrator may edit nothing."""

from datetime import date
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from api.services import Services
from domain.catalogue_edits import CatalogueEdits
from messaging.mailer import OutboxMailer
from projections.timeline import paris_today
from tests.api.graphql_client import FAILURES, data, graphql, mutate, register_member, request_id
from tests.api.sessions import create_first_account, sign_in
from tests.integration.test_catalogue_edits import up_to_the_risks_step

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
ACRYLONITRILE = {
    "kind": "SUBSTANCE",
    "name": "Acrylonitrile",
    "casNumber": "107-13-1",
    "clpHazard": "Carc. 1B",
    "source": "Règlement CLP, annexe VI",
}


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
    assert cmr_names(client, "acrylonitrile") == []

    edited(client, "addCmrAgent", ACRYLONITRILE)
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

    found = data(client, CMR_AGENTS, {"search": "107-13"})["cmrAgents"]
    assert found == [
        {
            "kind": "SUBSTANCE",
            "casNumber": "107-13-1",
            "name": "Acrylonitrile",
            "nameEn": "",
            "source": "Ajouté par le service : Règlement CLP, annexe VI",
        }
    ]
    assert cmr_names(client, "acrylo") == ["Acrylonitrile"]
    assert cmr_names(client, "welding") == ["Travaux exposant aux fumées de soudage"]
    assert cmr_names(client, "benzène") == []
    assert cmr_names(client, "auramine") == []


def test_refusals_are_typed_failures_in_french(client: TestClient) -> None:
    invalid_cas = edit(client, "addCmrAgent", ACRYLONITRILE | {"casNumber": "107-13-2"})
    duplicate_cas = edit(client, "addCmrAgent", ACRYLONITRILE | {"casNumber": "71-43-2"})
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
    year = paris_today().year
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
        edit(client, "addCmrAgent", ACRYLONITRILE),
        edit(client, "retireCmrAgent", {"casNumber": "71-43-2", "source": "s"}),
    ]

    assert {(r["__typename"], r["code"]) for r in refused} == {("ForbiddenError", "FORBIDDEN")}
    assert "vibrating_tools" not in risks(client)
    assert cmr_names(client, "benzène") == ["Benzène"]
    assert list(services.app.events.get(CatalogueEdits.create_id())) == []

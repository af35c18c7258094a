"""Seed 004 §2.3: the employee list exported to Excel and printed to PDF, with the list's
filters — plain HTTP endpoints beside GraphQL, read back with openpyxl and pypdf."""

import io
import re
from typing import Any
from uuid import uuid4

import openpyxl
import pypdf
from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal, User
from features.steps.annual_declaration import *  # noqa: F403 (the declaration's steps)
from features.steps.annual_declaration import Journey, phrase, the_company
from features.steps.vocabulary import to_date
from features.test_import_des_expositions import shown_cell as shown
from tests.api.graphql_client import request_id

scenarios("export_des_salaries.feature")

STATUS_WORDS = {"présents": "ACTIVE", "sortis": "INACTIVE"}
CLOSE_CONTRACT = """
mutation($input: CloseContractInput!) {
  closeContract(input: $input) {
    __typename
    ... on ValidationError { code message }
    ... on RuleViolationError { code message }
    ... on NotFoundError { code message }
  }
}"""
BEL_SHOWN = "␇"
"""How a scenario writes the bell character (U+0007), which no one types."""


def headers(who: User | None) -> dict[str, str]:
    if who is None:
        return {}
    assert who.token is not None, f"{who.first_name} n'est pas connecté(e)"
    return {"Authorization": f"Bearer {who.token}"}


def export(
    portal: Portal,
    journey: Journey,
    who: User | None,
    kind: str,
    member_id: Any = None,
    **query: str,
) -> None:
    member_id = member_id or the_company(portal).member_id
    response = portal.client.get(
        f"/members/{member_id}/employees.{kind}", params=query, headers=headers(who)
    )
    journey.kept["export"] = response


def received(journey: Journey, status: int = 200) -> Any:
    assert "export" in journey.kept, "rien n'a été exporté"
    response = journey.kept["export"]
    assert response.status_code == status, response.text
    return response


def workbook_rows(journey: Journey) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(received(journey).content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def pdf_text(journey: Journey) -> str:
    reader = pypdf.PdfReader(io.BytesIO(received(journey).content))
    return "\n".join(page.extract_text() for page in reader.pages)


def quoted(text: str) -> list[str]:
    return re.findall(r"« (.+?) »", text)


# Situation ------------------------------------------------------------------------------------


@given(phrase("{name} a quitté l'entreprise le {last_day}"))
def has_left(portal: Portal, name: str, last_day: str) -> None:
    variables = {
        "input": {
            "requestId": request_id(),
            "employeeId": portal.employees[name],
            "lastDay": to_date(last_day).isoformat(),
            "reason": "RESIGNATION",
        }
    }
    result = portal.staff(CLOSE_CONTRACT, variables)["closeContract"]
    assert result["__typename"] == "CloseContractSuccess", result


# Actions --------------------------------------------------------------------------------------


@when(phrase("{first_name:Name} exporte vers Excel la liste des salariés « {status} »"))
def exports_by_status(portal: Portal, journey: Journey, first_name: str, status: str) -> None:
    export(portal, journey, portal.person(first_name), "xlsx", status=STATUS_WORDS[status])


@when(phrase("{first_name:Name} imprime la liste des salariés « {status} »"))
def prints_by_status(portal: Portal, journey: Journey, first_name: str, status: str) -> None:
    export(portal, journey, portal.person(first_name), "pdf", status=STATUS_WORDS[status])


@when(
    phrase(
        "{first_name:Name} exporte vers Excel la liste des salariés dont le contrat est"
        " « {contract} » et le nom contient « {search} »"
    )
)
def exports_filtered(
    portal: Portal, journey: Journey, first_name: str, contract: str, search: str
) -> None:
    who = portal.person(first_name)
    export(portal, journey, who, "xlsx", contractType=contract, search=search)


@when(parsers.parse("{first_name} exporte vers Excel la liste avec le filtre {name} à « {value} »"))
def exports_with(portal: Portal, journey: Journey, first_name: str, name: str, value: str) -> None:
    who = portal.person(first_name)
    export(portal, journey, who, "xlsx", **{name: value.replace(BEL_SHOWN, "\x07")})


@when(phrase("une personne sans session demande l'export Excel de la liste de « {legal_name} »"))
def exports_anonymously(portal: Portal, journey: Journey, legal_name: str) -> None:
    export(portal, journey, None, "xlsx", member_id=portal.company(legal_name).member_id)


@when(
    phrase(
        "{first_name:Name} demande l'export Excel de la liste d'un adhérent qui n'est pas le sien"
    )
)
def exports_another(portal: Portal, journey: Journey, first_name: str) -> None:
    export(portal, journey, portal.person(first_name), "xlsx", member_id=uuid4())


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("le fichier reçu s'appelle « {name} »"))
def file_named(journey: Journey, name: str) -> None:
    disposition = received(journey).headers["content-disposition"]
    pattern = re.escape(name).replace(re.escape("<aujourd'hui>"), r"\d{4}-\d{2}-\d{2}")
    assert re.fullmatch(f'attachment; filename="{pattern}"', disposition), disposition


@then(phrase("le fichier rappelle « {words} »"))
def reminds(journey: Journey, words: str) -> None:
    assert workbook_rows(journey)[1] == [words] + [None] * (len(workbook_rows(journey)[1]) - 1)


@then(phrase("le classeur liste les salariés :"))
def workbook_lists(journey: Journey, datatable: list[list[str]]) -> None:
    title, _filters, header, *rows = workbook_rows(journey)
    assert str(title[0]).startswith("Liste de vos salariés — Boulangerie des Ducs — au ")
    wanted, *expected = datatable
    where = [header.index(column) for column in wanted]
    assert [[shown(row[i]) for i in where] for row in rows] == expected


@then("aucune cellule du classeur ne contient de numéro de sécurité sociale")
def no_nir(journey: Journey) -> None:
    for row in workbook_rows(journey):
        for value in row:
            assert not re.search(r"\b[12]\d{12}", shown(value)), "un NIR figure dans le fichier"


@then(phrase("le PDF affiche {texts}"))
def pdf_shows(journey: Journey, texts: str) -> None:
    text = " ".join(pdf_text(journey).split())
    for excerpt in quoted(texts):
        assert excerpt in text, f"« {excerpt} » manque : {text}"


@then(phrase("le PDF n'affiche pas « {excerpt} »"))
def pdf_lacks(journey: Journey, excerpt: str) -> None:
    assert excerpt not in pdf_text(journey)


@then(phrase("l'export est refusé avec le code {code}"))
def refused_with_code(journey: Journey, code: str) -> None:
    answer = received(journey, 400).json()
    assert answer["extra"]["code"] == code, answer


@then(phrase("le refus dit « {excerpt} »"))
def refusal_says(journey: Journey, excerpt: str) -> None:
    answer = received(journey, 400).json()
    assert excerpt in answer["detail"], answer


@then(phrase("l'export est refusé avec le statut HTTP {status:d}"))
def refused_with_status(journey: Journey, status: int) -> None:
    received(journey, status)

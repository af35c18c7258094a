"""Seed 000, step 9 (« Mettre à jour les expositions via Excel »): the workbook of the CMR
exposures downloaded, filled in with openpyxl, checked by a dry run that records nothing while a
row is wrong, then recorded once corrected — plain HTTP endpoints beside GraphQL."""

import io
import re
from datetime import date, datetime
from typing import Any

import openpyxl
from pytest_bdd import given, scenarios, then, when

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal, Reply, User
from features.steps.annual_declaration import *  # noqa: F403 (the declaration's steps)
from features.steps.annual_declaration import (
    Journey,
    action,
    cmr_list,
    phrase,
    read,
    the_company,
)
from features.steps.vocabulary import to_date

scenarios("import_des_expositions.feature")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Expositions CMR"
EMPLOYEES = """
query($memberId: UUID!) {
  employees(memberId: $memberId, first: 100) {
    edges { node { firstName birthName category } }
  }
}"""


def exposures_path(portal: Portal) -> str:
    return f"/members/{the_company(portal).member_id}/cmr-exposures"


def headers(who: User) -> dict[str, str]:
    assert who.token is not None, f"{who.first_name} n'est pas connecté(e)"
    return {"Authorization": f"Bearer {who.token}"}


def download(portal: Portal, who: User) -> Any:
    response = portal.client.get(f"{exposures_path(portal)}/template.xlsx", headers=headers(who))
    assert response.status_code == 200, response.text
    return response


def sheet_of(journey: Journey) -> Any:
    assert "workbook" in journey.kept, "le modèle n'a pas été téléchargé"
    return journey.kept["workbook"][SHEET]


def columns(sheet: Any) -> dict[str, int]:
    """The sheet's columns by their title: their number (1 for A)."""
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


def typed(title: str, text: str) -> Any:
    """What a person types in a cell: a date in a date column, else the text."""
    if not text:
        return None
    if re.fullmatch(r"\d{2}/\d{2}/\d{4}", text) and title.startswith(("Début", "Fin")):
        return to_date(text)
    return text


def shown_cell(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


def send(portal: Portal, journey: Journey, who: User, *, dry_run: bool) -> None:
    """The workbook as the person saved it, sent to the portal: its answer is shown."""
    output = io.BytesIO()
    journey.kept["workbook"].save(output)
    response = portal.client.post(
        f"{exposures_path(portal)}/import",
        params={"dryRun": "true" if dry_run else "false"},
        content=output.getvalue(),
        headers={**headers(who), "Content-Type": XLSX},
    )
    assert response.status_code in {200, 422}, response.text
    answer = response.json()
    refused = None if response.status_code == 200 else f"HTTP {response.status_code}"
    journey.kept["answer"] = answer
    portal.reply = Reply(None, refused, answer.get("message"), answer)


def answer_of(journey: Journey) -> Any:
    assert "answer" in journey.kept, "aucun fichier n'a été envoyé"
    return journey.kept["answer"]


# Actions --------------------------------------------------------------------------------------


@when(phrase("{first_name:Name} télécharge le modèle des expositions CMR"))
@given(phrase("{first_name:Name} a téléchargé le modèle des expositions CMR"))
def downloads(portal: Portal, journey: Journey, first_name: str) -> None:
    response = download(portal, portal.person(first_name))
    journey.kept["filename"] = response.headers["content-disposition"]
    journey.kept["workbook"] = openpyxl.load_workbook(io.BytesIO(response.content))


@action("{first_name:Name} remplit le modèle :")
def fills(portal: Portal, journey: Journey, first_name: str, datatable: list[list[str]]) -> None:
    """| ligne | <title of a column> … |: what is typed in each row of the sheet."""
    portal.person(first_name)
    sheet = sheet_of(journey)
    where = columns(sheet)
    header, *rows = datatable
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        number = int(cells.pop("ligne"))
        for title, text in cells.items():
            assert title in where, f"le modèle n'a pas de colonne « {title} »"
            sheet.cell(row=number, column=where[title]).value = typed(title, text)


@when(
    phrase(
        "{first_name:Name} corrige la ligne {number:d} : numéro CAS « {cas_number} »,"
        " début d'exposition le {started:Date}, sans fin"
    )
)
def corrects(  # noqa: PLR0917
    portal: Portal, journey: Journey, first_name: str, number: int, cas_number: str, started: date
) -> None:
    portal.person(first_name)
    sheet = sheet_of(journey)
    where = columns(sheet)
    sheet.cell(row=number, column=where["Numéro CAS"]).value = cas_number
    sheet.cell(row=number, column=where["Début d'exposition"]).value = started
    sheet.cell(row=number, column=where["Fin d'exposition"]).value = None


@action("{first_name:Name} envoie le fichier au portail pour vérification")
def checks(portal: Portal, journey: Journey, first_name: str) -> None:
    send(portal, journey, portal.person(first_name), dry_run=True)


@action("{first_name:Name} envoie le fichier au portail pour enregistrement")
def records(portal: Portal, journey: Journey, first_name: str) -> None:
    send(portal, journey, portal.person(first_name), dry_run=False)


@when(phrase("{first_name:Name} envoie quand même le fichier au portail pour enregistrement"))
def records_anyway(portal: Portal, journey: Journey, first_name: str) -> None:
    send(portal, journey, portal.person(first_name), dry_run=False)


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("le fichier reçu s'appelle « {filename} »"))
def file_named(journey: Journey, filename: str) -> None:
    assert f'filename="{filename}"' in journey.kept["filename"], journey.kept["filename"]


@then(phrase("la feuille « {title} » du modèle a pour titres {titles}"))
def sheet_titles(journey: Journey, title: str, titles: str) -> None:
    assert title == SHEET
    expected = [part.split("»")[0].strip() for part in titles.split("«")[1:]]
    assert list(columns(sheet_of(journey))) == expected


@then(phrase("le modèle a une ligne pour chaque salarié présent, sans exposition :"))
def template_rows(journey: Journey, datatable: list[list[str]]) -> None:
    sheet = sheet_of(journey)
    where = columns(sheet)
    header, *rows = datatable
    shown = []
    for number in range(2, sheet.max_row + 1):
        values = [shown_cell(sheet.cell(row=number, column=where[t]).value) for t in header[1:]]
        exposure = sheet.cell(row=number, column=where["Substance ou procédé (nom)"]).value
        identifier = sheet.cell(row=number, column=where["Identifiant salarié"]).value
        if any(values):
            assert exposure is None, f"ligne {number} : {exposure}"
            assert identifier, f"ligne {number} sans identifiant salarié"
            shown.append([str(number), *values])
    assert shown == rows, shown


@then(phrase("la vérification signale une ligne en erreur :"))
def one_row_wrong(journey: Journey, datatable: list[list[str]]) -> None:
    answer = answer_of(journey)
    assert answer["dryRun"] is True, answer
    assert answer["canApply"] is False, answer
    shown = [
        [str(row["row"]), error["message"]] for row in answer["rows"] for error in row["errors"]
    ]
    assert shown == datatable[1:], shown


@then(phrase("la vérification annonce pour la ligne {number:d} « {summary} »"))
def row_would_record(journey: Journey, number: int, summary: str) -> None:
    rows = {row["row"]: row for row in answer_of(journey)["rows"]}
    assert number in rows, rows
    assert rows[number]["errors"] == [], rows[number]
    assert rows[number]["action"] == "RECORD", rows[number]
    assert rows[number]["summary"] == summary, rows[number]["summary"]


@then(phrase("la vérification ne signale aucune erreur : {count:d} exposition(s) à enregistrer"))
def no_error(journey: Journey, count: int) -> None:
    answer = answer_of(journey)
    assert [row["errors"] for row in answer["rows"] if row["errors"]] == []
    assert answer["canApply"] is True, answer
    assert answer["toRecord"] == count, answer


@then(phrase("l'enregistrement est refusé, la ligne {number:d} toujours en erreur"))
def apply_refused(portal: Portal, journey: Journey, number: int) -> None:
    reply = portal.reply
    assert reply is not None, "le portail n'a rien répondu"
    assert reply.code == "HTTP 422", reply
    answer = answer_of(journey)
    assert answer["dryRun"] is False, answer
    assert answer["canApply"] is False, answer
    assert [row["row"] for row in answer["rows"] if row["errors"]] == [number], answer


@then(phrase("aucune exposition CMR n'est enregistrée pour « {legal_name} »"))
def no_exposure(portal: Portal, legal_name: str) -> None:
    portal.company(legal_name)
    assert cmr_list(portal) == []


@then(phrase("le suivi des salariés de « {legal_name} » est :"))
def follow_ups(portal: Portal, legal_name: str, datatable: list[list[str]]) -> None:
    variables = {"memberId": portal.company(legal_name).member_id}
    found = read(portal, None, EMPLOYEES, variables, "employees")
    shown = [
        [f"{e['node']['firstName']} {e['node']['birthName']}", e["node"]["category"]]
        for e in found["edges"]
    ]
    assert sorted(shown) == sorted(datatable[1:]), shown

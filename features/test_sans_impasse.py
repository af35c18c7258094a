"""Issue 15, « no dead ends »: the CMR workbook's round trip with a planned end, an error's
field under the input's own name, and `knownAtInstant` telling two changes of a day apart."""

import io
from datetime import date, datetime, timedelta
from typing import Any

import openpyxl
from pytest_bdd import given, scenarios, then, when

from features.steps.accounts import *  # noqa: F403 (the fixtures and shared steps)
from features.steps.accounts import Portal, Reply, accepted
from features.steps.annual_declaration import *  # noqa: F403 (the declaration's steps)
from features.steps.annual_declaration import Journey, hire, phrase, the_company
from features.steps.vocabulary import to_date
from tests.api.graphql_client import request_id

scenarios("sans_impasse.feature")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMALDEHYDE = {"kind": "SUBSTANCE", "name": "Formaldéhyde", "casNumber": "50-00-0"}
RESULT = "__typename ... on ValidationError { code message field }"
RECORD = f"""
mutation($input: RecordExposureInput!) {{ recordExposure(input: $input) {{ {RESULT} }} }}"""
END = f"""
mutation($input: EndExposureInput!) {{ endExposure(input: $input) {{ {RESULT} }} }}"""
NAMES = """
query($memberId: UUID!, $knownAt: Date, $instant: DateTime) {
  employees(memberId: $memberId, knownAt: $knownAt, knownAtInstant: $instant) {
    edges { node { firstName birthName } }
  }
}"""


def in_six_months(portal: Portal) -> date:
    return portal.clock.today() + timedelta(days=183)


def template(portal: Portal, first_name: str) -> Any:
    who = portal.person(first_name)
    path = f"/members/{the_company(portal).member_id}/cmr-exposures/template.xlsx"
    response = portal.client.get(path, headers={"Authorization": f"Bearer {who.token}"})
    assert response.status_code == 200, response.text
    return openpyxl.load_workbook(io.BytesIO(response.content))


def send_back(
    portal: Portal, journey: Journey, first_name: str, workbook: Any, *, dry: bool
) -> None:
    who = portal.person(first_name)
    output = io.BytesIO()
    workbook.save(output)
    response = portal.client.post(
        f"/members/{the_company(portal).member_id}/cmr-exposures/import",
        params={"dryRun": "true" if dry else "false"},
        content=output.getvalue(),
        headers={"Authorization": f"Bearer {who.token}", "Content-Type": XLSX},
    )
    assert response.status_code in {200, 422}, response.text
    journey.kept["answer"] = response.json()


def names(portal: Portal, first_name: str, **knowledge: str) -> Reply:
    variables = {"memberId": the_company(portal).member_id, **knowledge}
    return portal.query(portal.person(first_name), NAMES, variables, "employees")


def listed(reply: Reply) -> str:
    assert not reply.refused, reply.describe()
    found = [f"{e['node']['firstName']} {e['node']['birthName']}" for e in reply.content["edges"]]
    return ", ".join(sorted(found))


# Situation ------------------------------------------------------------------------------------


@given(
    phrase(
        "{first_name:Name} a déclaré l'exposition de {employee} au formaldéhyde depuis le"
        " {started}, {end}"
    )
)
def exposure_declared(  # noqa: PLR0917 (the sentence's parts)
    portal: Portal, journey: Journey, first_name: str, employee: str, started: str, end: str
) -> None:
    who, employee_id = portal.person(first_name), portal.employees[employee]
    day = to_date(started).isoformat()
    fields = {"employeeId": employee_id, "agent": FORMALDEHYDE, "startedOn": day}
    variables = {"input": {"requestId": request_id(), **fields}}
    recorded = portal.mutation(who, RECORD, variables, "recordExposure")
    accepted(recorded, "l'exposition")
    journey.kept["exposure"] = (employee_id, 1)
    if end == "avec une fin prévue dans 6 mois":
        ended = end_exposure(portal, first_name, journey, in_six_months(portal))
        accepted(ended, "la fin prévue")


def end_exposure(portal: Portal, first_name: str, journey: Journey, last_day: date) -> Reply:
    employee_id, exposure_id = journey.kept["exposure"]
    fields = {"employeeId": employee_id, "exposureId": exposure_id, "lastDay": last_day.isoformat()}
    variables = {"input": {"requestId": request_id(), **fields}}
    return portal.mutation(portal.person(first_name), END, variables, "endExposure")


# Actions --------------------------------------------------------------------------------------


@when(
    phrase(
        "{first_name:Name} télécharge le modèle des expositions CMR et le renvoie tel quel pour"
        " enregistrement"
    )
)
def round_trip(portal: Portal, journey: Journey, first_name: str) -> None:
    send_back(portal, journey, first_name, template(portal, first_name), dry=False)


@when(
    phrase(
        "{first_name:Name} télécharge le modèle des expositions CMR, y met une fin d'exposition"
        " dans 6 mois et le renvoie pour vérification"
    )
)
def future_end(portal: Portal, journey: Journey, first_name: str) -> None:
    workbook = template(portal, first_name)
    sheet = workbook.active
    column = next(c.column for c in sheet[1] if c.value == "Fin d'exposition")
    sheet.cell(row=2, column=column).value = in_six_months(portal)
    send_back(portal, journey, first_name, workbook, dry=True)


@when(phrase("{first_name:Name} termine cette exposition le {last_day}"))
def ends(portal: Portal, journey: Journey, first_name: str, last_day: str) -> None:
    end_exposure(portal, first_name, journey, to_date(last_day))


@when(phrase("{first_name:Name} embauche {employee}"))
def hires(portal: Portal, journey: Journey, first_name: str, employee: str) -> None:
    born = date(1990, 3, 1) if employee.startswith("Nina") else date(1988, 7, 1)
    sex = "F" if employee.startswith("Nina") else "M"
    reply = hire(portal, portal.person(first_name), employee, sex, born, "CDI",
                 date(2025, 1, 6), "Vendeur")  # fmt: skip
    accepted(reply, f"l'embauche de {employee}")
    journey.kept[f"hired {employee}"] = portal.clock.now()


@when(phrase("10 minutes plus tard, {first_name:Name} embauche {employee}"))
def hires_later(portal: Portal, journey: Journey, first_name: str, employee: str) -> None:
    portal.clock.advance(minutes=10)
    hires(portal, journey, first_name, employee)


@when(
    phrase(
        "{first_name:Name} demande la liste des salariés telle qu'enregistrée à la fois un jour"
        " et un instant donnés"
    )
)
def asks_both(portal: Portal, first_name: str) -> None:
    now = portal.clock.now()
    names(portal, first_name, knownAt=now.date().isoformat(), instant=now.isoformat())


# Outcomes -------------------------------------------------------------------------------------


@then(
    phrase(
        "l'import est accepté : {recorded:d} exposition enregistrée, {ended:d} terminée,"
        " {unchanged:d} inchangée"
    )
)
def import_accepted(journey: Journey, recorded: int, ended: int, unchanged: int) -> None:
    answer = journey.kept["answer"]
    assert answer.get("failed") is None, answer
    assert (answer["recorded"], answer["ended"], answer["unchanged"]) == (
        recorded,
        ended,
        unchanged,
    ), answer


@then(
    phrase("la vérification refuse la ligne {number:d} avec le code {code}, colonne « {column} »")
)
def row_refused(journey: Journey, number: int, code: str, column: str) -> None:
    answer = journey.kept["answer"]
    assert answer["canApply"] is False, answer
    (row,) = [row for row in answer["rows"] if row["errors"]]
    (error,) = row["errors"]
    assert (row["row"], error["code"], error["column"]) == (number, code, column), row
    assert error["message"].startswith(f"Ligne {number}, colonne « {column} » : le "), error


@then(phrase("le champ signalé est « {field} »"))
def field_named(portal: Portal, field: str) -> None:
    reply = portal.reply
    assert reply is not None
    assert reply.content is not None
    assert reply.content["field"] == field, reply.content


@then(
    phrase(
        "la liste des salariés, telle qu'enregistrée 5 minutes après l'embauche de {employee},"
        " est « {expected} »"
    )
)
def known_at_instant(portal: Portal, journey: Journey, employee: str, expected: str) -> None:
    moment: datetime = journey.kept[f"hired {employee}"] + timedelta(minutes=5)
    assert listed(names(portal, "Claire", instant=moment.isoformat())) == expected


@then(phrase("la liste des salariés, telle qu'enregistrée à la fin du jour, est « {expected} »"))
def known_at_day(portal: Portal, expected: str) -> None:
    day = portal.clock.today().isoformat()
    assert listed(names(portal, "Claire", knownAt=day)) == expected

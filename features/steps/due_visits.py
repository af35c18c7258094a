"""The visits an employee owes, as the portal shows them (issue 13, RULES.md §2), end to end
through the GraphQL API: what the employer records (a hire, a determinant, an absence and the
return), the visits the service records as held, and the list of visits owed (`dueVisits`) with
their last day, the article they rest on and their reason in French; and the no-show the service
bills the employer (BILLING.md §4), its invoice and its documents. The specs of due visits take
these steps with `from features.steps.due_visits import *` (`__all__` lists the fixture and the
step definitions), besides those of `features.steps.accounts`, `annual_declaration`, `visits`
and `billing`.

A visit is named by its kind as the portal labels it (« Visite intermédiaire »), a cause of
absence by the words of the form (« accident du travail »), an employee by their name.
"""

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from pytest_bdd import then

from api.services import Services
from domain.visits.follow_up_file import AbsenceKind
from domain.visits.follow_up_record import VisitDocument
from domain.visits.kinds import VisitKind
from domain.workforce.employment import Sex
from domain.workforce.follow_up import FollowUpDeterminant
from features.steps.accounts import Portal, User, body
from features.steps.annual_declaration import (
    action,
    employee_id,
    french_date,
    hire,
    phrase,
    read,
    the_company,
)
from features.steps.billing import invoice_named, page, send_form
from features.steps.visits import Visits
from features.steps.vocabulary import to_date

VISIT_KINDS = {kind.label: kind for kind in VisitKind}
"""« Visite intermédiaire »: a kind of visit as the portal labels it."""
DOCUMENTS = {VisitKind.SIR_EXAM: VisitDocument.APTITUDE_NOTICE}
"""What the employer receives after a visit (R4624-25: an aptitude notice after the SIR exam;
R4624-14: a follow-up certificate otherwise)."""
CAUSES = {kind.label.split(" (")[0].lower(): kind for kind in AbsenceKind}
"""« accident du travail », « autre absence »: a cause of absence as the form words it."""
TELLING_WORDS = ("maternité", "maladie", "accident", "professionnel")
"""Words that would tell why a worker was away (health data): no reason of a due visit says
them."""
YES_NO = {True: "oui", False: "non"}

# The API's words ------------------------------------------------------------------------------

DUE_VISITS = """
query($memberId: UUID!, $validOn: Date, $employeeId: UUID) {
  dueVisits(memberId: $memberId, validOn: $validOn, employeeId: $employeeId) {
    employeeId kind kindLabel dueBy article reason overdue
  }
}"""
DETERMINANT_DECLARED = "... on DeclareDeterminantSuccess { createdId }"
RECORD_CHANGED = "... on FollowUpRecordChanged { aggregateId version }"
SETTINGS_CHANGED = "... on VisitSettingsChangedSuccess { aggregateId }"
APPOINTMENT_CHANGED = "... on AppointmentChangedSuccess { aggregateId }"


# What a scenario remembers ----------------------------------------------------------------------


@pytest.fixture
def absences() -> dict[str, int]:
    """By employee: how many absences were declared for them in the scenario. The follow-up
    record numbers an employee's absences from 1 in the order they are declared, and the
    return names the absence by that number (`declareAbsence` does not answer it)."""
    return {}


# Pages ------------------------------------------------------------------------------------------


def due_visits_of(portal: Portal, who: User, employee: str, on: date | None) -> list[Any]:
    """The visits `employee` owes on `on` (None: today), as `who` reads them."""
    variables = {
        "memberId": the_company(portal).member_id,
        "validOn": None if on is None else on.isoformat(),
        "employeeId": employee_id(portal, employee),
    }
    found: list[Any] = read(portal, who, DUE_VISITS, variables, "dueVisits")
    return found


def shown_due(visit: Any) -> dict[str, str]:
    """A visit owed, by the words of the portal's list."""
    return {
        "visite": visit["kindLabel"],
        "au plus tard le": french_date(visit["dueBy"]),
        "article": visit["article"],
        "motif": visit["reason"],
        "en retard": YES_NO[visit["overdue"]],
    }


def invoice_file(
    portal: Portal, services: Services, who: User, number: str, extension: str
) -> bytes:
    """The kept PDF or XML of the invoice `number`, as `who` downloads it."""
    page(portal, services, "invoices")  # the issue and the documents' rendering are done
    url = f"/billing/{the_company(portal).member_id}/invoices/{number}.{extension}"
    response = portal.client.get(url, headers={"Authorization": f"Bearer {who.token}"})
    assert response.status_code == 200, response.text
    return response.content


def pdf_text(content: bytes) -> str:
    """The PDF's text on one line, as a reader sees it."""
    sheets = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(sheet.extract_text() for sheet in sheets).split())


def names_in(text: str, employee: str) -> list[str]:
    """The parts of the employee's name that `text` holds."""
    return [part for part in employee.split() if part.lower() in text.lower()]


# What people do -------------------------------------------------------------------------------


@action(
    "{first_name:Name} embauche {employee}, {sex:Born} le {born:Date}, en {contract} le"
    " {hired:Date} au poste « {job_title} »"
)
def employee_hired(  # noqa: PLR0917 (the « Nouveau salarié » form)
    portal: Portal,
    first_name: str,
    employee: str,
    sex: Sex,
    born: date,
    contract: str,
    hired: date,
    job_title: str,
) -> None:
    hire(portal, portal.person(first_name), employee, sex.name, born, contract, hired, job_title)


@action(
    "{first_name:Name} déclare le déterminant « {determinant:Determinant} » de {employee}"
    " à partir du {day:Date}"
)
def determinant_declared(
    portal: Portal, first_name: str, determinant: FollowUpDeterminant, employee: str, day: date
) -> None:
    fields = {
        "employeeId": employee_id(portal, employee),
        "determinant": determinant.name,
        "startedOn": day.isoformat(),
    }
    send_form(portal, portal.person(first_name), "declareDeterminant", fields, DETERMINANT_DECLARED)


@action("le service enregistre la visite « {kind} » de {employee}, tenue le {day:Date} par {by}")
def visit_recorded(  # noqa: PLR0917 (the service's form)
    portal: Portal, visits: Visits, kind: str, employee: str, day: date, by: str
) -> None:
    assert kind in VISIT_KINDS, f"type de visite inconnu : « {kind} » ({', '.join(VISIT_KINDS)})"
    visit_kind = VISIT_KINDS[kind]
    fields = {
        "employeeId": employee_id(portal, employee),
        "kind": visit_kind.name,
        "heldOn": day.isoformat(),
        "professionalId": visits.professional(by),
        "document": DOCUMENTS.get(visit_kind, VisitDocument.FOLLOW_UP_CERTIFICATE).name,
    }
    send_form(portal, None, "recordVisit", fields, RECORD_CHANGED)


@action(
    "{first_name:Name} déclare l'absence de {employee} à partir du {first_day:Date}, pour {cause}"
)
def absence_declared(  # noqa: PLR0917 (the « Déclarer une absence » form)
    portal: Portal,
    absences: dict[str, int],
    first_name: str,
    employee: str,
    first_day: date,
    cause: str,
) -> None:
    assert cause in CAUSES, f"cause d'absence inconnue : « {cause} » ({', '.join(CAUSES)})"
    fields = {
        "employeeId": employee_id(portal, employee),
        "kind": CAUSES[cause].name,
        "firstDay": first_day.isoformat(),
    }
    reply = send_form(portal, portal.person(first_name), "declareAbsence", fields, RECORD_CHANGED)
    if not reply.refused:
        absences[employee] = absences.get(employee, 0) + 1


@action("{first_name:Name} déclare la reprise de {employee} le {day:Date}")
def return_declared(
    portal: Portal, absences: dict[str, int], first_name: str, employee: str, day: date
) -> None:
    assert employee in absences, f"aucune absence n'a été déclarée pour {employee}"
    fields = {
        "employeeId": employee_id(portal, employee),
        "absenceId": absences[employee],
        "returnedOn": day.isoformat(),
    }
    send_form(portal, portal.person(first_name), "declareReturn", fields, RECORD_CHANGED)


@action("le service facture les absences aux visites : {fee:Amount} € HT")
def no_shows_billed(portal: Portal, fee: Decimal) -> None:
    fields = {"billed": True, "fee": str(fee)}
    send_form(portal, None, "setNoShowBilling", fields, SETTINGS_CHANGED)


@action("le service note que {employee} a manqué son rendez-vous")
def no_show_recorded(portal: Portal, visits: Visits, employee: str) -> None:
    fields = {"appointmentId": visits.appointment(employee)}
    send_form(portal, None, "recordNoShow", fields, APPOINTMENT_CHANGED)


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("{when}, les visites dues de {employee}, vues par {first_name:Name}, sont :"))
def due_visits_shown(
    portal: Portal, when: str, employee: str, first_name: str, datatable: list[list[str]]
) -> None:
    """| visite | au plus tard le | article | motif | en retard | (any of these columns), the
    earliest due first; `when` is « aujourd'hui » or « au 01/06/2026 »."""
    on = None if when == "aujourd'hui" else to_date(when.removeprefix("au "))
    header, *rows = datatable
    found = due_visits_of(portal, portal.person(first_name), employee, on)
    shown = [{column: shown_due(visit)[column] for column in header} for visit in found]
    assert shown == [dict(zip(header, row, strict=True)) for row in rows], shown


@then(
    phrase(
        "aucun motif des visites dues de {employee}, vues par {first_name:Name}, ne dit la cause"
        " de son absence"
    )
)
def cause_unsaid(portal: Portal, employee: str, first_name: str) -> None:
    found = due_visits_of(portal, portal.person(first_name), employee, None)
    reasons = [visit["reason"] for visit in found]
    said = [word for word in TELLING_WORDS for reason in reasons if word in reason.lower()]
    assert said == [], reasons


@then(phrase("la facture {number}, téléchargée par {first_name:Name}, porte la ligne « {label} »"))
def invoice_line(
    portal: Portal, services: Services, number: str, first_name: str, label: str
) -> None:
    text = pdf_text(invoice_file(portal, services, portal.person(first_name), number, "pdf"))
    assert label in text, text


@then(
    phrase(
        "la facture {number}, vue par {first_name:Name}, ne nomme pas {employee} :"
        " ni « Mes factures », ni son PDF, ni son XML, ni l'e-mail qui l'annonce"
    )
)
def employee_unnamed(
    portal: Portal, services: Services, number: str, first_name: str, employee: str
) -> None:
    """The employee's first name and name appear nowhere the member reads about the invoice."""
    who = portal.person(first_name)
    listed = invoice_named(page(portal, services, "invoices", who), number)
    mails = [
        f"{mail['Subject']} {body(mail)}"
        for mail in portal.outbox.messages()
        if f"n° {number} " in mail["Subject"]
    ]
    assert mails, "aucun e-mail n'annonce la facture"
    places = {
        "« Mes factures »": json.dumps(listed, ensure_ascii=False),
        "le PDF": pdf_text(invoice_file(portal, services, who, number, "pdf")),
        "le XML": invoice_file(portal, services, who, number, "xml").decode(),
        "l'e-mail": " ".join(mails),
    }
    named = {place: names_in(text, employee) for place, text in places.items()}
    assert not any(named.values()), named


__all__ = ["absences"]
__all__ += [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]
"""The fixture, and the step definitions, whose names pytest-bdd makes."""

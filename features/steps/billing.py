"""Billing as the portal shows it (the end of seed 000, seed 004 §2.4), end to end through the
GraphQL API: the service's identity as a seller and its terms of a year, the member's SEPA
mandate, the invoices the service's processes issue (membership fee, contribution, the
difference after a reopening, a reduction lost), the payments, returned debits and credit notes
the service's staff record, the list of invoices and the échéancier. The specs of billing take
these steps with `from features.steps.billing import *` (`__all__` lists the step definitions).

An invoice is named by its number (« F0000002 », « AV0000001 ») or, where its number depends on
the day the scenario runs, by its kind and year (« de cotisation 2026 »). A page is read once the
service's processes are done with what was recorded (`settled`): the invoice a confirmation
calls for, then the mail announcing it. Tables write dates « 20/01/2026 », or « aujourd'hui » and
« dans 30 jours » in the scenarios played at any hour.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, then

from api.services import Services
from features.steps.accounts import (
    FAILURES,
    Portal,
    Reply,
    User,
    accepted,
    body,
    one_line,
)
from features.steps.annual_declaration import (
    Journey,
    action,
    euros,
    french_date,
    phrase,
    read,
    the_company,
)
from tests.api.graphql_client import request_id

SELLER = {
    "legalName": "Service de prévention et de santé au travail de Côte-d'Or",
    "siret": "21000000600002",
    "vatNumber": "FR65210000006",
    "address": {"lines": ["12 rue de la Santé"], "postalCode": "21000", "city": "DIJON"},
    "creditorId": "FR72ZZZ123456",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "electronicAddress": "210000006",
}
PENALTY_RATE = "12.15"
"""% a year: the ECB's rate plus 10 points."""
STATUS_LABELS = {
    "UNPAID": "non réglée",
    "PARTLY_PAID": "réglée en partie",
    "PAID": "réglée",
    "OVERDUE": "en retard",
}
KIND_WORDS = {
    "CONTRIBUTION": "de cotisation",
    "MEMBERSHIP": "d'adhésion",
    "ADJUSTMENT": "d'ajustement",
    "NO_SHOW": "d'absence à une visite",
    "CREDIT_NOTE": "d'avoir",
}
"""« la facture de cotisation 2026 »: an invoice by its kind and year."""
PAYMENT_METHODS = {"prélèvement": "DIRECT_DEBIT", "virement": "TRANSFER", "chèque": "CHEQUE"}

# The API's words ------------------------------------------------------------------------------

INVOICES = """
query($memberId: UUID!) {
  invoices(memberId: $memberId) {
    id number kind kindLabel year issuedOn dueOn amountHt vat amountTtc outstanding status
    debitOn discount corrects purchaseOrder reason
  }
}"""
SCHEDULE = """
query($memberId: UUID!) {
  accountSchedule(memberId: $memberId) {
    entries { number issuedOn dueOn label debit credit year } totalDebit totalCredit balance
  }
}"""
PAGES = {"invoices": INVOICES, "accountSchedule": SCHEDULE}
SETTINGS_CHANGED = "... on BillingSettingsChanged { version }"
INVOICE_RECORDED = "... on InvoiceRecorded { invoice { number } }"
MEMBER_CHANGED = "... on SignSepaMandateSuccess { version }"
DEBITS_COLLECTED = "... on DebitsCollected { count total }"


# Reading the portal ---------------------------------------------------------------------------


def settled(services: Services) -> None:
    """Until the log stops growing: the read models and the service's processes are done with
    what was recorded, and with what they recorded themselves (an invoice, then its mail)."""
    done = -1
    while (head := services.app.recorder.max_notification_id() or 0) != done:
        services.settle()
        done = head


def page(portal: Portal, services: Services, name: str, who: User | None = None) -> Any:
    """« Mes factures » (`invoices`, newest first) or « Mon échéancier » (`accountSchedule`),
    as `who` (None: the service's staff) opens it."""
    settled(services)
    variables = {"memberId": the_company(portal).member_id}
    return read(portal, who, PAGES[name], variables, name)


def billing_pages(portal: Portal, services: Services) -> list[Any]:
    """Both pages, as the service's staff read them."""
    return [page(portal, services, name) for name in PAGES]


def invoice_named(invoices: list[Any], name: str) -> Any:
    """The invoice numbered `name`, or the one of that kind and year (« de cotisation 2026 »)."""
    for invoice in invoices:
        if name in (invoice["number"], f"{KIND_WORDS[invoice['kind']]} {invoice['year']}"):
            return invoice
    pytest.fail(f"aucune facture « {name} » : {[i['number'] for i in invoices]}")


def shown(invoice: Any) -> dict[str, str]:
    """What the portal shows of an invoice, by the words of the list and of the invoice."""
    discount = invoice["discount"]
    return {
        "N°": invoice["number"],
        "Type de facture": invoice["kindLabel"],
        "Date": french_date(invoice["issuedOn"]),
        "Échéance": french_date(invoice["dueOn"]),
        "Période": f"Année {invoice['year']}",
        "Montant HT": euros(invoice["amountHt"]),
        "TVA": euros(invoice["vat"]),
        "Montant TTC": euros(invoice["amountTtc"]),
        "Reste dû": euros(invoice["outstanding"]),
        "Statut": STATUS_LABELS[invoice["status"]],
        "Abattement pour prélèvement": "aucun" if discount is None else f"{euros(discount)} HT",
        "Prélèvement prévu le": french_date(invoice["debitOn"]),
        "Bon de commande": invoice["purchaseOrder"] or "",
        "Corrige la facture": invoice["corrects"] or "",
        "Motif": invoice["reason"] or "",
    }


def schedule_rows(schedule: Any) -> list[list[str]]:
    """Seed 004's échéancier: | N° | émission | exigibilité | pièce | débit | crédit | période |,
    then the totals and the balance."""
    rows = [
        [
            entry["number"],
            french_date(entry["issuedOn"]),
            french_date(entry["dueOn"]),
            entry["label"],
            euros(entry["debit"]),
            euros(entry["credit"]),
            f"Année {entry['year']}",
        ]
        for entry in schedule["entries"]
    ]
    balance = Decimal(schedule["balance"])
    side = "Solde débiteur" if balance >= 0 else "Solde créditeur"
    totals = ["", "", "", "", euros(schedule["totalDebit"]), euros(schedule["totalCredit"]), ""]
    return [*rows, totals, ["", "", "", side, euros(abs(balance)), "", ""]]


def meant(cell: str, today: date) -> str:
    """A cell of a table as the portal shows it: « aujourd'hui » and « dans 30 jours » are
    dates, counted from the service's day."""
    if cell == "aujourd'hui":
        return f"{today:%d/%m/%Y}"
    later = re.fullmatch(r"dans (\d+) jours", cell)
    return f"{today + timedelta(days=int(later[1])):%d/%m/%Y}" if later else cell


# Forms ----------------------------------------------------------------------------------------


def send_form(
    portal: Portal, who: User | None, name: str, fields: dict[str, Any], success: str
) -> Reply:
    """The mutation `name` with its input, sent by `who` (None: the service's staff)."""
    query = f"""
    mutation($input: {name[0].upper()}{name[1:]}Input!) {{
      {name}(input: $input) {{ __typename {success} {FAILURES} }}
    }}"""
    variables = {"input": {"requestId": request_id(), **fields}}
    if who is None:
        portal.reply = Reply.of_result(portal.staff(query, variables)[name])
        return portal.reply
    return portal.mutation(who, query, variables, name)


def on_invoice(portal: Portal, services: Services, number: str, name: str, **fields: Any) -> Reply:
    """A form of the service's staff about the invoice numbered `number`."""
    invoice = invoice_named(page(portal, services, "invoices"), number)
    return send_form(portal, None, name, {"invoiceId": invoice["id"], **fields}, INVOICE_RECORDED)


# Situation ------------------------------------------------------------------------------------


@given(phrase("le service a renseigné ses coordonnées de vendeur"))
def seller_set(portal: Portal) -> None:
    """Its legal name, SIRET, VAT number, address, SEPA creditor identifier, bank account and
    electronic invoicing address (`SELLER`), as its invoices show them."""
    send_form(portal, None, "changeSeller", {"seller": SELLER}, SETTINGS_CHANGED)


@given(
    phrase(
        "le service a fixé les conditions de facturation {year:Year} : droit d'adhésion"
        " {fee:Amount} € HT, paiement à {days:d} jours, abattement de {rate:Amount} % pour un"
        " prélèvement au plus tard le {deadline:Date}"
    )
)
def terms_set(  # noqa: PLR0917 (the service's form)
    portal: Portal, year: int, fee: Decimal, days: int, rate: Decimal, deadline: date
) -> None:
    terms = {
        "year": year,
        "membershipFee": str(fee),
        "paymentDays": days,
        "penaltyRate": PENALTY_RATE,
        "discountRate": str(rate),
        "discountDeadline": deadline.isoformat(),
    }
    send_form(portal, None, "setBillingTerms", {"terms": terms}, SETTINGS_CHANGED)


@action(
    "{first_name:Name} a signé le mandat de prélèvement SEPA « {reference} » le {signed_on:Date},"
    " IBAN « {iban} »"
)
def mandate_signed(
    portal: Portal, first_name: str, reference: str, signed_on: date, iban: str
) -> None:
    company = the_company(portal)
    mandate = {
        "reference": reference,
        "iban": iban,
        "signedOn": signed_on.isoformat(),
        "debtorName": company.legal_name,
    }
    fields = {"memberId": company.member_id, "mandate": mandate}
    send_form(portal, portal.person(first_name), "signSepaMandate", fields, MEMBER_CHANGED)


# Actions of the service's staff ---------------------------------------------------------------


@action(
    "le service enregistre un paiement de {amount:Amount} € par {method} le {paid_on:Date}"
    " sur la facture {number}"
)
def payment_recorded(  # noqa: PLR0917 (the service's form)
    portal: Portal, services: Services, amount: Decimal, method: str, paid_on: date, number: str
) -> None:
    assert method in PAYMENT_METHODS, f"« {method} » : {', '.join(PAYMENT_METHODS)}"
    fields = {
        "amount": str(amount),
        "paidOn": paid_on.isoformat(),
        "method": PAYMENT_METHODS[method],
    }
    on_invoice(portal, services, number, "recordPayment", **fields)


@action("le service présente à la banque les prélèvements SEPA du {collection_date:Date}")
def debits_collected(portal: Portal, services: Services, collection_date: date) -> None:
    """The debits the invoices pre-notified for that day, in a pain.008 file for the bank."""
    settled(services)
    fields = {"collectionDate": collection_date.isoformat()}
    send_form(portal, None, "collectDebits", fields, DEBITS_COLLECTED)


@action(
    "le service enregistre le rejet du prélèvement de la facture {number} le {returned_on:Date},"
    " motif {reason}"
)
def debit_returned(
    portal: Portal, services: Services, number: str, returned_on: date, reason: str
) -> None:
    """`reason`: the bank's code (AM04: provision insuffisante…)."""
    fields = {"reason": reason, "returnedOn": returned_on.isoformat()}
    on_invoice(portal, services, number, "recordDebitReturn", **fields)


@action(
    "le service émet un avoir sur la facture {number} pour le motif « {reason} » :"
    " {quantity:d} × {price:Amount} € HT « {label} »"
)
def credit_note_issued(  # noqa: PLR0917 (the service's form)
    portal: Portal,
    services: Services,
    number: str,
    reason: str,
    quantity: int,
    price: Decimal,
    label: str,
) -> None:
    """A credit note of one line, at the standard VAT rate."""
    line = {"label": label, "quantity": str(quantity), "unitPrice": str(price)}
    on_invoice(portal, services, number, "issueCreditNote", reason=reason, lines=[line])


@given(phrase("le service note l'échéancier et les factures de « {legal_name} »"))
def billing_noted(portal: Portal, services: Services, journey: Journey, legal_name: str) -> None:
    portal.company(legal_name)
    journey.kept["billing"] = billing_pages(portal, services)


# Outcomes -------------------------------------------------------------------------------------


@then(
    phrase("le fichier remis à la banque présente {count:d} prélèvement(s), pour {total} au total")
)
def debit_file(portal: Portal, count: int, total: str) -> None:
    """What the collection answered: its pain.008 file, how many debits and their total."""
    assert portal.reply is not None, "le portail n'a rien répondu"
    accepted(portal.reply, "la présentation des prélèvements")
    collected = portal.reply.content
    assert (collected["count"], euros(collected["total"])) == (count, total), collected


@then(phrase("les factures de « {legal_name} », vues par {first_name:Name}, sont :"))
def invoices_listed(
    portal: Portal, services: Services, legal_name: str, first_name: str, datatable: list[list[str]]
) -> None:
    """« Mes factures », newest first: the columns the spec names in its first row."""
    portal.company(legal_name)
    header, *rows = datatable
    found = page(portal, services, "invoices", portal.person(first_name))
    listed = [[shown(invoice)[column] for column in header] for invoice in found]
    today = portal.clock.today()
    assert listed == [[meant(cell, today) for cell in row] for row in rows], listed


@then(phrase("la facture {name}, vue par {first_name:Name}, montre :"))
@then(phrase("l'avoir {name}, vu par {first_name:Name}, montre :"))
def invoice_shows(
    portal: Portal, services: Services, name: str, first_name: str, datatable: list[list[str]]
) -> None:
    """| rubrique | valeur |, only the rubrics the spec gives."""
    found = page(portal, services, "invoices", portal.person(first_name))
    invoice = shown(invoice_named(found, name))
    today = portal.clock.today()
    for rubric, expected in datatable:
        assert rubric in invoice, f"la facture n'a pas de rubrique « {rubric} »"
        assert invoice[rubric] == meant(expected, today), f"{rubric} : {invoice[rubric]}"


@then(phrase("{first_name:Name} est prévenue par e-mail que la facture {name} est disponible :"))
def invoice_announced(
    portal: Portal, services: Services, first_name: str, name: str, docstring: str
) -> None:
    """One mail announces the invoice; each line of the spec is in its text."""
    number = invoice_named(page(portal, services, "invoices"), name)["number"]
    mails = [
        mail
        for mail in portal.mails_to(portal.person(first_name).email)
        if f"n° {number} " in mail["Subject"] and mail["Subject"].endswith(" disponible")
    ]
    assert len(mails) == 1, [mail["Subject"] for mail in portal.outbox.messages()]
    text = one_line(body(mails[0]))
    for line in docstring.splitlines():
        assert one_line(line) in text, text


@then(phrase("l'échéancier de « {legal_name} », vu par {first_name:Name}, est :"))
def schedule_shows(
    portal: Portal, services: Services, legal_name: str, first_name: str, datatable: list[list[str]]
) -> None:
    portal.company(legal_name)
    schedule = page(portal, services, "accountSchedule", portal.person(first_name))
    rows = schedule_rows(schedule)
    assert rows == datatable[1:], rows


@then(phrase("l'échéancier et les factures de « {legal_name} » n'ont pas changé"))
def billing_unchanged(
    portal: Portal, services: Services, journey: Journey, legal_name: str
) -> None:
    portal.company(legal_name)
    now = billing_pages(portal, services)
    assert now == journey.kept["billing"], (journey.kept["billing"], now)


__all__ = [name for name in list(globals()) if name.startswith("pytestbdd_stepdef_")]
"""The step definitions, whose names pytest-bdd makes."""

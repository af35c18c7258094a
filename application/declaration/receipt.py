"""The receipt of a confirmed declaration, printed (seed 004 §2.5, « Imprimer votre
déclaration »): the member, the year and edition, who confirmed it and when, the recap (headcounts,
amounts, the tool), how many prevention answers and risks were declared, and the SHA-256 of the
confirmed copy as kept, which proves that copy unchanged.

The receipt is read by whoever reads the declaration for its amounts (the Billing role too), so
it never prints the copy's health data: the named workforce and the CMR list are not read here.
The confirmation is taken by its shape (the read side's `ConfirmationView`), so the application
does not read the read models. The page is laid out by `receipt.typ` and dated by the instant of
the confirmation: the same edition always gives the same bytes.
"""

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import msgspec

from application.documents import typeset
from domain.calendar import PARIS
from domain.money import Money

TEMPLATE = Path(__file__).with_name("receipt.typ")
NOTHING = "—"


class Confirmation(Protocol):
    @property
    def year(self) -> int: ...
    @property
    def edition(self) -> int: ...
    @property
    def confirmed_at(self) -> datetime: ...
    @property
    def content_hash(self) -> str: ...


def receipt_pdf(confirmation: Confirmation, frozen: str, confirmed_by: str) -> bytes:
    """The receipt of `confirmation`, whose kept copy is `frozen`, confirmed by the person
    `confirmed_by` names."""
    copy = msgspec.json.decode(frozen)
    year, edition = confirmation.year, confirmation.edition
    page = {
        "title": f"Déclaration annuelle {year} — édition {edition}",
        "member": _member(copy["member"]),
        "confirmation": [
            ("Confirmée par", confirmed_by),
            ("Le", f"{confirmation.confirmed_at.astimezone(PARIS):%d/%m/%Y à %H:%M} (Paris)"),
        ],
        "recap": _recap(copy["recap"]),
        "answers": _answers(copy["declaration"]),
        "content_hash": confirmation.content_hash,
    }
    dated = confirmation.confirmed_at.replace(microsecond=0)  # a PDF's dates are to the second
    return typeset(TEMPLATE, "receipt", page, dated)


def _member(member: dict[str, Any]) -> dict[str, Any]:
    address = member["addresses"]["worksite"]
    return {
        "name": member["legal_name"],
        "facts": [
            ("N° adhérent", member["member_code"]),
            ("SIRET", member["siret"] or NOTHING),
        ],
        "address": [] if address is None else _address(address),
    }


def _address(address: dict[str, Any]) -> list[str]:
    country = [] if address["country"] == "FR" else [address["country"]]
    return [*address["lines"], f"{address['postal_code']} {address['city']}", *country]


def _recap(recap: dict[str, Any]) -> list[tuple[str, str]]:
    tool = recap["tool_price"]
    return [
        ("Effectif déclaré", f"{recap['declared_headcount']} au {_day(recap['declared_on'])}"),
        ("Date de référence", _day(recap["reference_date"])),
        ("Effectif facturé", f"{recap['billed_headcount']} à la date de référence"),
        ("Cotisation par salarié", f"{_euros(recap['rate_per_capita'])} HT"),
        ("Outil d'évaluation des risques", "non souscrit" if tool is None else _euros(tool)),
        ("Montant HT", _euros(recap["amount_ht"])),
        ("TVA 20 %", _euros(recap["vat"])),
        ("Montant TTC", _euros(recap["amount_ttc"])),
    ]


def _answers(declaration: dict[str, Any]) -> list[tuple[str, str]]:
    answered = sum(len(theme) for theme in declaration["prevention"].values())
    return [
        ("Réponses au questionnaire de prévention", str(answered)),
        ("Risques ajoutés", str(len(declaration["risks"]))),
        ("Risques écartés", str(len(declaration["declined_risks"]))),
    ]


def _day(iso: str) -> str:
    return f"{datetime.fromisoformat(iso):%d/%m/%Y}"


def _euros(amount: str) -> str:
    return str(Money(Decimal(amount)))

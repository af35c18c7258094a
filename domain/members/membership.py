"""Who a member is and whether its membership lets it change: the rules the `Member` aggregate
checks before it records a change (member code, administrative information, changes of
situation, status)."""

import re
from datetime import date

from domain.address import Address
from domain.errors import InvalidValue, RuleViolation
from domain.identifiers import Siret, VatNumber, ensure_vat_matches_siret
from domain.members.organisation import (
    AddressKind,
    MembershipStatus,
    SituationChange,
    SituationChangeKind,
)
from domain.plausible_dates import check_end
from domain.text import required_text, shown

MEMBER_CODE = re.compile(r"^\d{3,10}$")
DECLARANT_NUMBER_DIGITS = 8
DECLARANT_NUMBER = re.compile(rf"\A\d{{{DECLARANT_NUMBER_DIGITS}}}\Z")


def check_member_code(member_code: str) -> str:
    code = member_code.strip()
    if not MEMBER_CODE.match(code):
        raise InvalidValue(
            f"Le code adhérent « {shown(member_code, 20)} » doit compter de 3 à 10 chiffres.",
            code="INVALID_MEMBER_CODE",
            field="member_code",
        )
    return code


def check_declarant_number_format(declarant_number: str) -> str:
    """The n° télédéclarant the service sends by post: 8 digits (`new_declarant_number`). The
    number is a secret: the message never repeats it."""
    number = declarant_number.strip()
    if not DECLARANT_NUMBER.match(number):
        raise InvalidValue(
            f"Le n° télédéclarant compte {DECLARANT_NUMBER_DIGITS} chiffres, sans lettre ni"
            " espace.",
            code="INVALID_DECLARANT_NUMBER",
            field="declarant_number",
        )
    return number


def checked_legal_name(legal_name: str) -> str:
    return required_text(legal_name, "legal_name", "La raison sociale")


def checked_identifiers(
    siret: Siret | None, vat_number: VatNumber | None
) -> tuple[Siret | None, VatNumber | None]:
    siret = Siret.coerce_optional(siret)
    vat_number = VatNumber.coerce_optional(vat_number)
    if vat_number is not None and siret is not None:
        ensure_vat_matches_siret(vat_number, siret)
    return siret, vat_number


def check_address(kind: AddressKind, address: Address) -> None:
    """The worksite address places the member on the map: it is recorded once confirmed there."""
    if kind is AddressKind.WORKSITE and not address.is_confirmed:
        raise InvalidValue(
            "Confirmez l'adresse du lieu de travail sur la carte avant de l'enregistrer.",
            code="WORKSITE_NOT_CONFIRMED",
            field="coordinates",
        )


def new_situation_change(
    changes: tuple[SituationChange, ...],
    kind: SituationChangeKind,
    description: str,
    effective_on: date,
) -> SituationChange:
    """The next change of situation (sale, merger…), numbered after those declared, effective
    on a day no further ahead than `check_end` allows."""
    check_end(effective_on, "effective_on")
    return SituationChange(len(changes) + 1, kind, description, effective_on).validated()


def check_reason(reason: str) -> str:
    return required_text(reason, "reason", "Le motif", 500)


def require_status(status: MembershipStatus, expected: MembershipStatus, verb: str) -> None:
    if status is not expected:
        raise RuleViolation(
            f"Impossible de {verb} l'adhésion : elle n'est pas dans l'état attendu.",
            code="INVALID_MEMBERSHIP_STATUS",
        )


def check_not_terminated(status: MembershipStatus) -> None:
    if status is MembershipStatus.TERMINATED:
        raise RuleViolation(
            "L'adhésion de cette entreprise est résiliée : aucune modification n'est possible.",
            code="MEMBERSHIP_TERMINATED",
        )

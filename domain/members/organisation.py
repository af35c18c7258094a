"""Values of a member (adhérent): branches, contacts, interlocutors, changes, SEPA mandate."""

import enum
import re
from dataclasses import dataclass, replace
from datetime import date

from domain.address import Address
from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue, RuleViolation
from domain.identifiers import Iban, Siret
from domain.text import MAX_DESCRIPTION, check_characters, optional_text, required_text

_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")


class AddressKind(enum.Enum):
    """Adresse du lieu de travail, de facturation, de convocation."""

    WORKSITE = "WORKSITE"
    BILLING = "BILLING"
    CONVOCATION = "CONVOCATION"

    @property
    def label(self) -> str:
        return {
            AddressKind.WORKSITE: "adresse du lieu de travail",
            AddressKind.BILLING: "adresse de facturation",
            AddressKind.CONVOCATION: "adresse de convocation",
        }[self]


class ContactType(enum.Enum):
    """Type de contact (seed 004, « Créer un contact » : the portal's list is not in the seed;
    these are the usual interlocutors of a service in a company)."""

    EXECUTIVE = "EXECUTIVE"
    HUMAN_RESOURCES = "HUMAN_RESOURCES"
    PAYROLL_ACCOUNTING = "PAYROLL_ACCOUNTING"
    HEALTH_AND_SAFETY = "HEALTH_AND_SAFETY"
    SECRETARIAT = "SECRETARIAT"
    OTHER = "OTHER"

    @property
    def label(self) -> str:
        return {
            ContactType.EXECUTIVE: "Dirigeant",
            ContactType.HUMAN_RESOURCES: "Ressources humaines",
            ContactType.PAYROLL_ACCOUNTING: "Paie, comptabilité",
            ContactType.HEALTH_AND_SAFETY: "Prévention, sécurité",
            ContactType.SECRETARIAT: "Secrétariat",
            ContactType.OTHER: "Autre",
        }[self]


@dataclass(frozen=True, slots=True)
class Branch:
    """Succursale / établissement: suffix number, name, address, optional own SIRET."""

    number: int
    name: str
    address: Address
    siret: Siret | None = None
    closed_on: date | None = None

    def validated(self) -> "Branch":
        return replace(
            self,
            name=required_text(self.name, "name", "Le nom de l'établissement"),
            address=self.address.checked(),
            siret=Siret.coerce_optional(self.siret),
        )

    def code(self, member_code: str) -> str:
        return f"{member_code}-{self.number}"


class Interlocutor(enum.Enum):
    """Interlocuteurs: représentant légal (obligatoire), représentant CSE, représentant CSSCT."""

    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"
    CSE = "CSE"
    CSSCT = "CSSCT"

    @property
    def label(self) -> str:
        return {
            Interlocutor.LEGAL_REPRESENTATIVE: "représentant légal",
            Interlocutor.CSE: "représentant du CSE",
            Interlocutor.CSSCT: "représentant de la CSSCT",
        }[self]


@dataclass(frozen=True, slots=True)
class Contact:
    """A person the service may contact (no portal access)."""

    contact_id: int
    last_name: str
    first_name: str
    function: str | None = None
    phone: PhoneNumber | None = None
    email: Email | None = None
    contact_type: ContactType | None = None
    company: str | None = None
    department: str | None = None
    address: Address | None = None
    mobile: PhoneNumber | None = None
    fax: PhoneNumber | None = None

    def validated(self) -> "Contact":
        phone = PhoneNumber.coerce_optional(self.phone)
        email = Email.coerce_optional(self.email)
        mobile = PhoneNumber.coerce_optional(self.mobile)
        if phone is None and mobile is None and email is None:
            raise InvalidValue(
                "Indiquez au moins un téléphone ou un e-mail pour ce contact.",
                code="CONTACT_UNREACHABLE",
                field="email",
            )
        return replace(
            self,
            phone=phone,
            email=email,
            last_name=required_text(self.last_name, "last_name", "Le nom").upper(),
            first_name=required_text(self.first_name, "first_name", "Le prénom"),
            function=optional_text(self.function, "function", "La fonction"),
            company=optional_text(self.company, "company", "La société"),
            department=optional_text(self.department, "department", "Le service"),
            mobile=mobile,
            fax=PhoneNumber.coerce_optional(self.fax),
        )


@dataclass(frozen=True, slots=True)
class InterlocutorAssignment:
    role: Interlocutor
    contact_id: int


class SituationChangeKind(enum.Enum):
    """Changement de situation: cession, fusion, fermeture, nouvelle activité, autre."""

    SALE = "SALE"
    MERGER = "MERGER"
    CLOSURE = "CLOSURE"
    NEW_ACTIVITY = "NEW_ACTIVITY"
    OTHER = "OTHER"


@dataclass(frozen=True, slots=True)
class SituationChange:
    change_id: int
    kind: SituationChangeKind
    description: str
    effective_on: date

    def validated(self) -> "SituationChange":
        return replace(
            self,
            description=required_text(
                self.description,
                "description",
                "La description du changement",
                MAX_DESCRIPTION,
                multiline=True,
            ),
        )


@dataclass(frozen=True, slots=True)
class SepaMandate:
    """Mandat de prélèvement SEPA: référence unique (RUM), IBAN, date de signature."""

    reference: str
    iban: Iban
    signed_on: date
    debtor_name: str
    bic: str | None = None
    revoked_on: date | None = None

    def validated(self) -> "SepaMandate":
        check_characters(self.reference, "reference", "La référence unique de mandat (RUM)")
        reference = self.reference.strip()
        if not reference or len(reference) > 35 or not reference.isascii():
            raise InvalidValue(
                "La référence unique de mandat (RUM) doit compter 1 à 35 caractères.",
                code="INVALID_MANDATE_REFERENCE",
                field="reference",
            )
        return replace(
            self,
            iban=Iban.coerce(self.iban),
            reference=reference,
            debtor_name=required_text(self.debtor_name, "debtor_name", "Le nom du débiteur", 70),
            bic=_bic(self.bic),
        )

    @property
    def is_active(self) -> bool:
        return self.revoked_on is None

    def check_replaceable(self) -> None:
        """Another mandate is signed only once this one is revoked."""
        if self.is_active:
            raise RuleViolation(
                "Un mandat de prélèvement SEPA est déjà actif : révoquez-le avant d'en signer un"
                " autre.",
                code="MANDATE_ALREADY_ACTIVE",
            )

    def check_revocable(self, revoked_on: date) -> None:
        if not self.is_active:
            raise RuleViolation(
                "Aucun mandat de prélèvement SEPA n'est actif.", code="NO_ACTIVE_MANDATE"
            )
        if revoked_on < self.signed_on:
            raise InvalidValue(
                "La révocation ne peut précéder la signature du mandat.",
                code="INVALID_PERIOD",
                field="revoked_on",
            )


def check_mandate_replaceable(mandate: SepaMandate | None) -> None:
    if mandate is not None:
        mandate.check_replaceable()


def check_mandate_revocable(mandate: SepaMandate | None, revoked_on: date) -> None:
    if mandate is None:
        raise RuleViolation(
            "Aucun mandat de prélèvement SEPA n'est actif.", code="NO_ACTIVE_MANDATE"
        )
    mandate.check_revocable(revoked_on)


def revoked_mandate(mandate: SepaMandate | None, revoked_on: date) -> SepaMandate | None:
    return None if mandate is None else replace(mandate, revoked_on=revoked_on)


def _bic(value: str | None) -> str | None:
    bic = optional_text(value, "bic", "Le BIC")
    if bic is None:
        return None
    bic = bic.replace(" ", "").upper()
    if not _BIC.fullmatch(bic):
        raise InvalidValue(
            "Le BIC n'est pas valide : il compte 8 ou 11 lettres et chiffres (ex. AGRIFRPP).",
            code="INVALID_BIC",
            field="bic",
        )
    return bic


class MembershipStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"

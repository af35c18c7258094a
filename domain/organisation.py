"""Values of a member (adhérent): branches, contacts, interlocutors, changes, SEPA mandate."""

import enum
from dataclasses import dataclass, replace
from datetime import date

from domain.address import Address
from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue
from domain.identifiers import Iban, Siret

MAX_TEXT = 120
MAX_DESCRIPTION = 2000


def required_text(value: str, field: str, label: str, limit: int = MAX_TEXT) -> str:
    cleaned = " ".join(value.split())
    if not cleaned or len(cleaned) > limit:
        raise InvalidValue(
            f"{label} est obligatoire et ne peut dépasser {limit} caractères.",
            code="INVALID_TEXT",
            field=field,
        )
    return cleaned


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

    def validated(self) -> "Contact":
        phone = PhoneNumber.coerce_optional(self.phone)
        email = Email.coerce_optional(self.email)
        if phone is None and email is None:
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
            function=(
                required_text(self.function, "function", "La fonction")
                if self.function and self.function.strip()
                else None
            ),
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
                self.description, "description", "La description du changement", MAX_DESCRIPTION
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
        )

    @property
    def is_active(self) -> bool:
        return self.revoked_on is None


class MembershipStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"

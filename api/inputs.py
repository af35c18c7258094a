"""Inputs of the values commands take, and how each becomes its domain value object.

Strings become checked identifiers (`Siret`, `Nir`, `CasNumber`…) here; their `InvalidValue`
names the input field it came from, so the `ValidationError` points at it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import ClassVar, TypeVar

import strawberry

from api.enums import AgentKind, ContactType, ContractType, Sex
from application.workforce.commands import NewHire
from domain.address import Address, Coordinates
from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue
from domain.identifiers import CasNumber, Iban, Nir, PcsCode
from domain.members.organisation import Contact, SepaMandate
from domain.workforce.employment import ContractTerms, Identity
from domain.workforce.health import CmrAgent

V = TypeVar("V")


@contextmanager
def field_named(field: str) -> Iterator[None]:
    """A refusal raised inside names `field` when it names none."""
    try:
        yield
    except InvalidValue as error:
        error.field = error.field or field
        raise


def value(make: Callable[[str], V], raw: str, field: str) -> V:
    with field_named(field):
        return make(raw)


def optional(make: Callable[[str], V], raw: str | None, field: str) -> V | None:
    """Like `value`; a missing or blank entry is None."""
    return None if raw is None or not raw.strip() else value(make, raw, field)


@strawberry.input(description="Adresse postale ; latitude et longitude la confirment.")
class AddressInput:
    lines: list[str]
    postal_code: str
    city: str
    country: str = "FR"
    latitude: float | None = None
    longitude: float | None = None
    DOMAIN_FIELDS: ClassVar[dict[str, str]] = {"coordinates": "latitude"}

    def to_domain(self) -> Address:
        coordinates = None
        if self.latitude is not None and self.longitude is not None:
            with field_named("latitude"):
                coordinates = Coordinates(self.latitude, self.longitude)
        return Address(tuple(self.lines), self.postal_code, self.city, self.country, coordinates)


@strawberry.input(description="État civil d'un salarié.")
class IdentityInput:
    birth_name: str
    first_name: str
    birth_date: date
    sex: Sex
    usage_name: str | None = None
    nir: str | None = strawberry.field(default=None, description="N° de sécurité sociale.")

    def to_domain(self) -> Identity:
        nir = optional(Nir, self.nir, "nir")
        return Identity(
            self.birth_name, self.first_name, self.birth_date, self.sex, self.usage_name, nir
        )


@strawberry.input(description="Conditions du contrat : poste, PCS-ESE, type, établissement…")
class ContractTermsInput:
    job_title: str
    contract_type: ContractType
    pcs_code: str | None = None
    branch_code: str | None = None
    trial_end: date | None = None
    planned_end: date | None = None

    def to_domain(self) -> ContractTerms:
        return ContractTerms(
            job_title=self.job_title,
            contract_type=self.contract_type,
            pcs_code=optional(PcsCode, self.pcs_code, "pcs_code"),
            branch_code=self.branch_code or None,
            trial_end=self.trial_end,
            planned_end=self.planned_end,
        )


CONFIRM_HOMONYM = (
    "Vrai : embaucher même si un salarié de l'adhérent a déjà ces nom de naissance, prénom et"
    " date de naissance (refus POSSIBLE_DUPLICATE sinon). Un NIR déjà embauché reste refusé."
)


@strawberry.input(description="Un salarié d'une embauche groupée.")
class NewHireInput:
    identity: IdentityInput
    hire_date: date
    terms: ContractTermsInput
    confirm_homonym: bool = strawberry.field(default=False, description=CONFIRM_HOMONYM)

    def to_domain(self) -> NewHire:
        identity, terms = self.identity.to_domain(), self.terms.to_domain()
        return NewHire(identity, self.hire_date, terms, self.confirm_homonym)


@strawberry.input(description="Contact : au moins un téléphone ou un e-mail.")
class ContactInput:
    last_name: str
    first_name: str
    function: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_type: ContactType | None = None
    company: str | None = None
    department: str | None = strawberry.field(default=None, description="Service.")
    address: AddressInput | None = None
    mobile: str | None = None
    fax: str | None = None

    def to_domain(self, contact_id: int = 0) -> Contact:
        return Contact(
            contact_id,
            self.last_name,
            self.first_name,
            self.function,
            optional(PhoneNumber, self.phone, "phone"),
            optional(Email, self.email, "email"),
            self.contact_type,
            self.company,
            self.department,
            None if self.address is None else self.address.to_domain(),
            optional(PhoneNumber, self.mobile, "mobile"),
            optional(PhoneNumber, self.fax, "fax"),
        )


@strawberry.input(description="Mandat de prélèvement SEPA.")
class SepaMandateInput:
    reference: str
    iban: str
    signed_on: date
    debtor_name: str
    bic: str | None = None

    def to_domain(self) -> SepaMandate:
        iban = value(Iban, self.iban, "iban")
        return SepaMandate(self.reference, iban, self.signed_on, self.debtor_name, self.bic)


@strawberry.input(description="Agent CMR : une substance (numéro CAS) ou un procédé.")
class CmrAgentInput:
    kind: AgentKind
    name: str
    cas_number: str | None = None

    def to_domain(self) -> CmrAgent:
        return CmrAgent(self.kind, self.name, optional(CasNumber, self.cas_number, "cas_number"))

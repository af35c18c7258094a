"""Output types of a member (adhérent), built from the member directory's `MemberView`."""

from datetime import date
from typing import Any, Self
from uuid import UUID

import msgspec
import strawberry

from api.enums import AddressKind, Interlocutor, MembershipStatus, SituationChangeKind
from api.shaping import shaped
from projections.members import members as views


@strawberry.type(description="Adresse postale ; confirmée quand ses coordonnées sont connues.")
class Address:
    lines: list[str]
    postal_code: str
    city: str
    country: str
    latitude: float | None
    longitude: float | None
    confirmed: bool

    @classmethod
    def of(cls, view: views.AddressView) -> Self:
        return shaped(cls, view, lines=list(view.lines))


@strawberry.type(description="Une adresse de l'adhérent et son usage.")
class MemberAddress:
    kind: AddressKind
    address: Address


@strawberry.type(description="Établissement (succursale) : code adhérent suivi d'un suffixe.")
class Branch:
    number: int
    code: str
    name: str
    address: Address
    siret: str | None
    closed_on: date | None


@strawberry.type(description="Contact de l'adhérent (sans accès au portail).")
class Contact:
    contact_id: int
    last_name: str
    first_name: str
    function: str | None
    phone: str | None
    email: str | None


@strawberry.type(description="Interlocuteur désigné parmi les contacts.")
class InterlocutorAssignment:
    role: Interlocutor
    contact: Contact | None


@strawberry.type(description="Changement de situation déclaré.")
class SituationChange:
    change_id: int
    kind: SituationChangeKind
    description: str
    effective_on: date


@strawberry.type(
    description="Mandat de prélèvement SEPA ; seuls les 4 derniers caractères de l'IBAN."
)
class SepaMandate:
    reference: str
    masked_iban: str
    signed_on: date
    revoked_on: date | None
    active: bool


@strawberry.type(description="Adhérent : une entreprise adhérente du service.")
class Member:
    id: UUID
    member_code: str
    legal_name: str
    siret: str | None
    vat_number: str | None
    has_cse: bool | None
    addresses: list[MemberAddress]
    branches: list[Branch]
    contacts: list[Contact]
    interlocutors: list[InterlocutorAssignment]
    situation_changes: list[SituationChange]
    sepa_mandate: SepaMandate | None
    status: MembershipStatus
    status_since: date | None
    version: int = strawberry.field(
        description="Version de l'adhérent : à renvoyer en expectedVersion pour le modifier."
    )

    @classmethod
    def of(cls, view: views.MemberView) -> Self:
        contacts = {c.contact_id: Contact(**_fields(c)) for c in view.contacts}
        return cls(
            id=view.member_id,
            member_code=view.member_code,
            legal_name=view.legal_name,
            siret=view.siret,
            vat_number=view.vat_number,
            has_cse=view.has_cse,
            addresses=_addresses(view.addresses),
            branches=[
                Branch(**_fields(b) | {"address": Address.of(b.address)}) for b in view.branches
            ],
            contacts=list(contacts.values()),
            interlocutors=[
                InterlocutorAssignment(role=i.role, contact=contacts.get(i.contact_id))
                for i in view.interlocutors
            ],
            situation_changes=[SituationChange(**_fields(c)) for c in view.situation_changes],
            sepa_mandate=None
            if view.sepa_mandate is None
            else SepaMandate(**_fields(view.sepa_mandate)),
            status=view.status,
            status_since=view.status_since,
            version=view.version,
        )


def _addresses(addresses: views.AddressesView) -> list[MemberAddress]:
    found = {
        AddressKind.WORKSITE: addresses.worksite,
        AddressKind.BILLING: addresses.billing,
        AddressKind.CONVOCATION: addresses.convocation,
    }
    return [
        MemberAddress(kind=kind, address=Address.of(view))
        for kind, view in found.items()
        if view is not None
    ]


def _fields(view: msgspec.Struct) -> dict[str, Any]:
    """A view struct's fields, for the output type of the same shape."""
    return msgspec.structs.asdict(view)

"""Output types of a member (adhérent), built from the member directory's `MemberView`."""

from typing import Self

import strawberry

from api.enums import AddressKind, ContactType, Interlocutor
from api.from_structs import converted, fields_of
from projections.members import members as views


@strawberry.type(description="Adresse postale ; confirmée quand ses coordonnées sont connues.")
@fields_of(views.AddressView)
class Address:
    lines: list[str]


@strawberry.type(description="Une adresse de l'adhérent et son usage.")
class MemberAddress:
    kind: AddressKind
    address: Address


@strawberry.type(description="Établissement (succursale) : code adhérent suivi d'un suffixe.")
@fields_of(views.BranchView)
class Branch:
    address: Address


@strawberry.type(description="Contact de l'adhérent (sans accès au portail).")
@fields_of(views.ContactView)
class Contact:
    contact_type: ContactType | None
    address: Address | None


@strawberry.type(description="Interlocuteur désigné parmi les contacts.")
class InterlocutorAssignment:
    role: Interlocutor
    contact: Contact | None


@strawberry.type(description="Changement de situation déclaré.")
@fields_of(views.SituationChangeView)
class SituationChange:
    pass


@strawberry.type(
    description="Mandat de prélèvement SEPA ; seuls les 4 derniers caractères de l'IBAN."
)
@fields_of(views.SepaMandateView)
class SepaMandate:
    pass


@strawberry.type(description="Adhérent : une entreprise adhérente du service.")
@fields_of(views.MemberView, renamed={"member_id": "id"})
class Member:
    addresses: list[MemberAddress]
    branches: list[Branch]
    contacts: list[Contact]
    interlocutors: list[InterlocutorAssignment]
    situation_changes: list[SituationChange]
    sepa_mandate: SepaMandate | None
    version: int = strawberry.field(
        description="Version de l'adhérent : à renvoyer en expectedVersion pour le modifier."
    )

    @classmethod
    def of(cls, view: views.MemberView) -> Self:
        contacts = {c.contact_id: converted(Contact, c) for c in view.contacts}
        return converted(
            cls,
            view,
            id=view.member_id,
            addresses=_addresses(view.addresses),
            contacts=list(contacts.values()),
            interlocutors=[
                InterlocutorAssignment(role=i.role, contact=contacts.get(i.contact_id))
                for i in view.interlocutors
            ],
        )


def _addresses(addresses: views.AddressesView) -> list[MemberAddress]:
    found = {
        AddressKind.WORKSITE: addresses.worksite,
        AddressKind.BILLING: addresses.billing,
        AddressKind.CONVOCATION: addresses.convocation,
    }
    return [
        MemberAddress(kind=kind, address=converted(Address, view))
        for kind, view in found.items()
        if view is not None
    ]

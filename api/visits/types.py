"""GraphQL types of the service's organisation for visits: visit centres, health professionals,
a member's care team, and their inputs."""

from typing import Self

import strawberry

from api.from_structs import converted, fields_of
from api.inputs import AddressInput, optional, value
from api.members.types import Address
from api.visits.enums import ProfessionalRole, Weekday
from domain.contact_details import Email, PhoneNumber
from domain.visits.organisation import CentreDetails, ProfessionalDetails
from projections.visits import organisation_queries as views


@strawberry.type(description="Centre de visite : adresse, téléphone, jours d'ouverture.")
@fields_of(views.CentreView, renamed={"centre_id": "id"}, left_out=("opening_days",))
class VisitCentre:
    address: Address
    opening_days: list[Weekday]

    @classmethod
    def of(cls, view: views.CentreView) -> Self:
        return converted(
            cls,
            view,
            id=view.centre_id,
            opening_days=[Weekday(day) for day in view.opening_days],
        )


@strawberry.type(description="Professionnel de santé au travail, ou contact du service.")
@fields_of(views.ProfessionalView, renamed={"professional_id": "id"})
class HealthProfessional:
    role_label: str

    @classmethod
    def of(cls, view: views.ProfessionalView) -> Self:
        return converted(cls, view, id=view.professional_id, role_label=view.role.label)


@strawberry.type(description="Un membre de l'équipe, depuis quand.")
@fields_of(views.TeamMemberView)
class CareTeamMember:
    professional: HealthProfessional


@strawberry.type(description="L'équipe pluridisciplinaire et le centre de visite d'un adhérent.")
@fields_of(views.CareTeamView)
class CareTeam:
    members: list[CareTeamMember]
    centre: VisitCentre | None

    @classmethod
    def of(cls, view: views.CareTeamView) -> Self:
        return converted(
            cls,
            view,
            members=[
                converted(
                    CareTeamMember, member, professional=HealthProfessional.of(member.professional)
                )
                for member in view.members
            ],
            centre=None if view.centre is None else VisitCentre.of(view.centre),
        )


@strawberry.input(description="Ce qu'un centre de visite montre aux adhérents.")
class CentreDetailsInput:
    name: str
    address: AddressInput
    phone: str
    opening_days: list[Weekday]
    access_note: str | None = strawberry.field(
        default=None, description="Accès, stationnement, étage… (montré sur les convocations)."
    )

    def to_domain(self) -> CentreDetails:
        return CentreDetails(
            name=self.name,
            address=self.address.to_domain(),
            phone=value(PhoneNumber, self.phone, "phone"),
            opening_days=frozenset(self.opening_days),
            access_note=self.access_note,
        )


@strawberry.input(description="Un professionnel du service, tel que les adhérents le voient.")
class ProfessionalDetailsInput:
    last_name: str
    first_name: str
    role: ProfessionalRole
    phone: str | None = None
    email: str | None = None

    def to_domain(self) -> ProfessionalDetails:
        return ProfessionalDetails(
            last_name=self.last_name,
            first_name=self.first_name,
            role=self.role,
            phone=optional(PhoneNumber, self.phone, "phone"),
            email=optional(Email, self.email, "email"),
        )

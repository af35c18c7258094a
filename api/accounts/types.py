"""GraphQL types of accounts: the signed-in person, their members, a member's users, the access
log."""

from datetime import datetime
from typing import Self
from uuid import UUID

import strawberry

from api.enums import AccountKind, Notification, Role
from api.from_structs import converted, fields_of
from application.accounts.access import NewSession
from application.accounts.access_store import AccessLogEntry
from domain.accounts.access import Principal
from projections.accounts import accounts


@strawberry.type(description="Connexion ouverte : le jeton à présenter (en-tête Authorization).")
class SignedIn:
    token: str = strawberry.field(
        description="À envoyer dans l'en-tête `Authorization: Bearer <jeton>` ; affiché une"
        " seule fois."
    )
    account_id: UUID
    expires_at: datetime
    password_change_required: bool = strawberry.field(
        description="Le mot de passe envoyé par le service doit être changé avant toute autre"
        " opération (changePassword)."
    )

    @classmethod
    def of(cls, session: NewSession) -> Self:
        return converted(cls, session)


@strawberry.type(description="Demande prise en compte ; la suite arrive par e-mail.")
class MailSent:
    message: str


@strawberry.type(description="Déconnexion faite, ou mot de passe réinitialisé.")
class Done:
    message: str


@strawberry.type(description="Un adhérent dont la personne est utilisatrice, et ses rôles.")
@fields_of(accounts.Membership)
class Membership:
    roles: list[Role]


@strawberry.type(description="La personne connectée, l'adhérent sur lequel elle travaille.")
class Me:
    account_id: UUID
    email: str
    last_name: str
    first_name: str
    function: str
    kind: AccountKind
    current_member_id: UUID | None = strawberry.field(
        description="L'adhérent de la session (switchMember pour en changer)."
    )
    roles: list[Role] = strawberry.field(description="Rôles pour l'adhérent de la session.")
    rights: list[str] = strawberry.field(description="Ce que ces rôles permettent.")
    memberships: list[Membership] = strawberry.field(
        description="Les adhérents de la personne (liste des regroupées)."
    )

    @classmethod
    def of(
        cls, view: accounts.AccountView, principal: Principal, rows: list[accounts.Membership]
    ) -> Self:
        return converted(
            cls,
            view,
            current_member_id=principal.member_id,
            roles=sorted(principal.roles, key=lambda r: r.value),
            rights=sorted(r.value for r in principal.rights),
            memberships=[converted(Membership, row) for row in rows],
        )


@strawberry.type(description="Un utilisateur du portail pour un adhérent.")
@fields_of(accounts.MemberUserView)
class MemberUser:
    roles: list[Role]
    notifications: list[Notification]


@strawberry.type(description="Une lecture de données de santé, un refus, une connexion inconnue.")
@fields_of(AccessLogEntry)
class AccessLogRecord:
    subjects: list[str] = strawberry.field(
        description="Les salariés dont les données ont été lues, ou le droit refusé."
    )

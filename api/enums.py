"""GraphQL enums: the domain's own enums, registered with strawberry as they are (one name per
concept, GLOSSARY.md), and the few the API adds."""

import enum

import strawberry

from application.accounts.access_store import AccessEvent
from domain.accounts.access import AccountKind, Notification, Role
from domain.catalogues.question_kinds import QuestionKind
from domain.declaration.steps import DeclarationStatus
from domain.declaration.steps import Step as DeclarationStep
from domain.members.organisation import (
    AddressKind,
    Interlocutor,
    MembershipStatus,
    SituationChangeKind,
)
from domain.workforce.employment import ContractType, ExitReason, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from domain.workforce.health import AgentKind, ExposureDegree, ExposureRoute

strawberry.enum(ContractType, description="Type de contrat.")
strawberry.enum(
    QuestionKind,
    description="Forme de la réponse : oui/non, nombre, un choix, plusieurs choix, texte.",
)
strawberry.enum(ExitReason, description="Motif de sortie du salarié.")
strawberry.enum(Sex, description="Sexe (M, F).")
strawberry.enum(
    FollowUp, description="Suivi individuel : simple (SI), adapté (SIA), renforcé (SIR)."
)
strawberry.enum(FollowUpDeterminant, description="Déterminant de suivi.")
strawberry.enum(AgentKind, description="Agent CMR : substance (numéro CAS) ou procédé.")
strawberry.enum(ExposureRoute, description="Voie d'exposition.")
strawberry.enum(ExposureDegree, description="Degré d'exposition estimé.")
strawberry.enum(
    AddressKind, description="Adresse du lieu de travail, de facturation, de convocation."
)
strawberry.enum(Interlocutor, description="Interlocuteur : représentant légal, CSE, CSSCT.")
strawberry.enum(SituationChangeKind, description="Changement de situation.")
strawberry.enum(MembershipStatus, description="État de l'adhésion.")
strawberry.enum(
    Role, description="Rôle d'un utilisateur pour un adhérent (administrateur, facturation…)."
)
strawberry.enum(AccountKind, description="Utilisateur adhérent, personnel du service, auditeur…")
strawberry.enum(Notification, description="Notifications reçues par e-mail.")
strawberry.enum(DeclarationStep, name="DeclarationStep", description="Étape de la déclaration.")
strawberry.enum(DeclarationStatus, description="À saisir, en cours, confirmée, non saisissable.")
strawberry.enum(AccessEvent, description="Lecture de données de santé, refus, connexion inconnue.")


@strawberry.enum(description="Salarié présent (contrat en cours) ou sorti, à la date de validité.")
class EmployeeStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


__all__ = [
    "AccessEvent",
    "AccountKind",
    "AddressKind",
    "AgentKind",
    "ContractType",
    "DeclarationStatus",
    "DeclarationStep",
    "EmployeeStatus",
    "ExitReason",
    "ExposureDegree",
    "ExposureRoute",
    "FollowUp",
    "FollowUpDeterminant",
    "Interlocutor",
    "MembershipStatus",
    "Notification",
    "Role",
    "Sex",
    "SituationChangeKind",
]

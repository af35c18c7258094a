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
    ContactType,
    Interlocutor,
    MembershipStatus,
    SituationChangeKind,
)
from domain.workforce.employment import ContractType, ExitReason, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from domain.workforce.health import AgentKind, ExposureDegree, ExposureRoute

DESCRIPTIONS: dict[type[enum.Enum], str] = {
    ContractType: "Type de contrat.",
    QuestionKind: "Forme de la réponse : oui/non, nombre, un choix, plusieurs choix, texte.",
    ExitReason: "Motif de sortie du salarié.",
    Sex: "Sexe (M, F).",
    FollowUp: "Suivi individuel : simple (SI), adapté (SIA), renforcé (SIR).",
    FollowUpDeterminant: "Déterminant de suivi.",
    AgentKind: "Agent CMR : substance (numéro CAS) ou procédé.",
    ExposureRoute: "Voie d'exposition.",
    ExposureDegree: "Degré d'exposition estimé.",
    AddressKind: "Adresse du lieu de travail, de facturation, de convocation.",
    ContactType: "Type de contact : dirigeant, ressources humaines, paie et comptabilité,"
    " prévention et sécurité, secrétariat, autre.",
    Interlocutor: "Interlocuteur : représentant légal, CSE, CSSCT.",
    SituationChangeKind: "Changement de situation.",
    MembershipStatus: "État de l'adhésion.",
    Role: "Rôle d'un utilisateur pour un adhérent (administrateur, facturation…).",
    AccountKind: "Utilisateur adhérent, personnel du service, auditeur…",
    Notification: "Notifications reçues par e-mail.",
    DeclarationStatus: "À saisir, en cours, confirmée, non saisissable.",
    AccessEvent: "Lecture de données de santé, refus, connexion inconnue.",
}
"""The domain's enums the schema shows under their own names, and what each means."""

for domain_enum, description in DESCRIPTIONS.items():
    strawberry.enum(domain_enum, description=description)
strawberry.enum(DeclarationStep, name="DeclarationStep", description="Étape de la déclaration.")


@strawberry.enum(description="Salarié présent (contrat en cours) ou sorti, à la date de validité.")
class EmployeeStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


__all__ = [
    "AccessEvent",
    "AccountKind",
    "AddressKind",
    "AgentKind",
    "ContactType",
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

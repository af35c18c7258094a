"""The visits context's enums, registered with strawberry under their domain names; the API's
visits modules take them from here, so they are registered before any type uses them."""

import strawberry

from domain.visits.appointment import AppointmentStatus, Requester
from domain.visits.follow_up_file import AbsenceKind
from domain.visits.follow_up_record import VisitDocument
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.visits.organisation import Weekday

strawberry.enum(ProfessionalRole, description="Rôle dans l'équipe pluridisciplinaire.")
strawberry.enum(Weekday, description="Jour de la semaine.")
strawberry.enum(VisitKind, description="Type de visite.")
strawberry.enum(AppointmentStatus, description="Où en est un rendez-vous.")
strawberry.enum(Requester, description="Qui demande la visite.")
strawberry.enum(AbsenceKind, description="Cause d'une absence (visite de reprise, R4624-31).")
strawberry.enum(VisitDocument, description="Document remis à l'employeur après la visite.")

__all__ = [
    "AbsenceKind",
    "AppointmentStatus",
    "ProfessionalRole",
    "Requester",
    "VisitDocument",
    "VisitKind",
    "Weekday",
]

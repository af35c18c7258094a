"""The visits context's enums, registered with strawberry under their domain names; the API's
visits modules take them from here, so they are registered before any type uses them."""

import strawberry

from domain.visits.appointment import AppointmentStatus, Requester
from domain.visits.kinds import ProfessionalRole, VisitKind
from domain.visits.organisation import Weekday

strawberry.enum(ProfessionalRole, description="Rôle dans l'équipe pluridisciplinaire.")
strawberry.enum(Weekday, description="Jour de la semaine.")
strawberry.enum(VisitKind, description="Type de visite.")
strawberry.enum(AppointmentStatus, description="Où en est un rendez-vous.")
strawberry.enum(Requester, description="Qui demande la visite.")

__all__ = ["AppointmentStatus", "ProfessionalRole", "Requester", "VisitKind", "Weekday"]

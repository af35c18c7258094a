"""Audit summaries of the visits context's events: names of the service's places and people,
roles and dates — never an employee's identity."""

from typing import Any

from projections.summaries import Summaries, french_date


def _days(days: frozenset[int]) -> str:
    names = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    return ", ".join(names[day] for day in sorted(days))


def _slot(slot: Any) -> str:
    return f"le {french_date(slot.day)} à {slot.starts_at:%H:%M} ({slot.minutes} min)"


def _action(action: Any) -> str:
    details = action.details
    return f"{details.kind.label} du {french_date(details.held_on)}, « {details.subject} »"


SUMMARIES: Summaries = {
    "FollowUpRecordOpened": lambda e: "Suivi des visites du salarié ouvert",
    "VisitRecorded": lambda e: (
        f"{e.visit.kind.label} du {french_date(e.visit.held_on)} enregistrée"
        f" ({e.visit.role.label} ; {e.visit.document.label})"
    ),
    "VisitWithdrawn": lambda e: f"Visite n° {e.visit_id} retirée : enregistrée par erreur",
    "AbsenceDeclared": lambda e: (
        f"Absence déclarée à partir du {french_date(e.absence.first_day)}"
        + (
            ""
            if e.absence.returned_on is None
            else f", reprise le {french_date(e.absence.returned_on)}"
        )
    ),
    "ReturnDeclared": lambda e: f"Reprise déclarée le {french_date(e.returned_on)}",
    "ConvocationNotesChanged": lambda e: (
        "Contraintes de convocation et commentaire du salarié modifiés"
    ),
    "AbsenceWithdrawn": lambda e: f"Absence n° {e.absence_id} retirée : déclarée par erreur",
    "VisitSettingsOpened": lambda e: "Paramètres des visites du service créés",
    "CancellationNoticeSet": lambda e: (
        f"Délai d'annulation des rendez-vous : {e.days} jour(s) ouvré(s)"
    ),
    "NoShowBillingSet": lambda e: (
        f"Absences aux visites {'facturées' if e.billed else 'non facturées'} (frais : {e.fee} HT)"
    ),
    "AvailabilityOpened": lambda e: f"Planning du {french_date(e.day)} ouvert",
    "SlotPublished": lambda e: f"Créneau publié {_slot(e.slot)}",
    "SlotWithdrawn": lambda e: "Créneau retiré",
    "SlotBooked": lambda e: "Créneau réservé pour un rendez-vous",
    "SlotFreed": lambda e: "Créneau libéré",
    "AppointmentRequested": lambda e: (
        f"Rendez-vous demandé : {e.kind.label} ({e.requested_by.label}), souhaité du"
        f" {french_date(e.preferred_from)} au {french_date(e.preferred_to)}"
    ),
    "AppointmentBooked": lambda e: f"Rendez-vous programmé {_slot(e.slot)}",
    "AppointmentRescheduled": lambda e: f"Rendez-vous déplacé {_slot(e.slot)}",
    "AppointmentCancelledByMember": lambda e: (
        f"Rendez-vous annulé par l'adhérent le {french_date(e.asked_on)}"
    ),
    "AppointmentCancelledByStaff": lambda e: "Rendez-vous annulé par le service",
    "AppointmentAttended": lambda e: "Présence du salarié au rendez-vous notée",
    "AppointmentMissed": lambda e: (
        "Absence du salarié au rendez-vous notée"
        + ("" if e.fee is None else f" (frais facturés à l'employeur : {e.fee} HT)")
    ),
    "VisitCentreOpened": lambda e: (
        f"Centre de visite « {e.details.name} » ouvert ({e.details.address.city},"
        f" {_days(e.details.opening_days)})"
    ),
    "VisitCentreChanged": lambda e: f"Centre de visite « {e.details.name} » modifié",
    "VisitCentreClosed": lambda e: f"Centre de visite fermé le {french_date(e.closed_on)}",
    "HealthProfessionalRegistered": lambda e: (
        f"{e.details.role.label} enregistré : {e.details.first_name} {e.details.last_name}"
    ),
    "HealthProfessionalChanged": lambda e: (
        f"Coordonnées de {e.details.first_name} {e.details.last_name} modifiées"
    ),
    "HealthProfessionalLeft": lambda e: f"Départ du service le {french_date(e.left_on)}",
    "CareTeamFormed": lambda e: "Équipe pluridisciplinaire de l'adhérent constituée",
    "ProfessionalAssigned": lambda e: (
        f"{e.role.label} affecté à l'équipe à compter du {french_date(e.effective_on)}"
    ),
    "ProfessionalWithdrawn": lambda e: (
        f"Rôle « {e.role.label} » retiré de l'équipe à compter du {french_date(e.effective_on)}"
    ),
    "VisitCentreAssigned": lambda e: (
        f"Centre de visite de l'adhérent changé à compter du {french_date(e.effective_on)}"
    ),
    "ActivitySummaryOpened": lambda e: f"Synthèse d'activité {e.year} de l'adhérent ouverte",
    "WorkplaceActionRecorded": lambda e: (
        f"Action en milieu de travail n° {e.action.action_id} enregistrée : {_action(e.action)}"
    ),
    "WorkplaceActionCorrected": lambda e: (
        f"Action en milieu de travail n° {e.action.action_id} corrigée : {_action(e.action)}"
    ),
    "WorkplaceActionWithdrawn": lambda e: (
        f"Action en milieu de travail n° {e.action_id} retirée : enregistrée par erreur"
    ),
}

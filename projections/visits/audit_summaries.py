"""Audit summaries of the visits context's events: names of the service's places and people,
roles and dates — never an employee's identity."""

from projections.summaries import Summaries, french_date


def _days(days: frozenset[int]) -> str:
    names = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    return ", ".join(names[day] for day in sorted(days))


SUMMARIES: Summaries = {
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
}

"""The catalogues' labels as shipped when the events did not carry them yet: frozen here, never
read from the data files again.

Since then the events name a risk or a prevention theme with the label the catalogue in effect
gave it when the command ran (`risk_label`, `theme_label`), so an audit summary depends on its
event alone. The events recorded before that hold only a code: their summaries take the label
from this table — the labels the shipped files held up to then (December 2026), which are the
ones those summaries always showed — so that a rebuild after any change of a data file rewrites
no past summary. A code this table does not know (a risk the service added) is shown as it is.
Nothing is ever added here.
"""

from collections.abc import Mapping
from typing import Any, Final

RISK_LABELS: Final[Mapping[str, str]] = {
    "manual_handling": "Manutention de charges",
    "awkward_postures": "Positions contraignantes",
    "repetitive_work": "Gestes répétitifs",
    "screen_work": "Travail sur écran / de bureau",
    "prolonged_standing": "Station debout prolongée",
    "lighting": "Ambiance lumineuse",
    "noise": "Ambiance sonore",
    "heat": "Ambiance thermique : chaleur",
    "cold": "Ambiance thermique : froid",
    "hand_arm_vibration": "Vibrations mains-bras",
    "whole_body_vibration": "Vibrations corps entier",
    "ionising_radiation": "Rayonnements ionisants",
    "non_ionising_radiation": "Rayonnements non ionisants",
    "hyperbaric": "Milieu hyperbare",
    "confined_space": "Espaces confinés",
    "chemical_agents": "Agents chimiques dangereux",
    "cmr_agents": "Agents cancérogènes, mutagènes ou toxiques pour la reproduction (CMR)",
    "dusts": "Poussières et aérosols",
    "wood_dust": "Poussières de bois",
    "welding_fumes": "Fumées de soudage",
    "asbestos": "Amiante",
    "lead": "Plomb",
    "biological_agents": "Agents biologiques",
    "blood_exposure": "Accident d'exposition au sang",
    "animals": "Contact avec des animaux",
    "night_work": "Travail de nuit",
    "atypical_hours": "Horaires atypiques",
    "shift_work": "Travail posté",
    "isolated_work": "Travail isolé",
    "time_pressure": "Contraintes de temps",
    "psychosocial": "Risques psychosociaux (RPS)",
    "external_violence": "Violences externes",
    "emotional_demands": "Exigences émotionnelles",
    "fall_from_height": "Chute de hauteur",
    "slip_trip_fall": "Chute de plain-pied",
    "machines": "Machines et outils",
    "falling_objects": "Chutes d'objets et effondrements",
    "internal_traffic": "Circulation interne et engins",
    "electrical": "Risque électrique",
    "electrical_work": "Travaux sur installations électriques",
    "road": "Risque routier",
    "heavy_vehicles": "Conduite de poids lourds et de transports en commun",
    "fire": "Incendie",
    "explosion": "Explosion (ATEX)",
    "burns": "Brûlures",
}
THEME_LABELS: Final[Mapping[str, str]] = {
    "activity": "Activité de l'entreprise",
    "accidents_and_diseases": "Accidents du travail et maladies professionnelles",
    "particular_situations": "Situations particulières",
    "premises_and_equipment": "Locaux et équipements",
    "safety_and_prevention": "Sécurité et prévention",
    "risk_assessment": "Évaluation des risques",
}


def risk_label(event: Any) -> str:
    """The label of the risk an event names: the one recorded in it, else the one frozen above,
    else its code."""
    code: str = event.risk_code
    return getattr(event, "risk_label", None) or RISK_LABELS.get(code, code)


def theme_label(event: Any, code: str) -> str:
    """The label of the prevention theme of that code an event names (as `risk_label`)."""
    return getattr(event, "theme_label", None) or THEME_LABELS.get(code, code)

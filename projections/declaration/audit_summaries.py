"""Audit summaries of the campaigns' and the declarations' events."""

from projections.catalogues.former_labels import risk_label, theme_label
from projections.summaries import Summaries, french_date

SUMMARIES: Summaries = {
    "CampaignOpened": lambda e: (
        f"Campagne {e.year} ouverte le {french_date(e.opens_on)}, date limite le"
        f" {french_date(e.deadline)} : {e.rate_per_capita} HT par salarié, outil"
        f" {e.tool_price} HT"
    ),
    "CampaignClosed": lambda e: f"Campagne close le {french_date(e.closed_on)}",
    "Started": lambda e: f"Déclaration {e.year} commencée",
    "StepCompleted": lambda e: f"Étape {e.step.number} validée : {e.step.label}",
    "PreventionAnswered": lambda e: (
        f"Informations de prévention : thème « {theme_label(e, e.theme)} »"
    ),
    "RiskAdded": lambda e: f"Risque ajouté : {risk_label(e)}",
    "RiskDeclined": lambda e: f"Risque suggéré décliné : {risk_label(e)}",
    "RiskRemoved": lambda e: f"Risque retiré : {risk_label(e)}",
    "RiskToolSubscribed": lambda e: f"Outil d'évaluation des risques activé ({e.price} HT/an)",
    "RiskToolDeclined": lambda e: "Outil d'évaluation des risques non activé",
    "Transferred": lambda e: "Déclaration transférée à un autre utilisateur",
    "PurchaseOrderGiven": lambda e: (
        "Bon de commande retiré"
        if e.purchase_order is None
        else f"Bon de commande : {e.purchase_order}"
    ),
    "TermsOfSaleAccepted": lambda e: "Conditions de vente de l'outil acceptées",
    "DeclarationConfirmed": lambda e: f"Déclaration confirmée (empreinte {e.content_hash[:12]}…)",
    "DeclarationReopened": lambda e: f"Déclaration rouverte : {e.reason}",
    "ContributionDetermined": lambda e: (
        f"Cotisation {e.year} (version {e.edition}) : {e.contribution.billed_headcount}"
        f" salarié(s) facturé(s) au {french_date(e.reference_date)}, {e.amount_ht} HT,"
        f" {e.amount_ttc} TTC"
    ),
}

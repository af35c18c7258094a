"""Audit summaries of an account's events (never a password, nor its hash)."""

from projections.summaries import Summaries

SUMMARIES: Summaries = {
    # Never the person's name: the summaries stay when an account is erased.
    "Opened": lambda e: f"Compte ouvert ({e.kind.label})",
    "PasswordIssued": lambda e: (
        "Mot de passe émis par le service (à changer à la première connexion)"
    ),
    "PasswordChanged": lambda e: "Mot de passe modifié",
    "PasswordReset": lambda e: "Mot de passe réinitialisé par lien e-mail",
    "LoggedIn": lambda e: f"Connexion réussie ({e.method.label})",
    "LoginFailed": lambda e: f"Échec de connexion : {e.failure.label}",
    "LoggedOut": lambda e: "Déconnexion",
    "Closed": lambda e: "Compte fermé (personne partie) : plus de connexion possible",
    "Erased": lambda e: f"Compte effacé ({e.reason}) : son identité est détruite",
    "Claimed": lambda e: "Adresse e-mail de connexion réservée à un compte",
    "Released": lambda e: "Adresse e-mail de connexion libérée (compte effacé)",
}

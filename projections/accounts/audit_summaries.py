"""Audit summaries of an account's events (never a password, nor its hash)."""

from projections.summaries import Summaries

SUMMARIES: Summaries = {
    "Opened": lambda e: f"Compte ouvert : {e.first_name} {e.last_name} ({e.kind.label})",
    "PasswordIssued": lambda e: (
        "Mot de passe émis par le service (à changer à la première connexion)"
    ),
    "PasswordChanged": lambda e: "Mot de passe modifié",
    "PasswordReset": lambda e: "Mot de passe réinitialisé par lien e-mail",
    "LoggedIn": lambda e: f"Connexion réussie ({e.method.label})",
    "LoginFailed": lambda e: f"Échec de connexion : {e.failure.label}",
    "LoggedOut": lambda e: "Déconnexion",
}

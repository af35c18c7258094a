"""The e-mails of access control, in French: what each says, never how it is sent."""

from datetime import timedelta

from messaging.mailer import SIGNATURE, Mail


def _minutes(duration: timedelta) -> int:
    return int(duration.total_seconds() // 60)


def login_code(to: str, code: str, valid_for: timedelta) -> Mail:
    return Mail(
        to=to,
        subject="Votre code de connexion au portail adhérent",
        body=(
            f"Bonjour,\n\nVoici votre code de connexion : {code}\n\nIl est valable"
            f" {_minutes(valid_for)} minutes et ne sert qu'une fois. Si vous n'avez pas demandé"
            " à vous connecter, ignorez ce message." + SIGNATURE
        ),
    )


def no_account(to: str, service_contact: str) -> Mail:
    """Seed 000: an address tied to no account is told so, and whom to contact — by mail only,
    so that the screen says the same thing for every address."""
    return Mail(
        to=to,
        subject="Portail adhérent : adresse inconnue",
        body=(
            "Bonjour,\n\nUne connexion au portail adhérent a été demandée avec cette adresse"
            " e-mail, mais elle n'est associée à aucun compte. Un administrateur de votre"
            " entreprise peut vous ajouter comme utilisateur ; sinon, contactez"
            f" {service_contact}." + SIGNATURE
        ),
    )


def password_reset(to: str, link: str, valid_for: timedelta) -> Mail:
    return Mail(
        to=to,
        subject="Réinitialisation de votre mot de passe",
        body=(
            "Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable"
            f" {_minutes(valid_for)} minutes, une seule fois) :\n{link}\n\nSi vous n'avez rien"
            " demandé, ignorez ce message : votre mot de passe actuel reste valable." + SIGNATURE
        ),
    )


def issued_password(to: str, password: str) -> Mail:
    """Seed 001: the new account's password, to be changed at the first sign-in."""
    return Mail(
        to=to,
        subject="Votre accès au portail adhérent",
        body=(
            "Bonjour,\n\nVotre compte du portail adhérent est ouvert.\n\nIdentifiant : votre"
            f" adresse e-mail ({to})\nMot de passe : {password}\n\nIl vous sera demandé de le"
            " changer à la première connexion. Vous pouvez aussi vous connecter avec un code"
            " reçu par e-mail." + SIGNATURE
        ),
    )


def access_granted(to: str, legal_name: str) -> Mail:
    return Mail(
        to=to,
        subject=f"Accès au portail adhérent pour {legal_name}",
        body=(
            f"Bonjour,\n\nVous avez désormais accès au portail adhérent pour {legal_name}."
            " Connectez-vous avec votre adresse e-mail : un code de connexion vous sera envoyé."
            + SIGNATURE
        ),
    )


def service_account(to: str, kind_label: str) -> Mail:
    return Mail(
        to=to,
        subject="Votre compte du portail",
        body=(
            f"Bonjour,\n\nUn compte « {kind_label} » a été ouvert pour vous sur le portail."
            " Connectez-vous avec votre adresse e-mail : un code de connexion vous sera envoyé."
            + SIGNATURE
        ),
    )

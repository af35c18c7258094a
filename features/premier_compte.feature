# language: fr
Fonctionnalité: Création du premier compte avec le courrier du service
  Quand une entreprise adhère, le service l'enregistre et lui envoie par courrier son code
  adhérent et son n° télédéclarant. Avec ces deux identifiants, une personne de l'entreprise
  crée le premier compte du portail (bouton « Se connecter avec son code adhérent ») : elle en
  devient l'administrateur. Son mot de passe lui arrive par e-mail ; il ne sert qu'à la première
  connexion, et doit être changé avant toute autre opération.
  Les personnes suivantes ne créent pas de compte : un administrateur les ajoute comme
  utilisateurs.

  Contexte:
    Soit le service a enregistré l'adhérent « 00010 », raison sociale « Garage Martin », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@garage-martin.fr »

  Scénario: La gérante crée le premier compte, change son mot de passe et administre l'entreprise
    Quand Claire remplit le formulaire « Créer votre compte » :
      | Code adhérent            | 00010                          |
      | N° télédéclarant         | 48151623                       |
      | Nom                      | DURAND                         |
      | Prénom                   | Claire                         |
      | Fonction                 | Gérante                        |
      | Adresse e-mail           | claire.durand@garage-martin.fr |
      | Confirmer adresse e-mail | claire.durand@garage-martin.fr |
      | N° mobile                | 06 12 34 56 78                 |
    Alors le portail affiche « Compte créé : votre mot de passe vient de vous être envoyé par e-mail. »
    Et Claire reçoit l'e-mail « Votre accès au portail adhérent », avec son identifiant et son mot de passe
    Quand Claire se connecte avec son adresse e-mail et ce mot de passe
    Alors le portail lui demande de choisir un nouveau mot de passe
    Et tant qu'elle ne l'a pas fait, le portail lui refuse avec le code FORBIDDEN et le message « Choisissez d'abord un nouveau mot de passe : celui que le service vous a envoyé ne sert qu'à la première connexion. » :
      | consulter l'entreprise |
      | consulter les salariés |
      | embaucher un salarié   |
      | ajouter un utilisateur |
    Quand Claire choisit le mot de passe « Garage-Martin-2025 »
    Alors Claire voit l'entreprise « Garage Martin », code adhérent « 00010 »
    Et Claire en est administratrice
    Et les utilisateurs de « Garage Martin » sont :
      | nom    | prénom | fonction | adresse e-mail                 | mobile       | rôles          |
      | DURAND | Claire | Gérante  | claire.durand@garage-martin.fr | +33612345678 | Administrateur |
    Et le mot de passe reçu par e-mail ne permet plus de se connecter
    Et Claire se connecte avec le mot de passe « Garage-Martin-2025 », sans avoir à le changer

  Scénario: Le n° mobile est facultatif
    Quand Claire remplit le formulaire « Créer votre compte » :
      | Code adhérent            | 00010                          |
      | N° télédéclarant         | 48151623                       |
      | Nom                      | DURAND                         |
      | Prénom                   | Claire                         |
      | Fonction                 | Gérante                        |
      | Adresse e-mail           | claire.durand@garage-martin.fr |
      | Confirmer adresse e-mail | claire.durand@garage-martin.fr |
      | N° mobile                |                                |
    Alors le portail affiche « Compte créé : votre mot de passe vient de vous être envoyé par e-mail. »
    Et Claire reçoit l'e-mail « Votre accès au portail adhérent », avec son identifiant et son mot de passe

  Scénario: Un n° télédéclarant erroné est refusé
    Quand Claire crée son compte avec le code adhérent « 00010 » et le n° télédéclarant « 48151632 »
    Alors la demande est refusée avec le code WRONG_MEMBER_CODES
    Et le message affiché contient « Code adhérent ou numéro télédéclarant incorrect. Vérifiez le courrier du service, ou demandez-lui un nouveau numéro. »
    Et Claire ne reçoit aucun e-mail

  Scénario: Les deux adresses e-mail saisies doivent être identiques
    Quand Claire remplit le formulaire « Créer votre compte » :
      | Code adhérent            | 00010                          |
      | N° télédéclarant         | 48151623                       |
      | Nom                      | DURAND                         |
      | Prénom                   | Claire                         |
      | Fonction                 | Gérante                        |
      | Adresse e-mail           | claire.durand@garage-martin.fr |
      | Confirmer adresse e-mail | claire.durand@garage-matrin.fr |
    Alors la demande est refusée avec le code EMAIL_MISMATCH
    Et le message affiché contient « Les deux adresses e-mail saisies sont différentes. »
    Et Claire ne reçoit aucun e-mail

  Scénario: Une fois l'administrateur inscrit, le courrier ne sert plus à créer un compte
    Paul a retrouvé le courrier du service : le code adhérent et le n° télédéclarant sont les
    bons, mais l'entreprise a déjà son administratrice. C'est à elle de l'ajouter.
    Soit Claire a créé le premier compte de « Garage Martin »
    Et Paul MARTIN, comptable, a pour adresse e-mail « paul.martin@garage-martin.fr »
    Quand Paul crée son compte avec le code adhérent « 00010 » et le n° télédéclarant « 48151623 »
    Alors la demande est refusée avec le code ADMINISTRATOR_EXISTS
    Et le message affiché contient « Cet adhérent a déjà un administrateur : demandez-lui de vous ajouter comme utilisateur. »
    Et Paul ne reçoit aucun e-mail
    Et les utilisateurs de « Garage Martin » sont :
      | nom    | prénom | fonction | adresse e-mail                 | mobile | rôles          |
      | DURAND | Claire | Gérante  | claire.durand@garage-martin.fr |        | Administrateur |

  Scénario: Après l'envoi d'un nouveau n° télédéclarant, l'ancien ne sert plus
    Le courrier s'est perdu : le service envoie un nouveau n° télédéclarant.
    Soit le service a envoyé à « Garage Martin » le nouveau n° télédéclarant « 27182818 »
    Quand Claire crée son compte avec le code adhérent « 00010 » et le n° télédéclarant « 48151623 »
    Alors la demande est refusée avec le code WRONG_MEMBER_CODES
    Et Claire ne reçoit aucun e-mail
    Quand Claire crée son compte avec le code adhérent « 00010 » et le n° télédéclarant « 27182818 »
    Alors le portail affiche « Compte créé : votre mot de passe vient de vous être envoyé par e-mail. »
    Et Claire reçoit l'e-mail « Votre accès au portail adhérent », avec son identifiant et son mot de passe

  Scénario: Le mot de passe envoyé par le service ne peut pas devenir le mot de passe définitif
    Soit Claire a créé le premier compte de « Garage Martin »
    Et Claire s'est connectée avec le mot de passe reçu par e-mail
    Quand Claire choisit comme nouveau mot de passe celui reçu par e-mail
    Alors le nouveau mot de passe est refusé
    Et le mot de passe reçu par e-mail doit toujours être changé à la connexion

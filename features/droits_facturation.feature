# language: fr
Fonctionnalité: Un utilisateur Facturation n'a pas accès aux salariés
  L'administrateur de l'entreprise donne accès au portail à d'autres personnes, avec un ou
  plusieurs rôles. Le rôle Facturation permet de consulter l'entreprise et de régler les
  factures, jamais de voir ni de modifier la liste des salariés : leurs données (suivi de santé,
  expositions) ne regardent que les rôles Administrateur, Déclaration et Convocation.
  Chaque refus est inscrit au journal des accès, que le service peut consulter.
  Un rôle donné ou retiré prend effet aussitôt, sans que l'utilisateur ait à se reconnecter.

  Contexte:
    Soit le service a enregistré l'adhérent « 00010 », raison sociale « Garage Martin », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@garage-martin.fr »
    Et Claire est administratrice de « Garage Martin »
    Et Claire a embauché Camille DURAND
    Et Julie LEROY, comptable, a pour adresse e-mail « julie.leroy@garage-martin.fr »

  Scénario: Julie, rôle Facturation, consulte l'entreprise mais pas les salariés
    Quand Claire ajoute Julie aux utilisateurs de « Garage Martin », avec le seul rôle Facturation
    Alors Julie reçoit l'e-mail « Accès au portail adhérent pour Garage Martin »
    Quand Julie se connecte avec un code reçu par e-mail
    Alors Julie a les rôles « Facturation » pour « Garage Martin »
    Et Julie voit l'entreprise « Garage Martin »
    Quand Julie ouvre la liste des salariés
    Alors la demande est refusée avec le code FORBIDDEN
    Et le message affiché contient « Vos rôles ne vous permettent pas cette opération (consulter les salariés). »
    Quand Julie embauche Louis BERNARD
    Alors la demande est refusée avec le code FORBIDDEN
    Et le message affiché contient « Vos rôles ne vous permettent pas cette opération (modifier les salariés). »
    Et le refus est un ForbiddenError
    Et Camille DURAND reste la seule salariée de « Garage Martin »
    Et le journal des accès, lu par le service, montre ces refus :
      | utilisateur | entreprise    | opération    | droit refusé     |
      | Julie       | Garage Martin | employees    | READ_WORKFORCE   |
      | Julie       | Garage Martin | hireEmployee | MANAGE_WORKFORCE |

  Scénario: Avec le rôle Déclaration en plus, Julie voit les salariés aussitôt, sans se reconnecter
    Soit Claire a ajouté Julie aux utilisateurs de « Garage Martin », avec le seul rôle Facturation
    Et Julie s'est connectée avec un code reçu par e-mail
    Et la liste des salariés est refusée à Julie
    Quand Claire donne à Julie les rôles Facturation et Déclaration
    Alors Julie a les rôles « Facturation, Déclaration » pour « Garage Martin »
    Et Julie, toujours connectée, voit les salariés :
      | Camille DURAND |

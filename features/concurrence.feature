# language: fr
Fonctionnalité: Modifications simultanées et demandes renvoyées
  Deux utilisateurs d'un même adhérent peuvent ouvrir la même fiche en même temps. La
  première modification enregistrée l'emporte ; la seconde, faite sur une fiche qui n'est
  plus à jour, est refusée sans rien écraser, et l'utilisateur apprend la version actuelle
  pour recharger la fiche. Une demande renvoyée (même identifiant de requête, après une
  coupure réseau par exemple) n'est appliquée qu'une fois.

  Contexte:
    Soit l'adhérent « 00010 », raison sociale « TEST-TUTO DECLARATION ANNUELLE »
    Et la personne Camille DURAND, née le 17/05/1990, de NIR « 2 90 05 75 056 123 84 »
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Aide-soignante »

  Scénario: Deux utilisateurs modifient la même fiche à partir de la même version
    Soit Alice et Bruno ouvrent la fiche de la salariée
    Quand Alice corrige le nom d'usage de la salariée en « Martin »
    Alors la modification est enregistrée
    Quand Bruno modifie le contrat à compter du 01/09/2025 : poste « Infirmière »
    Alors la demande est refusée avec le code CONFLICT
    Et le refus donne la version actuelle de la fiche
    Et rien n'est enregistré
    Et le nom d'usage de la salariée est « MARTIN »
    Et le poste de la salariée est « Aide-soignante » le 01/09/2025

  Scénario: Une demande renvoyée avec le même identifiant n'est appliquée qu'une fois
    Soit Alice modifie le contrat à compter du 01/09/2025 : poste « Infirmière »
    Quand le portail renvoie la même demande, avec le même identifiant de requête
    Alors la réponse est celle de la première demande
    Et rien n'est enregistré
    Et l'historique de la salariée est :
      | Embauche                |
      | Modification du contrat |

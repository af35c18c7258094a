# language: fr
Fonctionnalité: Embauche d'un salarié
  À l'étape 3 de la déclaration (Effectif), l'employeur ajoute un nouveau salarié.
  La date de fin d'un CDD peut être saisie dès l'embauche : une fois cette date dépassée,
  le salarié devient automatiquement inactif, sans autre saisie.

  Contexte:
    Soit l'adhérent « 00010 », raison sociale « TEST-TUTO DECLARATION ANNUELLE »

  Scénario: Embauche en CDI
    Soit la personne Camille DURAND, née le 17/05/1990, de NIR « 2 90 05 75 056 123 84 »
    Quand l'employeur l'embauche en CDI le 06/01/2025 au poste « Infirmière de bloc opératoire »
    Alors la salariée est active le 06/01/2025
    Et la salariée n'est pas active le 05/01/2025
    Et la salariée est active le 31/12/2030
    Et le nom de naissance de la salariée est « DURAND »
    Et le poste de la salariée est « Infirmière de bloc opératoire » le 06/01/2025

  Scénario: Embauche en CDD avec sa date de fin prévue
    Soit la personne Camille DURAND, née le 17/05/1990, de NIR « 2 90 05 75 056 123 84 »
    Quand l'employeur l'embauche en CDD le 06/01/2025 jusqu'au 30/06/2025 au poste « Agent d'entretien »
    Alors la salariée est active le 30/06/2025
    Et la salariée n'est plus active le 01/07/2025
    Et l'historique de la salariée est :
      | Embauche |

  Scénario: Un numéro de sécurité sociale invalide est refusé
    Soit la personne Camille DURAND, née le 17/05/1990, de NIR « 2 90 05 75 056 123 85 »
    Quand l'employeur l'embauche en CDI le 06/01/2025 au poste « Infirmière de bloc opératoire »
    Alors la demande est refusée avec le code INVALID_NIR
    Et le message affiché contient « Le numéro de sécurité sociale (NIR) saisi n'est pas valide »
    Et le message affiché ne reprend pas le NIR saisi
    Et rien n'est enregistré

  Scénario: Un SIRET invalide est refusé dans les informations administratives
    Quand l'adhérent enregistre le SIRET « 77777777777777 » dans ses informations administratives
    Alors la demande est refusée avec le code INVALID_SIRET
    Et le message affiché contient « Le numéro SIRET « 77777777777777 » n'est pas valide »
    Et rien n'est enregistré

  Scénario: Un SIRET valide est enregistré dans les informations administratives
    Quand l'adhérent enregistre le SIRET « 776 186 389 00024 » dans ses informations administratives
    Alors la modification est enregistrée
    Et le SIRET de l'adhérent est « 77618638900024 »

# language: fr
Fonctionnalité: Corriger, modifier, clôturer le contrat d'un salarié
  Corriger une erreur de saisie réécrit la fiche comme si elle avait toujours été juste.
  Modifier le contrat (un nouveau poste, par exemple) prend effet à une date : avant cette
  date, la fiche garde l'ancienne valeur. À sa sortie, le salarié reste dans l'effectif
  jusqu'à son dernier jour inclus ; s'il revient plus tard, c'est un nouveau contrat de la
  même personne, sur la même fiche.

  Contexte:
    Soit l'adhérent « 00010 », raison sociale « TEST-TUTO DECLARATION ANNUELLE »
    Et la personne Camille DURANT, née le 17/05/1990, de NIR « 2 90 05 75 056 123 84 »
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Aide-soignante »

  Scénario: Corriger une faute de frappe dans l'identité
    Quand l'employeur corrige le nom de naissance de la salariée en « Durand »
    Alors le nom de naissance de la salariée est « DURAND »
    Et l'historique de la salariée est :
      | Embauche                 |
      | Correction de l'identité |

  Scénario: Un changement de poste prend effet à sa date sans réécrire le passé
    Quand l'employeur modifie le contrat à compter du 01/09/2025 : poste « Infirmière »
    Alors le poste de la salariée est « Aide-soignante » le 31/08/2025
    Et le poste de la salariée est « Infirmière » le 01/09/2025
    Et l'historique de la salariée est :
      | Embauche                |
      | Modification du contrat |

  Scénario: À sa sortie, le salarié est actif jusqu'à son dernier jour inclus
    Quand l'employeur clôture le contrat, dernier jour le 31/10/2025, motif « démission »
    Alors la salariée est active le 31/10/2025
    Et la salariée n'est plus active le 01/11/2025
    Et l'historique de la salariée est :
      | Embauche          |
      | Sortie du salarié |

  Scénario: Une réembauche ouvre un nouveau contrat de la même personne
    Soit l'employeur clôture le contrat, dernier jour le 31/10/2025, motif « démission »
    Quand l'employeur la réembauche en CDD le 05/01/2026 jusqu'au 30/06/2026 au poste « Infirmière »
    Alors la salariée a eu 2 contrats, sur la même fiche
    Et la salariée n'est pas active le 15/12/2025
    Et le poste de la salariée est « Aide-soignante » le 31/10/2025
    Et le poste de la salariée est « Infirmière » le 05/01/2026
    Et la salariée n'est plus active le 01/07/2026
    Et l'historique de la salariée est :
      | Embauche          |
      | Sortie du salarié |
      | Réembauche        |

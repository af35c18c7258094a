# language: fr
Fonctionnalité: Suivi individuel selon les déterminants déclarés
  À l'étape 9, l'employeur affecte ses salariés aux situations de travail qui les concernent.
  Chaque déterminant de suivi place le salarié en suivi individuel adapté (SIA) ou renforcé
  (SIR), pendant la période où il est déclaré ; sans déterminant, le suivi est simple (SI).
  Une période qui a une fin correspond à un déterminant retiré après son dernier jour.
  Depuis le décret n° 2025-355, l'autorisation de conduite ne relève plus du SIR à partir
  du 1er octobre 2025.

  Contexte:
    Soit l'adhérent « 00010 », raison sociale « TEST-TUTO DECLARATION ANNUELLE »
    Et la personne Camille DURAND, née le 17/05/1990, de NIR « 2 90 05 75 056 123 84 »
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Cariste de nuit »

  @toute_heure
  Plan du Scénario: Le suivi de la salariée à une date, selon le déterminant déclaré
    Quand l'employeur déclare le déterminant « <déterminant> » <période>
    Alors le <date>, la salariée relève du suivi <suivi>
    Et le <date>, une visite avant l'affectation <visite>

    Exemples:
      | déterminant                                               | période                     | date       | suivi | visite            |
      | Travailleur de nuit                                       | à partir du 01/02/2025      | 31/01/2025 | SI    | n'est pas requise |
      | Travailleur de nuit                                       | à partir du 01/02/2025      | 01/02/2025 | SIA   | est requise       |
      | Exposition à l'amiante                                    | à partir du 01/02/2025      | 01/02/2025 | SIR   | est requise       |
      | Travailleur de nuit                                       | du 01/02/2025 au 30/06/2025 | 30/06/2025 | SIA   | est requise       |
      | Travailleur de nuit                                       | du 01/02/2025 au 30/06/2025 | 01/07/2025 | SI    | n'est pas requise |
      | Exposition à l'amiante                                    | du 01/02/2025 au 30/06/2025 | 01/07/2025 | SI    | n'est pas requise |
      | Autorisation de conduite d'équipements de travail (CACES) | à partir du 01/02/2025      | 30/09/2025 | SIR   | est requise       |
      | Autorisation de conduite d'équipements de travail (CACES) | à partir du 01/02/2025      | 01/10/2025 | SI    | n'est pas requise |

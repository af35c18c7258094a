# language: fr
Fonctionnalité: Expositions aux agents CMR
  Depuis le décret n° 2024-307 du 4 avril 2024, l'employeur transmet la liste des salariés
  susceptibles d'être exposés à des agents cancérogènes, mutagènes ou toxiques pour la
  reproduction (CMR), et les substances en cause, identifiées par leur numéro CAS.
  Une exposition saisie par erreur est retirée : elle ne compte plus, mais reste dans
  l'historique de la fiche.

  Contexte:
    Soit l'adhérent « 00010 », raison sociale « TEST-TUTO DECLARATION ANNUELLE »
    Et la personne Camille DURAND, née le 17/05/1990, de NIR « 2 90 05 75 056 123 84 »
    Et l'employeur l'embauche en CDI le 06/01/2025 au poste « Technicienne de laboratoire »

  Scénario: Une exposition au benzène compte de son premier à son dernier jour
    Soit l'employeur déclare une exposition à la substance « benzène », n° CAS « 71-43-2 », à partir du 01/02/2025
    Quand l'employeur met fin à cette exposition, dernier jour le 30/06/2025
    Alors le 31/01/2025, la salariée n'est exposée à aucun agent CMR
    Et le 01/02/2025, la salariée est exposée à « benzène (CAS 71-43-2) »
    Et le 30/06/2025, la salariée est exposée à « benzène (CAS 71-43-2) »
    Et le 01/07/2025, la salariée n'est exposée à aucun agent CMR
    Et l'historique de la salariée est :
      | Embauche                        |
      | Déclaration d'une exposition CMR |
      | Fin d'une exposition CMR         |

  Scénario: Une exposition saisie par erreur est retirée mais reste dans l'historique
    Soit l'employeur déclare une exposition à la substance « benzène », n° CAS « 71-43-2 », à partir du 01/02/2025
    Quand l'employeur retire cette exposition, saisie par erreur : « mauvais salarié sélectionné »
    Alors le 01/02/2025, la salariée n'est exposée à aucun agent CMR
    Et l'exposition au « benzène » figure toujours sur la fiche, marquée comme retirée
    Et l'historique de la salariée est :
      | Embauche                                   |
      | Déclaration d'une exposition CMR           |
      | Retrait d'une exposition saisie par erreur |

  Scénario: Une substance sans numéro CAS est refusée
    Quand l'employeur déclare une exposition à la substance « benzène », sans n° CAS, à partir du 01/02/2025
    Alors la demande est refusée avec le code CAS_NUMBER_REQUIRED
    Et le message affiché contient « numéro CAS »
    Et rien n'est enregistré

# language: fr
Fonctionnalité: Audit — l'effectif et la liste CMR à une date passée
  Un auditeur (inspection du travail, CARSAT, contrôle interne du service) peut demander
  l'effectif d'un adhérent ou sa liste de salariés exposés à des agents CMR de deux façons :
  - « tels qu'ils étaient » à une date : qui était présent ce jour-là, en quel suivi, exposé
    à quoi, d'après tout ce que le service sait aujourd'hui, corrections comprises ;
  - « tels qu'ils étaient connus » à une date : ce que le service avait enregistré à la fin de
    ce jour-là (heure de Paris), avant les saisies tardives et les corrections arrivées ensuite.
  Une saisie tardive ou une correction change la première réponse, jamais la seconde : ce que
  le service savait à une date ne se réécrit pas.
  « Nous sommes le … » dit le jour où l'employeur fait les saisies qui suivent sur le portail.

  Contexte:
    Soit nous sommes le 06/01/2025
    Et l'adhérent « 00010 », raison sociale « Garage Martin »
    Et l'employeur embauche :
      | prénom  | nom     | sexe | naissance  | contrat | embauche   | fin prévue | poste       |
      | Camille | DURAND  | F    | 17/05/1990 | CDI     | 06/01/2025 |            | Carrossière |
      | Louis   | BERNARD | M    | 03/02/1985 | CDI     | 06/01/2025 |            | Peintre     |

  Scénario: L'effectif tel qu'il était à une date passée
    Inès MOREAU arrive en CDD de mars à août, Louis BERNARD passe de nuit en mars et part fin
    juin, Camille DURAND est exposée au benzène à partir d'avril. L'effectif est donné par nom ;
    un salarié sorti reste dans la liste, sans suivi, avec son dernier contrat.
    Soit nous sommes le 03/03/2025
    Et l'employeur embauche :
      | prénom | nom    | sexe | naissance  | contrat | embauche   | fin prévue | poste        |
      | Inès   | MOREAU | F    | 12/09/1998 | CDD     | 03/03/2025 | 31/08/2025 | Préparatrice |
    Et l'employeur déclare pour Louis BERNARD le déterminant « Travailleur de nuit » à partir du 03/03/2025
    Et l'employeur déclare pour Camille DURAND une exposition à la substance « benzène », n° CAS « 71-43-2 », à partir du 01/04/2025
    Et nous sommes le 01/07/2025
    Quand l'employeur enregistre la sortie de Louis BERNARD, dernier jour le 30/06/2025, motif « démission »
    Alors l'effectif au 05/01/2025 ne compte personne
    Et l'effectif au 15/02/2025 est :
      | salarié        | statut   | suivi | contrat |
      | Louis BERNARD  | présent  | SI    | CDI     |
      | Camille DURAND | présente | SI    | CDI     |
    Et l'effectif au 15/04/2025 est :
      | salarié        | statut   | suivi | contrat |
      | Louis BERNARD  | présent  | SIA   | CDI     |
      | Camille DURAND | présente | SIR   | CDI     |
      | Inès MOREAU    | présente | SI    | CDD     |
    Et l'effectif au 15/07/2025 est :
      | salarié        | statut   | suivi | contrat |
      | Louis BERNARD  | sorti    |       | CDI     |
      | Camille DURAND | présente | SIR   | CDI     |
      | Inès MOREAU    | présente | SI    | CDD     |
    Et l'effectif au 01/09/2025 est :
      | salarié        | statut   | suivi | contrat |
      | Louis BERNARD  | sorti    |       | CDI     |
      | Camille DURAND | présente | SIR   | CDI     |
      | Inès MOREAU    | sortie   |       | CDD     |
    Et le décompte au 15/02/2025 est :
      | présents | SI | CDI |
      | 2        | 2  | 2   |
    Et le décompte au 15/04/2025 est :
      | présents | SI | SIA | SIR | CDI | CDD |
      | 3        | 1  | 1   | 1   | 2   | 1   |
    Et le décompte au 15/07/2025 est :
      | présents | SI | SIR | CDI | CDD |
      | 2        | 1  | 1   | 1   | 1   |
    Et le décompte au 01/09/2025 est :
      | présents | SIR | CDI |
      | 1        | 1   | 1   |

  @toute_heure
  Scénario: L'effectif tel qu'il était connu à une date passée, après une sortie saisie en retard
    Louis BERNARD a quitté l'entreprise le 31/03/2025, mais l'employeur ne l'a saisi que le
    15/05/2025. Jusqu'à la fin du 14/05/2025, le service le comptait encore dans l'effectif.
    Soit nous sommes le 15/05/2025
    Quand l'employeur enregistre la sortie de Louis BERNARD, dernier jour le 31/03/2025, motif « démission »
    Alors l'effectif au 15/04/2025, tel qu'il était connu le 05/01/2025, ne compte personne
    Et l'effectif au 15/04/2025, tel qu'il était connu le 14/05/2025, est :
      | salarié        | statut   | suivi | contrat | dernier jour |
      | Louis BERNARD  | présent  | SI    | CDI     |              |
      | Camille DURAND | présente | SI    | CDI     |              |
    Et l'effectif au 15/04/2025, tel qu'il était connu le 15/05/2025, est :
      | salarié        | statut   | suivi | contrat | dernier jour |
      | Louis BERNARD  | sorti    |       | CDI     | 31/03/2025   |
      | Camille DURAND | présente | SI    | CDI     |              |
    Et l'effectif au 15/04/2025 est :
      | salarié        | statut   | suivi | contrat | dernier jour |
      | Louis BERNARD  | sorti    |       | CDI     | 31/03/2025   |
      | Camille DURAND | présente | SI    | CDI     |              |
    Et l'effectif au 31/03/2025, tel qu'il était connu le 15/05/2025, est :
      | salarié        | statut   | suivi | contrat | dernier jour |
      | Louis BERNARD  | présent  | SI    | CDI     | 31/03/2025   |
      | Camille DURAND | présente | SI    | CDI     |              |
    Et le décompte au 15/04/2025, tel qu'il était connu le 14/05/2025, est :
      | présents | SI | CDI |
      | 2        | 2  | 2   |
    Et le décompte au 15/04/2025, tel qu'il était connu le 15/05/2025, est :
      | présents | SI | CDI |
      | 1        | 1  | 1   |

  Scénario: L'effectif tel qu'il était connu à une date passée, après la correction d'une date d'embauche
    Inès MOREAU a été saisie embauchée le 03/03/2025 ; elle n'a en réalité commencé que le
    17/03/2025, ce que l'employeur corrige le 10/04/2025.
    Soit nous sommes le 03/03/2025
    Et l'employeur embauche :
      | prénom | nom    | sexe | naissance  | contrat | embauche   | fin prévue | poste        |
      | Inès   | MOREAU | F    | 12/09/1998 | CDD     | 03/03/2025 | 31/08/2025 | Préparatrice |
    Et nous sommes le 10/04/2025
    Quand l'employeur corrige la date d'embauche d'Inès MOREAU : le 17/03/2025
    Alors l'effectif au 10/03/2025, tel qu'il était connu le 09/04/2025, est :
      | salarié        | statut   | contrat | embauche   | dernier jour |
      | Louis BERNARD  | présent  | CDI     | 06/01/2025 |              |
      | Camille DURAND | présente | CDI     | 06/01/2025 |              |
      | Inès MOREAU    | présente | CDD     | 03/03/2025 | 31/08/2025   |
    Et l'effectif au 10/03/2025, tel qu'il était connu le 10/04/2025, est :
      | salarié        | statut   | contrat | embauche   | dernier jour |
      | Louis BERNARD  | présent  | CDI     | 06/01/2025 |              |
      | Camille DURAND | présente | CDI     | 06/01/2025 |              |
    Et l'effectif au 20/03/2025, tel qu'il était connu le 10/04/2025, est :
      | salarié        | statut   | contrat | embauche   | dernier jour |
      | Louis BERNARD  | présent  | CDI     | 06/01/2025 |              |
      | Camille DURAND | présente | CDI     | 06/01/2025 |              |
      | Inès MOREAU    | présente | CDD     | 17/03/2025 | 31/08/2025   |
    Et le décompte au 10/03/2025, tel qu'il était connu le 09/04/2025, est :
      | présents | SI | CDI | CDD |
      | 3        | 3  | 2   | 1   |
    Et le décompte au 10/03/2025, tel qu'il était connu le 10/04/2025, est :
      | présents | SI | CDI |
      | 2        | 2  | 2   |
    Et le décompte au 10/03/2025 est :
      | présents | SI | CDI |
      | 2        | 2  | 2   |

  @toute_heure
  Scénario: La liste CMR telle qu'elle était connue, avant et après le retrait d'une exposition saisie par erreur
    Le 03/03/2025, l'employeur déclare deux expositions ; celle de Louis BERNARD au
    trichloroéthylène était destinée à un autre salarié : il la retire le 20/03/2025. Elle
    figurait dans la liste connue jusqu'à la fin du 19/03/2025, et n'y figure plus ensuite.
    Soit nous sommes le 03/03/2025
    Et l'employeur déclare pour Camille DURAND une exposition à la substance « benzène », n° CAS « 71-43-2 », à partir du 01/03/2025
    Et l'employeur déclare pour Louis BERNARD une exposition à la substance « trichloroéthylène », n° CAS « 79-01-6 », à partir du 01/03/2025
    Et nous sommes le 20/03/2025
    Quand l'employeur retire l'exposition de Louis BERNARD au « trichloroéthylène », saisie par erreur : « mauvais salarié sélectionné »
    Alors la liste CMR au 10/03/2025, telle qu'elle était connue le 02/03/2025, est vide
    Et la liste CMR au 10/03/2025, telle qu'elle était connue le 19/03/2025, est :
      | salarié        | agent             | n° CAS  | du         | au |
      | Louis BERNARD  | trichloroéthylène | 79-01-6 | 01/03/2025 |    |
      | Camille DURAND | benzène           | 71-43-2 | 01/03/2025 |    |
    Et la liste CMR au 10/03/2025, telle qu'elle était connue le 20/03/2025, est :
      | salarié        | agent   | n° CAS  | du         | au |
      | Camille DURAND | benzène | 71-43-2 | 01/03/2025 |    |
    Et la liste CMR au 10/03/2025 est :
      | salarié        | agent   | n° CAS  | du         | au |
      | Camille DURAND | benzène | 71-43-2 | 01/03/2025 |    |
    Et l'effectif au 10/03/2025, tel qu'il était connu le 19/03/2025, est :
      | salarié        | statut   | suivi |
      | Louis BERNARD  | présent  | SIR   |
      | Camille DURAND | présente | SIR   |
    Et l'effectif au 10/03/2025, tel qu'il était connu le 20/03/2025, est :
      | salarié        | statut   | suivi |
      | Louis BERNARD  | présent  | SI    |
      | Camille DURAND | présente | SIR   |

  Scénario: La liste CMR pendant et après une exposition terminée
    Camille DURAND a été exposée au benzène du 01/03/2025 au 30/06/2025 ; la fin de
    l'exposition n'est saisie que le 02/07/2025. La veille, l'exposition était encore connue
    comme en cours.
    Soit nous sommes le 03/03/2025
    Et l'employeur déclare pour Camille DURAND une exposition à la substance « benzène », n° CAS « 71-43-2 », à partir du 01/03/2025
    Et nous sommes le 02/07/2025
    Quand l'employeur met fin à l'exposition de Camille DURAND au « benzène », dernier jour le 30/06/2025
    Alors la liste CMR au 28/02/2025 est vide
    Et la liste CMR au 01/03/2025 est :
      | salarié        | agent   | n° CAS  | du         | au         |
      | Camille DURAND | benzène | 71-43-2 | 01/03/2025 | 30/06/2025 |
    Et la liste CMR au 30/06/2025 est :
      | salarié        | agent   | n° CAS  | du         | au         |
      | Camille DURAND | benzène | 71-43-2 | 01/03/2025 | 30/06/2025 |
    Et la liste CMR au 01/07/2025 est vide
    Et la liste CMR au 01/07/2025, telle qu'elle était connue le 01/07/2025, est :
      | salarié        | agent   | n° CAS  | du         | au |
      | Camille DURAND | benzène | 71-43-2 | 01/03/2025 |    |
    Et la liste CMR au 01/07/2025, telle qu'elle était connue le 02/07/2025, est vide
    Et le décompte au 01/07/2025, tel qu'il était connu le 01/07/2025, est :
      | présents | SI | SIR | CDI |
      | 2        | 1  | 1   | 2   |
    Et le décompte au 01/07/2025 est :
      | présents | SI | CDI |
      | 2        | 2  | 2   |

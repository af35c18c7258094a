# language: fr
Fonctionnalité: Le service rouvre une déclaration confirmée ; les versions confirmées restent telles que transmises
  Une déclaration confirmée ne se modifie plus : seul le service peut la rouvrir, en donnant le
  motif. Une nouvelle version commence alors, reprise des réponses de la précédente, et seul le
  récapitulatif (étape 10) est à valider de nouveau. La version confirmée reste dans
  l'historique telle qu'elle a été transmise, avec son empreinte ; la nouvelle version, une fois
  confirmée, s'y ajoute avec la sienne.
  Les listes et récapitulatifs du portail (les modèles de lecture) peuvent être reconstruits à
  tout moment depuis le journal des événements : une déclaration confirmée en ressort identique,
  octet pour octet.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié         | sexe | né(e) le   | contrat  | embauché(e) le | poste               |
      | Lisa LERGY      | F    | 12/12/1995 | CDI      | 27/09/2022     | Boulangère          |
      | Martin MARTIN   | M    | 01/01/1970 | CDI      | 19/07/2024     | Vendeur             |
      | Sam PICQ        | M    | 05/11/1998 | Apprenti | 27/10/2022     | Apprenti boulanger  |
      | Colette STEROLL | F    | 02/04/2002 | Intérim  | 01/12/2025     | Vendeuse            |
      | Hugo BERNARD    | M    | 14/06/2005 | Stage    | 01/12/2025     | Stagiaire pâtissier |
      | Nina ROUX       | F    | 08/03/1990 | CDI      | 02/03/2026     | Pâtissière          |
    Et le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an

  @toute_heure
  Scénario: Rouverte, la déclaration passe en version 2 ; confirmée de nouveau, les deux versions restent
    Soit Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Quand le service rouvre la déclaration 2026 de « Boulangerie des Ducs » pour le motif « L'outil d'évaluation a été activé par erreur »
    Alors la modification de l'étape est enregistrée
    Et la liste des déclarations de « Boulangerie des Ducs », vue par Claire, est :
      | année | version | statut   |
      | 2026  | 2       | en cours |
    Et les étapes de la déclaration 2026, vues par Claire, sont :
      | étape | intitulé                            | ouverte | validée |
      | 1     | informations administratives        | oui     | oui     |
      | 2     | utilisateurs et contacts            | oui     | oui     |
      | 3     | effectif                            | oui     | oui     |
      | 4     | informations de prévention          | oui     | oui     |
      | 5     | risques dans votre entreprise       | oui     | oui     |
      | 6 à 8 | outil d'évaluation des risques      | oui     | oui     |
      | 9     | situations de travail et agents CMR | oui     | oui     |
      | 10    | récapitulatif                       | oui     | non     |
    Et les versions confirmées de la déclaration 2026 sont :
      | version | montant TTC | rouverte le | motif de la réouverture                     |
      | 1       | 464,40 €    | aujourd'hui | L'outil d'évaluation a été activé par erreur |
    Et la version 1 transmise au service n'a pas changé : même copie, même empreinte, toujours intacte
    Quand Claire n'active pas l'outil d'évaluation des risques
    Et Claire valide définitivement la déclaration 2026
    Alors la modification de l'étape est enregistrée
    Et la liste des déclarations de « Boulangerie des Ducs », vue par Claire, est :
      | année | version | statut    |
      | 2026  | 2       | confirmée |
    Et les versions confirmées de la déclaration 2026 sont :
      | version | montant TTC | rouverte le | motif de la réouverture                     |
      | 1       | 464,40 €    | aujourd'hui | L'outil d'évaluation a été activé par erreur |
      | 2       | 284,40 €    |             |                                              |
    Et la version 1 confirmée a son empreinte SHA-256 et est intacte
    Et la version 2 confirmée a son empreinte SHA-256 et est intacte
    Et les deux versions confirmées ont des empreintes différentes
    Et la version 1 transmise au service n'a pas changé : même copie, même empreinte, toujours intacte

  Scénario: Seul le service rouvre une déclaration
    Soit Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Quand Claire rouvre elle-même la déclaration 2026 pour le motif « Oubli d'un salarié »
    Alors la demande est refusée avec le code FORBIDDEN
    Et la liste des déclarations de « Boulangerie des Ducs », vue par Claire, est :
      | année | version | statut    |
      | 2026  | 1       | confirmée |

  Scénario: Le motif de la réouverture est obligatoire
    Soit Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Quand le service rouvre la déclaration 2026 de « Boulangerie des Ducs » pour le motif «   »
    Alors la demande est refusée avec le code INVALID_TEXT
    Et le message affiché contient « Le motif est obligatoire »
    Et la liste des déclarations de « Boulangerie des Ducs », vue par Claire, est :
      | année | version | statut    |
      | 2026  | 1       | confirmée |

  Scénario: Une déclaration en cours ne se rouvre pas
    Soit Claire a validé les étapes 1 à 3 de la déclaration 2026
    Quand le service rouvre la déclaration 2026 de « Boulangerie des Ducs » pour le motif « Effectif à corriger »
    Alors la demande est refusée avec le code NOT_CONFIRMED
    Et le message affiché contient « Seule une déclaration confirmée peut être rouverte. »

  Scénario: Une déclaration confirmée est identique après la reconstruction complète des modèles de lecture
    Soit Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Et le service a rouvert la déclaration 2026 de « Boulangerie des Ducs » pour le motif « L'outil d'évaluation a été activé par erreur »
    Et Claire n'active pas l'outil d'évaluation des risques
    Et Claire valide définitivement la déclaration 2026
    Et le service note ce que le portail montre de la déclaration 2026
    Quand le service reconstruit tous les modèles de lecture depuis le premier événement
    Alors le portail lit désormais chaque modèle de lecture dans sa nouvelle génération
    Et les versions confirmées de la déclaration 2026 sont identiques, octet pour octet : copie figée, empreinte, confirmation et réouverture
    Et chaque version confirmée est toujours intacte
    Et les listes CMR transmises avec les versions 1 et 2 sont identiques
    Et la déclaration 2026, ses étapes et la liste des déclarations sont identiques

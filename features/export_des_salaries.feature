# language: fr
Fonctionnalité: Exporter la liste des salariés vers Excel et l'imprimer en PDF
  Sur la page « Liste de vos salariés » (seed 004 §2.3), l'employeur peut exporter la liste vers
  un fichier Excel ou l'imprimer. L'export reprend la liste telle qu'elle est filtrée à l'écran
  (présents ou sortis, catégorie de suivi, type de contrat, établissement, recherche par nom), et
  rappelle en tête les filtres appliqués. Le numéro de sécurité sociale n'y figure pas. Seuls
  ceux qui peuvent consulter la liste peuvent l'exporter.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié       | sexe | né(e) le   | contrat  | embauché(e) le | poste              |
      | Lisa LERGY    | F    | 12/12/1995 | CDI      | 27/09/2022     | Boulangère         |
      | Martin MARTIN | M    | 01/01/1970 | CDI      | 19/07/2024     | Vendeur            |
      | Sam PICQ      | M    | 05/11/1998 | Apprenti | 27/10/2022     | Apprenti boulanger |
    Et Martin MARTIN a quitté l'entreprise le 31/01/2025

  Scénario: La liste des salariés présents est exportée vers Excel
    Quand Claire exporte vers Excel la liste des salariés « présents »
    Alors le fichier reçu s'appelle « salaries-00021-<aujourd'hui>.xlsx »
    Et le fichier rappelle « Filtres : salariés présents. »
    Et le classeur liste les salariés :
      | Nom de naissance | Prénom | Date de naissance | Date d'embauche | Poste              | Contrat | Situation |
      | LERGY            | Lisa   | 12/12/1995        | 27/09/2022      | Boulangère         | CDI     | Présent   |
      | PICQ             | Sam    | 05/11/1998        | 27/10/2022      | Apprenti boulanger | Apprenti | Présent  |
    Et aucune cellule du classeur ne contient de numéro de sécurité sociale

  Scénario: La liste filtrée est imprimée en PDF
    Quand Claire imprime la liste des salariés « sortis »
    Alors le fichier reçu s'appelle « salaries-00021-<aujourd'hui>.pdf »
    Et le PDF affiche « Liste de vos salariés », « Boulangerie des Ducs », « Filtres : salariés sortis. » et « 1 salarié. »
    Et le PDF affiche « MARTIN », « Vendeur » et « Sorti le 31/01/2025 »
    Et le PDF n'affiche pas « LERGY »

  Scénario: Les filtres se combinent, comme à l'écran
    Quand Claire exporte vers Excel la liste des salariés dont le contrat est « APPRENTICESHIP » et le nom contient « picq »
    Alors le fichier rappelle « Filtres : contrat Apprenti; recherche « picq ». »
    Et le classeur liste les salariés :
      | Nom de naissance | Prénom |
      | PICQ             | Sam    |

  Plan du scénario: Un filtre illisible est refusé en français (<filtre>)
    Quand Claire exporte vers Excel la liste avec le filtre <filtre> à « <valeur> »
    Alors l'export est refusé avec le code <code>
    Et le refus dit « <message> »

    Exemples:
      | filtre       | valeur  | code             | message                                 |
      | status       | PARTIS  | INVALID_FILTER   | « status » n'accepte que : ACTIVE, INACTIVE |
      | category     | SIX     | INVALID_FILTER   | « category » n'accepte que : SI, SIA, SIR   |
      | contractType | CDX     | INVALID_FILTER   | « contractType » n'accepte que : CDI, CDD   |
      | search       | a␇b     | INVALID_TEXT     | La recherche contient un caractère      |

  Scénario: Sans session, ou pour un autre adhérent, rien n'est exporté
    Quand une personne sans session demande l'export Excel de la liste de « Boulangerie des Ducs »
    Alors l'export est refusé avec le statut HTTP 401
    Quand Claire demande l'export Excel de la liste d'un adhérent qui n'est pas le sien
    Alors l'export est refusé avec le statut HTTP 404

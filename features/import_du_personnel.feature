# language: fr
Fonctionnalité: Importer le personnel depuis une DSN ou un tableur
  Un adhérent fait entrer son personnel d'un coup : depuis sa DSN (déclaration sociale
  nominative, norme NEODeS : entreprise, établissement, individu, contrat, fin du contrat), ou
  depuis le modèle de tableur (CSV ou Excel). Une simulation montre d'abord la différence avec
  le personnel enregistré — embauches, identités et contrats modifiés, sorties, doublons
  possibles — et toutes les erreurs de toutes les lignes, avec leur numéro ; rien n'est
  enregistré tant qu'une ligne est en erreur. Le même fichier envoyé deux fois n'enregistre
  rien deux fois.

  Contexte:
    Soit l'adhérent « 00010 » de SIRET « 73282932000017 » sans salarié

  Scénario: La simulation d'une DSN montre les embauches et la sortie sans rien enregistrer
    Quand le service simule l'import de la DSN « embauches.dsn »
    Alors la simulation annonce « Nouvelle embauche : 3 »
    Et la simulation annonce « Sortie : 1 »
    Et l'adhérent a 0 salarié(s)

  Scénario: Chaque erreur d'une DSN est signalée avec sa ligne, et rien n'est enregistré
    Quand le service importe la DSN « erreurs.dsn »
    Alors l'import signale les erreurs :
      | ligne | colonne           | message                                                      |
      | 4     | NIR               | Le numéro de sécurité sociale (NIR) saisi n'est pas valide   |
      | 7     | Sexe              | Le sexe s'écrit M ou F.                                      |
      | 8     | Date de naissance | Cette date n'est pas valide : écrivez-la JJ/MM/AAAA.         |
      | 12    |                   | Ligne mal formée : rubrique,'valeur' attendu.                |
      | 13    | Poste             | La colonne « Poste » est vide.                               |
    Et l'adhérent a 0 salarié(s)

  Scénario: Une DSN importée deux fois n'enregistre rien la seconde fois
    Quand le service importe la DSN « embauches.dsn »
    Alors l'import annonce « Enregistré : 3 ligne(s). »
    Et l'adhérent a 3 salarié(s)
    Quand le service importe la DSN « embauches.dsn »
    Alors la simulation annonce « Sans changement : 3 »
    Et l'adhérent a 3 salarié(s)

  Scénario: Un tableur en erreur est refusé ligne par ligne, puis enregistré une fois corrigé
    Quand le service importe le tableur :
      | Nom de naissance | Prénom | Date de naissance | Sexe | Date d'embauche | Poste    | Type de contrat |
      | PETIT            | Inès   | 04/08/1992        | F    | 01/09/2024      | Vendeuse | CDI             |
      | ROUX             | Léa    | 31/02/1992        | F    | 01/09/2024      | Vendeuse | Stagiaire       |
    Alors l'import signale les erreurs :
      | ligne | colonne           | message                                              |
      | 3     | Date de naissance | Cette date n'est pas valide : écrivez-la JJ/MM/AAAA. |
      | 3     | Type de contrat   | Type de contrat inconnu                              |
    Et l'adhérent a 0 salarié(s)
    Quand le service importe le tableur :
      | Nom de naissance | Prénom | Date de naissance | Sexe | Date d'embauche | Poste    | Type de contrat |
      | PETIT            | Inès   | 04/08/1992        | F    | 01/09/2024      | Vendeuse | CDI             |
      | ROUX             | Léa    | 03/02/1992        | F    | 01/09/2024      | Vendeuse | Stage           |
    Alors l'import annonce « Enregistré : 2 ligne(s). »
    Et l'adhérent a 2 salarié(s)
    Quand le service importe le même tableur de nouveau
    Alors la simulation annonce « Sans changement : 2 »
    Et l'adhérent a 2 salarié(s)

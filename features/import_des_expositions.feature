# language: fr
Fonctionnalité: Mettre à jour les expositions aux agents CMR avec un fichier Excel
  À l'étape 9, l'employeur peut « mettre à jour les expositions via Excel » : il télécharge le
  modèle, qui reprend ses salariés présents et leurs expositions en cours, le remplit, puis
  l'envoie au portail. Le portail vérifie d'abord le fichier sans rien enregistrer et signale,
  ligne par ligne et en français, ce qui ne va pas ; tant qu'une ligne est en erreur, rien n'est
  enregistré, pas même les lignes justes. Une fois le fichier corrigé, il est enregistré, et la
  liste CMR (décret n° 2024-307 du 4 avril 2024) montre les nouvelles expositions.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié       | sexe | né(e) le   | contrat  | embauché(e) le | poste              |
      | Lisa LERGY    | F    | 12/12/1995 | CDI      | 27/09/2022     | Boulangère         |
      | Martin MARTIN | M    | 01/01/1970 | CDI      | 19/07/2024     | Vendeur            |
      | Sam PICQ      | M    | 05/11/1998 | Apprenti | 27/10/2022     | Apprenti boulanger |

  Scénario: Le modèle à remplir a une ligne pour chaque salarié présent
    Quand Claire télécharge le modèle des expositions CMR
    Alors le fichier reçu s'appelle « expositions-cmr-00021.xlsx »
    Et la feuille « Expositions CMR » du modèle a pour titres « Nom de naissance », « Prénom », « Date de naissance », « Identifiant salarié », « Substance ou procédé (nom) », « Numéro CAS », « Début d'exposition », « Fin d'exposition », « Voies », « Degré », « Heures par semaine », « Commentaire »
    Et le modèle a une ligne pour chaque salarié présent, sans exposition :
      | ligne | Nom de naissance | Prénom | Date de naissance |
      | 2     | LERGY            | Lisa   | 12/12/1995        |
      | 3     | MARTIN           | Martin | 01/01/1970        |
      | 4     | PICQ             | Sam    | 05/11/1998        |

  Plan du scénario: Une ligne en erreur (<erreur>) est signalée et rien n'est enregistré ; corrigée, le fichier est enregistré
    Soit Claire a téléchargé le modèle des expositions CMR
    Quand Claire remplit le modèle :
      | ligne | Substance ou procédé (nom) | Numéro CAS | Début d'exposition | Fin d'exposition | Voies      | Degré  |
      | 2     | Formaldéhyde               | <CAS>      | <début>            | <fin>            | Cutanée    | Modéré |
      | 4     | Acrylamide                 | 79-06-1    | 01/09/2025         |                  | Inhalation | Faible |
    Et Claire envoie le fichier au portail pour vérification
    Alors la vérification signale une ligne en erreur :
      | ligne | message   |
      | 2     | <message> |
    Et le portail affiche « 1 ligne(s) en erreur : corrigez-les puis envoyez de nouveau le fichier ; rien n'a été enregistré. »
    Et la vérification annonce pour la ligne 4 « PICQ Sam : nouvelle exposition à Acrylamide (79-06-1) depuis le 01/09/2025. »
    Et aucune exposition CMR n'est enregistrée pour « Boulangerie des Ducs »
    Quand Claire envoie quand même le fichier au portail pour enregistrement
    Alors l'enregistrement est refusé, la ligne 2 toujours en erreur
    Et aucune exposition CMR n'est enregistrée pour « Boulangerie des Ducs »
    Quand Claire corrige la ligne 2 : numéro CAS « 50-00-0 », début d'exposition le 01/02/2026, sans fin
    Et Claire envoie le fichier au portail pour vérification
    Alors la vérification ne signale aucune erreur : 2 exposition(s) à enregistrer
    Et le portail affiche « Aucune erreur : le fichier peut être enregistré. »
    Quand Claire envoie le fichier au portail pour enregistrement
    Alors le portail affiche « 2 exposition(s) enregistrée(s), 0 terminée(s). »
    Et la liste CMR de « Boulangerie des Ducs », aujourd'hui, est :
      | salarié    | agent        | n° CAS  | depuis     | jusqu'au |
      | Lisa LERGY | Formaldéhyde | 50-00-0 | 01/02/2026 |          |
      | Sam PICQ   | Acrylamide   | 79-06-1 | 01/09/2025 |          |
    Et le suivi des salariés de « Boulangerie des Ducs » est :
      | salarié       | suivi |
      | Lisa LERGY    | SIR   |
      | Martin MARTIN | SI    |
      | Sam PICQ      | SIR   |

    Exemples:
      | erreur              | CAS     | début      | fin        | message                                                                                                                                 |
      | numéro CAS erroné   | 50-00-1 | 01/02/2026 |            | Ligne 2, colonne « Numéro CAS » : le numéro CAS « 50-00-1 » n'est pas valide : il s'écrit sous la forme 71-43-2, chiffre de contrôle compris. |
      | fin avant le début  | 50-00-0 | 01/02/2026 | 15/01/2026 | Ligne 2, colonne « Fin d'exposition » : la fin d'exposition (15/01/2026) précède son début (01/02/2026).                               |

  Scénario: Le fichier renvoyé une seconde fois n'enregistre rien deux fois
    Soit Claire a téléchargé le modèle des expositions CMR
    Et Claire remplit le modèle :
      | ligne | Substance ou procédé (nom) | Numéro CAS | Début d'exposition | Fin d'exposition | Voies      | Degré  |
      | 4     | Acrylamide                 | 79-06-1    | 01/09/2025         |                  | Inhalation | Faible |
    Et Claire envoie le fichier au portail pour enregistrement
    Quand Claire envoie le fichier au portail pour enregistrement
    Alors le portail affiche « 0 exposition(s) enregistrée(s), 0 terminée(s). »
    Et la liste CMR de « Boulangerie des Ducs », aujourd'hui, est :
      | salarié  | agent      | n° CAS  | depuis     | jusqu'au |
      | Sam PICQ | Acrylamide | 79-06-1 | 01/09/2025 |          |

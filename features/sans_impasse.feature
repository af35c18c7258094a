# language: fr
Fonctionnalité: Pas d'impasse pour l'employeur ni pour le développeur du portail
  Un modèle Excel des expositions CMR téléchargé puis renvoyé sans changement s'enregistre sans
  rien changer, même quand une exposition a une fin prévue dans le futur. Une erreur désigne le
  champ que le client a saisi, sous le nom qu'il lui a donné. Deux changements du même jour se
  distinguent en demandant ce qui était enregistré à un instant, et non à la fin d'un jour.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié    | sexe | né(e) le   | contrat | embauché(e) le | poste      |
      | Lisa LERGY | F    | 12/12/1995 | CDI     | 27/09/2022     | Boulangère |

  Scénario: Le modèle renvoyé tel quel s'enregistre sans rien changer, fin prévue comprise
    Soit Claire a déclaré l'exposition de Lisa LERGY au formaldéhyde depuis le 01/02/2026, avec une fin prévue dans 6 mois
    Quand Claire télécharge le modèle des expositions CMR et le renvoie tel quel pour enregistrement
    Alors l'import est accepté : 0 exposition enregistrée, 0 terminée, 1 inchangée

  Scénario: Une fin d'exposition future qui n'est pas celle enregistrée est refusée, ligne et colonne nommées
    Soit Claire a déclaré l'exposition de Lisa LERGY au formaldéhyde depuis le 01/02/2026, sans fin
    Quand Claire télécharge le modèle des expositions CMR, y met une fin d'exposition dans 6 mois et le renvoie pour vérification
    Alors la vérification refuse la ligne 2 avec le code DATE_IN_FUTURE, colonne « Fin d'exposition »

  Scénario: Une fin d'exposition avant son début est signalée sous le nom du champ saisi
    Soit Claire a déclaré l'exposition de Lisa LERGY au formaldéhyde depuis le 01/02/2026, sans fin
    Quand Claire termine cette exposition le 15/01/2026
    Alors la demande est refusée avec le code INVALID_PERIOD
    Et le champ signalé est « lastDay »

  Scénario: Deux embauches du même jour se distinguent par l'instant de la connaissance
    Quand Claire embauche Nina ROUX
    Et 10 minutes plus tard, Claire embauche Hugo ROUX
    Alors la liste des salariés, telle qu'enregistrée 5 minutes après l'embauche de Nina ROUX, est « Lisa LERGY, Nina ROUX »
    Et la liste des salariés, telle qu'enregistrée à la fin du jour, est « Hugo ROUX, Lisa LERGY, Nina ROUX »

  Scénario: Un jour et un instant de connaissance ensemble sont refusés
    Quand Claire demande la liste des salariés telle qu'enregistrée à la fois un jour et un instant donnés
    Alors la demande est refusée avec le code BAD_ARGUMENTS
    Et le message affiché contient « pas les deux »
